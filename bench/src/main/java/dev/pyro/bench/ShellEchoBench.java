package dev.pyro.bench;

import dev.pyro.guest.AgentBinary;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.AgentSubscription;
import dev.pyro.guest.ShellAttachEnd;
import dev.pyro.guest.ShellClient;
import dev.pyro.guest.ShellEvent;
import dev.pyro.guest.ShellInfo;
import dev.pyro.guest.ShellOpenRequest;
import dev.pyro.guest.ShellOutput;
import dev.pyro.guest.ShellReadRequest;
import dev.pyro.guest.transport.LocalProcessTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Keystroke echo latency of a shell against the agent's ping round trip, in the same run:
 * <ul>
 * <li><b>ping</b>: one {@code ping} request answered by the agent (the floor: a protocol round trip);</li>
 * <li><b>attach echo</b>: one character written into an attached shell and its echo read back
 * (what a person at {@code pyro workspace shell attach} feels: host → agent → PTY line
 * discipline → agent → host);</li>
 * <li><b>request echo</b>: {@code shell_write} of one character, then {@code shell_read}s from
 * the cursor until its echo is there (the request/response path of the CLI, SDK and MCP).</li>
 * </ul>
 * The shell is {@code cat} on a canonical-mode terminal, so the kernel echoes each key at once;
 * keys alternate between {@code x} (echo {@code x}) and DEL (echo {@code \b \b}), so the line
 * never grows. Goal: attach echo ≤ 3 × ping.
 *
 * <p>Usage: {@code bench/run ShellEcho [ITERATIONS] [WARMUP]} (defaults 500 and 100); development-mode
 * agent over pipes, like {@code AgentExec}.
 */
public final class ShellEchoBench {
    private static final byte KEY = 'x';
    private static final byte DEL = 0x7f;

    private ShellEchoBench() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path agent = AgentBinary.extract();
        Path root = Files.createTempDirectory("pyro-bench-shell");
        try (AgentConnection client = AgentConnection.connect(LocalProcessTransport.start(agent, root, null))) {
            ShellClient shells = client.shells();
            ShellInfo sh = shells.open(ShellOpenRequest.defaults().withArgv("cat"));
            Samples ping = new Samples(iterations);
            Samples attach = new Samples(iterations);
            Samples request = new Samples(iterations);
            try (AgentSubscription<ShellEvent, ShellAttachEnd> view = shells.attach(sh.shellId(), null, e -> { })) {
                InputStream out = view.output();
                OutputStream in = view.input();
                for (int i = -warmup; i < iterations; i++) {
                    long t0 = System.nanoTime();
                    client.ping();
                    long t1 = System.nanoTime();
                    in.write(KEY);
                    in.flush();
                    readExactly(out, 1);
                    long t2 = System.nanoTime();
                    in.write(DEL);
                    in.flush();
                    readExactly(out, 3);
                    if (i >= 0) {
                        ping.add((t1 - t0) / 1e6);
                        attach.add((t2 - t1) / 1e6);
                    }
                }
                view.detach();
            }
            long cursor = shells.list().get(0).nextCursor();
            for (int i = -warmup; i < iterations; i++) {
                long t0 = System.nanoTime();
                shells.write(sh.shellId(), new byte[] {KEY});
                cursor = readUntil(shells, sh.shellId(), cursor, 1);
                long t1 = System.nanoTime();
                shells.write(sh.shellId(), new byte[] {DEL});
                cursor = readUntil(shells, sh.shellId(), cursor, 3);
                if (i >= 0) {
                    request.add((t1 - t0) / 1e6);
                }
            }
            shells.close(sh.shellId());
            System.out.printf(Locale.ROOT, "agent=%s iterations=%d warmup=%d%n", agent, iterations, warmup);
            print("ping_ms", ping);
            print("attach_echo_ms", attach);
            print("request_echo_ms", request);
            System.out.printf(Locale.ROOT, "ratio attach_echo/ping=%.2f (goal <= 3)%n", attach.median() / ping.median());
            System.out.printf(Locale.ROOT, "ratio request_echo/ping=%.2f%n", request.median() / ping.median());
        } finally {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void print(String name, Samples s) {
        System.out.printf(Locale.ROOT, "%s median=%.3f p90=%.3f%n", name, s.median(), s.percentile(90));
    }

    private static void readExactly(InputStream in, int n) throws IOException {
        byte[] buf = new byte[n];
        int got = 0;
        while (got < n) {
            int r = in.read(buf, got, n - got);
            if (r < 0) {
                throw new IOException("the shell's output ended");
            }
            got += r;
        }
    }

    /** Reads from {@code cursor} until {@code n} more bytes came; returns the new cursor. */
    private static long readUntil(ShellClient shells, String id, long cursor, int n) {
        long target = cursor + n;
        long c = cursor;
        while (c < target) {
            ShellOutput o = shells.read(id, ShellReadRequest.from(c).withMaxBytes(Math.max(4, (int) (target - c))));
            c = o.nextCursor();
        }
        return c;
    }
}
