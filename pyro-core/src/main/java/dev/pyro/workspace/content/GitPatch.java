package dev.pyro.workspace.content;

import dev.pyro.EntryKind;
import dev.pyro.guest.BytePath;
import java.util.List;

/**
 * Sections of a git-style patch. Paths are their exact bytes, C-quoted like git does by
 * default (bytes outside printable ASCII as octal escapes, so a name that is not UTF-8 is
 * recreated byte for byte), which both {@code git apply} and GNU {@code patch} decode. Modes are git's: {@code 100644}, {@code 100755} (owner may execute)
 * and {@code 120000} for a symlink, whose "content" is its target without a newline.
 */
final class GitPatch {
    static final int REGULAR = 0100644;
    static final int EXECUTABLE = 0100755;
    static final int SYMLINK = 0120000;

    private GitPatch() {
    }

    /** Git's mode for a regular file ({@code mode}: permission bits) or a symlink. */
    static int gitMode(EntryKind kind, int mode) {
        if (kind == EntryKind.SYMLINK) {
            return SYMLINK;
        }
        return (mode & 0100) != 0 ? EXECUTABLE : REGULAR;
    }

    /** A new file (or symlink) with content {@code text}. */
    static String added(BytePath path, int gitMode, String text) {
        StringBuilder out = header(path).append("new file mode ").append(octal(gitMode)).append('\n');
        if (!text.isEmpty()) {
            out.append("--- /dev/null\n+++ ").append(label("b/", path)).append('\n');
            out.append(UnifiedHunks.format(List.of(), TextContent.lines(text)));
        }
        return out.toString();
    }

    /** A removed file (or symlink) whose content was {@code text}. */
    static String deleted(BytePath path, int gitMode, String text) {
        StringBuilder out = header(path).append("deleted file mode ").append(octal(gitMode)).append('\n');
        if (!text.isEmpty()) {
            out.append("--- ").append(label("a/", path)).append("\n+++ /dev/null\n");
            out.append(UnifiedHunks.format(TextContent.lines(text), List.of()));
        }
        return out.toString();
    }

    /**
     * A changed file or symlink: a mode line pair when the git modes differ, hunks when the
     * texts differ ({@code null} texts: mode only). Empty when git would show nothing.
     */
    static String modified(BytePath path, int oldMode, int newMode, String oldText, String newText) {
        boolean contentChanged = oldText != null && newText != null && !oldText.equals(newText);
        if (!contentChanged && oldMode == newMode) {
            return "";
        }
        StringBuilder out = header(path);
        if (oldMode != newMode) {
            out.append("old mode ").append(octal(oldMode)).append("\nnew mode ").append(octal(newMode)).append('\n');
        }
        if (contentChanged) {
            out.append("--- ").append(label("a/", path)).append("\n+++ ").append(label("b/", path)).append('\n');
            out.append(UnifiedHunks.format(TextContent.lines(oldText), TextContent.lines(newText)));
        }
        return out.toString();
    }

    private static StringBuilder header(BytePath path) {
        return new StringBuilder("diff --git ").append(quote("a/", path)).append(' ').append(quote("b/", path))
                .append('\n');
    }

    private static String octal(int mode) {
        return String.format("%06o", mode);
    }

    /**
     * A {@code ---}/{@code +++} file name. Like git, a name with a space ends with a tab:
     * GNU {@code patch} reads a name up to a tab (where diff puts a timestamp).
     */
    static String label(String prefix, BytePath path) {
        return quote(prefix, path) + (path.contains(' ') ? "\t" : "");
    }

    /** {@code prefix + path}, C-quoted when it holds anything git would quote. */
    static String quote(String prefix, BytePath path) {
        return path.prefixed(prefix).gitQuoted();
    }
}
