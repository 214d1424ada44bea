package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.json.PyroJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** env, doctor and demo through the real CLI (the default environment is installed by the first pull). */
class HostCommandsTest {
    private static final Duration LIMIT = Duration.ofMinutes(15);

    @TempDir
    Path home;

    @Test
    void envListInspectAndASecondPullThatDoesNothing() throws Exception {
        CliProcess cli = new CliProcess(home);
        CliProcess.Result pull = cli.run(LIMIT, "env", "pull", "debian:12");
        assertThat(pull.exitCode()).as(pull.stderr()).isZero();
        CliProcess.Result again = cli.run(LIMIT, "env", "pull", "debian:12");
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("already installed");
        assertThat(again.stderr()).contains("[pull] phase=resolve environment=debian:12")
                .doesNotContain("phase=rootfs");

        CliProcess.Result list = cli.run(LIMIT, "env", "list");
        assertThat(list.stdout()).startsWith("pyro environment catalog ")
                .contains("debian:12 [installed] ")
                .contains("debian:12-base", "debian:12-build");

        JsonNode inspect = PyroJson.compact().readTree(cli.run(LIMIT, "env", "inspect", "debian:12", "--json").stdout());
        assertThat(inspect.get("status").asString()).isEqualTo("installed");
        assertThat(inspect.get("install_path").asString()).startsWith("/");
        JsonNode files = inspect.get("manifest").get("files");
        assertThat(files).hasSize(3);
        for (JsonNode f : files) {
            assertThat(f.get("sha256").asString()).matches("[0-9a-f]{64}");
            assertThat(f.get("size").asLong()).isPositive();
        }
    }

    @Test
    void unknownEnvironmentsAreClearErrors() throws Exception {
        CliProcess.Result r = new CliProcess(home).run(LIMIT, "env", "inspect", "ubuntu:24.04", "--json");
        assertThat(r.exitCode()).isEqualTo(1);
        JsonNode err = PyroJson.compact().readTree(r.stdout()).get("error");
        assertThat(err.get("code").asString()).isEqualTo("environment_not_found");
        assertThat(err.get("message").asString()).contains("ubuntu:24.04", "debian:12");
    }

    @Test
    void doctorReportsTheHostAndPasses() throws Exception {
        CliProcess.Result r = new CliProcess(home).run(LIMIT, "doctor", "--json");
        JsonNode d = PyroJson.compact().readTree(r.stdout());
        assertThat(d.get("qemu").get("found").asBoolean()).isTrue();
        assertThat(d.get("backend").get("execution_mode").asString()).isIn("qemu-tcg", "qemu-kvm", "firecracker");
        // qemu was found and the doctor passes (VMs boot), so user-mode guest networking is there.
        assertThat(d.get("capabilities").get("guest_network").asBoolean()).isTrue();
        boolean forwarding = Files.exists(Path.of("/proc/sys/net/ipv4/ip_forward"))
                && Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).trim().equals("1");
        assertThat(d.get("networking").get("ip_forward").asBoolean()).isEqualTo(forwarding);
        assertThat(d.get("networking").get("tun").asBoolean()).isEqualTo(Files.exists(Path.of("/dev/net/tun")));
        assertThat(d.get("ok").asBoolean()).isEqualTo(r.exitCode() == 0);
        assertThat(d.get("ok").asBoolean()).as("doctor on the CI host: %s", r.stdout()).isTrue();
        // This host's QEMU (7.2) takes free pages back, and the installed default environment reports them.
        JsonNode density = d.get("density");
        if (d.get("backend").get("name").asString().equals("qemu")) {
            assertThat(density.get("free_page_reporting").asBoolean()).as(density.toString()).isTrue();
        }
        assertThat(density.get("environments_reporting").toString()).contains("\"debian:12\"");
        assertThat(density.get("environments_without").size()).isZero();
        assertThat(density.get("tcg_translation_cache_mib").asInt())
                .isEqualTo(d.get("backend").get("execution_mode").asString().equals("qemu-tcg") ? 32 : 0);
        CliProcess.Result human = new CliProcess(home).run(LIMIT, "doctor");
        assertThat(human.stdout()).contains("overall:", "backend:", "kvm:", "density:       free page reporting");
    }

    @Test
    void demoProvesTheCycle() throws Exception {
        CliProcess.Result r = new CliProcess(home).run(LIMIT, "demo");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo(dev.pyro.present.HostHandlers.DEMO_EXPECTED);
        assertThat(r.stderr()).contains("[demo] ok");
    }
}
