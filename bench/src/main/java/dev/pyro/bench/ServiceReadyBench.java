package dev.pyro.bench;

import dev.pyro.guest.AgentBinary;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ExecRequest;
import dev.pyro.guest.ExecResult;
import dev.pyro.guest.ServiceInfo;
import dev.pyro.guest.ServiceReadiness;
import dev.pyro.guest.ServiceSpec;
import dev.pyro.guest.ServiceState;
import dev.pyro.guest.transport.LocalProcessTransport;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Service start-to-ready against its floor, in the same run, for one trivial TCP listener (a
 * perl one-liner that binds and listens on 127.0.0.1): (a) {@code service_start} with a TCP
 * readiness check (every 10 ms) until the agent answers {@code ready}, and (b) {@code exec} of
 * the same listener told to exit as soon as it listens: its own startup plus an exec round trip.
 * The ratio is what supervision and readiness polling add to the program's own startup. The
 * service is stopped (KILL) between iterations, outside the timing.
 *
 * <p>Usage: {@code bench/run ServiceReady [ITERATIONS] [WARMUP]} (defaults 50 and 5), on the
 * development-mode agent (real processes on this host).
 */
public final class ServiceReadyBench {
    /** Listens on 127.0.0.1:PORT; exits at once with a second argument, else waits to be killed. */
    private static final String LISTENER = "use IO::Socket::INET; my $s = IO::Socket::INET->new(LocalAddr => "
            + "\"127.0.0.1:$ARGV[0]\", Listen => 8, ReuseAddr => 1) or die \"listen: $!\\n\"; exit 0 if $ARGV[1]; "
            + "sleep 1000;";
    private static final Duration INTERVAL = Duration.ofMillis(10);

    private ServiceReadyBench() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path agent = AgentBinary.extract();
        Path root = Files.createTempDirectory("pyro-bench-ws");
        try (AgentConnection client = AgentConnection.connect(LocalProcessTransport.start(agent, root, null))) {
            int port = freePort();
            Samples ready = new Samples(iterations);
            Samples exec = new Samples(iterations);
            // alternate the two, so load changes hit both sides alike
            for (int i = -warmup; i < iterations; i++) {
                double r = startToReady(client, port);
                double e = execStartup(client, port);
                if (i >= 0) {
                    ready.add(r);
                    exec.add(e);
                }
            }
            double medianReady = ready.median();
            double medianExec = exec.median();
            System.out.printf(Locale.ROOT, "agent=%s iterations=%d warmup=%d interval_ms=%d%n", agent, iterations,
                    warmup, INTERVAL.toMillis());
            System.out.printf(Locale.ROOT, "service_start_to_ready_ms median=%.2f p90=%.2f%n", medianReady,
                    ready.percentile(90));
            System.out.printf(Locale.ROOT, "exec_listener_startup_ms median=%.2f p90=%.2f%n", medianExec,
                    exec.percentile(90));
            System.out.printf(Locale.ROOT, "ratio=%.2f%n", medianReady / medianExec);
        } finally {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double startToReady(AgentConnection client, int port) {
        ServiceSpec spec = ServiceSpec.of("listener", "perl", "-e", LISTENER, Integer.toString(port))
                .withReadiness(new ServiceReadiness.Tcp("127.0.0.1:" + port), Duration.ofSeconds(30), INTERVAL);
        long t0 = System.nanoTime();
        ServiceInfo info = client.services().start(spec);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (info.state() != ServiceState.READY) {
            throw new IllegalStateException("the listener did not get ready: " + info);
        }
        client.services().stop("listener", Duration.ZERO);
        return ms;
    }

    private static double execStartup(AgentConnection client, int port) {
        ExecRequest req = ExecRequest.of("perl", "-e", LISTENER, Integer.toString(port + 1), "exit");
        long t0 = System.nanoTime();
        ExecResult r = client.exec().run(req);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (!r.success()) {
            throw new IllegalStateException("the listener failed: " + r);
        }
        return ms;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
