package dev.pyro.workspace.store;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/**
 * Reads and writes {@code disk/disk.json} ({@link DiskState}). Writers hold the exclusive
 * workspace lock; readers take none (the file is replaced atomically). Unknown top-level
 * fields written by a newer pyro are kept.
 */
public final class DiskStates {
    private DiskStates() {
    }

    /**
     * The disk state of a workspace, or empty for one whose create never made its disk (or
     * that was created by a pyro without disk layers).
     *
     * @throws PyroException {@link ErrorCode#IO_ERROR} for a file that cannot be read
     */
    public static Optional<DiskState> read(WorkspacePaths paths) {
        Path file = paths.diskStateFile();
        try {
            return Optional.of(decode(paths, Files.readAllBytes(file)).value());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the disk state (the caller holds the exclusive workspace lock). */
    public static DiskState write(WorkspacePaths paths, DiskState state) {
        Path file = paths.diskStateFile();
        try {
            StateJson.Document<DiskState> previous = null;
            if (Files.exists(file)) {
                try {
                    previous = decode(paths, Files.readAllBytes(file));
                } catch (PyroException unreadable) {
                    // replaced whole: what we write is the truth from now on
                }
            }
            Files.createDirectories(paths.diskDir());
            AtomicFiles.write(file, StateJson.write(state, previous == null ? null : previous.tree()));
            return state;
        } catch (IOException e) {
            throw new PyroException(e.getMessage() != null && e.getMessage().contains("No space") ? ErrorCode.NO_SPACE
                    : ErrorCode.IO_ERROR, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static StateJson.Document<DiskState> decode(WorkspacePaths paths, byte[] bytes) {
        try {
            return StateJson.read(bytes, DiskState.class, DiskState.FORMAT);
        } catch (JacksonException | IllegalArgumentException | StateJson.NewerFormatException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "workspace " + paths.id() + " has an unreadable disk record "
                    + paths.diskStateFile() + ": " + e.getMessage(), e);
        }
    }
}
