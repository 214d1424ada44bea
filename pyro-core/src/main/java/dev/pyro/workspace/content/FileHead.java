package dev.pyro.workspace.content;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.ArchiveClient;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The first bytes of one regular file in the guest, read through the agent's
 * {@code archive_export} as it streams: the host keeps at most the bytes asked for, and once
 * it has them the export is cancelled in the guest, so a huge file costs no more than a small
 * one.
 */
public final class FileHead {
    private FileHead() {
    }

    /**
     * What was read.
     *
     * @param bytes     the file's first bytes, at most the limit asked for
     * @param size      the file's size
     * @param truncated whether the file holds more than {@code bytes}
     */
    public record Head(byte[] bytes, long size, boolean truncated) {
        public Head {
            bytes = bytes.clone();
        }

        /** The bytes (a copy). */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    /**
     * Reads at most {@code maxBytes} of the regular file {@code path}.
     *
     * @throws PyroException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#PATH_OUTSIDE_WORKSPACE},
     *                       {@link ErrorCode#INVALID_ARGUMENT} when it is not a regular file
     */
    public static Head read(ArchiveClient archives, String path, int maxBytes) {
        AtomicReference<Head> head = new AtomicReference<>();
        try {
            TarFetch.pipe(out -> archives.exportTar(path, out), in -> {
                TarArchiveInputStream tar = new TarArchiveInputStream(in);
                TarArchiveEntry e = tar.getNextEntry();
                if (e == null || !TarFetch.isRegularFile(e)) {
                    throw new PyroException(ErrorCode.INVALID_ARGUMENT, path + " is not a regular file");
                }
                byte[] bytes = tar.readNBytes(maxBytes);
                head.set(new Head(bytes, e.getSize(), e.getSize() > bytes.length));
                // Returning closes our end: the rest of a large file is not sent.
            });
        } catch (PyroException e) {
            if (head.get() == null) {
                throw e;
            }
            // the export failed only because we stopped reading it
        }
        return head.get();
    }
}
