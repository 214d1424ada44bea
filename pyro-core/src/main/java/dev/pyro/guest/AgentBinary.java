package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.IoMessages;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Locates the {@code pyro-agent} binary: the system property {@value #PROPERTY} when set
 * (the build points it at {@code agent/target/bin/pyro-agent}), else the copy packaged in the
 * pyro-core jar at {@value #RESOURCE}, extracted once into the user cache under a name
 * derived from its SHA-256 (so concurrent JVMs and upgrades never see a half-written or
 * stale file).
 */
public final class AgentBinary {
    /** System property naming an agent binary to use instead of the packaged one. */
    public static final String PROPERTY = "pyro.agent.binary";
    /** Class-path resource holding the packaged agent. */
    public static final String RESOURCE = "/dev/pyro/guest/agent/pyro-agent";

    /** The packaged agent as extracted (and verified) by this process, once. */
    private static volatile Path extracted;

    private AgentBinary() {
    }

    /**
     * The agent executable's path.
     *
     * @throws PyroException {@link ErrorCode#AGENT_UNAVAILABLE} when the property names no
     *     executable file and no agent is packaged, {@link ErrorCode#IO_ERROR} when extraction fails
     */
    public static Path extract() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toAbsolutePath();
            }
            if (AgentBinary.class.getResource(RESOURCE) == null) {
                throw new PyroException(ErrorCode.AGENT_UNAVAILABLE, "the agent binary " + p + " (system property "
                        + PROPERTY + ") is not an executable file; build it with `make -C agent`");
            }
        }
        Path known = extracted;
        // The packaged copy cannot change while this JVM runs: hash and compare it once, and
        // afterwards only check that nobody removed the extracted file (a cache cleanup).
        if (known != null && Files.isRegularFile(known) && Files.isExecutable(known)) {
            return known;
        }
        try {
            Path path = extractResource(cacheDir());
            extracted = path;
            return path;
        } catch (IOException | UncheckedIOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot extract the packaged agent binary: " + IoMessages.describe(e), e);
        }
    }

    static Path extractResource(Path cacheRoot) throws IOException {
        byte[] bytes;
        try (InputStream in = AgentBinary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new PyroException(ErrorCode.AGENT_UNAVAILABLE, "no agent binary: this pyro-core jar does not "
                        + "contain " + RESOURCE + " and the system property " + PROPERTY + " is not set");
            }
            bytes = in.readAllBytes(); // a couple of MiB at most: a static binary
        }
        String digest = sha256(bytes);
        Path dir = cacheRoot.resolve(digest.substring(0, 16));
        Path target = dir.resolve("pyro-agent");
        if (Files.isRegularFile(target) && Files.isExecutable(target) && Files.size(target) == bytes.length
                && sha256(Files.readAllBytes(target)).equals(digest)) {
            return target;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "pyro-agent", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    private static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("pyro").resolve("agent");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
