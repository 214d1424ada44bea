package dev.pyro.cli.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Where a running exec server listens: a port on the loopback address and the token a client
 * must present, in the server's endpoint file ({@code PORT TOKEN}, mode 600, in a directory only
 * its user can enter). The loopback port is open to every local user; the token, which only the
 * server's user can read, is what admits a client (as a Gradle daemon admits its clients).
 * TCP rather than a Unix socket: the JDK's Unix sockets set up its security providers when first
 * used, ~10 ms of each served call's client (docs/performance.md, "The exec server").
 *
 * @param port the loopback port
 * @param token 64 hex digits
 */
record Endpoint(int port, String token) {
    /** The largest endpoint file a client reads. */
    private static final int MAX_FILE = 256;

    /** A fresh token for a server listening on {@code port}. */
    static Endpoint fresh(int port) {
        byte[] token = new byte[32];
        new SecureRandom().nextBytes(token);
        return new Endpoint(port, HexFormat.of().formatHex(token));
    }

    /** The endpoint in {@code file}; an {@link IOException} when it is missing, too long or malformed. */
    static Endpoint read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length > MAX_FILE) {
            throw new IOException(file + " is too long for an endpoint");
        }
        String text = new String(bytes, StandardCharsets.US_ASCII).strip();
        int space = text.indexOf(' ');
        try {
            int port = Integer.parseInt(text.substring(0, Math.max(space, 0)));
            String token = text.substring(space + 1);
            if (port < 1 || port > 65535 || token.length() != 64) {
                throw new IOException(file + " holds no endpoint");
            }
            return new Endpoint(port, token);
        } catch (NumberFormatException e) {
            throw new IOException(file + " holds no endpoint", e);
        }
    }

    /** Writes this endpoint to {@code file} atomically, readable by its owner only. */
    void write(Path file) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), ".endpoint", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, port + " " + token + "\n", StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Whether {@code presented} is this endpoint's token, in time that does not depend on where they differ. */
    boolean admits(String presented) {
        return MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }
}
