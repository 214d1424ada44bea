package dev.pyro.guest;

/**
 * Outcome of an {@code archive_export}.
 *
 * @param entries tar entries written
 * @param bytes   regular-file payload bytes in the archive
 * @param type    what the exported path is
 */
public record ExportResult(long entries, long bytes, FileType type) {
}
