package dev.pyro.guest;

import static dev.pyro.guest.AgentHarness.expectCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ErrorCode;
import dev.pyro.StdinSource;
import dev.pyro.testing.Await;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** exec against the real agent, one agent process shared by the class (as one VM would be). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class AgentExecTest {
    private static final int MIB = 1 << 20;

    AgentHarness agent;
    AgentConnection client;

    @BeforeAll
    void start(@TempDir Path base) throws Exception {
        agent = AgentHarness.start(base);
        client = agent.client;
    }

    @AfterAll
    void stop() {
        agent.close();
    }

    @Test
    void handshakeReportsADevModeAgent() {
        AgentInfo info = client.hello();
        assertThat(info.protocol()).isEqualTo(1);
        assertThat(info.mode()).isEqualTo("dev");
        assertThat(info.pid()).isEqualTo(agent.transport.process().pid());
        assertThat(info.capabilities()).contains("exec", "archive_import", "archive_export", "stat", "list",
                "shutdown", "ping");
        assertThat(info.agentVersion()).isNotBlank();
    }

    @Test
    void workGivenToRunIsDoneWhileTheCommandRunsAndItsFailureCancelsTheCommand(@TempDir Path dir)
            throws Exception {
        // The command can only end after the work was done: the work runs once the request is
        // sent, on the caller's thread, while the command runs (an exec's journal flush).
        Path marker = dir.resolve("flushed");
        ExecResult r = client.exec().run(ExecRequest.of("sh", "-c",
                "while [ ! -e '" + marker + "' ]; do sleep 0.01; done; echo seen"), () -> {
                    try {
                        Files.createFile(marker);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdoutText()).isEqualTo("seen\n");

        Path pidFile = dir.resolve("pid");
        RuntimeException failure = new IllegalStateException("the journal could not be flushed");
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> client.exec().run(
                ExecRequest.of("sh", "-c", "echo $$ > '" + pidFile + ".tmp'; mv '" + pidFile + ".tmp' '" + pidFile + "'; exec sleep 600"), () -> {
                    Await.until("the command started", () -> Files.exists(pidFile));
                    throw failure;
                }));
        assertThat(thrown).isSameAs(failure);
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        Await.until("the cancelled command killed", () -> !Await.alive(pid));
        assertThat(client.exec().run(ExecRequest.of("true")).exitCode()).as("the connection still serves").isZero();
    }

    @Test
    void exitCodesAndOutputs() {
        ExecResult ok = client.exec().run(ExecRequest.of("sh", "-c", "echo out; echo err >&2"));
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.signal()).isNull();
        assertThat(ok.success()).isTrue();
        assertThat(ok.stdoutText()).isEqualTo("out\n");
        assertThat(ok.stderrText()).isEqualTo("err\n");
        assertThat(ok.stdoutBytes()).isEqualTo(4);
        assertThat(ok.stderrBytes()).isEqualTo(4);
        assertThat(ok.timedOut()).isFalse();
        assertThat(ok.stdoutTruncated()).isFalse();

        ExecResult three = client.exec().run(ExecRequest.of("sh", "-c", "exit 3"));
        assertThat(three.exitCode()).isEqualTo(3);
        assertThat(three.success()).isFalse();
        assertThat(client.exec().run(ExecRequest.of("true")).exitCode()).isZero();
    }

    @Test
    void theResultCarriesTheDurationInMicrosecondsBesideTheWholeMilliseconds() {
        assertThat(client.hello().capabilities()).contains("duration_us");
        byte[] open = "{\"op\":\"exec\",\"argv\":[\"sleep\",\"0.05\"],\"timeout_ms\":0}"
                .getBytes(StandardCharsets.UTF_8);
        tools.jackson.databind.JsonNode r = client.rawRequest(open);
        assertThat(r.get("exit_code").asInt()).isZero();
        long us = r.get("duration_us").longValue();
        long ms = r.get("duration_ms").longValue();
        assertThat(us).isGreaterThanOrEqualTo(50_000);
        // the same interval: whole-ms readings of the clock differ from the µs count by less than 1 ms
        assertThat(ms).isBetween(us / 1000, us / 1000 + 1);
        ExecResult parsed = client.exec().run(ExecRequest.of("sleep", "0.05"));
        assertThat(parsed.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void deathBySignalHasNoExitCode() {
        ExecResult r = client.exec().run(ExecRequest.of("sh", "-c", "kill -9 $$"));
        assertThat(r.exitCode()).isNull();
        assertThat(r.signal()).isEqualTo(9);
        assertThat(r.timedOut()).isFalse();
    }

    @Test
    void timeoutKillsTheCommand() {
        // Without the kill the command would print "finished"; the agent never kills before the timeout.
        ExecResult r = client.exec().run(ExecRequest.of("sh", "-c", "echo started; sleep 600; echo finished")
                .withTimeout(Duration.ofMillis(300)));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.exitCode()).isNull();
        assertThat(r.signal()).isEqualTo(9);
        assertThat(r.stdoutText()).isEqualTo("started\n");
        assertThat(r.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(ExitStatus.of(r)).isEqualTo(ExitStatus.TIMEOUT);
    }

    @Test
    void timeoutAlsoKillsGrandchildrenHoldingThePipes() {
        // The child's background job keeps stdout open; only killing the group ends the exec
        // (a hang here is caught by the class timeout, far below the 600 s sleeps).
        ExecResult r = client.exec().run(ExecRequest.of("sh", "-c", "sleep 600 & echo $!; sleep 600")
                .withTimeout(Duration.ofMillis(300)));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.signal()).isEqualTo(9);
        long grandchild = Long.parseLong(r.stdoutText().trim());
        Await.until("the background sleep is killed with its group", () -> !Await.alive(grandchild));
    }

    @Test
    void twentyMebibytesStreamIntact() throws Exception {
        long size = 20L * MIB;
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        CountingStream count = new CountingStream();
        ExecResult r = client.exec().run(ExecRequest.of("sh", "-c", "yes 0123456789abcdef | head -c " + size)
                .withMaxOutputBytes(64L * MIB), new DigestOutputStream(count, md), OutputStream.nullOutputStream());
        assertThat(r.exitCode()).isZero();
        assertThat(count.n).isEqualTo(size);
        assertThat(r.stdoutBytes()).isEqualTo(size);
        assertThat(r.stdoutTruncated()).isFalse();
        assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(expectedYesDigest(size));
    }

    @Test
    void outputBeyondTheCapIsDiscardedAndFlagged() {
        ExecResult r = client.exec().run(ExecRequest.of("sh", "-c", "yes 0123456789abcdef | head -c " + 20 * MIB
                + "; echo done >&2").withMaxOutputBytes(MIB));
        assertThat(r.exitCode()).isZero(); // the command ran to its end: the cap never blocks it
        assertThat(r.stdout()).hasSize(MIB);
        assertThat(r.stdoutTruncated()).isTrue();
        assertThat(r.stdoutBytes()).isEqualTo(20L * MIB); // what the command wrote, not what was kept
        assertThat(r.stderrText()).isEqualTo("done\n");
        assertThat(r.stderrTruncated()).isFalse();
        assertThat(r.stdoutText()).startsWith("0123456789abcdef\n0123456789abcdef\n");
    }

    @Test
    void stdinIsStreamedThrough() throws Exception {
        byte[] data = new byte[5 * MIB];
        new Random(5).nextBytes(data);
        ExecResult sha = client.exec().run(ExecRequest.of("sha256sum").withStdin(StdinSource.ofBytes(data)));
        assertThat(sha.exitCode()).isZero();
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        assertThat(sha.stdoutText()).startsWith(expected + " ");

        ExecResult wc = client.exec().run(ExecRequest.of("wc", "-c").withStdin(StdinSource.ofBytes(data)));
        assertThat(wc.stdoutText().trim()).isEqualTo(String.valueOf(data.length));
    }

    @Test
    void stdinNotReadByTheCommandDoesNotHangTheExec() {
        byte[] data = new byte[8 * MIB];
        ExecResult r = client.exec().run(ExecRequest.of("true").withStdin(StdinSource.ofBytes(data)));
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void withoutStdinTheCommandReadsDevNull() {
        ExecResult r = client.exec().run(ExecRequest.of("wc", "-c"));
        assertThat(r.stdoutText().trim()).isEqualTo("0");
    }

    @Test
    void envAndCwd() throws Exception {
        Files.createDirectories(agent.root.resolve("sub/dir"));
        ExecResult r = client.exec().run(ExecRequest.of("sh", "-c", "echo \"$FOO|$BAR\"; pwd").withEnv("FOO", "bar baz")
                .withEnv("BAR", "é").withCwd("sub/dir"));
        assertThat(r.stdoutText()).isEqualTo("bar baz|é\n" + agent.root.resolve("sub/dir") + "\n");
        ExecResult abs = client.exec().run(ExecRequest.of("pwd").withCwd("/workspace/sub"));
        assertThat(abs.stdoutText()).isEqualTo(agent.root.resolve("sub") + "\n");
        ExecResult rootCwd = client.exec().run(ExecRequest.of("pwd"));
        assertThat(rootCwd.stdoutText()).isEqualTo(agent.root + "\n");
    }

    @Test
    void badCwdIsRefused() {
        expectCode(() -> client.exec().run(ExecRequest.of("pwd").withCwd("../")), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> client.exec().run(ExecRequest.of("pwd").withCwd("/etc")), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> client.exec().run(ExecRequest.of("pwd").withCwd("no/such/dir")), ErrorCode.NOT_FOUND);
    }

    @Test
    void aMissingProgramExits127LikeAShell() {
        ExecResult bare = client.exec().run(ExecRequest.of("no-such-program-xyz", "arg"));
        assertThat(bare.exitCode()).isEqualTo(127);
        assertThat(bare.signal()).isNull();
        assertThat(bare.stderrText()).isEqualTo("pyro: no-such-program-xyz: command not found\n");
        assertThat(bare.stdoutText()).isEmpty();

        ExecResult path = client.exec().run(ExecRequest.of("/no/such/program-xyz"));
        assertThat(path.exitCode()).isEqualTo(127);
        assertThat(path.stderrText()).isEqualTo("pyro: /no/such/program-xyz: No such file or directory\n");
        assertThat(client.exec().run(ExecRequest.of("true")).exitCode()).isZero(); // connection unaffected
    }

    @Test
    void aProgramThatCannotRunExits126LikeAShell() throws Exception {
        Path plain = Files.writeString(agent.root.resolve("not-executable.sh"), "echo hi\n");
        ExecResult denied = client.exec().run(ExecRequest.of("./not-executable.sh"));
        assertThat(denied.exitCode()).isEqualTo(126);
        assertThat(denied.stderrText()).isEqualTo("pyro: ./not-executable.sh: Permission denied\n");

        Files.createDirectories(agent.root.resolve("a-dir"));
        ExecResult dir = client.exec().run(ExecRequest.of("./a-dir"));
        assertThat(dir.exitCode()).isEqualTo(126);
        assertThat(dir.stderrText()).isEqualTo("pyro: ./a-dir: Is a directory\n");

        // The agent looks the program up itself (as musl's execvp: a file the kernel refuses,
        // ENOEXEC, is not handed to /bin/sh as glibc's execvp would), also in the glibc
        // sanitizer build.
        Path garbage = agent.root.resolve("garbage");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Files.setPosixFilePermissions(garbage, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        ExecResult format = client.exec().run(ExecRequest.of(garbage.toString()));
        assertThat(format.exitCode()).isEqualTo(126);
        assertThat(format.stderrText()).isEqualTo("pyro: " + garbage + ": cannot execute: Exec format error\n");
        assertThat(plain).exists();
    }

    @Test
    void theRequestsPathIsSearchedAndItsVariablesReplaceTheBase() throws Exception {
        Path bin = Files.createDirectories(agent.root.resolve("bin"));
        Path tool = Files.writeString(bin.resolve("only-here"), "#!/bin/sh\necho \"found $HOME\"\n");
        Files.setPosixFilePermissions(tool, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        ExecResult found = client.exec().run(ExecRequest.of("only-here").withEnv("PATH", bin + ":/usr/bin:/bin")
                .withEnv("HOME", "/elsewhere"));
        assertThat(found.exitCode()).isZero();
        assertThat(found.stdoutText()).isEqualTo("found /elsewhere\n");

        // one entry per name: the request's value replaces the base's, no second HOME or PATH
        ExecResult env = client.exec().run(ExecRequest.of("/usr/bin/env").withEnv("HOME", "/elsewhere")
                .withEnv("PATH", "/nowhere"));
        assertThat(env.stdoutText().lines().filter(l -> l.startsWith("HOME=")).toList())
                .containsExactly("HOME=/elsewhere");
        assertThat(env.stdoutText().lines().filter(l -> l.startsWith("PATH=")).toList()).containsExactly("PATH=/nowhere");

        // a PATH without the program: not found, though the agent's own PATH has it
        ExecResult missing = client.exec().run(ExecRequest.of("true").withEnv("PATH", "/nowhere"));
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.stderrText()).isEqualTo("pyro: true: command not found\n");
    }

    @Test
    void aCommandIgnoringSignalsIsStillKilledAtItsTimeLimit() {
        ExecResult r = client.exec().run(ExecRequest.of("sh", "-c",
                "trap '' HUP INT QUIT TERM PIPE USR1 USR2 ALRM; echo armed; sleep 600; echo finished")
                .withTimeout(Duration.ofMillis(300)));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.signal()).isEqualTo(9);
        assertThat(r.stdoutText()).isEqualTo("armed\n");
    }

    @Test
    void aCommandThatClosesItsOutputAndRunsOnEndsWithItsExit() {
        // its outputs end long before it does: the RESULT waits for the exit
        ExecResult r = client.exec().run(ExecRequest.of("sh", "-c",
                "echo out; echo err >&2; exec >&- 2>&-; sleep 0.3; exit 3"));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdoutText()).isEqualTo("out\n");
        assertThat(r.stderrText()).isEqualTo("err\n");
        assertThat(r.timedOut()).isFalse();
    }

    @Test
    void twentyConcurrentExecsGetTheirOwnOutput() throws Exception {
        var pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<CompletableFuture<ExecResult>> runs = new ArrayList<>();
            Path rendezvous = Files.createDirectories(agent.root.resolve("rendezvous-20"));
            // Each command checks in, then waits until all 20 have: run one after another, the
            // first would never see the others and give up (exit 99) instead of printing.
            String barrier = "touch rendezvous-20/$N; i=0; while [ $(ls rendezvous-20 | wc -l) -lt 20 ]; do "
                    + "i=$((i+1)); [ $i -gt 3000 ] && exit 99; sleep 0.01; done; ";
            for (int i = 0; i < 20; i++) {
                int n = i;
                runs.add(CompletableFuture.supplyAsync(() -> client.exec().run(ExecRequest.of("sh", "-c", barrier
                        + "echo out-$N; head -c $((N * 1000 + 1)) /dev/zero | wc -c; echo err-$N >&2")
                        .withEnv("N", String.valueOf(n))), pool));
            }
            for (int i = 0; i < 20; i++) {
                ExecResult r = runs.get(i).get(60, TimeUnit.SECONDS);
                assertThat(r.exitCode()).as("exec %d passed the rendezvous", i).isZero();
                assertThat(r.stdoutText()).isEqualTo("out-" + i + "\n" + (i * 1000 + 1) + "\n");
                assertThat(r.stderrText()).isEqualTo("err-" + i + "\n");
            }
            try (var names = Files.list(rendezvous)) {
                assertThat(names.map(f -> f.getFileName().toString()).sorted()).hasSize(20);
            }
            assertThat(client.openStreams()).isZero();
        } finally {
            pool.close();
        }
    }

    @Test
    void cancelKillsTheCommand() throws Exception {
        RunningExec run = client.exec().start(ExecRequest.of("sleep", "30"), OutputStream.nullOutputStream(),
                OutputStream.nullOutputStream());
        Await.until("the started event with the pid", () -> run.pid().isPresent());
        long pid = run.pid().getAsLong();
        assertThat(Await.alive(pid)).as("sleep running before the cancel").isTrue();
        run.cancel();
        expectCode(run::await, ErrorCode.CANCELLED);
        Await.until("the agent kills and reaps the sleep", () -> !Await.alive(pid));
        assertThat(client.exec().run(ExecRequest.of("echo", "still fine")).stdoutText()).isEqualTo("still fine\n");
    }

    @Test
    void slowConsumerSlowsTheCommandInsteadOfGrowingMemory() throws Exception {
        // While the sink is blocked, the agent may only send one window; the command must
        // block on its pipe (it cannot finish writing 50 MiB).
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        CountingStream count = new CountingStream();
        OutputStream gate = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                count.write(b, off, len);
            }
        };
        RunningExec run = client.exec().start(ExecRequest.of("head", "-c", String.valueOf(50 * MIB), "/dev/zero")
                .withMaxOutputBytes(64L * MIB), gate, OutputStream.nullOutputStream());
        // The sink stays shut until the command is seen blocked writing its pipe with far less
        // than 50 MiB written: an agent that buffered without bound would let it finish instead.
        Await.until("the started event with the pid", () -> run.pid().isPresent() || run.isDone());
        assertThat(run.isDone()).as("the command cannot finish while the sink is shut").isFalse();
        long pid = run.pid().getAsLong();
        Await.until("the command blocks on its full pipe", () -> proc(pid, "wchan").contains("pipe_write")
                || !Await.alive(pid));
        assertThat(run.isDone()).as("command blocked by back-pressure").isFalse();
        assertThat(writtenBytes(pid)).as("bytes the command got out").isLessThan(50L * MIB);
        release.countDown();
        ExecResult r = run.await();
        assertThat(r.exitCode()).isZero();
        assertThat(count.n).isEqualTo(50L * MIB);
    }

    private static String proc(long pid, String file) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/" + file)).trim();
        } catch (java.io.IOException e) {
            return ""; // the process is gone
        }
    }

    private static long writtenBytes(long pid) {
        return proc(pid, "io").lines().filter(l -> l.startsWith("wchar:"))
                .mapToLong(l -> Long.parseLong(l.substring(6).trim())).findFirst().orElseThrow();
    }

    private static String expectedYesDigest(long size) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] line = "0123456789abcdef\n".getBytes(StandardCharsets.US_ASCII);
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(left, line.length);
            md.update(line, 0, n);
            left -= n;
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Counts bytes, keeps none. */
    static final class CountingStream extends OutputStream {
        long n;

        @Override
        public void write(int b) {
            n++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            n += len;
        }
    }

}
