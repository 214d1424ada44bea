package dev.pyro.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.EnvironmentEntry;
import dev.pyro.EnvironmentInspection;
import dev.pyro.EnvironmentStatus;
import dev.pyro.ErrorCode;
import dev.pyro.InstalledEnvironment;
import dev.pyro.ProgressEvent;
import dev.pyro.PruneReport;
import dev.pyro.PyroException;
import dev.pyro.env.catalog.EnvironmentCatalog;
import dev.pyro.env.catalog.EnvironmentSpec;
import dev.pyro.env.store.BundleFiles;
import dev.pyro.env.store.EnvironmentStore;
import dev.pyro.env.store.ManifestCodec;
import dev.pyro.vm.BootImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service and the store behind it, with a fake builder. */
class EnvironmentServiceTest {
    @TempDir
    Path cache;

    private final FakeBundleBuilder builder = new FakeBundleBuilder();

    private EnvironmentService service() {
        return new EnvironmentService(EnvironmentCatalog.builtIn(), new EnvironmentStore(cache), builder);
    }

    @Test
    void pullInstallsOnceWithPhasesAndManifest() throws IOException {
        List<ProgressEvent> events = new ArrayList<>();
        InstalledEnvironment env = service().pull("debian:12", events::add);
        assertThat(env.performed()).isTrue();
        assertThat(env.installPath()).isEqualTo(cache.resolve("debian_12-1.1.0"));
        assertThat(events).extracting(ProgressEvent::phase)
                .containsExactly("resolve", "kernel", "modules", "rootfs", "unpack", "unpack", "unpack", "unpack",
                        "image", "verify", "install", "done");
        // The builder's amounts reach the listener as they are, through the store.
        assertThat(events).filteredOn(ProgressEvent::hasAmount)
                .extracting(ProgressEvent::done, ProgressEvent::total, ProgressEvent::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 3L, ""),
                        org.assertj.core.groups.Tuple.tuple(1L, 3L, "pkg1"),
                        org.assertj.core.groups.Tuple.tuple(2L, 3L, "pkg2"),
                        org.assertj.core.groups.Tuple.tuple(3L, 3L, "pkg3"));
        assertThat(events).allSatisfy(e -> {
            assertThat(e.operation()).isEqualTo("pull");
            assertThat(e.subject()).isEqualTo("debian:12");
        });
        String json = Files.readString(env.installPath().resolve("manifest.json"));
        assertThat(json).contains("\"kernel_version\" : \"6.1.0-99-cloud-amd64\"", "\"created_at\"", "\"installed_packages\"",
                "\"source\" : \"build\"", "\"sha256\"");
        assertThat(env.manifest().packages()).containsExactly("git", "ca-certificates");
        assertThat(env.manifest().files()).extracting(f -> f.path()).containsExactly("vmlinux", "modules.cpio", "rootfs.ext4");
        assertThat(env.manifest().file("rootfs.ext4").orElseThrow().size()).isEqualTo(64 * 1024);
        assertThat(Files.getPosixFilePermissions(env.installPath().resolve("rootfs.ext4")))
                .as("base image is read-only").doesNotContain(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        try (var s = Files.list(cache)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".partial-"));
        }

        List<ProgressEvent> again = new ArrayList<>();
        InstalledEnvironment second = service().pull("debian:12", again::add);
        assertThat(second.performed()).isFalse();
        assertThat(again).extracting(ProgressEvent::phase).containsExactly("resolve", "done");
        assertThat(builder.builds.get()).isEqualTo(1);
    }

    @Test
    void listShowsInstalledFlag() {
        service().pull("debian:12-base", e -> { });
        List<EnvironmentEntry> list = service().list();
        assertThat(list).extracting(EnvironmentEntry::name).containsExactly("debian:12", "debian:12-base", "debian:12-build");
        assertThat(list).extracting(EnvironmentEntry::installed).containsExactly(false, true, false);
    }

    @Test
    void unknownEnvironmentListsKnownNames() {
        assertThatThrownBy(() -> service().pull("ubuntu:24.04", e -> { }))
                .isInstanceOf(PyroException.class)
                .hasMessageContaining("ubuntu:24.04").hasMessageContaining("debian:12, debian:12-base, debian:12-build")
                .extracting(e -> ((PyroException) e).code()).isEqualTo(ErrorCode.ENVIRONMENT_NOT_FOUND);
    }

    @Test
    void bootImageNeedsAVerifiedInstall() {
        assertThatThrownBy(() -> service().bootImage("debian:12"))
                .extracting(e -> ((PyroException) e).code()).isEqualTo(ErrorCode.ENVIRONMENT_NOT_FOUND);
        InstalledEnvironment env = service().pull("debian:12", e -> { });
        BootImage image = service().bootImage("debian:12");
        assertThat(image.kernel()).isEqualTo(env.installPath().resolve("vmlinux"));
        assertThat(image.initrdParts()).containsExactly(env.installPath().resolve("modules.cpio"));
        assertThat(image.rootfs()).isEqualTo(env.installPath().resolve("rootfs.ext4"));
        assertThat(image.kernelVersion()).isEqualTo("6.1.0-99-cloud-amd64");
    }

    @Test
    void corruptedFileIsDetectedAndRepairedByNextPull() throws IOException {
        InstalledEnvironment env = service().pull("debian:12", e -> { });
        Path kernel = env.installPath().resolve("vmlinux");
        kernel.toFile().setWritable(true);
        Files.writeString(kernel, "\u007fELF fake kernel of debian:13"); // same size, other bytes
        Files.setLastModifiedTime(kernel, Files.getLastModifiedTime(env.installPath().resolve("manifest.json")));

        EnvironmentInspection inspection = service().inspect("debian:12");
        assertThat(inspection.status()).isEqualTo(EnvironmentStatus.INVALID);
        assertThat(inspection.problem()).contains("vmlinux").contains("sha256");
        assertThatThrownBy(() -> service().bootImage("debian:12"))
                .extracting(e -> ((PyroException) e).code()).isEqualTo(ErrorCode.ENVIRONMENT_INVALID);
        assertThat(service().list().get(0).installed()).isFalse();

        InstalledEnvironment repaired = service().pull("debian:12", e -> { });
        assertThat(repaired.performed()).isTrue();
        assertThat(builder.builds.get()).isEqualTo(2);
        assertThat(service().inspect("debian:12").status()).isEqualTo(EnvironmentStatus.INSTALLED);
    }

    @Test
    void truncatedFileIsCaughtByQuickVerification() throws IOException {
        InstalledEnvironment env = service().pull("debian:12", e -> { });
        Path rootfs = env.installPath().resolve("rootfs.ext4");
        rootfs.toFile().setWritable(true);
        Files.write(rootfs, new byte[100]);
        assertThat(service().list().get(0).installed()).isFalse();
    }

    @Test
    void missingManifestMeansNotInstalled() throws IOException {
        InstalledEnvironment env = service().pull("debian:12", e -> { });
        Files.delete(env.installPath().resolve("manifest.json"));
        EnvironmentInspection inspection = service().inspect("debian:12");
        assertThat(inspection.status()).isEqualTo(EnvironmentStatus.INVALID);
        assertThat(inspection.problem()).contains("manifest");
    }

    @Test
    void partialDirectoryIsIgnoredAndPruned() throws IOException {
        Path partial = Files.createDirectories(cache.resolve(".partial-debian_12-1.1.0-abcdef"));
        Files.writeString(partial.resolve("vmlinux"), "half");
        Files.writeString(partial.resolve("manifest.json"), "{}");
        assertThat(service().inspect("debian:12").status()).isEqualTo(EnvironmentStatus.NOT_INSTALLED);
        assertThat(service().list()).noneMatch(EnvironmentEntry::installed);

        service().pull("debian:12-base", e -> { });
        Path stale = Files.createDirectories(cache.resolve("debian_11-0.9.0"));
        Files.writeString(stale.resolve("manifest.json"), "{}");
        Path notOurs = Files.createDirectories(cache.resolve("my-notes"));

        PruneReport report = service().prune();
        assertThat(report.removed()).extracting(PruneReport.Removed::path).containsExactlyInAnyOrder(partial, stale);
        assertThat(partial).doesNotExist();
        assertThat(stale).doesNotExist();
        assertThat(notOurs).exists();
        assertThat(cache.resolve("debian_12-base-1.1.0")).exists();
        assertThat(service().prune().removed()).isEmpty();
    }

    @Test
    void pruneRemovesInvalidInstall() throws IOException {
        InstalledEnvironment env = service().pull("debian:12", e -> { });
        Files.delete(env.installPath().resolve("modules.cpio"));
        PruneReport report = service().prune();
        assertThat(report.removed()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo(env.installPath());
            assertThat(r.reason()).contains("modules.cpio");
        });
    }

    @Test
    void failedBuildLeavesNothingInstalled() {
        EnvironmentService failing = new EnvironmentService(EnvironmentCatalog.builtIn(), new EnvironmentStore(cache),
                (spec, target, ctx) -> {
                    throw new PyroException(ErrorCode.NETWORK_UNAVAILABLE, "mirror down");
                });
        assertThatThrownBy(() -> failing.pull("debian:12", e -> { }))
                .extracting(e -> ((PyroException) e).code()).isEqualTo(ErrorCode.NETWORK_UNAVAILABLE);
        assertThat(service().inspect("debian:12").status()).isEqualTo(EnvironmentStatus.NOT_INSTALLED);
        assertThat(service().prune().removed()).isEmpty();
    }

    @Test
    void concurrentPullsInThreadsBuildOnce() throws Exception {
        FakeBundleBuilder slow = new FakeBundleBuilder(500, null);
        int n = 4;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<InstalledEnvironment>> results = new ArrayList<>();
        List<String> waits = new CopyOnWriteArrayList<>();
        for (int i = 0; i < n; i++) {
            // separate service and store objects, as separate SDK users in one JVM would have
            EnvironmentService s = new EnvironmentService(EnvironmentCatalog.builtIn(), new EnvironmentStore(cache), slow);
            results.add(pool.submit(() -> {
                go.await();
                return s.pull("debian:12", e -> {
                    if (e.message().startsWith("waiting")) {
                        waits.add(e.message());
                    }
                });
            }));
        }
        go.countDown();
        int performed = 0;
        for (Future<InstalledEnvironment> f : results) {
            if (f.get(30, TimeUnit.SECONDS).performed()) {
                performed++;
            }
        }
        pool.shutdown();
        assertThat(slow.builds.get()).isEqualTo(1);
        assertThat(performed).isEqualTo(1);
        assertThat(waits).hasSize(n - 1);
    }

    @Test
    void concurrentPullsInTwoJvmsBuildOnce() throws Exception {
        Path counter = cache.resolve("builds.txt");
        String java = ProcessHandle.current().info().command().orElse("java");
        long startAt = System.currentTimeMillis() + 1500; // both JVMs are up by then
        List<Process> procs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            procs.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StoreContender.class.getName(),
                    cache.toString(), counter.toString(), Long.toString(startAt))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        List<String> outputs = new ArrayList<>();
        for (Process p : procs) {
            String out = new String(p.getInputStream().readAllBytes()).strip();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("child output: " + out).isZero();
            outputs.add(out);
        }
        assertThat(Files.readAllLines(counter)).hasSize(1);
        assertThat(outputs).containsExactlyInAnyOrder("performed=true", "performed=false");
        assertThat(service().inspect("debian:12-base").status()).isEqualTo(EnvironmentStatus.INSTALLED);
    }

    @Test
    void installFromDirectoryVerifiesAgainstBundleManifest() throws IOException {
        // Make a real bundle by building into another cache, then install it from its directory.
        Path other = Files.createTempDirectory(cache, "other");
        InstalledEnvironment built = new EnvironmentService(EnvironmentCatalog.builtIn(), new EnvironmentStore(other), builder)
                .pull("debian:12-base", e -> { });
        Path bundle = Files.createDirectories(cache.resolve("bundle"));
        for (String f : List.of("vmlinux", "modules.cpio", "rootfs.ext4", "manifest.json")) {
            Files.copy(built.installPath().resolve(f), bundle.resolve(f));
        }
        Path target = cache.resolve("store");
        EnvironmentService svc = new EnvironmentService(EnvironmentCatalog.builtIn(), new EnvironmentStore(target), builder);

        // A tampered bundle is refused and leaves nothing behind.
        Path modules = bundle.resolve("modules.cpio");
        modules.toFile().setWritable(true);
        Files.writeString(modules, "070701 FAKE modules");
        assertThatThrownBy(() -> svc.installFromDirectory("debian:12-base", bundle, "oci://example/env@sha256:00", e -> { }))
                .isInstanceOf(PyroException.class).hasMessageContaining("modules.cpio")
                .extracting(e -> ((PyroException) e).code()).isEqualTo(ErrorCode.ENVIRONMENT_INVALID);
        assertThat(svc.inspect("debian:12-base").status()).isEqualTo(EnvironmentStatus.NOT_INSTALLED);
        try (var s = Files.list(target)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".partial-"));
        }

        Files.copy(built.installPath().resolve("modules.cpio"), modules, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        InstalledEnvironment env = svc.installFromDirectory("debian:12-base", bundle, "oci://example/env@sha256:00", e -> { });
        assertThat(env.performed()).isTrue();
        assertThat(env.manifest().source()).isEqualTo("oci://example/env@sha256:00");
        assertThat(ManifestCodec.read(env.installPath().resolve(BundleFiles.MANIFEST)).files())
                .isEqualTo(built.manifest().files());
        assertThat(svc.inspect("debian:12-base").status()).isEqualTo(EnvironmentStatus.INSTALLED);
    }

    @Test
    void bundleManifestCannotNamePathsOutsideTheInstall() {
        String json = """
                {"schema":1,"name":"debian:12","version":"1.0.0","source":"build","created_at":"x","kernel_version":"k",
                 "files":[{"path":"../../etc/passwd","sha256":"%s","size":1}]}""".formatted("0".repeat(64));
        assertThatThrownBy(() -> ManifestCodec.fromJson(json)).isInstanceOf(IOException.class).hasMessageContaining("bad file name");
    }

    @Test
    void cacheDirDefaultsUnderHome() {
        if (System.getenv(EnvironmentStore.CACHE_DIR_ENV) == null) {
            assertThat(EnvironmentStore.defaultRoot())
                    .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "pyro", "environments"));
        } else {
            assertThat(EnvironmentStore.defaultRoot()).isEqualTo(Path.of(System.getenv(EnvironmentStore.CACHE_DIR_ENV)));
        }
        EnvironmentSpec spec = EnvironmentCatalog.builtIn().require("debian:12-build");
        assertThat(new EnvironmentStore(cache).installDir(spec)).isEqualTo(cache.resolve("debian_12-build-1.1.0"));
    }
}
