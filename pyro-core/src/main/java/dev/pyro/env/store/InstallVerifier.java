package dev.pyro.env.store;

import dev.pyro.EnvironmentFile;
import dev.pyro.EnvironmentManifest;
import dev.pyro.io.AtomicFiles;
import dev.pyro.io.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Checks an install directory against its manifest. A full check hashes every file; because
 * the root filesystem is hundreds of MiB, a successful check leaves a stamp
 * ({@code .verified}: size and modification time of each file and of the manifest), and a
 * quick check that finds the stamp still true skips the hashing. Any change to a file's size
 * or mtime invalidates the stamp and forces a full check.
 */
public final class InstallVerifier {
    static final String STAMP = ".verified";

    private InstallVerifier() {
    }

    /** The outcome of a check: the manifest when valid, else the reason. */
    public record Result(Optional<EnvironmentManifest> manifest, String problem) {
        static Result ok(EnvironmentManifest m) {
            return new Result(Optional.of(m), "");
        }

        static Result bad(String problem) {
            return new Result(Optional.empty(), problem);
        }

        /** Whether the install verified. */
        public boolean valid() {
            return manifest.isPresent();
        }
    }

    /** Verifies {@code dir}; {@code full} ignores the stamp and hashes everything. */
    public static Result verify(Path dir, boolean full) {
        Path manifestFile = dir.resolve(BundleFiles.MANIFEST);
        if (!Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)) {
            return Result.bad("no manifest.json");
        }
        EnvironmentManifest manifest;
        try {
            manifest = ManifestCodec.read(manifestFile);
        } catch (IOException e) {
            return Result.bad(e.getMessage());
        }
        return verify(dir, manifest, full);
    }

    /** Verifies the files of {@code dir} against {@code manifest} (which need not be in {@code dir}). */
    public static Result verify(Path dir, EnvironmentManifest manifest, boolean full) {
        for (String required : BundleFiles.REQUIRED) {
            if (manifest.file(required).isEmpty()) {
                return Result.bad("manifest does not list " + required);
            }
        }
        String stamp;
        try {
            stamp = stampOf(dir, manifest);
        } catch (IOException e) {
            return Result.bad(e.getMessage());
        }
        if (!full && stamp.equals(readStamp(dir))) {
            return Result.ok(manifest);
        }
        for (EnvironmentFile f : manifest.files()) {
            Path file = dir.resolve(f.path());
            try {
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    return Result.bad(f.path() + " is missing");
                }
                long size = Files.size(file);
                if (size != f.size()) {
                    return Result.bad(f.path() + " has " + size + " bytes, manifest says " + f.size());
                }
                if (!FileTrees.sha256(file).equals(f.sha256())) {
                    return Result.bad(f.path() + " does not match its sha256");
                }
            } catch (IOException e) {
                return Result.bad("cannot read " + f.path() + ": " + e.getMessage());
            }
        }
        writeStamp(dir, stamp);
        return Result.ok(manifest);
    }

    /** Records that {@code dir} verified just now (the builder hashed the files itself). */
    static void stamp(Path dir, EnvironmentManifest manifest) throws IOException {
        AtomicFiles.write(dir.resolve(STAMP), stampOf(dir, manifest).getBytes(StandardCharsets.UTF_8));
    }

    private static String stampOf(Path dir, EnvironmentManifest manifest) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(line(dir, BundleFiles.MANIFEST));
        for (EnvironmentFile f : manifest.files()) {
            Path file = dir.resolve(f.path());
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                sb.append(f.path()).append(" missing\n");
            } else {
                sb.append(line(dir, f.path()));
            }
        }
        return sb.toString();
    }

    private static String line(Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return name + " missing\n";
        }
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return name + " " + a.size() + " " + a.lastModifiedTime().toInstant() + "\n";
    }

    private static String readStamp(Path dir) {
        try {
            return Files.readString(dir.resolve(STAMP));
        } catch (IOException e) {
            return "";
        }
    }

    private static void writeStamp(Path dir, String stamp) {
        try {
            AtomicFiles.write(dir.resolve(STAMP), stamp.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // A read-only cache still works; it just hashes again next time.
        }
    }
}
