package dev.pyro.guest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an exec's standard input comes from. Opened once per exec; the client closes the
 * stream when the exec ends. Bytes are read only as fast as the guest consumes them.
 */
@FunctionalInterface
public interface StdinSource {

    /** Opens the stream to send. */
    InputStream open() throws IOException;

    /** Fixed bytes (not copied). */
    static StdinSource ofBytes(byte[] bytes) {
        return () -> new ByteArrayInputStream(bytes);
    }

    /** The contents of a host file. */
    static StdinSource ofPath(Path path) {
        return () -> Files.newInputStream(path);
    }

    /** An already open stream; such a request can be executed only once. */
    static StdinSource of(InputStream in) {
        return () -> in;
    }
}
