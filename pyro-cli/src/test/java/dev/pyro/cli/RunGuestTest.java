package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.json.PyroJson;
import dev.pyro.testing.Await;
import dev.pyro.testing.GuestProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Guest tests: the real CLI boots real microVMs (QEMU; TCG where KVM is unusable) and
 * runs commands in them. They need the debian:12 environment, which the first run
 * installs (building it from Debian packages takes about a minute and a half).
 */
class RunGuestTest {
    private static final Duration RUN_LIMIT = Duration.ofMinutes(3);

    @TempDir
    Path home;

    @BeforeAll
    static void environmentInstalled() throws Exception {
        GuestEnvironment.debian12();
    }

    private CliProcess cli() {
        return new CliProcess(home);
    }

    @Test
    void exitCodeStdoutAndStderrComeFromTheGuest() throws Exception {
        CliProcess.Result r = cli().run(RUN_LIMIT, "run", "debian:12", "--json", "--",
                "sh", "-c", "echo out; echo err >&2; uname -s >&2; exit 7");
        assertThat(r.exitCode()).isEqualTo(7);
        JsonNode doc = PyroJson.compact().readTree(r.stdout());
        assertThat(doc.get("exit_code").asInt()).isEqualTo(7);
        assertThat(doc.get("stdout").asString()).isEqualTo("out\n");
        assertThat(doc.get("stderr").asString()).isEqualTo("err\nLinux\n");
        assertThat(doc.get("execution_mode").asString()).startsWith(doc.get("backend").asString().equals("firecracker")
                ? "firecracker" : "qemu-");
        // Booting and running a command in a VM take time; the phases together fit in the run.
        JsonNode timings = doc.get("timings");
        assertThat(timings.propertyNames()).containsExactlyInAnyOrder("prepare_ms", "boot_ms", "ready_ms", "exec_ms",
                "teardown_ms");
        assertThat(timings.get("boot_ms").asLong()).isPositive();
        assertThat(timings.get("exec_ms").asLong()).isPositive();
        long sum = 0;
        for (String phase : timings.propertyNames()) {
            assertThat(timings.get(phase).asLong()).as(phase).isNotNegative();
            sum += timings.get(phase).asLong();
        }
        assertThat(sum).as("phases within duration_ms").isLessThanOrEqualTo(doc.get("duration_ms").asLong());
        assertThat(vmDirs()).isEmpty();
    }

    @Test
    void humanModePrintsOutputAndPhases() throws Exception {
        CliProcess.Result r = cli().run(RUN_LIMIT, "run", "debian:12", "--", "git", "--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).startsWith("git version 2.");
        assertThat(r.stderr()).contains("[run] phase=boot environment=debian:12", "[run] phase=exec",
                "execution_mode=");
    }

    @Test
    void aCommandThatRunsTooLongExitsWith124() throws Exception {
        CliProcess.Result r = cli().run(RUN_LIMIT, "run", "debian:12", "--timeout-seconds", "2", "--json", "--",
                "sh", "-c", "echo started; sleep 60");
        assertThat(r.exitCode()).isEqualTo(124);
        JsonNode doc = PyroJson.compact().readTree(r.stdout());
        assertThat(doc.get("timed_out").asBoolean()).isTrue();
        assertThat(doc.get("stdout").asString()).isEqualTo("started\n");
    }

    @Test
    void largeOutputArrivesWhole() throws Exception {
        CliProcess.Result r = cli().run(RUN_LIMIT, "run", "debian:12", "--", "sh", "-c",
                "head -c 3000000 /dev/zero | tr '\\0' x; echo; seq 1 5");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).hasSize(3_000_000 + 1 + "1\n2\n3\n4\n5\n".length());
        assertThat(r.stdout()).startsWith("xxxx").endsWith("\n5\n");
    }

    @Test
    void binaryOutputAndPipedStdinPassThroughByteForByte() throws Exception {
        byte[] input = new byte[200_000];
        new java.util.Random(3).nextBytes(input);
        Path in = Files.write(home.resolve("in.bin"), input);
        CliProcess.RawResult r = cli().runRaw(RUN_LIMIT, new CliProcess.Stdin.From(in), List.of(), "run",
                "debian:12", "--", "sh", "-c",
                "sha256sum | cut -c1-64 >&2; head -c 100000 /dev/urandom > /tmp/o; sha256sum < /tmp/o | cut -c1-64 >&2;"
                        + " cat /tmp/o");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).hasSize(100_000);
        List<String> sums = r.stderr().lines().filter(l -> l.matches("[0-9a-f]{64}")).toList();
        assertThat(sums).containsExactly(sha256(input), sha256(r.stdout()));
        assertThat(vmDirs()).isEmpty();
    }

    @Test
    void aMissingProgramExits127() throws Exception {
        CliProcess.Result r = cli().run(RUN_LIMIT, "run", "debian:12", "--", "no-such-program");
        assertThat(r.exitCode()).isEqualTo(127);
        assertThat(r.stderr()).contains("pyro: no-such-program: command not found\n", "exit_code=127")
                .doesNotContain("[exec_failed]");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void concurrentRunsAreIsolated() throws Exception {
        CompletableFuture<CliProcess.Result> a = CompletableFuture.supplyAsync(() -> runQuietly("echo A > /tmp/f; sleep 1; cat /tmp/f"));
        CompletableFuture<CliProcess.Result> b = CompletableFuture.supplyAsync(() -> runQuietly("echo B > /tmp/f; sleep 1; cat /tmp/f"));
        assertThat(a.get(4, TimeUnit.MINUTES).stdout()).isEqualTo("A\n");
        assertThat(b.get(4, TimeUnit.MINUTES).stdout()).isEqualTo("B\n");
        assertThat(vmDirs()).isEmpty();
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
    }

    @Test
    void unknownEnvironmentIsAClearError() throws Exception {
        CliProcess.Result r = cli().run(RUN_LIMIT, "run", "debian:99", "--json", "--", "true");
        assertThat(r.exitCode()).isEqualTo(1);
        JsonNode doc = PyroJson.compact().readTree(r.stdout());
        assertThat(doc.get("error").get("code").asString()).isEqualTo("environment_not_found");
        assertThat(r.stderr()).contains("debian:99").doesNotContain("Exception");
    }

    @Test
    void badFlagsAreUsageErrors() throws Exception {
        CliProcess.Result r = cli().run(RUN_LIMIT, "run", "debian:12", "--mem-mib", "12", "--json", "--", "true");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(PyroJson.compact().readTree(r.stdout()).get("error").get("code").asString())
                .isEqualTo("invalid_argument");
        CliProcess.Result noCmd = cli().run(RUN_LIMIT, "run", "debian:12");
        assertThat(noCmd.exitCode()).isEqualTo(2);
        assertThat(noCmd.stderr()).contains("CMD");
    }

    @Test
    void sigtermAndCtrlCLeaveNoVmBehind() throws Exception {
        for (String signal : List.of("TERM", "INT")) {
            Path log = home.resolve("interrupt-" + signal + ".log");
            Process p = cli().builder("run", "debian:12", "--", "sleep", "120")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
            awaitGuestRunning(p, log);
            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("CLI exits after SIG%s", signal).isTrue();
            assertThat(GuestProcesses.vmmsMentioning(home.toString())).as("VMMs after SIG%s", signal).isEmpty();
            assertThat(vmDirs()).as("VM state after SIG%s", signal).isEmpty();
        }
    }

    @Test
    void aKilledCliLeavesAVmThatTheNextRunReaps() throws Exception {
        Path log = home.resolve("killed.log");
        Process p = cli().builder("run", "debian:12", "--", "sleep", "120")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
        awaitGuestRunning(p, log);
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).as("SIGKILL cannot clean up by itself").isNotEmpty();
        CliProcess.Result next = cli().run(RUN_LIMIT, "run", "debian:12", "--", "true");
        assertThat(next.exitCode()).isZero();
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
        assertThat(vmDirs()).isEmpty();
    }

    @Test
    void aKilledRunIsReapedByAnyPyroCommandThatTouchesVms() throws Exception {
        for (List<String> command : List.of(List.of("doctor", "--json"), List.of("workspace", "list", "--json"))) {
            Path log = home.resolve("killed-" + command.getFirst() + ".log");
            Process p = cli().builder("run", "debian:12", "--", "sleep", "120")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
            awaitGuestRunning(p, log);
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(GuestProcesses.vmmsMentioning(home.toString())).as("orphaned").isNotEmpty();

            CliProcess.Result r = cli().run(RUN_LIMIT, command.toArray(String[]::new));
            assertThat(GuestProcesses.vmmsMentioning(home.toString())).as("after %s", command).isEmpty();
            assertThat(vmDirs()).as("after %s", command).isEmpty();
            if (command.getFirst().equals("doctor")) {
                assertThat(PyroJson.compact().readTree(r.stdout()).get("orphans_reaped").asInt()).isEqualTo(1);
            }
        }
    }

    private CliProcess.Result runQuietly(String script) {
        try {
            return cli().run(RUN_LIMIT, "run", "debian:12", "--", "sh", "-c", script);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits for the event, not for a guess of its time: the CLI announced its exec phase on
     * stderr (the guest answered and the command is being run) while its VM is up.
     */
    private void awaitGuestRunning(Process p, Path stderrLog) {
        Await.until("the CLI's exec phase with its VM up", Duration.ofMinutes(3), () -> {
            if (!p.isAlive()) {
                throw new AssertionError("CLI exited early with " + p.exitValue() + ": " + read(stderrLog));
            }
            return read(stderrLog).contains("[run] phase=exec") && !GuestProcesses.vmmsMentioning(home.toString())
                    .isEmpty();
        });
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private List<Path> vmDirs() throws IOException {
        Path vms = home.resolve("vms");
        if (!Files.isDirectory(vms)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(vms)) {
            return s.toList();
        }
    }
}
