package dev.pyro.present;

import dev.pyro.WorkspaceDiskEntry;
import dev.pyro.WorkspaceDiskExportResult;
import dev.pyro.WorkspaceDiskListing;
import dev.pyro.WorkspaceDiskRead;
import dev.pyro.WorkspaceSnapshot;
import dev.pyro.WorkspaceSnapshotDeleteResult;
import dev.pyro.WorkspaceSnapshotList;
import dev.pyro.WorkspaceStatus;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The forms of the snapshot, reset, stop/start and disk operations. Names on a guest's disk
 * are the guest's choice, so they are sanitised before a terminal sees them; a file's content
 * read with {@code --content-only} is payload and passes unchanged.
 */
public final class LifecycleText {
    private LifecycleText() {
    }

    /** {@code snapshot create}: one summary line. */
    public static Outcome created(WorkspaceSnapshot s) {
        return Outcome.of(s).summary("[workspace-snapshot] workspace_id=" + s.workspaceId() + " snapshot=" + s.name()
                + " created_at=" + s.createdAt());
    }

    /** {@code snapshot list}: one line per snapshot. */
    public static Outcome list(WorkspaceSnapshotList l) {
        StringBuilder out = new StringBuilder(String.format("%-24s %s%n", "NAME", "CREATED"));
        l.snapshots().forEach(s -> out.append(String.format("%-24s %s%n", s.name(), s.createdAt())));
        return Outcome.of(l).stdout(out.toString());
    }

    /** {@code snapshot delete}: one summary line. */
    public static Outcome deleted(WorkspaceSnapshotDeleteResult r) {
        return Outcome.of(r).summary("Deleted snapshot " + r.name() + " of " + r.workspaceId());
    }

    /** {@code reset}, {@code stop}, {@code start}: the status, and a line saying what happened. */
    public static Outcome lifecycle(String what, WorkspaceStatus ws) {
        return Outcome.of(ws).stdout(WorkspaceText.status(ws)).summary("[workspace-" + what + "] workspace_id="
                + ws.workspaceId() + " state=" + ws.state());
    }

    /** {@code disk export}: the image's path on stdout, the details on stderr. */
    public static Outcome exported(WorkspaceDiskExportResult r) {
        return Outcome.of(r).stdout(Payload.line(r.outputPath().toString())).summary("[workspace-disk-export] "
                + "workspace_id=" + r.workspaceId() + " format=" + r.format() + " bytes=" + r.bytes());
    }

    /** {@code disk list}: {@code TYPE SIZE PATH} lines (a symlink with its target). */
    public static Outcome listing(WorkspaceDiskListing l) {
        StringBuilder out = new StringBuilder();
        for (WorkspaceDiskEntry e : l.entries()) {
            out.append(String.format("%-9s %12d %s%s%n", e.type(), e.size(), GuestText.oneLine(e.path()),
                    e.linkTarget() == null ? "" : " -> " + GuestText.oneLine(e.linkTarget())));
        }
        Outcome o = Outcome.of(l).stdout(out.toString());
        return l.truncated() ? o.summary("[workspace-disk-list] workspace_id=" + l.workspaceId() + " entries="
                + l.entries().size() + " truncated=true") : o;
    }

    /**
     * {@code disk read}: the content (UTF-8 text when it is, else base64 with
     * {@code "encoding": "base64"}) in JSON; on stdout the raw bytes with {@code --content-only},
     * else a header line and the sanitised text.
     */
    public static Outcome read(WorkspaceDiskRead r, boolean contentOnly) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("workspace_id", r.workspaceId());
        doc.put("path", r.path());
        doc.put("size", r.size());
        doc.put("bytes_read", r.content().length);
        doc.put("truncated", r.truncated());
        String text = utf8(r.content());
        doc.put("encoding", text == null ? "base64" : "utf-8");
        doc.put("content", text == null ? Base64.getEncoder().encodeToString(r.content()) : text);
        Outcome o = Outcome.of(doc);
        if (contentOnly) {
            return o.stdout(Payload.bytes(r.content())).modelText(text == null ? "(binary content, "
                    + r.content().length + " bytes; base64 in the structured result)" : text);
        }
        String header = "[workspace-disk-read] workspace_id=" + r.workspaceId() + " path=" + GuestText.oneLine(r.path())
                + " size=" + r.size() + " bytes_read=" + r.content().length + " truncated=" + r.truncated();
        return o.stdout(text == null ? "(binary content, " + r.content().length + " bytes)\n"
                : GuestText.sanitize(text)).summary(header);
    }

    /** The bytes as text when they are valid UTF-8, else {@code null}. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
