package dev.pyro.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Start-up of the installed launcher ({@code bin/pyro --version} of the release tree that
 * pyro-dist builds) with its class-data archive and without ({@code PYRO_CDS=0}), against a
 * floor: a hello-world class on the same bundled runtime with the same GC and JIT flags.
 * The three run interleaved, one of each per round, so load on the machine hits all alike.
 *
 * <p>Usage: {@code bench/run LauncherStartup [ROUNDS] [DIST_DIR]} (default 15 rounds, the
 * tree under {@code pyro-dist/target/pyro-*}, found from the working directory upward; build
 * it with {@code scripts/with-jdk mvn -B -DskipTests package}).
 */
public final class LauncherStartupBench {
    private LauncherStartupBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path dist = args.length > 1 ? Path.of(args[1]) : findDist();
        Path pyro = dist.resolve("bin/pyro");
        Path java = dist.resolve("runtime/bin/java");
        String classes = Path.of(HelloFloor.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();

        Map<String, List<String>> series = new LinkedHashMap<>();
        series.put("floor_hello", List.of(java.toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                classes, HelloFloor.class.getName()));
        series.put("pyro_version_cds", List.of(pyro.toString(), "--version"));
        series.put("pyro_version_no_cds", List.of("env", "PYRO_CDS=0", pyro.toString(), "--version"));
        Map<String, Samples> samples = new LinkedHashMap<>();
        series.keySet().forEach(k -> samples.put(k, new Samples(rounds)));

        for (List<String> cmd : series.values()) {
            time(cmd); // warm the page cache once
        }
        for (int i = 0; i < rounds; i++) {
            for (Map.Entry<String, List<String>> s : series.entrySet()) {
                samples.get(s.getKey()).add(time(s.getValue()));
            }
        }

        System.out.printf(Locale.ROOT, "dist=%s rounds=%d cds_archive=%s%n", dist, rounds, archive(dist));
        samples.forEach((name, s) -> System.out.printf(Locale.ROOT, "%s_ms median=%.0f p90=%.0f%n", name,
                s.median(), s.percentile(90)));
        double floor = samples.get("floor_hello").median();
        double cds = samples.get("pyro_version_cds").median();
        double noCds = samples.get("pyro_version_no_cds").median();
        System.out.printf(Locale.ROOT, "ratio_cds_to_floor=%.2f ratio_no_cds_to_floor=%.2f speedup_from_cds=%.2f%n",
                cds / floor, noCds / floor, noCds / cds);
    }

    private static double time(List<String> cmd) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int code = p.waitFor();
        double ms = (System.nanoTime() - t0) / 1e6;
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited " + code);
        }
        return ms;
    }

    private static String archive(Path dist) {
        // The class data `pyro --version` starts with: the CLI's (an AOT cache from JDK 25).
        for (String name : List.of("pyro-cli.aot", "pyro-cli.jsa")) {
            if (Files.exists(dist.resolve("lib").resolve(name))) {
                return name;
            }
        }
        return "none";
    }

    private static Path findDist() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path target = dir.resolve("pyro-dist/target");
            if (Files.isDirectory(target)) {
                try (Stream<Path> children = Files.list(target)) {
                    List<Path> trees = children.filter(p -> Files.isExecutable(p.resolve("bin/pyro"))).sorted()
                            .toList();
                    if (!trees.isEmpty()) {
                        return trees.getLast();
                    }
                }
            }
        }
        throw new IllegalStateException("no pyro-dist/target/pyro-*/bin/pyro above " + Path.of("").toAbsolutePath()
                + ": build it (scripts/with-jdk mvn -B -DskipTests package) or pass DIST_DIR");
    }
}
