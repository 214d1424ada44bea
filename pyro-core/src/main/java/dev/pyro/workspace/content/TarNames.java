package dev.pyro.workspace.content;

import dev.pyro.guest.BytePath;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Tar streams whose entry names are exact bytes. Guest names need not be UTF-8, so every
 * name field is read and written as ISO-8859-1 (one char per byte, nothing lost), and long
 * names use GNU {@code L}/{@code K} entries, which hold bytes like the other name fields
 * (pax {@code path} records would have to be UTF-8). The agent reads and writes the same.
 */
public final class TarNames {
    private static final String BYTES = StandardCharsets.ISO_8859_1.name();

    private TarNames() {
    }

    /** A tar reader whose entry names are {@link BytePath#latin1()} strings. */
    public static TarArchiveInputStream reader(InputStream in) {
        return new TarArchiveInputStream(in, BYTES);
    }

    /**
     * A tar writer for names given as {@link BytePath#latin1()} strings: GNU long names, pax
     * only for sizes and times that do not fit ustar.
     */
    public static TarArchiveOutputStream writer(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, 64 * 1024, BYTES);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        return tar;
    }

    /** The exact bytes of an entry's name read by {@link #reader}. */
    public static BytePath name(TarArchiveEntry e) {
        return BytePath.fromLatin1(e.getName());
    }

    /** The exact bytes of an entry's link target read by {@link #reader}. */
    public static BytePath linkName(TarArchiveEntry e) {
        return BytePath.fromLatin1(e.getLinkName());
    }
}
