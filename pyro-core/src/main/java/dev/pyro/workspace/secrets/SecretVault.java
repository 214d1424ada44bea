package dev.pyro.workspace.secrets;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.json.JsonTrees;
import dev.pyro.json.PyroJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The host copy of workspace secret values: one {@code <workspace-id>.json} per workspace,
 * mode 0600, in a 0700 directory <em>outside</em> {@code PYRO_HOME} (so nothing under
 * {@code PYRO_HOME} ever holds a value, and copying or archiving it copies no secret).
 * Written before the VM boots, read by start and reset to deliver the values again, removed
 * by delete. Values never go into {@code workspace.json}, an argv or an environment.
 */
public final class SecretVault {
    private static final String SUFFIX = ".json";
    private final Path dir;

    /** A vault in {@code dir} (created 0700 on first write). */
    public SecretVault(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /**
     * The default directory for a {@code PYRO_HOME}: {@code STATE/pyro/secrets/<hash>} where
     * STATE is {@code $XDG_STATE_HOME} or {@code ~/.local/state}, and hash the first 16 hex digits
     * of the SHA-256 of the home's absolute path (one vault per {@code PYRO_HOME}).
     */
    public static Path defaultDir(Path pyroHome, Path stateHome) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(
                    pyroHome.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return stateHome.resolve("pyro").resolve("secrets").resolve(HexFormat.of().formatHex(d, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /** Where the values of workspace {@code id} are kept. */
    public Path file(String id) {
        return dir.resolve(id + SUFFIX);
    }

    /** Stores {@code set} for workspace {@code id} (nothing for an empty set). */
    public void write(String id, SecretSet set) {
        if (set.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(dir, ownerOnly("rwx------"));
            restrict(dir, "rwx------");
            Path tmp = Files.createTempFile(dir, id + ".", ".tmp", ownerOnly("rw-------"));
            try {
                Files.write(tmp, PyroJson.compact().writeValueAsBytes(set.values()));
                Files.move(tmp, file(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | JacksonException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot store the secrets of workspace " + id + " in " + dir
                    + ": " + reason(e), e);
        }
    }

    /**
     * The secrets of workspace {@code id}: empty when it has none. Read as a {@link JsonTrees}
     * tree, without a mapper: an exec in a workspace with secrets reads them for its redaction
     * net (docs/performance.md, "CLI start-up"); the file must be the object of strings pyro wrote.
     */
    public SecretSet read(String id) {
        Path f = file(id);
        if (!Files.exists(f)) {
            return SecretSet.NONE;
        }
        try {
            JsonNode tree = JsonTrees.read(Files.readAllBytes(f));
            if (tree == null || !tree.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : tree.properties()) {
                if (!e.getValue().isString()) {
                    throw new IllegalArgumentException("a value that is not a string"); // no value in a message
                }
                m.put(e.getKey(), e.getValue().stringValue());
            }
            return new SecretSet(m);
        } catch (IOException | JacksonException | IllegalArgumentException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot read the secrets of workspace " + id + " from " + f
                    + ": " + reason(e) + "; the file must be the JSON pyro wrote", e);
        }
    }

    /** Removes the secrets of workspace {@code id} (nothing when it has none). */
    public void delete(String id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot remove " + file(id) + ": " + reason(e), e);
        }
    }

    // A parse error of Jackson quotes the input: never put one in a message.
    private static String reason(Exception e) {
        return e instanceof JacksonException ? "malformed JSON" : String.valueOf(e.getMessage());
    }

    private static FileAttribute<?>[] ownerOnly(String perms) {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms))};
        }
        return new FileAttribute<?>[0];
    }

    private static void restrict(Path p, String perms) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        }
    }
}
