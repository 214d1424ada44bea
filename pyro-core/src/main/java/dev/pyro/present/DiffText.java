package dev.pyro.present;

import dev.pyro.DiffSummary;
import dev.pyro.WorkspaceDiff;
import dev.pyro.WorkspaceExportResult;
import java.util.Locale;

/** The forms of {@code workspace diff} and {@code workspace export}. */
public final class DiffText {
    private DiffText() {
    }

    /**
     * The counts of a diff:
     * {@code changed=… added=… modified=… deleted=… type_changed=… binary=… too_large=…}.
     */
    public static String counts(WorkspaceDiff d) {
        DiffSummary s = d.summary();
        return "changed=" + d.changed() + " added=" + s.added() + " modified=" + s.modified() + " deleted="
                + s.deleted() + " type_changed=" + s.typeChanged() + " binary=" + s.binary() + " too_large="
                + s.tooLarge();
    }

    /** The patch on stdout, a summary line on stderr; for a model the counts, then the patch. */
    public static Outcome diff(String workspaceId, WorkspaceDiff d) {
        return Outcome.of(d).stdout(d.patch())
                .summary("[workspace-diff] workspace_id=" + workspaceId + " " + counts(d))
                .modelText(counts(d) + "\n" + d.patch());
    }

    /** The output path on stdout (what a script wants next), the details on stderr. */
    public static Outcome export(String workspaceId, WorkspaceExportResult r) {
        return Outcome.of(r).stdout(Payload.line(r.outputPath().toString()))
                .summary("[workspace-export] workspace_id=" + workspaceId + " workspace_path="
                        + GuestText.oneLine(r.workspacePath()) + " artifact_type="
                        + r.artifactType().name().toLowerCase(Locale.ROOT) + " entry_count=" + r.entryCount()
                        + " bytes_written=" + r.bytesWritten()
                        + (r.skippedCount() == 0 ? "" : " skipped=" + r.skippedCount() + " (special files: "
                                + GuestText.oneLine(String.join(" ", r.skipped())) + ")"));
    }
}
