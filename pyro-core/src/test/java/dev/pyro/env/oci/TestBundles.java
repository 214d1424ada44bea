package dev.pyro.env.oci;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Builds environment bundles for the tests and compares directories by content. */
final class TestBundles {
    static final long MIB = 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TestBundles() {
    }

    /** vmlinux and modules.cpio of random bytes, a sparse rootfs.ext4 with some random blocks, and manifest.json. */
    static Path create(Path dir, long smallFileBytes, long rootfsBytes, long seed) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(seed);
        writeRandom(dir.resolve("vmlinux"), smallFileBytes, random);
        writeRandom(dir.resolve("modules.cpio"), smallFileBytes / 2 + 12345, random);
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("rootfs.ext4").toFile(), "rw")) {
            raf.setLength(rootfsBytes); // mostly holes, like a fresh ext4 image
            byte[] block = new byte[64 * 1024];
            for (long offset = 0; offset < rootfsBytes; offset += rootfsBytes / 7) {
                random.nextBytes(block);
                raf.seek(offset);
                raf.write(block, 0, (int) Math.min(block.length, rootfsBytes - offset));
            }
        }
        writeManifest(dir, "test-env", "1." + seed);
        return dir;
    }

    static void writeManifest(Path dir, String name, String version) throws IOException {
        ObjectNode root = JSON.createObjectNode()
                .put("name", name).put("version", version).put("source", "test")
                .put("kernel_version", "6.1.0-test").put("created", "2025-01-01T00:00:00Z");
        root.putArray("packages").add("git");
        ArrayNode files = root.putArray("files");
        for (String file : List.of("vmlinux", "modules.cpio", "rootfs.ext4")) {
            Path p = dir.resolve(file);
            files.addObject().put("path", file).put("sha256", hex(p)).put("size", Files.size(p));
        }
        Files.write(dir.resolve("manifest.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    static void writeRandom(Path file, long size, Random random) throws IOException {
        byte[] buf = new byte[(int) Math.min(size, MIB)];
        try (var out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buf.length) {
                random.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
    }

    static String hex(Path file) throws IOException {
        return Sha256.of(file, n -> { }).substring("sha256:".length());
    }

    /** File name -> sha256 of every regular file in {@code dir}. */
    static Map<String, String> digests(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(p.getFileName().toString(), hex(p));
            }
        }
        return out;
    }

    /** File names in {@code dir}, sorted. */
    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
