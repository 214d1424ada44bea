package dev.pyro;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Base64;

/**
 * One path that differs from the baseline. Sides that do not exist are {@code null}
 * ({@code old_*} for an added entry, {@code new_*} for a deleted one); sizes are
 * {@code null} for directories, link targets for anything but symlinks.
 *
 * <p>File names are bytes and need not be UTF-8. {@code path} is the name itself when it is
 * valid UTF-8 without control characters; otherwise it is the name C-quoted in double
 * quotes the way git prints it ({@code "bad\377.txt"}: octal escapes for control bytes and
 * bytes that are not UTF-8), and {@code pathBytesB64} holds the exact bytes.
 *
 * @param path          path relative to {@code /workspace} (its display form, see above)
 * @param pathBytesB64  the path's exact bytes in base64 when {@code path} is a quoted form,
 *                      else {@code null}
 * @param status        how it differs
 * @param kind          its kind now (for a deleted entry: its kind in the baseline)
 * @param oldKind       its kind in the baseline, only for {@link DiffStatus#TYPE_CHANGED}
 * @param binary        a regular file whose content (on either side) is not text: a NUL byte
 *                      in the first 8 KiB or invalid UTF-8; never hunks in the patch
 * @param tooLarge      a regular file whose content (on either side) is text larger than the
 *                      patch limit (1 MiB); an entry without hunks, but not binary
 * @param oldSize       size in the baseline
 * @param newSize       size now
 * @param oldMode       permission bits in the baseline ({@code mode & 07777})
 * @param newMode       permission bits now
 * @param oldLinkTarget symlink target in the baseline (display form, like {@code path})
 * @param newLinkTarget symlink target now (display form)
 */
public record DiffEntry(String path, String pathBytesB64, DiffStatus status, EntryKind kind, EntryKind oldKind,
        boolean binary, boolean tooLarge, Long oldSize, Long newSize, Integer oldMode, Integer newMode,
        String oldLinkTarget, String newLinkTarget) {

    /** The path's exact bytes (from {@code pathBytesB64}, else the UTF-8 of {@code path}); not a JSON member. */
    @JsonIgnore
    public byte[] pathBytes() {
        return pathBytesB64 != null ? Base64.getDecoder().decode(pathBytesB64)
                : path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
