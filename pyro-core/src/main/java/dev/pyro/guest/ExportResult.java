package dev.pyro.guest;

import java.util.List;

/**
 * Outcome of an {@code archive_export}.
 *
 * @param entries      tar entries written
 * @param bytes        regular-file payload bytes in the archive
 * @param type         what the exported path is
 * @param missing      for an export of selected {@code paths}: those that were not exported
 *                     (missing, through a symlink or through a non-directory, or not a file,
 *                     directory or symlink); otherwise empty
 * @param skipped      for a whole-tree export: special files (FIFOs, sockets, devices) left
 *                     out; 0 for selected paths
 * @param skippedPaths the first of those (at most 100), named like the archive's entries
 */
public record ExportResult(long entries, long bytes, FileType type, List<BytePath> missing, long skipped,
        List<BytePath> skippedPaths) {

    /** Copies the lists; see the record description. */
    public ExportResult {
        missing = List.copyOf(missing);
        skippedPaths = List.copyOf(skippedPaths);
    }

    /** An export of a whole path that skipped nothing. */
    public ExportResult(long entries, long bytes, FileType type) {
        this(entries, bytes, type, List.of(), 0, List.of());
    }
}
