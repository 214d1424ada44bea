package dev.pyro.guest;

import static dev.pyro.guest.AgentHarness.expectCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collected execs ({@link ExecClient#run(ExecRequest)}: output into buffers, no pump threads)
 * against the real agent: huge and endless output, cancels, interrupts, a dying agent, and
 * many at once beside a shell on one connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class AgentCollectedExecTest {
    private static final long MIB = 1 << 20;

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
    void threeHundredMebibytesFlowThroughWithoutStallingOtherStreams() throws Exception {
        // No cap at the agent (0), so every byte crosses the connection; the host keeps none
        // (its cap is 0 too) and must keep granting credit without a consumer thread.
        long size = 300 * MIB;
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger pingsDuring = new AtomicInteger();
        CompletableFuture<Void> pinger = CompletableFuture.runAsync(() -> {
            while (!done.get()) {
                client.ping();
                if (!done.get()) {
                    pingsDuring.incrementAndGet();
                }
            }
        });
        ExecResult r = client.exec().run(ExecRequest.of("head", "-c", String.valueOf(size), "/dev/zero")
                .withMaxOutputBytes(0));
        done.set(true);
        pinger.get(20, TimeUnit.SECONDS);
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdoutBytes()).isEqualTo(size);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stdoutTruncated()).isTrue();
        assertThat(pingsDuring.get()).as("pings answered while the output streamed").isPositive();
        assertThat(client.openStreams()).isZero();
    }

    @Test
    void outputBeyondTheWindowIsCollectedWholeUpToTheCap() {
        ExecResult r = client.exec().run(ExecRequest.of("sh", "-c", "seq 1 400000; seq 1 1000 >&2")
                .withMaxOutputBytes(8 * MIB));
        String expected = IntStream.rangeClosed(1, 400000).mapToObj(Integer::toString)
                .collect(Collectors.joining("\n", "", "\n"));
        assertThat(r.stdoutText()).isEqualTo(expected);
        assertThat(r.stdoutBytes()).as("far beyond one window").isGreaterThan(8L * 256 * 1024);
        assertThat(r.stderrText()).isEqualTo(IntStream.rangeClosed(1, 1000).mapToObj(Integer::toString)
                .collect(Collectors.joining("\n", "", "\n")));
        assertThat(r.stdoutTruncated()).isFalse();

        ExecResult capped = client.exec().run(ExecRequest.of("seq", "1", "400000").withMaxOutputBytes(1000));
        assertThat(capped.stdoutText()).isEqualTo(expected.substring(0, 1000));
        assertThat(capped.stdoutTruncated()).isTrue();
        assertThat(capped.stdoutBytes()).isEqualTo(expected.length());
    }

    @Test
    void anEndlessStdoutIsKilledAtItsTimeLimit() {
        ExecResult r = client.exec().run(ExecRequest.of("yes").withTimeout(Duration.ofSeconds(1))
                .withMaxOutputBytes(0));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.stdoutBytes()).isPositive();
        ExecResult capped = client.exec().run(ExecRequest.of("yes").withTimeout(Duration.ofSeconds(1)));
        assertThat(capped.timedOut()).isTrue();
        assertThat(capped.stdout()).hasSize((int) ExecRequest.DEFAULT_MAX_OUTPUT);
        assertThat(new String(capped.stdout(), StandardCharsets.US_ASCII)).startsWith("y\ny\n");
        assertThat(client.openStreams()).isZero();
    }

    @Test
    void aFailureWhileRunningCancelsMidOutput() throws Exception {
        RuntimeException failure = new IllegalStateException("the journal could not be flushed");
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> client.exec().run(
                ExecRequest.of("yes").withMaxOutputBytes(0), () -> {
                    try {
                        Thread.sleep(300); // the output is streaming by now
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw failure;
                }));
        assertThat(thrown).isSameAs(failure);
        Await.until("the cancelled stream answered by the agent", () -> client.openStreams() == 0);
        assertThat(client.exec().run(ExecRequest.of("echo", "fine")).stdoutText()).isEqualTo("fine\n");
    }

    @Test
    void anInterruptMidOutputCancels() throws Exception {
        CompletableFuture<PyroException> failed = new CompletableFuture<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                client.exec().run(ExecRequest.of("yes").withMaxOutputBytes(0));
                failed.complete(null);
            } catch (PyroException e) {
                failed.complete(e);
            }
        });
        Await.until("the exec is running", () -> client.openStreams() == 1);
        Thread.sleep(200);
        caller.interrupt();
        PyroException e = failed.get(20, TimeUnit.SECONDS);
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED);
        caller.join();
        Await.until("the agent answered the CANCEL", () -> client.openStreams() == 0);
        assertThat(client.ping()).isPositive();
    }

    @Test
    void manyConcurrentExecsBesideAShellGetTheirOwnOutput() throws Exception {
        ShellClient shells = client.shells();
        ShellInfo sh = shells.open(ShellOpenRequest.defaults().withArgv("sh"));
        var pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<CompletableFuture<ExecResult>> runs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                runs.add(CompletableFuture.supplyAsync(() -> client.exec().run(ExecRequest.of("sh", "-c",
                        "seq 1 $((N * 2000)); echo err-$N >&2").withEnv("N", String.valueOf(n))), pool));
                if (i % 8 == 0) {
                    shells.write(sh.shellId(), "echo shell-" + i + "\n");
                }
            }
            for (int i = 0; i < 40; i++) {
                ExecResult r = runs.get(i).get(60, TimeUnit.SECONDS);
                String expected = i == 0 ? "" : IntStream.rangeClosed(1, i * 2000).mapToObj(Integer::toString)
                        .collect(Collectors.joining("\n", "", "\n"));
                assertThat(r.stdoutText()).as("exec %d", i).isEqualTo(expected);
                assertThat(r.stderrText()).isEqualTo("err-" + i + "\n");
            }
            Await.until("the shell ran every line", () -> {
                String text = shells.read(sh.shellId(), ShellReadRequest.from(0)).text();
                return text.contains("shell-0") && text.contains("shell-32");
            });
            assertThat(client.openStreams()).isZero();
        } finally {
            pool.close();
            shells.close(sh.shellId());
        }
    }

    @Test
    void theAgentDyingMidOutputFailsTheExecWithVmDied(@TempDir Path base) throws Exception {
        try (AgentHarness own = AgentHarness.start(base)) {
            CompletableFuture<ExecResult> run = CompletableFuture.supplyAsync(
                    () -> own.client.exec().run(ExecRequest.of("yes").withMaxOutputBytes(0)));
            Await.until("the exec is running", () -> own.client.openStreams() == 1);
            Thread.sleep(200);
            own.transport.process().destroyForcibly();
            PyroException e = expectCode(() -> {
                try {
                    run.get(20, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException ex) {
                    throw ex.getCause();
                }
            }, ErrorCode.VM_DIED);
            assertThat(e.getMessage()).contains("exited");
            assertThat(own.client.isOpen()).isFalse();
        }
    }
}
