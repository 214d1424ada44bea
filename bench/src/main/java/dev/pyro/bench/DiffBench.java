package dev.pyro.bench;

import dev.pyro.WorkspaceDiff;
import dev.pyro.guest.AgentBinary;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ManifestResult;
import dev.pyro.guest.transport.LocalProcessTransport;
import dev.pyro.guest.transport.StreamTransport;
import dev.pyro.workspace.content.Baseline;
import dev.pyro.workspace.content.BaselineStore;
import dev.pyro.workspace.content.ContentSource;
import dev.pyro.workspace.content.ManifestSource;
import dev.pyro.workspace.content.WorkspaceDiffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Workspace diff against its floor, in the same run: a tree of small text files in nested
 * directories is captured as the baseline through the development-mode agent, then
 * (a) {@link WorkspaceDiffer#diff} (the guest hashes and streams its manifest, the host
 * merge-joins it and fetches only changed files, then builds the patch) is timed against
 * (b) {@code diff -r} of a host copy of the baseline and the live tree, first with 10
 * changed files, then with 1,000. The manifest alone (the guest hashing every file and
 * streaming one line each) is printed too: it is the part that grows with the tree; the
 * agent's stat cache keeps unchanged files from being read again (how many came from it is
 * printed). The ratios say how close the diff is to comparing two trees directly, and how its
 * cost grows with the change rather than the tree.
 *
 * <p>Usage: {@code bench/run Diff [FILES] [RUNS]} (defaults 10000 and 7). The agent comes
 * from {@code pyro.agent.binary}, else {@code agent/target/bin/pyro-agent} of this checkout,
 * else the jar's packaged copy.
 */
public final class DiffBench {
    /** Diffs before measuring, so the JIT has compiled the hot paths. */
    private static final int WARMUP = 3;

    private DiffBench() {
    }

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        useCheckoutAgent();
        Path agent = AgentBinary.extract();
        Path tmp = Files.createTempDirectory("pyro-bench-diff");
        try {
            Path ws = Files.createDirectories(tmp.resolve("ws"));
            for (int i = 0; i < files; i++) {
                write(ws, i, "file " + i + "\n" + "some content line\n".repeat(1 + i % 8));
            }
            Path copy = tmp.resolve("baseline-copy");
            run(tmp, "cp", "-a", ws.toString(), copy.toString());
            try (AgentConnection client = AgentConnection.connect(LocalProcessTransport.start(agent, ws.toRealPath(), null))) {
                ManifestSource manifest = ManifestSource.of(client);
                ContentSource content = ContentSource.of(client);
                long t0 = System.nanoTime();
                Baseline baseline = BaselineStore.capture(tmp.resolve("baseline"), manifest, content);
                double captureMs = (System.nanoTime() - t0) / 1e6;
                System.out.printf(Locale.ROOT, "agent=%s files=%d runs=%d cores=%d%n", agent, files, runs,
                        Runtime.getRuntime().availableProcessors());
                System.out.printf(Locale.ROOT, "baseline_capture_ms=%.1f objects=%d bytes=%d%n", captureMs,
                        baseline.info().objects(), baseline.info().bytes());

                mutate(ws, files, 0, 10);
                Result r10 = measure(baseline, manifest, content, tmp, copy, ws, runs, 10);
                ManifestResult m = client.files().manifest(ManifestSource.WORKSPACE, true, e -> { });
                System.out.printf(Locale.ROOT, "stat_cache cached=%d of %d entries, bytes_hashed=%d%n", m.cached(),
                        m.entries(), m.bytesHashed());
                Result uncached = measureWithoutCache(agent, ws, baseline, tmp, copy, runs);
                mutate(ws, files, 10, 1000);
                Result r1000 = measure(baseline, manifest, content, tmp, copy, ws, runs, 1000);

                System.out.printf(Locale.ROOT, "ratio diff_10/diff_r_10=%.2f (goal <= 1.0)%n",
                        r10.diffMs() / r10.floorMs());
                System.out.printf(Locale.ROOT, "ratio diff_10_without_stat_cache/diff_r_10=%.2f%n",
                        uncached.diffMs() / uncached.floorMs());
                System.out.printf(Locale.ROOT, "ratio diff_1000/diff_r_1000=%.2f%n",
                        r1000.diffMs() / r1000.floorMs());
                System.out.printf(Locale.ROOT, "ratio diff_1000/diff_10=%.2f%n", r1000.diffMs() / r10.diffMs());
            }
        } finally {
            try (Stream<Path> walk = Files.walk(tmp)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                    p.toFile().setWritable(true);
                    p.toFile().delete();
                });
            }
        }
    }

    private record Result(double diffMs, double floorMs) {
    }

    private static Result measure(Baseline baseline, ManifestSource manifest, ContentSource content, Path tmp,
            Path copy, Path ws, int runs, int changed) throws Exception {
        Samples diff = new Samples(runs);
        Samples floor = new Samples(runs);
        Samples manifestOnly = new Samples(runs);
        WorkspaceDiff d = null;
        for (int i = 0; i < WARMUP; i++) {
            d = WorkspaceDiffer.diff(baseline, manifest, content);
        }
        if (d.summary().modified() != changed) {
            throw new IllegalStateException("expected " + changed + " modified files, got " + d.summary());
        }
        run(tmp, "diff", "-r", copy.toString(), ws.toString());
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            WorkspaceDiffer.diff(baseline, manifest, content);
            diff.add((System.nanoTime() - t0) / 1e6);
            t0 = System.nanoTime();
            run(tmp, "diff", "-r", copy.toString(), ws.toString());
            floor.add((System.nanoTime() - t0) / 1e6);
            t0 = System.nanoTime();
            long[] n = {0};
            manifest.stream(e -> n[0]++);
            manifestOnly.add((System.nanoTime() - t0) / 1e6);
        }
        System.out.printf(Locale.ROOT, "changed=%d diff_ms median=%.1f p90=%.1f patch_bytes=%d%n", changed,
                diff.median(), diff.percentile(90), d.patch().length());
        System.out.printf(Locale.ROOT, "changed=%d diff_r_ms median=%.1f p90=%.1f%n", changed, floor.median(),
                floor.percentile(90));
        System.out.printf(Locale.ROOT, "changed=%d manifest_only_ms median=%.1f (guest hashing + streaming, no join)%n",
                changed, manifestOnly.median());
        return new Result(diff.median(), floor.median());
    }

    /**
     * The 10-change diff again through a second agent whose stat cache never trusts a file
     * (its racy window is a day): every file is read and hashed, as before the cache.
     */
    private static Result measureWithoutCache(Path agent, Path ws, Baseline baseline, Path tmp, Path copy, int runs)
            throws Exception {
        Process p = new ProcessBuilder(agent.toString(), "--dev", "--root", ws.toRealPath().toString(), "--stdio",
                "--stat-cache-window-ms", "86400000").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (AgentConnection c = AgentConnection.connect(new StreamTransport(p.getInputStream(), p.getOutputStream(),
                "uncached agent"))) {
            System.out.println("without the stat cache:");
            return measure(baseline, ManifestSource.of(c), ContentSource.of(c), tmp, copy, ws, runs, 10);
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    /** Changes files {@code from} until {@code to} (spread over the tree) by one line each. */
    private static void mutate(Path ws, int files, int from, int to) throws IOException {
        for (int k = from; k < to; k++) {
            int i = (int) ((long) k * 7919 % files);
            Path p = path(ws, i);
            Files.writeString(p, Files.readString(p).replaceFirst("some content line", "changed line " + k));
        }
    }

    private static Path path(Path ws, int i) {
        return ws.resolve(String.format(Locale.ROOT, "d%02d/s%02d/t%d/f%05d.txt", i % 50, (i / 50) % 20, i % 3, i));
    }

    private static void write(Path ws, int i, String content) throws IOException {
        Path p = path(ws, i);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    /** Runs a host command; {@code diff} exits 1 when the trees differ, which is expected. */
    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int code = p.waitFor();
        if (code > 1) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + code);
        }
    }

    /** Prefers the agent built in this checkout when no binary was named. */
    private static void useCheckoutAgent() {
        if (System.getProperty(AgentBinary.PROPERTY) != null) {
            return;
        }
        try {
            Path classes = Path.of(DiffBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path built = classes.resolve("../../../agent/target/bin/pyro-agent").normalize();
            if (Files.isExecutable(built)) {
                System.setProperty(AgentBinary.PROPERTY, built.toString());
            }
        } catch (Exception e) {
            // fall back to the packaged agent
        }
    }
}
