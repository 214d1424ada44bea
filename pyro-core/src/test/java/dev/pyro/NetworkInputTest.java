package dev.pyro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The network options' checks: policies, published ports and the old network switch. */
class NetworkInputTest {

    @Test
    void policiesParseByTheirWireNamesOnly() {
        assertThat(NetworkPolicy.parse("off")).isEqualTo(NetworkPolicy.OFF);
        assertThat(NetworkPolicy.parse("egress")).isEqualTo(NetworkPolicy.EGRESS);
        assertThat(NetworkPolicy.parse("egress+published-ports")).isEqualTo(NetworkPolicy.EGRESS_PUBLISHED_PORTS);
        for (String bad : new String[] {"", "OFF", "Egress", "egress ", "egress+published", "published-ports",
                "egress+published-ports+more", "on", "true", "\u001b[31mred", "x".repeat(100_000)}) {
            assertThatThrownBy(() -> NetworkPolicy.parse(bad)).isInstanceOfSatisfying(PyroException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_NETWORK_POLICY);
                assertThat(e.getMessage()).endsWith("use off, egress or egress+published-ports")
                        .doesNotContain("\u001b").hasSizeLessThan(200);
            });
        }
        assertThatThrownBy(() -> NetworkPolicy.parse(null)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_NETWORK_POLICY));
    }

    @Test
    void whatEachPolicyAllows() {
        assertThat(NetworkPolicy.OFF.hasNetwork()).isFalse();
        assertThat(NetworkPolicy.EGRESS.hasNetwork()).isTrue();
        assertThat(NetworkPolicy.EGRESS.allowsPublishedPorts()).isFalse();
        assertThat(NetworkPolicy.EGRESS_PUBLISHED_PORTS.allowsPublishedPorts()).isTrue();
    }

    @Test
    void theOldNetworkSwitchMeansEgressAndNeverLowersAPolicy() {
        CreateWorkspaceRequest plain = CreateWorkspaceRequest.of("debian:12");
        assertThat(plain.networkPolicy()).isEqualTo(NetworkPolicy.OFF);
        assertThat(plain.network()).isFalse();
        assertThat(plain.withNetwork(true).networkPolicy()).isEqualTo(NetworkPolicy.EGRESS);
        assertThat(plain.withNetwork(true).network()).isTrue();
        CreateWorkspaceRequest both = new CreateWorkspaceRequest("debian:12", Optional.empty(), 1, 512, 60, true,
                NetworkPolicy.EGRESS_PUBLISHED_PORTS, null, null, null);
        assertThat(both.networkPolicy()).isEqualTo(NetworkPolicy.EGRESS_PUBLISHED_PORTS);
        CreateWorkspaceRequest noSwitch = new CreateWorkspaceRequest("debian:12", Optional.empty(), 1, 512, 60, false,
                NetworkPolicy.EGRESS, null, null, null);
        assertThat(noSwitch.network()).isTrue();
        assertThat(new CreateWorkspaceRequest("debian:12", Optional.empty(), 1, 512, 60, false, null, null, null, null).networkPolicy())
                .isEqualTo(NetworkPolicy.OFF);
    }

    @Test
    void portMappingsParse() {
        assertThat(PortMapping.parse("8080")).isEqualTo(new PortMapping(0, 8080));
        assertThat(PortMapping.parse("18080:80")).isEqualTo(new PortMapping(18080, 80));
        assertThat(PortMapping.parse("65535:1")).isEqualTo(new PortMapping(65535, 1));
        assertThat(PortMapping.parse("18080:80").toString()).isEqualTo("18080:80");
        assertThat(PortMapping.parse("80").toString()).isEqualTo("80");
    }

    @Test
    void malformedPortsAreRefusedWithTheirOwnCode() {
        for (String bad : new String[] {"", "0", "65536", "-1", "+80", " 80", "80 ", "80:", ":80", "0:80", "1:2:3",
                "abc", "80/tcp", "80/udp", "127.0.0.1:80:80", "99999:80", "80:99999", "123456", "8080\n",
                "\u0661\u0662", "x".repeat(100_000)}) {
            assertThatThrownBy(() -> PortMapping.parse(bad)).as("'%s'", bad.length() > 20 ? "long" : bad)
                    .isInstanceOfSatisfying(PyroException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PORT);
                        assertThat(e.getMessage()).hasSizeLessThan(200).doesNotContain("\n");
                    });
        }
    }

    @Test
    void aServiceStartChecksItsPublishedPortsUpFront() {
        ServiceStartRequest web = ServiceStartRequest.of("web", List.of("true"));
        assertThat(web.publish()).isEmpty();
        assertThat(web.withPublish("8080", "9000:90").portMappings())
                .containsExactly(new PortMapping(0, 8080), new PortMapping(9000, 90));
        assertThat(web.withPublish("8080").withCwd("sub").publish()).containsExactly("8080");
        assertThatThrownBy(() -> web.withPublish("8080", "nope")).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PORT));
        String[] many = new String[ServiceStartRequest.MAX_PUBLISHED_PORTS + 1];
        java.util.Arrays.fill(many, "80");
        assertThatThrownBy(() -> web.withPublish(many)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PORT));
    }

    @Test
    void hostPatternsAreNamesOrOneLeadingWildcard() {
        assertThat(HostPattern.check("pypi.org")).isEqualTo("pypi.org");
        assertThat(HostPattern.check("*.GitHub.com")).isEqualTo("*.github.com");
        assertThat(HostPattern.check("localhost")).isEqualTo("localhost");
        assertThat(HostPattern.check("a-b.c0.test")).isEqualTo("a-b.c0.test");
        for (String bad : new String[] {"", "*", "*.", "*.com", "**.github.com", "a.*.com", "*github.com", "pypi.org.",
                ".pypi.org", "pypi..org", "-a.org", "a-.org", "a_b.org", "a b.org", "pypi.org:443", "http://pypi.org",
                "1.2.3.4", "127.1", "2130706433", "0x7f.1", "::1", "[::1]", "a".repeat(64) + ".org",
                ("a".repeat(60) + ".").repeat(5) + "org", "pypi.org\n", "p\u00fcpi.org", "x".repeat(100_000)}) {
            assertThatThrownBy(() -> HostPattern.check(bad)).as("'%s'", bad.length() > 30 ? "long" : bad)
                    .isInstanceOfSatisfying(PyroException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_HOST_PATTERN);
                        assertThat(e.getMessage()).hasSizeLessThan(300).doesNotContain("\n");
                    });
        }
        assertThatThrownBy(() -> HostPattern.check(null)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_HOST_PATTERN));
    }

    @Test
    void anAllowListNeedsEgressAndIsNormalised() {
        CreateWorkspaceRequest egress = CreateWorkspaceRequest.of("debian:12").withNetworkPolicy(NetworkPolicy.EGRESS);
        assertThat(egress.allowHost()).isEmpty();
        assertThat(egress.withAllowHost("PyPI.org", "pypi.org", "*.github.com").allowHost())
                .containsExactly("pypi.org", "*.github.com");
        assertThatThrownBy(() -> CreateWorkspaceRequest.of("debian:12").withAllowHost("pypi.org"))
                .isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_NETWORK_POLICY));
        assertThatThrownBy(() -> egress.withAllowHost("pypi.org", "10.0.0.1")).isInstanceOfSatisfying(
                PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_HOST_PATTERN));
        String[] many = new String[HostPattern.MAX_PATTERNS + 1];
        for (int i = 0; i < many.length; i++) {
            many[i] = "h" + i + ".test";
        }
        assertThatThrownBy(() -> egress.withAllowHost(many)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_HOST_PATTERN));
    }
}
