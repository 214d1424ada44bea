package dev.pyro;

import java.util.List;

/**
 * The difference between the current {@code /workspace} and its baseline. An unchanged
 * workspace is {@code changed: false} with {@link DiffSummary#EMPTY}, no entries and an
 * empty patch; a diff that could not be computed is an exception, never this record.
 *
 * @param changed whether anything differs
 * @param summary counts per status
 * @param entries every differing path, in byte order of the path
 * @param patch   a git-style unified diff of the text files (and symlinks as git stores
 *                them) that {@code git apply} or {@code patch -p1} applies to a copy of the
 *                baseline; binary content never appears as hunks
 */
public record WorkspaceDiff(boolean changed, DiffSummary summary, List<DiffEntry> entries, String patch) {

    /** Copies the list; see the record description. */
    public WorkspaceDiff {
        entries = List.copyOf(entries);
    }

    /** The diff of an unchanged workspace. */
    public static WorkspaceDiff unchanged() {
        return new WorkspaceDiff(false, DiffSummary.EMPTY, List.of(), "");
    }
}
