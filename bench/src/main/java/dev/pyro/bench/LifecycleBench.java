package dev.pyro.bench;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.Pyro;
import dev.pyro.PyroConfig;
import dev.pyro.WorkspaceExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Snapshot create and reset against the size of {@code /workspace}: one workspace holding
 * 10 MiB of random data, one holding 1 GiB, measured round by round in turn so host noise hits
 * both alike. Both operations must cost the same whatever the workspace holds (goal: the
 * 1 GiB / 10 MiB ratio ≤ 1.5), and a reset must cost about what creating a workspace costs
 * (goal: reset / create ≤ 1.2; both boot a VM). Usage: {@code bench/run Lifecycle [ROUNDS]}
 * (default 3), with the machine's backend.
 */
public final class LifecycleBench {
    private LifecycleBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path home = Files.createTempDirectory("pyro-bench-lifecycle");
        PyroConfig config = PyroConfig.fromEnvironment(Map.of("PYRO_HOME", home.toString()),
                Path.of(System.getProperty("user.home")));
        Samples create = new Samples(rounds);
        Samples[] snapshot = {new Samples(rounds), new Samples(rounds)};
        Samples[] reset = {new Samples(rounds), new Samples(rounds)};
        String[] sizes = {"10 MiB", "1 GiB"};
        try (Pyro pyro = Pyro.create(config)) {
            String small = filled(pyro, 10);
            String large = filled(pyro, 1024);
            String[] ids = {small, large};
            for (int r = 0; r < rounds; r++) {
                for (int w = 0; w < ids.length; w++) {
                    long t0 = System.nanoTime();
                    pyro.createSnapshot(ids[w], "round-" + r);
                    snapshot[w].add(ms(t0));
                    t0 = System.nanoTime();
                    pyro.resetWorkspace(ids[w], "round-" + r);
                    reset[w].add(ms(t0));
                }
                long t0 = System.nanoTime();
                String id = pyro.createWorkspace(CreateWorkspaceRequest.of("debian:12")).workspaceId();
                create.add(ms(t0));
                pyro.deleteWorkspace(id);
            }
            pyro.deleteWorkspace(small);
            pyro.deleteWorkspace(large);
        }
        System.out.println("| operation | " + sizes[0] + " median | " + sizes[1] + " median | 1 GiB / 10 MiB |");
        System.out.println("|---|---|---|---|");
        row("snapshot create", snapshot);
        row("reset to a snapshot", reset);
        System.out.printf(Locale.ROOT, "workspace create (empty) median %.0f ms; reset / create = %.2f (10 MiB), "
                + "%.2f (1 GiB)%n", create.median(), reset[0].median() / create.median(),
                reset[1].median() / create.median());
    }

    /** A workspace whose /workspace holds {@code mib} MiB of random data. */
    private static String filled(Pyro pyro, int mib) {
        String id = pyro.createWorkspace(CreateWorkspaceRequest.of("debian:12").withTtlSeconds(7200)).workspaceId();
        WorkspaceExecResult r = pyro.execWorkspace(id, List.of("sh", "-c", "head -c " + mib
                + "M /dev/urandom > data.bin && sync && du -sh data.bin"), 3600);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("filling " + id + " failed: " + r.stderr());
        }
        return id;
    }

    private static void row(String name, Samples[] s) {
        System.out.printf(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %.2f |%n", name, s[0].median(), s[1].median(),
                s[1].median() / s[0].median());
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }
}
