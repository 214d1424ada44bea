package dev.pyro.workspace.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.guest.AgentBinary;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.AgentConnectionOptions;
import dev.pyro.guest.transport.LocalProcessTransport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real agent binary in development mode serving {@code base/ws} as its
 * {@code /workspace}, plus counting wrappers around the sources the engine uses.
 */
final class DiffHarness implements AutoCloseable {
    final Path root;
    final AgentConnection client;
    /** Every path the engine asked the guest for, across calls (display form). */
    final List<String> fetched = new ArrayList<>();
    /** Tar bytes the guest sent for those paths. */
    final AtomicLong fetchedBytes = new AtomicLong();

    private DiffHarness(Path root) {
        this.root = root;
        Path agent = AgentBinary.extract();
        assertThat(agent).as("agent binary (build it: make -C agent BUILD=$PWD/agent/target all)").isExecutable();
        this.client = AgentConnection.connect(LocalProcessTransport.start(agent, root, null),
                AgentConnectionOptions.defaults().withHandshakeTimeout(Duration.ofSeconds(10))
                        .withRequestTimeout(Duration.ofSeconds(30)));
    }

    static DiffHarness start(Path base) throws IOException {
        return new DiffHarness(Files.createDirectories(base.resolve("ws")).toRealPath());
    }

    ManifestSource manifest() {
        return ManifestSource.of(client);
    }

    /** The agent's content, counting what is asked for and what comes back. */
    ContentSource content() {
        ContentSource real = ContentSource.of(client);
        return (paths, tar) -> {
            synchronized (fetched) {
                paths.forEach(p -> fetched.add(p.display()));
            }
            return real.export(paths, new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    fetchedBytes.incrementAndGet();
                    tar.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    fetchedBytes.addAndGet(len);
                    tar.write(b, off, len);
                }
            });
        };
    }

    void resetCounts() {
        synchronized (fetched) {
            fetched.clear();
        }
        fetchedBytes.set(0);
    }

    @Override
    public void close() {
        client.close();
    }

    /** Runs a host command in {@code dir}; returns its combined output, failing on a non-zero exit. */
    static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s failed:%n%s", String.join(" ", command), out).isZero();
        return out;
    }
}
