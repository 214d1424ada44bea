package dev.pyro.present;

import dev.pyro.EntryKind;
import dev.pyro.PatchApplyResult;
import dev.pyro.PatchedFile;
import dev.pyro.WorkspaceFileEntry;
import dev.pyro.WorkspaceFileList;
import dev.pyro.WorkspaceFileRead;
import dev.pyro.WorkspaceFileWrite;
import java.util.Locale;

/**
 * The forms of the file tools and patch apply. File names and content come from the guest:
 * names are sanitised wherever pyro prints them; a file's content is payload, passed through
 * as it is on the CLI (what the user asked for), and given to a model as text only when it is
 * text.
 */
public final class FileText {
    private FileText() {
    }

    /** {@code file list}: one line per entry; for a model, a count first. */
    public static Outcome list(WorkspaceFileList l) {
        StringBuilder lines = new StringBuilder();
        for (WorkspaceFileEntry e : l.entries()) {
            lines.append(String.format("%-7s %10s %04o %s", e.kind().name().toLowerCase(Locale.ROOT),
                    e.kind() == EntryKind.DIR ? "-" : Long.toString(e.size()), e.mode() & 07777,
                    GuestText.oneLine(e.path()) + (e.kind() == EntryKind.DIR ? "/" : "")));
            if (e.linkTarget() != null) {
                lines.append(" -> ").append(GuestText.oneLine(e.linkTarget()));
            }
            lines.append('\n');
        }
        String more = l.truncated() ? " (only the first " + WorkspaceFileList.MAX_ENTRIES
                + " entries: list a subdirectory to see the rest)" : "";
        String head = l.entries().size() + " entries under " + GuestText.oneLine(l.path())
                + (l.recursive() ? " (recursive)" : "") + more;
        Outcome o = Outcome.of(l).stdout(lines.toString()).modelText(head + "\n" + lines);
        return l.truncated() ? o.summary("pyro: " + head) : o;
    }

    /**
     * {@code file read}: the content on stdout (text, or the bytes with {@code contentOnly}),
     * a summary line on stderr unless {@code contentOnly}; for a model, the facts, then the text.
     */
    public static Outcome read(WorkspaceFileRead r, boolean contentOnly) {
        String facts = GuestText.oneLine(r.path()) + ": " + r.bytesRead() + " of " + r.size() + " bytes"
                + (r.truncated() ? ", cut (read again with a larger max_bytes for more)" : "")
                + (r.binary() ? ", binary" : "");
        Outcome o = Outcome.of(r);
        if (contentOnly) {
            return o.stdout(Payload.bytes(r.contentBytes())).modelText(facts);
        }
        String summary = "[file-read] workspace_id=" + r.workspaceId() + " path=" + GuestText.oneLine(r.path())
                + " size=" + r.size() + " bytes_read=" + r.bytesRead() + " truncated=" + r.truncated() + " binary="
                + r.binary();
        if (r.binary()) {
            return o.summary(summary, "pyro: binary content not printed; --content-only prints its bytes, --json "
                    + "gives them in base64").modelText(facts + "\nThe content is not text; its bytes are base64 in "
                    + "the structured result (content, encoding base64).");
        }
        return o.stdout(Payload.text(r.content())).summary(summary).modelText(facts + "\n" + r.content());
    }

    /** {@code file write}: a summary line. */
    public static Outcome write(WorkspaceFileWrite w) {
        return Outcome.of(w).summary("Wrote " + w.bytes() + " bytes to " + GuestText.oneLine(w.path()) + " in "
                + w.workspaceId() + (w.created() ? " (new file, mode " : " (mode ")
                + String.format("%04o", w.mode()) + ")");
    }

    /** {@code patch apply}: one line per file changed. */
    public static Outcome patched(PatchApplyResult r) {
        StringBuilder lines = new StringBuilder();
        for (PatchedFile f : r.files()) {
            lines.append(f.status()).append(' ').append(GuestText.oneLine(f.path()));
            if (f.fromPath() != null) {
                lines.append(" (from ").append(GuestText.oneLine(f.fromPath())).append(')');
            }
            lines.append(": ").append(f.hunks()).append(f.hunks() == 1 ? " hunk" : " hunks").append(", +")
                    .append(f.linesAdded()).append(" -").append(f.linesRemoved()).append('\n');
        }
        String summary = "Applied the patch to " + r.files().size() + (r.files().size() == 1 ? " file" : " files")
                + " in " + r.workspaceId() + ": +" + r.linesAdded() + " -" + r.linesRemoved();
        return Outcome.of(r).stdout(lines.toString()).summary(summary).modelText(summary + "\n" + lines);
    }
}
