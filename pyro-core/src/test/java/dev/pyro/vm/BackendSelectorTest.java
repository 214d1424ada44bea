package dev.pyro.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackendSelectorTest {
    private final AtomicInteger probes = new AtomicInteger();

    private BackendSelector selector(boolean qemu, boolean firecracker, boolean kvmUsable) {
        return new BackendSelector(qemu, firecracker, () -> {
            probes.incrementAndGet();
            return new KvmProbeResult("k", true, kvmUsable, kvmUsable ? "booted" : "hung", Instant.now());
        });
    }

    @Test
    void tcgIsForcedWithoutProbing() {
        BackendChoice c = selector(true, true, true).choose(Optional.of("qemu-tcg"));
        assertThat(c.backend()).isEqualTo(BackendKind.QEMU);
        assertThat(c.kvm()).isFalse();
        assertThat(c.forced()).isTrue();
        assertThat(c.executionMode()).isEqualTo("qemu-tcg");
        assertThat(probes).hasValue(0);
    }

    @Test
    void unknownBackendIsAClearError() {
        assertThatThrownBy(() -> selector(true, false, false).choose(Optional.of("bochs")))
                .isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("bochs").hasMessageContaining("qemu-tcg");
    }

    @Test
    void firecrackerForcedWithoutBinaryIsUnavailable() {
        assertThatThrownBy(() -> selector(true, false, true).choose(Optional.of("firecracker")))
                .isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE));
    }

    @Test
    void missingQemuNamesThePackage() {
        assertThatThrownBy(() -> selector(false, false, false).choose(Optional.of("qemu-tcg")))
                .isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_HOST_TOOL))
                .hasMessageContaining("qemu-system-x86");
    }

    @Test
    void automaticChoiceFollowsTheProbe() {
        assumeThat(KvmProber.deviceAccessible()).as("needs an openable /dev/kvm").isTrue();
        assertThat(selector(true, true, true).choose(Optional.empty()).backend()).isEqualTo(BackendKind.FIRECRACKER);
        assertThat(selector(true, false, true).choose(Optional.of("auto")).executionMode()).isEqualTo("qemu-kvm");
        assertThat(selector(true, true, false).choose(Optional.empty()).executionMode()).isEqualTo("qemu-tcg");
    }
}
