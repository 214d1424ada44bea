package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A fresh identity is valid for the agent whatever the name it is made from, and never repeats. */
class GuestIdentityTest {
    @Test
    void hostnamesAreOneDnsLabelWhateverTheName() {
        assertThat(GuestIdentity.hostnameFor("ws-1a2b")).isEqualTo("pyro-ws-1a2b");
        assertThat(GuestIdentity.hostnameFor("Run_ABC.x")).isEqualTo("pyro-run-abc-x");
        assertThat(GuestIdentity.hostnameFor("evil\u001b[31m;rm -rf /")).isEqualTo("pyro-evil--31m-rm--rf");
        assertThat(GuestIdentity.hostnameFor("x".repeat(500))).hasSize(63).startsWith("pyro-x");
        assertThat(GuestIdentity.hostnameFor("---")).isEqualTo("pyro");
    }

    @Test
    void freshIdentitiesDifferAndCarryTheirTtl() {
        SecureRandom r = new SecureRandom();
        GuestIdentity a = GuestIdentity.fresh(r, Instant.EPOCH, "a", Optional.of(Duration.ofMinutes(5)));
        GuestIdentity b = GuestIdentity.fresh(r, Instant.EPOCH, "a", Optional.empty());
        assertThat(a.entropy()).hasSize(GuestIdentity.ENTROPY_BYTES).isNotEqualTo(b.entropy());
        assertThat(a.machineId()).matches("[0-9a-f]{32}").isNotEqualTo(b.machineId());
        assertThat(a.ttl()).contains(Duration.ofMinutes(5));
        assertThat(a.toString()).doesNotContain(java.util.HexFormat.of().formatHex(a.entropy()));
    }

    @Test
    void valuesTheAgentWouldRefuseAreRefusedHere() {
        byte[] e = new byte[64];
        assertThatThrownBy(() -> new GuestIdentity(new byte[63], Instant.EPOCH, "a", "1".repeat(32), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GuestIdentity(e, Instant.EPOCH, "-a", "1".repeat(32), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GuestIdentity(e, Instant.EPOCH, "a", "0".repeat(32), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GuestIdentity(e, Instant.EPOCH, "a", "A".repeat(32), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
