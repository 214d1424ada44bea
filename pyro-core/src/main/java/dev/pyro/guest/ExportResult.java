package dev.pyro.guest;

import java.util.List;

/**
 * Outcome of an {@code archive_export}.
 *
 * @param entries tar entries written
 * @param bytes   regular-file payload bytes in the archive
 * @param type    what the exported path is
 * @param missing for an export of selected {@code paths}: those that were not exported
 *                (missing, through a symlink or through a non-directory); otherwise empty
 */
public record ExportResult(long entries, long bytes, FileType type, List<String> missing) {

    /** Copies the list; see the record description. */
    public ExportResult {
        missing = List.copyOf(missing);
    }

    /** An export of a whole path (nothing can be missing). */
    public ExportResult(long entries, long bytes, FileType type) {
        this(entries, bytes, type, List.of());
    }
}
