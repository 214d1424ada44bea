package dev.pyro.guest;

/**
 * Outcome of an {@code archive_import}.
 *
 * @param entries archive entries unpacked
 * @param bytes   regular-file payload bytes written
 */
public record ImportResult(long entries, long bytes) {
}
