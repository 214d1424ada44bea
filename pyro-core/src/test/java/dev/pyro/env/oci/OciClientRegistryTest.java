package dev.pyro.env.oci;

import static dev.pyro.env.oci.TestBundles.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.ProgressEvent;
import dev.pyro.ProgressUnit;
import dev.pyro.PyroException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push and pull against a real distribution registry on 127.0.0.1. */
class OciClientRegistryTest {
    private static final long ROOTFS = 200 * MIB;

    @TempDir
    static Path work;
    static LocalRegistry registry;
    static OciClient client;
    static Path bundle;
    static long bundleBytes;
    static String pushed;
    static final List<ProgressEvent> pushEvents = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void pushBundle() throws Exception {
        registry = LocalRegistry.start(Files.createDirectories(work.resolve("registry")));
        bundle = TestBundles.create(work.resolve("bundle"), 3 * MIB, ROOTFS, 1);
        for (String name : TestBundles.names(bundle)) {
            bundleBytes += Files.size(bundle.resolve(name));
        }
        // Small limits so the push exercises both the monolithic PUT (vmlinux, manifest.json)
        // and chunked PATCH uploads (modules.cpio in one chunk, rootfs.ext4 in seven).
        client = new OciClient(OciClientOptions.defaults().withUploadSizes(2 * MIB, 32 * MIB));
        pushed = client.push(bundle, registry.ref("pyro/debian-12:1.0"), pushEvents::add);
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void pushUploadsEveryFileAndTagsTheManifest() {
        assertThat(pushed).matches("sha256:[0-9a-f]{64}");
        assertThat(uploaded(pushEvents)).containsExactly("manifest.json", "vmlinux", "modules.cpio", "rootfs.ext4");
        // One amount for the whole upload, in bytes, ending at the bundle's size.
        List<ProgressEvent> upload = phase(pushEvents, "upload");
        assertThat(upload).allSatisfy(e -> {
            assertThat(e.unit()).isEqualTo(ProgressUnit.BYTES);
            assertThat(e.subject()).isEqualTo(registry.ref("pyro/debian-12:1.0").toString());
        });
        assertThat(upload).extracting(ProgressEvent::done).isSorted();
        assertThat(upload.getLast()).extracting(ProgressEvent::done, ProgressEvent::total)
                .containsExactly(bundleBytes, bundleBytes);
        assertThat(phase(pushEvents, "hash").getLast()).extracting(ProgressEvent::done, ProgressEvent::total)
                .containsExactly(bundleBytes, bundleBytes);
        assertThat(client.resolve(registry.ref("pyro/debian-12:1.0"))).isEqualTo(pushed);
    }

    @Test
    void pullByTagGivesByteIdenticalFiles() throws Exception {
        Path target = work.resolve("pull-tag");
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        OciPullResult result = client.pull(registry.ref("pyro/debian-12:1.0"), target, events::add);

        assertThat(result.digest()).isEqualTo(pushed);
        assertThat(TestBundles.digests(target)).isEqualTo(TestBundles.digests(bundle));
        assertThat(TestBundles.names(target)).noneMatch(n -> n.endsWith(".part"));
        assertThat(result.files()).extracting(OciFile::name)
                .containsExactly("manifest.json", "vmlinux", "modules.cpio", "rootfs.ext4");
        assertThat(result.bytesDownloaded()).isEqualTo(bundleBytes);
        List<ProgressEvent> download = phase(events, "download");
        assertThat(download).extracting(ProgressEvent::done).isSorted();
        assertThat(download).extracting(ProgressEvent::total).containsOnly(bundleBytes);
        assertThat(download.getLast().done()).isEqualTo(bundleBytes);
        assertThat(download).extracting(ProgressEvent::message).contains("blob 1/4 manifest.json",
                "blob 4/4 rootfs.ext4");
        // Thinned out: about one event per percent, not one per buffer.
        assertThat(download).hasSizeBetween(4, 120);
    }

    @Test
    void pullByDigestGivesByteIdenticalFiles() throws Exception {
        Path target = work.resolve("pull-digest");
        OciPullResult result = client.pull(registry.ref("pyro/debian-12@" + pushed), target, null);

        assertThat(result.digest()).isEqualTo(pushed);
        assertThat(TestBundles.digests(target)).isEqualTo(TestBundles.digests(bundle));
    }

    @Test
    void secondPushSkipsBlobsTheRegistryHas() {
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        String again = client.push(bundle, registry.ref("pyro/debian-12:again"), events::add);

        assertThat(again).isEqualTo(pushed);
        assertThat(uploaded(events)).isEmpty();
        assertThat(phase(events, "upload").stream().map(ProgressEvent::message).distinct())
                .filteredOn(m -> m.endsWith(BlobUploader.ALREADY_THERE)).hasSize(4);
        assertThat(phase(events, "upload").getLast().done()).isEqualTo(bundleBytes);
    }

    @Test
    void interruptedDownloadResumesWithRange() throws Exception {
        Path target = Files.createDirectories(work.resolve("pull-resume"));
        long prefix = 50 * MIB;
        copyPrefix(bundle.resolve("rootfs.ext4"), target.resolve("rootfs.ext4.part"), prefix);
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();

        OciPullResult result = client.pull(registry.ref("pyro/debian-12:1.0"), target, events::add);

        assertThat(TestBundles.digests(target)).isEqualTo(TestBundles.digests(bundle));
        // Exactly the missing bytes came over the wire: the registry honoured the Range request.
        assertThat(result.bytesDownloaded()).isEqualTo(bundleBytes - prefix);
        // rootfs.ext4 is the last blob: its amount starts after the others, at the kept prefix.
        assertThat(phase(events, "download")).filteredOn(e -> e.message().endsWith("rootfs.ext4"))
                .extracting(ProgressEvent::done).startsWith(bundleBytes - ROOTFS, bundleBytes - ROOTFS + prefix);
    }

    @Test
    void partialFileWithWrongPrefixIsDetectedAndRedownloaded() throws Exception {
        Path target = Files.createDirectories(work.resolve("pull-corrupt-part"));
        long garbage = 10 * MIB;
        TestBundles.writeRandom(target.resolve("rootfs.ext4.part"), garbage, new Random(99));
        // A .part longer than the blob can only be wrong: dropped without a Range request.
        TestBundles.writeRandom(target.resolve("vmlinux.part"), 3 * MIB + 1, new Random(98));

        OciPullResult result = client.pull(registry.ref("pyro/debian-12:1.0"), target, null);

        assertThat(TestBundles.digests(target)).isEqualTo(TestBundles.digests(bundle));
        // The resumed tail failed verification, so rootfs.ext4 was fetched again from zero.
        assertThat(result.bytesDownloaded()).isEqualTo(bundleBytes - garbage + ROOTFS);
    }

    @Test
    void filesAlreadyInPlaceAreNotDownloadedAgain() throws Exception {
        Path target = work.resolve("pull-twice");
        client.pull(registry.ref("pyro/debian-12:1.0"), target, null);
        Files.writeString(target.resolve("vmlinux"), "damaged");

        OciPullResult again = client.pull(registry.ref("pyro/debian-12:1.0"), target, null);

        assertThat(again.bytesDownloaded()).isEqualTo(3 * MIB); // only the damaged vmlinux
        assertThat(TestBundles.digests(target)).isEqualTo(TestBundles.digests(bundle));
    }

    @Test
    void corruptBlobInRegistryFailsAndLeavesNothingBehind() throws Exception {
        Path small = TestBundles.create(work.resolve("small-bundle"), 256 * 1024, MIB, 7);
        String digest = client.push(small, registry.ref("pyro/corrupt:1"), null);
        assertThat(digest).startsWith("sha256:");
        Path stored = registry.blobData("sha256:" + TestBundles.hex(small.resolve("vmlinux")));
        TestBundles.writeRandom(stored, Files.size(stored), new Random(5)); // same size, other bytes
        Path target = work.resolve("pull-corrupt-blob");

        assertThatThrownBy(() -> client.pull(registry.ref("pyro/corrupt:1"), target, null))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT_INVALID))
                .hasMessageContaining("vmlinux").hasMessageContaining("corrupt");
        assertThat(target.resolve("vmlinux")).doesNotExist();
        assertThat(target.resolve("vmlinux.part")).doesNotExist();
    }

    @Test
    void pushRefusesBundleThatContradictsItsManifest() throws Exception {
        Path small = TestBundles.create(work.resolve("lying-bundle"), 1024, 4096, 8);
        Files.writeString(small.resolve("vmlinux"), "changed after the manifest was written");

        assertThatThrownBy(() -> client.push(small, registry.ref("pyro/lying:1"), null))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT_INVALID))
                .hasMessageContaining("vmlinux");
        assertThatThrownBy(() -> client.resolve(registry.ref("pyro/lying:1")))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT_NOT_FOUND));
    }

    @Test
    void unknownTagOrRepositoryIsEnvironmentNotFound() {
        for (String missing : List.of("pyro/debian-12:no-such-tag", "pyro/no-such-repo:1.0",
                "pyro/debian-12@sha256:" + "0".repeat(64))) {
            assertThatThrownBy(() -> client.pull(registry.ref(missing), work.resolve("pull-missing"), null))
                    .as(missing)
                    .isInstanceOfSatisfying(PyroException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT_NOT_FOUND))
                    .hasMessageContaining("not found");
        }
    }

    @Test
    void registryDownIsNetworkUnavailable() throws Exception {
        OciReference nobody = OciReference.parse("127.0.0.1:" + LocalRegistry.freePort() + "/pyro/debian-12:1.0");

        assertThatThrownBy(() -> client.pull(nobody, work.resolve("pull-down"), null))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NETWORK_UNAVAILABLE))
                .hasMessageContaining("cannot reach registry 127.0.0.1:");
        assertThatThrownBy(() -> client.push(bundle, nobody, null))
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NETWORK_UNAVAILABLE));
    }

    /** The blobs an upload sent, from the notes of its progress events. */
    private static List<String> uploaded(List<ProgressEvent> events) {
        return phase(events, "upload").stream().map(ProgressEvent::message)
                .filter(m -> m.startsWith("blob ") && !m.endsWith(BlobUploader.ALREADY_THERE))
                .map(m -> m.substring(m.lastIndexOf(' ') + 1)).distinct().toList();
    }

    private static List<ProgressEvent> phase(List<ProgressEvent> events, String phase) {
        return events.stream().filter(e -> e.phase().equals(phase)).toList();
    }

    private static void copyPrefix(Path from, Path to, long bytes) throws IOException {
        try (InputStream in = Files.newInputStream(from); OutputStream out = Files.newOutputStream(to)) {
            byte[] buf = new byte[(int) MIB];
            for (long left = bytes; left > 0; left -= buf.length) {
                int n = in.readNBytes(buf, 0, (int) Math.min(buf.length, left));
                out.write(buf, 0, n);
            }
        }
    }

}
