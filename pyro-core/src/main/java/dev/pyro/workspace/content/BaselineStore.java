package dev.pyro.workspace.content;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.BytePath;
import dev.pyro.guest.FileType;
import dev.pyro.guest.ManifestEntry;
import dev.pyro.io.FileTrees;
import dev.pyro.io.IoMessages;
import dev.pyro.log.PyroLoggers;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Captures and opens {@link Baseline}s. A capture streams the guest's hashed manifest to
 * disk and fetches each distinct file content once (batched exports of selected paths),
 * storing it under its SHA-256; its cost is proportional to the workspace, once. It builds
 * everything in a temporary sibling and renames it into place, so a baseline directory
 * either is complete or does not exist.
 */
public final class BaselineStore {
    private static final System.Logger LOG = PyroLoggers.of(BaselineStore.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /** A workspace that keeps changing while captured gets this many fetch rounds. */
    private static final int MAX_ROUNDS = 3;
    private static final int COPY_BUFFER = 64 * 1024;

    private BaselineStore() {
    }

    /** True when {@code dir} holds a complete baseline. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(Baseline.INFO));
    }

    /**
     * Opens the baseline at {@code dir}.
     *
     * @throws PyroException {@link ErrorCode#NOT_FOUND} when there is none,
     *     {@link ErrorCode#IO_ERROR} when it is unreadable or of an unknown format
     */
    public static Baseline open(Path dir) {
        Path infoFile = dir.resolve(Baseline.INFO);
        if (!Files.isRegularFile(infoFile)) {
            throw new PyroException(ErrorCode.NOT_FOUND, "no baseline at " + dir);
        }
        try {
            JsonNode o = MAPPER.readTree(infoFile.toFile());
            int format = o.path("format").asInt(-1);
            if (format != Baseline.FORMAT) {
                throw new PyroException(ErrorCode.IO_ERROR, "baseline " + dir + " has format " + format
                        + "; this pyro reads format " + Baseline.FORMAT);
            }
            BaselineInfo info = new BaselineInfo(format, Instant.parse(o.path("captured_at").asString()),
                    o.path("entries").asLong(), o.path("files").asLong(), o.path("objects").asLong(),
                    o.path("bytes").asLong());
            return new Baseline(dir, info);
        } catch (RuntimeException e) {
            if (e instanceof PyroException p) {
                throw p;
            }
            throw new PyroException(ErrorCode.IO_ERROR, "unreadable " + infoFile + ": " + IoMessages.describe(e), e);
        }
    }

    /**
     * Captures the current workspace as the baseline at {@code dir} (which must not exist;
     * its parent is created). Each regular file's content is fetched once per distinct
     * SHA-256.
     *
     * @throws PyroException {@link ErrorCode#ALREADY_EXISTS} when {@code dir} exists (a baseline
     *     is immutable), {@link ErrorCode#IO_ERROR} on host I/O failures or a workspace that
     *     keeps changing during the capture, and whatever the sources throw
     */
    public static Baseline capture(Path dir, ManifestSource manifest, ContentSource content) {
        if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new PyroException(ErrorCode.ALREADY_EXISTS, "a baseline already exists at " + dir
                    + " (baselines are immutable)");
        }
        long t0 = System.nanoTime();
        Path tmp = null;
        try {
            Path parent = Files.createDirectories(dir.toAbsolutePath().getParent());
            tmp = Files.createDirectory(parent.resolve("." + dir.getFileName() + ".tmp-" + UUID.randomUUID()));
            Files.createDirectory(tmp.resolve(Baseline.OBJECTS));
            writeManifest(tmp.resolve(Baseline.MANIFEST), manifest);
            fetchObjects(tmp, content);
            BaselineInfo info = writeInfo(tmp);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                throw new PyroException(ErrorCode.ALREADY_EXISTS, "a baseline already exists at " + dir, e);
            }
            tmp = null;
            LOG.log(System.Logger.Level.DEBUG, "baseline {0}: {1} entries, {2} objects, {3} bytes in {4} ms", dir,
                    info.entries(), info.objects(), info.bytes(), (System.nanoTime() - t0) / 1_000_000);
            return new Baseline(dir, info);
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "capturing the baseline at " + dir + " failed: "
                    + IoMessages.describe(e), e);
        } finally {
            if (tmp != null) {
                FileTrees.deleteTreeQuietly(tmp);
            }
        }
    }

    private static void writeManifest(Path file, ManifestSource manifest) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            BytePath[] previous = {null};
            manifest.stream(e -> {
                if (previous[0] != null && previous[0].compareTo(e.path()) >= 0) {
                    throw new PyroException(ErrorCode.AGENT_PROTOCOL_ERROR, "manifest entries out of order: "
                            + e.path() + " after " + previous[0]);
                }
                if (e.type() == FileType.FILE && e.sha256() == null) {
                    throw new PyroException(ErrorCode.AGENT_PROTOCOL_ERROR, "manifest entry " + e.path()
                            + " lacks its sha256");
                }
                previous[0] = e.path();
                try {
                    w.write(ManifestLines.encode(e));
                    w.write('\n');
                } catch (IOException x) {
                    throw new PyroException(ErrorCode.IO_ERROR, "writing the baseline manifest failed: "
                            + IoMessages.describe(x), x);
                }
            });
        }
    }

    /** What a fetch learned about a path whose content differs from its manifest entry. */
    private sealed interface Fix {
        record Changed(String sha256, long size, boolean text) implements Fix {
        }

        record Gone() implements Fix {
        }
    }

    /**
     * Fetches every content the manifest names that the store lacks. A file that changed
     * since the manifest was taken is stored as read and its entry corrected; one that
     * vanished (or stopped being a regular file) is dropped. Corrections can name contents
     * not fetched yet (a deduplicated partner changed), hence the rounds.
     */
    private static void fetchObjects(Path dir, ContentSource content) throws IOException {
        for (int round = 1; ; round++) {
            List<BytePath> pending = pendingPaths(dir);
            if (pending.isEmpty()) {
                return;
            }
            if (round > MAX_ROUNDS) {
                throw new PyroException(ErrorCode.IO_ERROR, "the workspace kept changing while its baseline was "
                        + "captured (" + pending.size() + " files still unread after " + MAX_ROUNDS + " rounds)");
            }
            Map<BytePath, String> expected = new HashMap<>();
            Map<BytePath, Fix> fixes = new HashMap<>();
            try (Baseline.Cursor c = new Baseline.Cursor(dir.resolve(Baseline.MANIFEST))) {
                Set<BytePath> wanted = new HashSet<>(pending);
                ManifestEntry e;
                while ((e = c.next()) != null) {
                    if (wanted.contains(e.path())) {
                        expected.put(e.path(), e.sha256());
                    }
                }
            }
            List<BytePath> missing = TarFetch.fetch(content, pending, (path, entry, in) -> {
                if (!expected.containsKey(path)) {
                    throw new PyroException(ErrorCode.AGENT_PROTOCOL_ERROR, "export sent " + path
                            + ", which was not asked for");
                }
                if (!TarFetch.isRegularFile(entry)) {
                    fixes.put(path, new Fix.Gone());
                    return;
                }
                StoredObject o = store(dir, in);
                if (!o.sha256().equals(expected.get(path))) {
                    fixes.put(path, new Fix.Changed(o.sha256(), o.size(), o.text()));
                }
            });
            for (BytePath m : missing) {
                fixes.put(m, new Fix.Gone());
            }
            if (!fixes.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "{0} files changed while the baseline was captured; "
                        + "recording them as read", fixes.size());
                rewriteManifest(dir, fixes);
            }
        }
    }

    /** One path per distinct content the store lacks, in manifest order. */
    private static List<BytePath> pendingPaths(Path dir) {
        List<BytePath> pending = new ArrayList<>();
        Set<String> queued = new HashSet<>();
        try (Baseline.Cursor c = new Baseline.Cursor(dir.resolve(Baseline.MANIFEST))) {
            ManifestEntry e;
            while ((e = c.next()) != null) {
                if (e.type() == FileType.FILE && !queued.contains(e.sha256())
                        && !Files.isRegularFile(Baseline.objectPath(dir, e.sha256()))) {
                    queued.add(e.sha256());
                    pending.add(e.path());
                }
            }
        }
        return pending;
    }

    private static void rewriteManifest(Path dir, Map<BytePath, Fix> fixes) throws IOException {
        Path file = dir.resolve(Baseline.MANIFEST);
        Path next = dir.resolve(Baseline.MANIFEST + ".next");
        try (Baseline.Cursor c = new Baseline.Cursor(file);
                BufferedWriter w = Files.newBufferedWriter(next, StandardCharsets.UTF_8)) {
            ManifestEntry e;
            while ((e = c.next()) != null) {
                Fix fix = fixes.get(e.path());
                if (fix instanceof Fix.Gone) {
                    continue;
                }
                if (fix instanceof Fix.Changed(String sha, long size, boolean text)) {
                    e = e.withContent(sha, size, text);
                }
                w.write(ManifestLines.encode(e));
                w.write('\n');
            }
        }
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private record StoredObject(String sha256, long size, boolean text) {
    }

    /** Streams {@code in} into the object store under its SHA-256 (write once, read-only), classifying it. */
    private static StoredObject store(Path dir, InputStream in) throws IOException {
        Path objects = dir.resolve(Baseline.OBJECTS);
        Path tmp = Files.createTempFile(objects, "incoming-", ".tmp");
        MessageDigest md = sha256();
        TextContent.Classifier text = new TextContent.Classifier();
        long size = 0;
        try (OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[COPY_BUFFER];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
                text.feed(buf, n);
                out.write(buf, 0, n);
                size += n;
            }
        }
        String sha = HexFormat.of().formatHex(md.digest());
        Path target = Baseline.objectPath(dir, sha);
        if (Files.exists(target)) {
            Files.delete(tmp);
        } else {
            Files.createDirectories(target.getParent());
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r--r--"));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
        }
        return new StoredObject(sha, size, text.isText());
    }

    private static BaselineInfo writeInfo(Path dir) throws IOException {
        long[] counts = new long[2]; // entries, files
        try (Baseline.Cursor c = new Baseline.Cursor(dir.resolve(Baseline.MANIFEST))) {
            ManifestEntry e;
            while ((e = c.next()) != null) {
                counts[0]++;
                if (e.type() == FileType.FILE) {
                    counts[1]++;
                }
            }
        }
        long objects = 0;
        long bytes = 0;
        try (Stream<Path> s = Files.walk(dir.resolve(Baseline.OBJECTS))) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                objects++;
                bytes += Files.size(p);
            }
        }
        BaselineInfo info = new BaselineInfo(Baseline.FORMAT, Instant.now(), counts[0], counts[1], objects, bytes);
        ObjectNode o = MAPPER.createObjectNode();
        o.put("format", info.format());
        o.put("captured_at", info.capturedAt().toString());
        o.put("entries", info.entries());
        o.put("files", info.files());
        o.put("objects", info.objects());
        o.put("bytes", info.bytes());
        Files.writeString(dir.resolve(Baseline.INFO), MAPPER.writeValueAsString(o) + "\n");
        return info;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
