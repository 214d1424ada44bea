package dev.pyro.workspace.content;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.BytePath;
import dev.pyro.guest.FileType;
import dev.pyro.guest.ManifestEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Merge-joins the baseline manifest (read from disk) with the current one (streamed from
 * the guest); both are in the agent's byte order, so one pass finds every difference while
 * holding only the differences.
 */
final class ManifestJoin {
    private ManifestJoin() {
    }

    static List<WorkspaceDiffer.Change> changes(Baseline baseline, ManifestSource current) {
        List<WorkspaceDiffer.Change> changes = new ArrayList<>();
        try (Baseline.Cursor cursor = baseline.cursor()) {
            ManifestEntry[] old = {cursor.next()};
            BytePath[] previous = {null};
            current.stream(now -> {
                if (previous[0] != null && previous[0].compareTo(now.path()) >= 0) {
                    throw new PyroException(ErrorCode.AGENT_PROTOCOL_ERROR, "manifest entries out of order: "
                            + now.path() + " after " + previous[0]);
                }
                if (now.type() == FileType.FILE && now.sha256() == null) {
                    throw new PyroException(ErrorCode.AGENT_PROTOCOL_ERROR, "manifest entry " + now.path()
                            + " lacks its sha256");
                }
                previous[0] = now.path();
                while (old[0] != null && old[0].path().compareTo(now.path()) < 0) {
                    changes.add(new WorkspaceDiffer.Change(old[0].path(), old[0], null));
                    old[0] = cursor.next();
                }
                if (old[0] != null && old[0].path().equals(now.path())) {
                    if (differs(old[0], now)) {
                        changes.add(new WorkspaceDiffer.Change(now.path(), old[0], now));
                    }
                    old[0] = cursor.next();
                } else {
                    changes.add(new WorkspaceDiffer.Change(now.path(), null, now));
                }
            });
            for (; old[0] != null; old[0] = cursor.next()) {
                changes.add(new WorkspaceDiffer.Change(old[0].path(), old[0], null));
            }
        }
        return changes;
    }

    /**
     * Whether two entries of one path differ in anything a diff reports: kind, permission
     * bits, a file's content hash, a symlink's target. Times and directory sizes do not count
     * (touching a file is not a change).
     */
    static boolean differs(ManifestEntry a, ManifestEntry b) {
        if (a.type() != b.type()) {
            return true;
        }
        return switch (a.type()) {
            case FILE -> !Objects.equals(a.sha256(), b.sha256()) || (a.mode() & 07777) != (b.mode() & 07777);
            case SYMLINK -> !Objects.equals(a.linkTarget(), b.linkTarget());
            case DIRECTORY, OTHER -> (a.mode() & 07777) != (b.mode() & 07777);
        };
    }
}
