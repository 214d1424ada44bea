package dev.pyro;

/**
 * One path that differs from the baseline. Sides that do not exist are {@code null}
 * ({@code old_*} for an added entry, {@code new_*} for a deleted one); sizes are
 * {@code null} for directories, link targets for anything but symlinks.
 *
 * @param path          path relative to {@code /workspace}
 * @param status        how it differs
 * @param kind          its kind now (for a deleted entry: its kind in the baseline)
 * @param oldKind       its kind in the baseline, only for {@link DiffStatus#TYPE_CHANGED}
 * @param binary        a regular file with no text hunks in the patch: content that is not
 *                      UTF-8 text (a NUL byte in the first 8 KiB or invalid UTF-8), or larger
 *                      than the text-diff cap (1 MiB)
 * @param oldSize       size in the baseline
 * @param newSize       size now
 * @param oldMode       permission bits in the baseline ({@code mode & 07777})
 * @param newMode       permission bits now
 * @param oldLinkTarget symlink target in the baseline
 * @param newLinkTarget symlink target now
 */
public record DiffEntry(String path, DiffStatus status, EntryKind kind, EntryKind oldKind, boolean binary,
        Long oldSize, Long newSize, Integer oldMode, Integer newMode, String oldLinkTarget, String newLinkTarget) {
}
