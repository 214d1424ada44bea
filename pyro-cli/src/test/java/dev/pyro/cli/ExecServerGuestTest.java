package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code pyro workspace exec} served by the exec server, on a real guest: output byte for byte
 * across many frames, stdin relayed, exit statuses, errors and {@code --json} as in-process;
 * a caller killed in the middle of its command cancels the command, a server killed in the
 * middle of a call is reported (not retried: the command may have run), and the next call runs
 * in-process and starts a new server. Each call's start trace says whether it was served.
 */
class ExecServerGuestTest extends WorkspaceCliFixture {
    private static final Map<String, String> SERVER_ON = Map.of("PYRO_CLI_SERVER", "1",
            "PYRO_CLI_SERVER_IDLE_SECONDS", "120");
    /** The client marks "server: accepted" in its start trace when a server took the call. */
    private static final List<String> TRACED = List.of("-Dpyro.trace.start=true");
    private static final Pattern SERVER_PID = Pattern.compile("pyro exec server (\\d+): serving");

    private String create() throws Exception {
        CliProcess.Result r = pyro("workspace", "create", "debian:12", "--id-only");
        assertThat(r.exitCode()).as("create: %s", r.stderr()).isZero();
        return r.stdout().strip();
    }

    private CliProcess.RawResult exec(CliProcess.Stdin stdin, String... args) throws Exception {
        return new CliProcess(home, SERVER_ON).runRaw(LIMIT, stdin, TRACED, args);
    }

    private CliProcess.RawResult exec(String... args) throws Exception {
        return exec(new CliProcess.Stdin.From(Path.of("/dev/null")), args);
    }

    private static boolean served(CliProcess.RawResult r) {
        return r.stderr().contains("server: accepted");
    }

    @Test
    void servedExecsAreByteExactRelayStdinAndEndAsInProcessOnes() throws Exception {
        String id = create();
        CliProcess.RawResult first = exec("workspace", "exec", id, "--", "true");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(served(first)).as("no server yet: in-process").isFalse();
        awaitServer(null);

        // 300 KB of random bytes: many frames, each byte as the guest wrote it.
        CliProcess.RawResult random = exec("workspace", "exec", id, "--", "sh", "-c",
                "head -c 300000 /dev/urandom > r.bin; cat r.bin");
        assertThat(served(random)).as(random.stderr()).isTrue();
        assertThat(random.exitCode()).isZero();
        assertThat(random.stdout()).hasSize(300_000);
        CliProcess.RawResult sum = exec("workspace", "exec", id, "--", "sha256sum", "r.bin");
        assertThat(new String(sum.stdout(), StandardCharsets.UTF_8)).isEqualTo(sha256(random.stdout()) + "  r.bin\n");

        // 3 MiB of stdin, relayed to the guest command as fast as it reads.
        byte[] input = new byte[3 << 20];
        new Random(7).nextBytes(input);
        Path in = host.resolve("in.bin");
        Files.write(in, input);
        CliProcess.RawResult piped = exec(new CliProcess.Stdin.From(in), "workspace", "exec", id, "--", "sha256sum");
        assertThat(served(piped)).isTrue();
        assertThat(new String(piped.stdout(), StandardCharsets.UTF_8)).isEqualTo(sha256(input) + "  -\n");

        // Exit status, the command's stderr, pyro's summary with guest text made harmless.
        CliProcess.RawResult failing = exec("workspace", "exec", id, "--", "sh", "-c",
                "echo out; echo err >&2; exit 7");
        assertThat(served(failing)).isTrue();
        assertThat(failing.exitCode()).isEqualTo(7);
        assertThat(new String(failing.stdout(), StandardCharsets.UTF_8)).isEqualTo("out\n");
        assertThat(failing.stderr()).startsWith("err\n").contains("exit_code=7");

        CliProcess.RawResult json = exec("workspace", "exec", id, "--json", "--", "echo", "hi");
        assertThat(served(json)).isTrue();
        JsonNode doc = dev.pyro.json.PyroJson.compact().readTree(new String(json.stdout(), StandardCharsets.UTF_8));
        assertThat(doc.get("stdout").asString()).isEqualTo("hi\n");
        assertThat(doc.get("exit_code").asInt()).isZero();

        CliProcess.RawResult unknown = exec("workspace", "exec", "ws-nosuch", "--", "true");
        assertThat(served(unknown)).isTrue();
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr()).contains("workspace_not_found");

        // The journal has every served command, in order, as another process reads it at once.
        JsonNode logs = json(pyro("workspace", "logs", id, "--json"));
        assertThat(logs.toString()).contains("sha256sum").contains("exit 7").contains("\"echo\",\"hi\"");
    }

    @Test
    void aKilledCallerCancelsItsCommandAndAKilledServerIsReportedNotRetried() throws Exception {
        String id = create();
        assertThat(exec("workspace", "exec", id, "--", "true").exitCode()).isZero();
        long serverPid = awaitServer(null);

        // A caller killed while its command runs, with 4 MiB of stdin the command never reads
        // (more than the server takes ahead): the command is cancelled in the guest.
        Path unread = host.resolve("unread.bin");
        Files.write(unread, new byte[4 << 20]);
        Process caller = new CliProcess(home, SERVER_ON).builder(TRACED, "workspace", "exec", id, "--timeout-seconds", "600", "--", "sh",
                "-c", "echo $$ > /tmp/caller.pid; exec sleep 300").redirectErrorStream(true)
                .redirectInput(unread.toFile()).redirectOutput(host.resolve("caller.txt").toFile()).start();
        String pid = awaitGuestFile(id, "/tmp/caller.pid");
        caller.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        awaitGone(id, pid);

        // A server killed while it runs a call: the caller says the command may have run.
        Process second = new CliProcess(home, SERVER_ON).builder(TRACED, "workspace", "exec", id, "--timeout-seconds", "600", "--", "sh",
                "-c", "echo $$ > /tmp/second.pid; exec sleep 300").redirectOutput(host.resolve("second.out").toFile())
                .redirectError(host.resolve("second.err").toFile()).start();
        String pid2 = awaitGuestFile(id, "/tmp/second.pid");
        ProcessHandle.of(serverPid).orElseThrow().destroyForcibly();
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(host.resolve("second.err"));
        assertThat(second.exitValue()).as(err).isEqualTo(1);
        assertThat(err).contains("io_error").contains("whether the command ran is unknown");
        awaitGone(id, pid2); // the server's connection went with it: the agent cancelled the command

        // The next call runs in-process (the server's endpoint file is left, its port refuses)
        // and starts a new server, which serves the one after.
        CliProcess.RawResult after = exec("workspace", "exec", id, "--", "echo", "again");
        assertThat(after.exitCode()).as(after.stderr()).isZero();
        assertThat(served(after)).isFalse();
        long newPid = awaitServer(serverPid);
        assertThat(newPid).isNotEqualTo(serverPid);
        CliProcess.RawResult servedAgain = exec("workspace", "exec", id, "--", "echo", "again");
        assertThat(served(servedAgain)).as(servedAgain.stderr()).isTrue();
        assertThat(new String(servedAgain.stdout(), StandardCharsets.UTF_8)).isEqualTo("again\n");
    }

    /** Waits for a server (other than {@code notPid}) to say it serves; its pid. */
    private long awaitServer(Long notPid) throws Exception {
        Path run = home.resolve("run");
        for (int i = 0; i < 600; i++) {
            if (Files.isDirectory(run)) {
                try (Stream<Path> files = Files.list(run)) {
                    for (Path log : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                        Matcher m = SERVER_PID.matcher(Files.readString(log));
                        while (m.find()) {
                            long pid = Long.parseLong(m.group(1));
                            if ((notPid == null || pid != notPid) && ProcessHandle.of(pid).isPresent()) {
                                return pid;
                            }
                        }
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no exec server started under " + run);
    }

    private String awaitGuestFile(String id, String path) throws Exception {
        for (int i = 0; i < 120; i++) {
            CliProcess.Result r = pyro("workspace", "exec", id, "--", "cat", path);
            if (r.exitCode() == 0 && !r.stdout().isBlank()) {
                return r.stdout().strip();
            }
            Thread.sleep(250);
        }
        throw new AssertionError(path + " never appeared in the guest");
    }

    /** Within 15 s: long before the command's own time limit (600 s) or the exec default's. */
    private void awaitGone(String id, String pid) throws Exception {
        for (int i = 0; i < 60; i++) {
            CliProcess.Result r = pyro("workspace", "exec", id, "--", "sh", "-c",
                    "if kill -0 " + pid + " 2>/dev/null; then echo alive; else echo gone; fi");
            if (r.stdout().strip().equals("gone")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("guest process " + pid + " still runs");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
