package dev.pyro.workspace;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * A host archive that cannot be read (corrupt compression). It travels as an
 * {@link IOException} through the agent client's stream reading and is turned into
 * {@code malformed_archive} by {@link ArchivePush}.
 */
final class MalformedArchiveException extends IOException {
    MalformedArchiveException(String message) {
        super(message);
    }

    /** {@code in}, with every read failure reported as a malformed {@code file}. */
    static InputStream guard(InputStream in, Path file) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (MalformedArchiveException e) {
                    throw e;
                } catch (IOException e) {
                    throw new MalformedArchiveException(file + " is not a readable gzip stream: " + e.getMessage());
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (MalformedArchiveException e) {
                    throw e;
                } catch (IOException e) {
                    throw new MalformedArchiveException(file + " is not a readable gzip stream: " + e.getMessage());
                }
            }
        };
    }
}
