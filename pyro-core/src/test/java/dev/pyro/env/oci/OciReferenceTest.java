package dev.pyro.env.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OciReferenceTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void parsesAllParts() {
        OciReference ref = OciReference.parse("oci://registry.example.com:5000/pyro/debian-12:1.0@" + DIGEST);

        assertThat(ref).isEqualTo(new OciReference("registry.example.com", 5000, "pyro/debian-12", "1.0", DIGEST));
        assertThat(ref.authority()).isEqualTo("registry.example.com:5000");
        assertThat(ref.reference()).isEqualTo(DIGEST);
        assertThat(ref).hasToString("registry.example.com:5000/pyro/debian-12:1.0@" + DIGEST);
        assertThat(ref.isLoopback()).isFalse();
    }

    @Test
    void defaultsAndShortForms() {
        OciReference plain = OciReference.parse("ghcr.io/org/env");
        assertThat(plain.port()).isEqualTo(-1);
        assertThat(plain.tag()).isEqualTo("latest");
        assertThat(plain.digest()).isNull();

        OciReference byDigest = OciReference.parse("localhost:5000/env@" + DIGEST);
        assertThat(byDigest.tag()).isNull();
        assertThat(byDigest.reference()).isEqualTo(DIGEST);
        assertThat(byDigest.isLoopback()).isTrue();

        assertThat(OciReference.parse("OCI://127.0.0.1/a:b").isLoopback()).isTrue();
        assertThat(OciReference.parse("[::1]:5000/a:b").host()).isEqualTo("[::1]");
        assertThat(OciReference.parse("host/a/b:c").withDigest(DIGEST)).hasToString("host/a/b:c@" + DIGEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "justaname", "host/", "/repo", "https://host/repo", "host:99999/repo",
            "host:port/repo", "host/Upper/case", "host/repo:bad tag", "host/repo:.dot", "host/repo@sha256:short",
            "host/repo@md5:" + "00000000000000000000000000000000", "ho_st/repo", "host/repo//x", "host/-repo"})
    void rejectsMalformedReferencesAsInvalidArgument(String text) {
        assertThatThrownBy(() -> OciReference.parse(text))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void parsesAuthChallenges() {
        assertThat(AuthChallenge.parse(Optional.of(
                "Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push\",error=\"insufficient_scope\"")))
                .isEqualTo(new AuthChallenge.Bearer("https://auth.example/token", "registry.example", "repository:a/b:pull,push"));
        assertThat(AuthChallenge.parse(Optional.of("Basic realm=\"Registry Realm\"")))
                .isEqualTo(new AuthChallenge.Basic("Registry Realm"));
        assertThat(AuthChallenge.parse(Optional.of("bearer realm=http://x/t")))
                .isEqualTo(new AuthChallenge.Bearer("http://x/t", null, null));
        assertThat(AuthChallenge.parse(Optional.empty())).isInstanceOf(AuthChallenge.Unsupported.class);
        assertThat(AuthChallenge.parse(Optional.of("Negotiate abc"))).isInstanceOf(AuthChallenge.Unsupported.class);
    }

    @Test
    void optionsFromEnvironmentNeverPrintThePassword() {
        OciClientOptions options = OciClientOptions.fromEnvironment(Map.of(
                OciClientOptions.ENV_USERNAME, "me", OciClientOptions.ENV_PASSWORD, "hunter2",
                OciClientOptions.ENV_INSECURE, "1"));
        assertThat(options.username()).isEqualTo("me");
        assertThat(options.insecure()).isTrue();
        assertThat(options.toString()).doesNotContain("hunter2");
        assertThat(OciClientOptions.fromEnvironment(Map.of(OciClientOptions.ENV_USERNAME, "me")).hasCredentials()).isFalse();
    }
}
