package dev.pyro.workspace.patch;

import java.util.List;

/**
 * The changes of one file in a patch.
 *
 * @param kind      what happens to the file
 * @param oldPath   the path before (as in the patch, prefix {@code a/} removed), or {@code null}
 *                  for an added file
 * @param newPath   the path after, or {@code null} for a deleted file
 * @param newMode   the permission bits the file gets ({@code new mode}, {@code new file mode}),
 *                  or {@code null} to keep them (0644 for a new file)
 * @param hunks     the text changes, in order
 * @param unsupported why pyro cannot apply this file's change (a binary change, a symlink, a
 *                  submodule), or {@code null}
 * @param patchLine where the file's section starts in the patch (1-based)
 */
public record FilePatch(Kind kind, String oldPath, String newPath, Integer newMode, List<Hunk> hunks,
        String unsupported, int patchLine) {
    /** What a patch does to a file. */
    public enum Kind {
        /** Changes an existing file in place. */
        MODIFY,
        /** Creates a file that must not exist. */
        ADD,
        /** Removes a file whose whole content the patch names. */
        DELETE,
        /** Moves a file (and may change it); the new path must not exist. */
        RENAME,
        /** Copies a file (and may change the copy); the new path must not exist. */
        COPY;

        /** The lower-case name used in results. */
        public String wireName() {
            return switch (this) {
                case MODIFY -> "modified";
                case ADD -> "added";
                case DELETE -> "deleted";
                case RENAME -> "renamed";
                case COPY -> "copied";
            };
        }
    }

    public FilePatch {
        hunks = List.copyOf(hunks);
    }

    /** The path the file has after the patch, or before it for a deletion: what messages name. */
    public String path() {
        return newPath != null ? newPath : oldPath;
    }

    /** Lines the patch adds to this file. */
    public int added() {
        return hunks.stream().mapToInt(Hunk::added).sum();
    }

    /** Lines it removes. */
    public int removed() {
        return hunks.stream().mapToInt(Hunk::removed).sum();
    }
}
