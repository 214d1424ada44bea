package dev.pyro;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a guest command's standard input comes from ({@link WorkspaceExecRequest#withStdin},
 * {@link RunRequest#withStdin}, and the agent client's {@code ExecRequest}). Opened once per
 * command; pyro closes the stream when the command ends. Bytes are read only as fast as the
 * guest consumes them, so a source of any size streams in bounded memory; what the command
 * leaves unread is not read.
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
