package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.EnvironmentFile;
import dev.pyro.EnvironmentManifest;
import dev.pyro.env.catalog.EnvironmentCatalog;
import dev.pyro.env.oci.LocalRegistry;
import dev.pyro.env.oci.OciClient;
import dev.pyro.env.oci.OciClientOptions;
import dev.pyro.env.store.ManifestCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pyro env pull --from} as a person sees it on a terminal, and as a pipe gets it: a
 * small bundle for {@code debian:12-base} served by a real registry on loopback stands in for
 * a published environment (a real build takes minutes; its package counts are tested on a
 * recorded bootstrap log in pyro-core).
 */
class EnvPullProgressTest {
    static final String ENV = "debian:12-base";
    /** A drawn bar with byte counts: {@code [=====>    ] 12.0/25.6 MiB}. */
    static final Pattern BAR_WITH_BYTES = Pattern.compile("\\[[=> ]{10,}\\] \\d+\\.\\d/\\d+\\.\\d MiB");
    static final Pattern ANY_BAR = Pattern.compile("\\[[=> ]{10,}\\]");
    static final Pattern PHASE_LINE = Pattern.compile("\\[pull\\] phase=[a-z]+ environment=\\S+( .*)?");
    static final Duration LIMIT = Duration.ofMinutes(2);

    @TempDir
    static Path work;
    static LocalRegistry registry;
    static String good;
    static String corrupt;

    @BeforeAll
    static void publish() throws Exception {
        registry = LocalRegistry.start(Files.createDirectories(work.resolve("registry")));
        try (OciClient client = new OciClient(OciClientOptions.defaults())) {
            String version = EnvironmentCatalog.builtIn().require(ENV).version();
            client.push(bundle(work.resolve("bundle"), version, 1), registry.ref("pyro/base:good"), null);
            good = "oci://" + registry.ref("pyro/base:good");
            Path other = bundle(work.resolve("other"), version, 2);
            client.push(other, registry.ref("pyro/base:corrupt"), null);
            corrupt = "oci://" + registry.ref("pyro/base:corrupt");
            // Same size, other bytes: the download fails verification at its end, mid-pull.
            Path stored = registry.blobData("sha256:" + sha256(other.resolve("rootfs.ext4")));
            random(stored, Files.size(stored), 3);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    /** A fresh home and environment cache for one run. */
    static Map<String, String> freshState(String name) throws IOException {
        return Map.of("PYRO_HOME", Files.createDirectories(work.resolve(name + "-home")).toString(),
                "PYRO_ENVIRONMENT_CACHE_DIR", Files.createDirectories(work.resolve(name + "-cache")).toString());
    }

    @Test
    void onATerminalABarWithByteCountsIsDrawnAndTheScreenEndsClean() throws Exception {
        PtyRun.Result r = PtyRun.run(freshState("tty"), LIMIT, "env", "pull", ENV, "--from", good);

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(BAR_WITH_BYTES.matcher(r.output()).find()).as("a bar with counts was drawn:\n%s", r.output())
                .isTrue();
        PtyRun.Screen screen = r.screen();
        List<String> text = screen.text();
        // Each phase left one line; the live line is gone: no bar, no half-drawn line.
        assertThat(text).noneMatch(row -> ANY_BAR.matcher(row).find());
        assertThat(text).anyMatch(row -> row.matches("\\[pull \\S+] download  25\\.\\d/25\\.\\d MiB  \\d+\\.\\ds"));
        assertThat(text).anyMatch(row -> row.matches("\\[pull debian:12-base] done  installed  \\(\\d+\\.\\ds in all\\)"));
        assertThat(text.getLast()).startsWith("debian:12-base");
        assertThat(screen.cursorColumn()).as(screen.toString()).isZero();
        assertThat(screen.cursorRow()).as(screen.toString()).isEqualTo(text.size());
    }

    @Test
    void throughAPipeOnlyPhaseLinesAppear() throws Exception {
        CliProcess.Result r = pipe("pipe", "env", "pull", ENV, "--from", good);

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<String> lines = r.stderr().lines().toList();
        assertThat(lines).isNotEmpty().allMatch(l -> PHASE_LINE.matcher(l).matches(), "a phase line");
        assertThat(lines).extracting(l -> l.split(" ")[1]).containsSubsequence("phase=resolve", "phase=download",
                "phase=verify", "phase=install", "phase=done");
        assertThat(r.stderr()).doesNotContain("\r", "\u001b");
    }

    @Test
    void quietShowsNoProgressEvenOnATerminal() throws Exception {
        PtyRun.Result r = PtyRun.run(freshState("quiet"), LIMIT, "env", "pull", ENV, "--from", good, "--quiet");

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).doesNotContain("[pull", "MiB").contains("debian:12-base");
    }

    @Test
    void aFailureMidwayLeavesACleanScreenThatNamesThePhase() throws Exception {
        PtyRun.Result r = PtyRun.run(freshState("fail"), LIMIT, "env", "pull", ENV, "--from", corrupt);

        assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
        List<String> text = r.screen().text();
        assertThat(text).noneMatch(row -> ANY_BAR.matcher(row).find());
        int failed = text.size() - 1;
        while (failed >= 0 && !text.get(failed).matches("\\[pull \\S+] download  failed after \\d+\\.\\ds")) {
            failed--;
        }
        assertThat(failed).as(r.screen().toString()).isNotNegative();
        // Right below it, the error (wrapped over rows by the terminal, as any long line).
        assertThat(String.join("", text.subList(failed + 1, text.size()))).startsWith("pyro: error: ")
                .contains("rootfs.ext4", "corrupt");
        assertThat(r.screen().cursorColumn()).isZero();
    }

    @Test
    void ctrlCErasesTheLiveLineAndNamesTheInterruptedPhase() throws Exception {
        // A "registry" that accepts the connection and never answers: pull waits in resolve.
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            String ref = "127.0.0.1:" + silent.getLocalPort() + "/pyro/base:1";
            PtyRun.Running pull = PtyRun.start(freshState("interrupted"), "env", "pull", ENV, "--from",
                    "oci://" + ref);
            pull.awaitOutput("[pull " + ref + "] resolve", LIMIT);
            pull.interruptPyro();
            PtyRun.Result r = pull.finish(LIMIT);

            assertThat(r.exitCode()).as(r.output()).isEqualTo(130);
            PtyRun.Screen screen = r.screen();
            // The live line is gone; in its place the phase that was interrupted, and nothing after it.
            assertThat(screen.text()).as(screen.toString()).hasSize(1).first().asString()
                    .matches(java.util.regex.Pattern.quote("[pull " + ref + "] resolve  interrupted after ")
                            + "\\d+\\.\\ds");
            assertThat(screen.cursorColumn()).isZero();
            assertThat(screen.cursorRow()).isEqualTo(1);
        }
    }

    @Test
    void aFailureThroughAPipeNamesThePhaseOnALineOfItsOwn() throws Exception {
        CliProcess.Result r = pipe("pipe-fail", "env", "pull", ENV, "--from", corrupt);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr().lines().toList()).contains("[pull] phase=download environment=" + good.replace(
                "oci://", "").replace("good", "corrupt") + " failed");
    }

    private CliProcess.Result pipe(String name, String... args) throws Exception {
        Map<String, String> state = freshState(name);
        CliProcess cli = new CliProcess(Path.of(state.get("PYRO_HOME")));
        ProcessBuilder pb = cli.builder(args);
        pb.environment().putAll(state);
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return new CliProcess.Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A bundle for debian:12-base of random files (25.6 MiB with its manifest), valid to install. */
    static Path bundle(Path dir, String version, long seed) throws Exception {
        Files.createDirectories(dir);
        List<EnvironmentFile> files = new ArrayList<>();
        long[] sizes = {1 << 20, 512 << 10, 24 << 20};
        String[] names = {"vmlinux", "modules.cpio", "rootfs.ext4"};
        for (int i = 0; i < names.length; i++) {
            Path f = dir.resolve(names[i]);
            random(f, sizes[i], seed * 10 + i);
            files.add(new EnvironmentFile(names[i], sha256(f), sizes[i]));
        }
        EnvironmentManifest m = new EnvironmentManifest(EnvironmentManifest.SCHEMA, ENV, version, "test",
                "2026-01-01T00:00:00Z", "6.1.0-test", "", List.of(), List.of(), files);
        Files.writeString(dir.resolve("manifest.json"), ManifestCodec.toJson(m));
        return dir;
    }

    static void random(Path file, long size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buf.length) {
                random.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
    }

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(Files.readAllBytes(file));
        return HexFormat.of().formatHex(md.digest());
    }
}
