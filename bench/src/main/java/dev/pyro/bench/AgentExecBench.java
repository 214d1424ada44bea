package dev.pyro.bench;

import dev.pyro.guest.AgentBinary;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ExecRequest;
import dev.pyro.guest.ExecResult;
import dev.pyro.guest.transport.LocalProcessTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Exec round trip through the agent protocol against its floor, in the same run:
 * (a) {@code /bin/true} through {@link AgentConnection} + {@link LocalProcessTransport} (frame
 * encoding, pipes, the agent's fork/exec and reaping, result JSON), and (b) spawning
 * {@code /bin/true} straight from Java with {@link ProcessBuilder}. The ratio is the cost of
 * the protocol path relative to what a process spawn costs anyway. Also the protocol path's
 * overhead: its host time minus the agent's {@code duration_us} (fork to reap), what the
 * request, the pipes, the reaping, the RESULT and the transport cost around the command.
 *
 * <p>Usage: {@code bench/run AgentExec [ITERATIONS] [WARMUP]} (defaults 300 and 50). The agent
 * comes from the {@code pyro.agent.binary} system property or the jar's packaged copy.
 * {@code bench/run AgentExec guest [N]}: the same overhead in a workspace VM, with the agent's
 * own per-step trace when it was built with one ({@link GuestExecTrace}).
 */
public final class AgentExecBench {
    private AgentExecBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("guest")) {
            GuestExecTrace.run(args.length > 1 ? Integer.parseInt(args[1]) : 200);
            return;
        }
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Path agent = AgentBinary.extract();
        Path root = Files.createTempDirectory("pyro-bench-ws");
        try {
            double[] viaAgent;
            double[] overhead = new double[iterations];
            try (AgentConnection client = AgentConnection.connect(LocalProcessTransport.start(agent, root, null))) {
                ExecRequest req = ExecRequest.of("/bin/true");
                int[] i = {-warmup};
                viaAgent = measure(iterations, warmup, () -> {
                    long t0 = System.nanoTime();
                    ExecResult r = client.exec().run(req);
                    long t1 = System.nanoTime();
                    if (!r.success()) {
                        throw new IllegalStateException("/bin/true failed: " + r);
                    }
                    if (i[0] >= 0) {
                        overhead[i[0]] = (t1 - t0 - r.duration().toNanos()) / 1e6;
                    }
                    i[0]++;
                });
                Arrays.sort(overhead);
            }
            ProcessBuilder pb = new ProcessBuilder("/bin/true").directory(root.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
            double[] direct = measure(iterations, warmup, () -> {
                int code = pb.start().waitFor();
                if (code != 0) {
                    throw new IllegalStateException("/bin/true exited " + code);
                }
            });
            double medianAgent = percentile(viaAgent, 50);
            double medianDirect = percentile(direct, 50);
            System.out.printf(Locale.ROOT, "agent=%s iterations=%d warmup=%d%n", agent, iterations, warmup);
            System.out.printf(Locale.ROOT, "exec_roundtrip_ms median=%.3f p90=%.3f%n", medianAgent,
                    percentile(viaAgent, 90));
            System.out.printf(Locale.ROOT, "exec_overhead_ms median=%.3f p90=%.3f (round trip - duration_us)%n",
                    percentile(overhead, 50), percentile(overhead, 90));
            System.out.printf(Locale.ROOT, "direct_spawn_ms median=%.3f p90=%.3f%n", medianDirect,
                    percentile(direct, 90));
            System.out.printf(Locale.ROOT, "ratio=%.2f%n", medianAgent / medianDirect);
        } finally {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A step that may throw. */
    private interface Step {
        void run() throws Exception;
    }

    /** Runs warm-up iterations, then returns each measured iteration's time in ms, sorted. */
    private static double[] measure(int iterations, int warmup, Step step) throws Exception {
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            step.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    /** Nearest-rank percentile of sorted values. */
    private static double percentile(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
