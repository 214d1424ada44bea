package dev.pyro.bench;

import dev.pyro.EnvironmentFile;
import dev.pyro.InstalledEnvironment;
import dev.pyro.ProgressListener;
import dev.pyro.env.EnvironmentService;
import dev.pyro.env.build.DebianEnvironmentBuilder;
import dev.pyro.env.catalog.EnvironmentCatalog;
import dev.pyro.env.catalog.EnvironmentSpec;
import dev.pyro.env.store.EnvironmentStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds catalog environments and prints, per entry, the build time and the size of each
 * file (apparent and allocated). No pass/fail: build times depend on the mirror and the host.
 *
 * <pre>
 * bench/run EnvBuild                          # every entry, into a fresh temp cache
 * bench/run EnvBuild --cache DIR debian:12    # chosen entries into DIR (reused if installed)
 * </pre>
 * The floor is the second pull of the same entry in the same run (verification only).
 */
public final class EnvBuildBench {
    private EnvBuildBench() {
    }

    public static void main(String[] args) throws IOException {
        Path cache = null;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--cache") && i + 1 < args.length) {
                cache = Path.of(args[++i]);
            } else {
                names.add(args[i]);
            }
        }
        EnvironmentCatalog catalog = EnvironmentCatalog.builtIn();
        if (names.isEmpty()) {
            names.addAll(catalog.names());
        }
        if (cache == null) {
            cache = Files.createTempDirectory("pyro-envbench-");
        }
        PrintStream out = System.out;
        out.printf("cache %s%n", cache);
        EnvironmentService service = new EnvironmentService(catalog, new EnvironmentStore(cache), DebianEnvironmentBuilder.forHost());
        ProgressListener progress = e -> System.err.printf("[pull] phase=%s environment=%s %s%n", e.phase(), e.subject(), e.message());
        for (String name : names) {
            EnvironmentSpec spec = catalog.require(name);
            long t0 = System.nanoTime();
            InstalledEnvironment env = service.pull(spec.name(), progress);
            double buildS = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            service.pull(spec.name(), ProgressListener.NONE);
            double floorS = (System.nanoTime() - t1) / 1e9;
            out.printf("%s %s: pull %.1f s (%s), verified re-pull %.3f s, ratio %.0fx%n", spec.name(), spec.version(), buildS,
                    env.performed() ? "built" : "already installed", floorS, buildS / Math.max(floorS, 1e-6));
            out.printf("  path %s  kernel %s  packages %d%n", env.installPath(), env.manifest().kernelVersion(),
                    env.manifest().installedPackages().size());
            for (EnvironmentFile f : env.manifest().files()) {
                Path p = env.installPath().resolve(f.path());
                long blocks = allocated(p);
                out.printf("  %-13s %8.1f MiB apparent %8.1f MiB allocated%n", f.path(), f.size() / 1048576.0, blocks / 1048576.0);
            }
        }
    }

    /** Allocated bytes (sparse files are smaller on disk), from {@code du}; -1 if unknown. */
    private static long allocated(Path p) {
        try {
            Process du = new ProcessBuilder("du", "-k", p.toString()).redirectErrorStream(true).start();
            String outText = new String(du.getInputStream().readAllBytes()).trim();
            return du.waitFor() == 0 ? Long.parseLong(outText.split("\\s+")[0]) * 1024 : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
