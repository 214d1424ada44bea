package dev.pyro.workspace.patch;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a unified diff: {@code git diff} output (extended headers for new, deleted, renamed,
 * copied files, modes, binary changes; C-quoted names; {@code a/} and {@code b/} prefixes) and
 * plain {@code diff -u} sections. Text before the first section and between sections is
 * ignored (a commit message, {@code Only in …} lines); inside a hunk the header's counts rule,
 * and a hunk whose body disagrees with them is malformed rather than guessed at.
 */
public final class PatchParser {
    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*");
    private static final int FILE_TYPE = 0170000;
    private static final int REGULAR = 0100000;
    private static final int SYMLINK = 0120000;
    private static final int GITLINK = 0160000;

    private final List<String> lines;
    private int i;

    private PatchParser(String text) {
        List<String> l = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!l.isEmpty() && l.get(l.size() - 1).isEmpty()) {
            l.remove(l.size() - 1); // the newline ending the last line
        }
        this.lines = l;
    }

    /**
     * The file sections of {@code text}.
     *
     * @throws PyroException {@link ErrorCode#MALFORMED_PATCH} naming the line, also when the
     *                       text holds no file section at all
     */
    public static List<FilePatch> parse(String text) {
        PatchParser p = new PatchParser(text);
        List<FilePatch> files = new ArrayList<>();
        while (p.i < p.lines.size()) {
            String line = p.lines.get(p.i);
            if (line.startsWith("diff --git ")) {
                files.add(p.gitSection());
            } else if (line.startsWith("--- ") && p.peek(1).startsWith("+++ ")) {
                files.add(p.plainSection());
            } else if (line.equals("-- ") && !files.isEmpty()) {
                break; // the signature of a mailed patch (git format-patch)
            } else {
                p.i++;
            }
        }
        if (files.isEmpty()) {
            throw malformed(0, "no file changes found (expected 'diff --git' or '---'/'+++' headers and @@ hunks)");
        }
        return files;
    }

    private String peek(int ahead) {
        int k = i + ahead;
        return k < lines.size() ? lines.get(k) : "";
    }

    private FilePatch gitSection() {
        int start = i + 1;
        String[] names = gitHeaderNames(strip(lines.get(i)), start);
        String oldPath = names[0];
        String newPath = names[1];
        FilePatch.Kind kind = FilePatch.Kind.MODIFY;
        Integer newMode = null;
        String unsupported = null;
        i++;
        while (i < lines.size()) {
            String h = strip(lines.get(i));
            if (h.startsWith("old mode ") || h.startsWith("deleted file mode ")) {
                unsupported = firstNonNull(unsupported, typeProblem(mode(h, i + 1), start));
                kind = h.startsWith("deleted") ? FilePatch.Kind.DELETE : kind;
            } else if (h.startsWith("new mode ") || h.startsWith("new file mode ")) {
                int m = mode(h, i + 1);
                unsupported = firstNonNull(unsupported, typeProblem(m, start));
                newMode = m & 0777;
                kind = h.startsWith("new file") ? FilePatch.Kind.ADD : kind;
            } else if (h.startsWith("rename from ") || h.startsWith("copy from ")) {
                kind = h.startsWith("rename") ? FilePatch.Kind.RENAME : FilePatch.Kind.COPY;
                oldPath = name(h.substring(h.indexOf(" from ") + 6), "", start);
            } else if (h.startsWith("rename to ") || h.startsWith("copy to ")) {
                newPath = name(h.substring(h.indexOf(" to ") + 4), "", start);
            } else if (h.startsWith("Binary files ") || h.equals("GIT binary patch")) {
                unsupported = "a binary change";
                skipBinary();
                continue;
            } else if (!(h.startsWith("index ") || h.startsWith("similarity index ")
                    || h.startsWith("dissimilarity index "))) {
                break;
            }
            i++;
        }
        if (lines.size() > i && lines.get(i).startsWith("--- ") && peek(1).startsWith("+++ ")) {
            String from = label(lines.get(i).substring(4), "a/", start);
            String to = label(lines.get(i + 1).substring(4), "b/", start);
            i += 2;
            if (from == null && kind == FilePatch.Kind.MODIFY) {
                kind = FilePatch.Kind.ADD;
            } else if (to == null && kind == FilePatch.Kind.MODIFY) {
                kind = FilePatch.Kind.DELETE;
            }
            oldPath = from != null && kind != FilePatch.Kind.RENAME && kind != FilePatch.Kind.COPY ? from : oldPath;
            newPath = to != null && kind != FilePatch.Kind.RENAME && kind != FilePatch.Kind.COPY ? to : newPath;
        }
        return finish(kind, oldPath, newPath, newMode, unsupported, start);
    }

    private FilePatch plainSection() {
        int start = i + 1;
        String rawFrom = label(lines.get(i).substring(4), "", start);
        String rawTo = label(lines.get(i + 1).substring(4), "", start);
        if (rawFrom == null && rawTo == null) {
            throw malformed(start, "both sides of the file header are /dev/null");
        }
        // git-style prefixes without the git header: dropped only when every named side has its own
        boolean prefixed = (rawFrom == null || rawFrom.startsWith("a/")) && (rawTo == null || rawTo.startsWith("b/"));
        String from = prefixed && rawFrom != null ? rawFrom.substring(2) : rawFrom;
        String to = prefixed && rawTo != null ? rawTo.substring(2) : rawTo;
        i += 2;
        FilePatch.Kind kind = from == null ? FilePatch.Kind.ADD : to == null ? FilePatch.Kind.DELETE
                : FilePatch.Kind.MODIFY;
        if (kind == FilePatch.Kind.MODIFY && !from.equals(to)) {
            // diff -u old new names two files; the one patched is the new name, as GNU patch does
            from = to;
        }
        return finish(kind, from, to, null, null, start);
    }

    private FilePatch finish(FilePatch.Kind kind, String oldPath, String newPath, Integer newMode, String unsupported,
            int start) {
        List<Hunk> hunks = new ArrayList<>();
        while (i < lines.size() && lines.get(i).startsWith("@@")) {
            hunks.add(hunk(kind == FilePatch.Kind.ADD ? newPath : oldPath));
        }
        oldPath = kind == FilePatch.Kind.ADD ? null : kind == FilePatch.Kind.MODIFY ? newPath : oldPath;
        newPath = kind == FilePatch.Kind.DELETE ? null : newPath;
        if ((kind != FilePatch.Kind.ADD && oldPath == null) || (kind != FilePatch.Kind.DELETE && newPath == null)) {
            throw malformed(start, "the file header names no file");
        }
        for (Hunk h : hunks) {
            if (kind == FilePatch.Kind.ADD && !h.oldLines().isEmpty()) {
                throw malformed(h.patchLine(), "a hunk of the new file " + newPath + " has old lines");
            }
            if (kind == FilePatch.Kind.DELETE && !h.newLines().isEmpty()) {
                throw malformed(h.patchLine(), "a hunk of the deleted file " + oldPath + " has new lines");
            }
        }
        return new FilePatch(kind, oldPath, newPath, newMode, hunks, unsupported, start);
    }

    private Hunk hunk(String path) {
        int start = i + 1;
        String header = strip(lines.get(i));
        Matcher m = HUNK.matcher(header);
        if (!m.matches()) {
            throw malformed(start, "not a hunk header (expected '@@ -a,b +c,d @@'): " + excerpt(header));
        }
        int oldStart = number(m.group(1), start);
        int oldCount = m.group(2) == null ? 1 : number(m.group(2), start);
        int newStart = number(m.group(3), start);
        int newCount = m.group(4) == null ? 1 : number(m.group(4), start);
        String where = "hunk " + header.substring(0, header.indexOf("@@", 2) + 2) + " of " + path;
        List<String> oldLines = new ArrayList<>();
        List<String> newLines = new ArrayList<>();
        int removed = 0;
        int added = 0;
        char last = 0;
        i++;
        while (oldLines.size() < oldCount || newLines.size() < newCount) {
            if (i >= lines.size()) {
                throw malformed(start, "the patch ends inside " + where + ": " + (oldCount - oldLines.size())
                        + " old and " + (newCount - newLines.size()) + " new lines are missing");
            }
            String l = lines.get(i);
            // an empty line is an empty context line whose leading space was lost (editors, mail)
            char c = l.isEmpty() ? ' ' : l.charAt(0);
            String text = (l.isEmpty() ? "" : l.substring(1)) + "\n";
            boolean oldFull = oldLines.size() >= oldCount;
            boolean newFull = newLines.size() >= newCount;
            switch (c) {
                case ' ' -> {
                    if (oldFull || newFull) {
                        throw tooLong(i + 1, where, oldFull ? "old" : "new");
                    }
                    oldLines.add(text);
                    newLines.add(text);
                }
                case '-' -> {
                    if (oldFull) {
                        throw tooLong(i + 1, where, "old");
                    }
                    oldLines.add(text);
                    removed++;
                }
                case '+' -> {
                    if (newFull) {
                        throw tooLong(i + 1, where, "new");
                    }
                    newLines.add(text);
                    added++;
                }
                case '\\' -> noNewline(last, oldLines, newLines, i + 1, where);
                default -> throw malformed(i + 1, where + " ends early: " + (oldCount - oldLines.size())
                        + " old and " + (newCount - newLines.size()) + " new lines are missing before "
                        + excerpt(l));
            }
            last = c == '\\' ? last : c;
            i++;
        }
        while (i < lines.size() && lines.get(i).startsWith("\\")) {
            noNewline(last, oldLines, newLines, i + 1, where);
            i++;
        }
        if (i < lines.size() && continuesHunk(lines.get(i))) {
            throw tooLong(i + 1, where, "old or new");
        }
        return new Hunk(oldStart, newStart, header, oldLines, newLines, removed, added, start);
    }

    /** Whether a line after a complete hunk looks like more of it (the header's counts are too small). */
    private boolean continuesHunk(String l) {
        if (l.isEmpty() || l.equals("-- ")) {
            return false;
        }
        if (l.startsWith("--- ") && peek(1).startsWith("+++ ")) {
            return false;
        }
        char c = l.charAt(0);
        return c == ' ' || c == '+' || c == '-';
    }

    /** {@code \ No newline at end of file}: the line before it has no newline, on its side(s). */
    private static void noNewline(char last, List<String> oldLines, List<String> newLines, int line, String where) {
        if (last == 0) {
            throw malformed(line, "'\\ No newline at end of file' before any line of " + where);
        }
        if (last != '+') {
            chop(oldLines);
        }
        if (last != '-') {
            chop(newLines);
        }
    }

    private static void chop(List<String> l) {
        String s = l.get(l.size() - 1);
        if (s.endsWith("\n")) {
            l.set(l.size() - 1, s.substring(0, s.length() - 1));
        }
    }

    private static PyroException tooLong(int line, String where, String side) {
        return malformed(line, where + " has more " + side + " lines than its header counts");
    }

    private void skipBinary() {
        i++;
        while (i < lines.size() && !lines.get(i).startsWith("diff --git ")) {
            i++;
        }
    }

    /** The two names of {@code diff --git a/X b/Y}, prefixes removed (renames repeat them in headers). */
    private static String[] gitHeaderNames(String header, int line) {
        String rest = header.substring("diff --git ".length());
        if (rest.startsWith("\"")) {
            int end = quotedEnd(rest, line);
            String a = name(rest.substring(0, end + 1), "a/", line);
            String b = name(rest.substring(end + 1).strip(), "b/", line);
            return new String[] {a, b};
        }
        // unquoted: "a/P b/P" with the same P is the common case; else split at the last " b/"
        int half = (rest.length() - 1) / 2;
        if (rest.length() % 2 == 1 && rest.charAt(half) == ' ' && rest.startsWith("a/")
                && rest.substring(half + 1).startsWith("b/")
                && rest.substring(2, half).equals(rest.substring(half + 3))) {
            String p = rest.substring(2, half);
            return new String[] {p, p};
        }
        int split = rest.lastIndexOf(" b/");
        if (split < 0) {
            split = rest.lastIndexOf(' ');
        }
        if (split < 0) {
            throw malformed(line, "cannot read the file names of: " + excerpt(header));
        }
        return new String[] {name(rest.substring(0, split), "a/", line), name(rest.substring(split + 1), "b/", line)};
    }

    /** A {@code ---}/{@code +++} name: {@code null} for /dev/null, else without prefix and timestamp. */
    private static String label(String raw, String prefix, int line) {
        String s = raw.startsWith("\"") ? raw : cutAtTab(raw);
        s = strip(s);
        return s.equals("/dev/null") ? null : name(s, prefix, line);
    }

    private static String cutAtTab(String s) {
        int tab = s.indexOf('\t');
        return tab < 0 ? s : s.substring(0, tab);
    }

    /** A file name as written (maybe C-quoted), without {@code prefix}. */
    private static String name(String raw, String prefix, int line) {
        String s = raw.startsWith("\"") ? unquote(raw, line) : strip(raw);
        if (!prefix.isEmpty() && s.startsWith(prefix)) {
            s = s.substring(prefix.length());
        }
        if (s.isEmpty()) {
            throw malformed(line, "an empty file name");
        }
        return s;
    }

    private static int quotedEnd(String s, int line) {
        for (int k = 1; k < s.length(); k++) {
            if (s.charAt(k) == '\\') {
                k++;
            } else if (s.charAt(k) == '"') {
                return k;
            }
        }
        throw malformed(line, "an unterminated quoted file name");
    }

    /** git's C quoting: {@code \"}, {@code \\}, {@code \t}, {@code \n}, … and octal bytes of UTF-8. */
    private static String unquote(String raw, int line) {
        int end = quotedEnd(raw, line);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int k = 1; k < end; k++) {
            char c = raw.charAt(k);
            if (c != '\\') {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                continue;
            }
            char e = raw.charAt(++k);
            switch (e) {
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 't' -> out.write('\t');
                case 'n' -> out.write('\n');
                case 'v' -> out.write(11);
                case 'f' -> out.write(12);
                case 'r' -> out.write('\r');
                case '"', '\\' -> out.write(e);
                default -> {
                    if (e < '0' || e > '3' || k + 2 >= end) {
                        throw malformed(line, "a bad escape in a quoted file name");
                    }
                    out.write(Integer.parseInt(raw.substring(k, k + 3), 8));
                    k += 2;
                }
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int mode(String header, int line) {
        String digits = header.substring(header.lastIndexOf(' ') + 1);
        try {
            return Integer.parseInt(digits, 8);
        } catch (NumberFormatException e) {
            throw malformed(line, "not an octal mode: " + excerpt(header));
        }
    }

    private static String typeProblem(int mode, int line) {
        return switch (mode & FILE_TYPE) {
            case REGULAR, 0 -> null;
            case SYMLINK -> "a symlink";
            case GITLINK -> "a submodule";
            default -> throw malformed(line, "an unknown file mode " + Integer.toOctalString(mode));
        };
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static int number(String digits, int line) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw malformed(line, "a line number out of range: " + digits);
        }
    }

    /** A header line without the carriage return of a patch saved with CRLF line ends. */
    private static String strip(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** At most 60 characters of {@code s}, quoted, for messages. */
    static String excerpt(String s) {
        String t = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        return "'" + (t.length() > 60 ? t.substring(0, 60) + "…" : t) + "'";
    }

    static PyroException malformed(int line, String message) {
        return new PyroException(ErrorCode.MALFORMED_PATCH, (line > 0 ? "patch line " + line + ": " : "patch: ")
                + message);
    }
}
