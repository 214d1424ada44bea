package dev.pyro.workspace.content;

import dev.pyro.DiffEntry;
import dev.pyro.DiffStatus;
import dev.pyro.DiffSummary;
import dev.pyro.EntryKind;
import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.WorkspaceDiff;
import dev.pyro.guest.BytePath;
import dev.pyro.guest.FileType;
import dev.pyro.guest.ManifestEntry;
import dev.pyro.io.IoMessages;
import dev.pyro.log.PyroLoggers;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Diffs the current {@code /workspace} against its {@link Baseline}, on the host.
 *
 * <p>Cost follows the change, not the workspace: the guest sends its hashed manifest
 * (one line per entry, with each file's text class), the host merge-joins it with the
 * baseline manifest, and only the regular files whose content is new to the host (not in
 * the baseline's object store, at most {@link #TEXT_LIMIT} bytes) are fetched, in batched
 * exports. Old content comes from the object store. Larger files are entries without hunks,
 * flagged binary or too large by their text class, never fetched. Names are bytes
 * throughout. Nothing here runs commands in the guest, so the command journal and shells
 * are untouched.
 *
 * <p>The patch lists removals first (deepest path first), then additions and changes in
 * path order, so a directory that became a file (or the reverse) applies cleanly.
 */
public final class WorkspaceDiffer {
    /** Larger files are entries without hunks ({@code too_large} when text, {@code binary} when not). */
    public static final int TEXT_LIMIT = 1 << 20;
    /** A workspace written to during the diff gets this many attempts. */
    private static final int ATTEMPTS = 3;
    private static final System.Logger LOG = PyroLoggers.of(WorkspaceDiffer.class);

    private WorkspaceDiffer() {
    }

    /**
     * Compares the workspace that {@code current} and {@code content} describe with
     * {@code baseline}.
     *
     * @throws PyroException {@link ErrorCode#IO_ERROR} when the baseline is damaged or the
     *     workspace kept changing during the diff, {@link ErrorCode#AGENT_PROTOCOL_ERROR} when
     *     the manifest is out of order, and whatever the sources throw
     */
    public static WorkspaceDiff diff(Baseline baseline, ManifestSource current, ContentSource content) {
        return diff(baseline, current, content, TEXT_LIMIT);
    }

    static WorkspaceDiff diff(Baseline baseline, ManifestSource current, ContentSource content, int textLimit) {
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(baseline, current, content, textLimit);
            } catch (StaleManifest e) {
                if (attempt == ATTEMPTS) {
                    throw new PyroException(ErrorCode.IO_ERROR, "the workspace kept changing during the diff ("
                            + e.getMessage() + "); try again when it is quiet");
                }
                LOG.log(System.Logger.Level.DEBUG, "workspace changed during the diff ({0}); again", e.getMessage());
            }
        }
    }

    /** A fetched file no longer matches the manifest taken moments before. */
    private static final class StaleManifest extends RuntimeException {
        StaleManifest(String message) {
            super(message, null, false, false);
        }
    }

    /** A path present on at least one side whose two sides differ. */
    record Change(BytePath path, ManifestEntry old, ManifestEntry now) {
    }

    /** What one change contributes: its entry, a removal section and an addition/change section. */
    private record Rendered(DiffEntry entry, String removal, String section) {
    }

    private static WorkspaceDiff attempt(Baseline baseline, ManifestSource current, ContentSource content,
            int textLimit) {
        List<Change> changes = ManifestJoin.changes(baseline, current);
        if (changes.isEmpty()) {
            return WorkspaceDiff.unchanged();
        }
        Rendered[] rendered = new Rendered[changes.size()];
        Map<BytePath, Integer> toFetch = new HashMap<>();
        List<BytePath> fetchOrder = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            byte[] old = oldContent(baseline, c, textLimit);
            NewContent now = newContent(baseline, c, old, textLimit);
            if (now == NewContent.FETCH) {
                toFetch.put(c.path(), i);
                fetchOrder.add(c.path());
            } else {
                rendered[i] = render(baseline, c, old, now.bytes(), textLimit);
            }
        }
        if (!fetchOrder.isEmpty()) {
            List<BytePath> missing = TarFetch.fetch(content, fetchOrder, (path, entry, in) -> {
                Integer i = toFetch.remove(path);
                if (i == null) {
                    throw new PyroException(ErrorCode.AGENT_PROTOCOL_ERROR, "export sent " + path
                            + ", which was not asked for (or twice)");
                }
                Change c = changes.get(i);
                if (!TarFetch.isRegularFile(entry) || entry.getSize() > textLimit) {
                    throw new StaleManifest(path + " is no longer the file the manifest described");
                }
                byte[] bytes = readAll(in, (int) entry.getSize());
                if (!sha256(bytes).equals(c.now().sha256())) {
                    throw new StaleManifest(path + " changed after the manifest was taken");
                }
                rendered[i] = render(baseline, c, oldContent(baseline, c, textLimit), bytes, textLimit);
            });
            if (!missing.isEmpty()) {
                throw new StaleManifest(missing.size() + " files vanished, e.g. " + missing.getFirst());
            }
            if (!toFetch.isEmpty()) {
                throw new PyroException(ErrorCode.AGENT_PROTOCOL_ERROR, "the export lacks " + toFetch.size()
                        + " requested files it did not report missing, e.g. " + toFetch.keySet().iterator().next());
            }
        }
        List<DiffEntry> entries = new ArrayList<>(rendered.length);
        StringBuilder patch = new StringBuilder();
        for (int i = rendered.length - 1; i >= 0; i--) {
            patch.append(rendered[i].removal());
        }
        for (Rendered r : rendered) {
            entries.add(r.entry());
            patch.append(r.section());
        }
        return new WorkspaceDiff(true, DiffSummary.of(entries), entries, patch.toString());
    }

    /** The new side's content: known bytes, {@code null} (not a text candidate), or to be fetched. */
    private record NewContent(byte[] bytes) {
        static final NewContent NONE = new NewContent(null);
        static final NewContent FETCH = new NewContent(null);
    }

    /**
     * The baseline side of a regular file, or {@code null} when there is none or it is too
     * large to diff as text. Read from the host's object store, never from the guest.
     */
    private static byte[] oldContent(Baseline baseline, Change c, int textLimit) {
        ManifestEntry old = c.old();
        if (old == null || old.type() != FileType.FILE || old.size() > textLimit) {
            return null;
        }
        try (InputStream in = baseline.openObject(old.sha256())) {
            return readAll(in, (int) old.size());
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "reading the baseline of " + c.path() + " failed: "
                    + IoMessages.describe(e), e);
        }
    }

    private static NewContent newContent(Baseline baseline, Change c, byte[] old, int textLimit) {
        ManifestEntry now = c.now();
        if (now == null || now.type() != FileType.FILE || now.size() > textLimit) {
            return NewContent.NONE;
        }
        if (c.old() != null && c.old().type() == FileType.FILE && Objects.equals(c.old().sha256(), now.sha256())) {
            return new NewContent(old); // a mode-only change
        }
        if (now.size() == 0) {
            return new NewContent(new byte[0]);
        }
        if (baseline.hasObject(now.sha256())) { // a rename, a copy or a revert: the host has it
            try (InputStream in = baseline.openObject(now.sha256())) {
                return new NewContent(readAll(in, (int) now.size()));
            } catch (IOException e) {
                throw new PyroException(ErrorCode.IO_ERROR, "reading a baseline object failed: "
                        + IoMessages.describe(e), e);
            }
        }
        return NewContent.FETCH;
    }

    /** Builds the entry and patch sections of one change; {@code old}/{@code now}: file contents or null. */
    private static Rendered render(Baseline baseline, Change c, byte[] old, byte[] now, int textLimit) {
        ManifestEntry o = c.old();
        ManifestEntry n = c.now();
        DiffStatus status = o == null ? DiffStatus.ADDED
                : n == null ? DiffStatus.DELETED
                : o.type() != n.type() ? DiffStatus.TYPE_CHANGED : DiffStatus.MODIFIED;
        Side before = Side.of(o, old, textLimit, () -> oldIsText(baseline, o));
        Side after = Side.of(n, now, textLimit, () -> Boolean.TRUE.equals(n.text()));
        boolean binary = before.binaryFile() || after.binaryFile();
        boolean tooLarge = before.largeText() || after.largeText();
        String removal = "";
        String section = "";
        switch (status) {
            case ADDED -> section = after.patchable() ? after.added(c.path()) : "";
            case DELETED -> removal = before.patchable() ? before.deleted(c.path()) : "";
            case TYPE_CHANGED -> {
                // Git's own form of a type change: the old entry removed, the new one created.
                removal = before.patchable() ? before.deleted(c.path()) : "";
                section = after.patchable() ? after.added(c.path()) : "";
            }
            case MODIFIED -> {
                if (o.type() == FileType.FILE || o.type() == FileType.SYMLINK) {
                    boolean hunks = before.text() != null && after.text() != null;
                    section = GitPatch.modified(c.path(), before.gitMode(), after.gitMode(),
                            hunks ? before.text() : null, hunks ? after.text() : null);
                }
            }
        }
        EntryKind kind = kindOf((n != null ? n : o).type());
        BytePath p = c.path();
        DiffEntry entry = new DiffEntry(p.display(), p.displaysExactly() ? null : p.base64(), status, kind,
                status == DiffStatus.TYPE_CHANGED ? kindOf(o.type()) : null, binary, tooLarge,
                before.size(), after.size(), before.mode(), after.mode(), before.linkTarget(), after.linkTarget());
        return new Rendered(entry, removal, section);
    }

    /**
     * Whether a baseline file over the text limit is text: its manifest line says so (the
     * agent classified it while hashing); a baseline from before that is read from the store.
     */
    private static boolean oldIsText(Baseline baseline, ManifestEntry old) {
        if (old.text() != null) {
            return old.text();
        }
        try (InputStream in = baseline.openObject(old.sha256())) {
            return TextContent.isText(in);
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "reading the baseline of " + old.path() + " failed: "
                    + IoMessages.describe(e), e);
        }
    }

    /**
     * One side of a change as the patch sees it.
     *
     * @param entry     the manifest entry, or {@code null} when the side does not exist
     * @param text      the file's text or symlink's target, {@code null} when not representable
     * @param largeText a regular file over the text limit whose content is text
     */
    private record Side(ManifestEntry entry, String text, boolean largeText) {
        static Side of(ManifestEntry e, byte[] content, int textLimit, java.util.function.BooleanSupplier largeIsText) {
            if (e == null) {
                return new Side(null, null, false);
            }
            return switch (e.type()) {
                case FILE -> content != null ? new Side(e, TextContent.decode(content), false)
                        : new Side(e, null, e.size() > textLimit && largeIsText.getAsBoolean());
                case SYMLINK -> new Side(e, symlinkText(e), false);
                default -> new Side(e, null, false);
            };
        }

        /** A symlink's "content" for the patch: its target, when it is text git can carry. */
        private static String symlinkText(ManifestEntry e) {
            if (e.linkTarget() == null) {
                return "";
            }
            return e.linkTarget().isUtf8() ? e.linkTarget().text() : null;
        }

        boolean patchable() {
            return text != null;
        }

        boolean binaryFile() {
            return entry != null && entry.type() == FileType.FILE && text == null && !largeText;
        }

        int gitMode() {
            return GitPatch.gitMode(kindOf(entry.type()), entry.mode());
        }

        String added(BytePath path) {
            return GitPatch.added(path, gitMode(), text);
        }

        String deleted(BytePath path) {
            return GitPatch.deleted(path, gitMode(), text);
        }

        Long size() {
            return entry == null || entry.type() == FileType.DIRECTORY ? null : entry.size();
        }

        Integer mode() {
            return entry == null ? null : entry.mode() & 07777;
        }

        String linkTarget() {
            return entry == null || entry.type() != FileType.SYMLINK || entry.linkTarget() == null ? null
                    : entry.linkTarget().display();
        }
    }

    private static byte[] readAll(InputStream in, int expected) throws IOException {
        byte[] b = in.readNBytes(expected);
        if (b.length != expected || in.read() >= 0) {
            throw new IOException("expected " + expected + " bytes");
        }
        return b;
    }

    private static String sha256(byte[] b) {
        return HexFormat.of().formatHex(BaselineStore.sha256().digest(b));
    }

    /** The diff kind of an agent file type. */
    static EntryKind kindOf(FileType type) {
        return switch (type) {
            case FILE -> EntryKind.FILE;
            case DIRECTORY -> EntryKind.DIR;
            case SYMLINK -> EntryKind.SYMLINK;
            case OTHER -> EntryKind.OTHER;
        };
    }
}
