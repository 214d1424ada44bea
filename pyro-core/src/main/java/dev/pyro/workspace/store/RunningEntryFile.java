package dev.pyro.workspace.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import tools.jackson.core.exc.UnexpectedEndOfInputException;

/**
 * A running journal entry created under its final name and written in place, where every
 * other state file is replaced by temp file and rename. Why that is sound for this one file:
 * <ul>
 * <li>it is created with {@code O_CREAT|O_EXCL} under the record lock, so the name (the
 *     number) is this allocation's alone, and the next allocation anywhere counts it at once;</li>
 * <li>it is written whole <em>before</em> the command is sent to the agent, so a file that is
 *     empty or cut short can only belong to a command that never started: its process died
 *     between the create and the end of the write, or is still writing it;</li>
 * <li>so every reader treats such a torn file ({@link #blank}, or {@link #torn} JSON) as an entry that is not there (never
 *     started, or not yet), never as a damaged one, and its number stays taken because the
 *     file exists; the completed entry replaces it later by rename, as before.</li>
 * </ul>
 * One rename (a directory update in the file system's journal) less on the exec path.
 */
final class RunningEntryFile {
    private RunningEntryFile() {
    }

    /**
     * Creates {@code file}, which must not exist, and writes {@code content} into it, not
     * flushed. The open channel is returned for the background flush, which closes it.
     * A write that fails removes the file again: no one was told its number.
     */
    static FileChannel create(Path file, byte[] content) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            Failpoints.reached("journal", "entry-created");
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            return ch;
        } catch (IOException | RuntimeException | Error e) {
            ch.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Whether an entry file holds nothing yet: empty, or only blanks and zero bytes (torn before its first byte). */
    static boolean blank(byte[] content) {
        for (byte b : content) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t' && b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code e}, raised decoding an entry file, says the content ended early (a torn file). */
    static boolean torn(Throwable e) {
        return e instanceof UnexpectedEndOfInputException;
    }
}
