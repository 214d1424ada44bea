package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PatchApplyResult;
import dev.pyro.PatchedFile;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.FileChange;
import dev.pyro.guest.FileContent;
import dev.pyro.guest.FileContentClient;
import dev.pyro.workspace.content.TextContent;
import dev.pyro.workspace.patch.FilePatch;
import dev.pyro.workspace.patch.HunkApplier;
import dev.pyro.workspace.patch.PatchParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * {@code pyro workspace patch apply} (contract 3.2): a unified diff applied to {@code /workspace}
 * all or nothing. The patch is parsed on the host; every file it touches is read from the guest
 * and every hunk checked against it exactly ({@link HunkApplier}) before anything is written;
 * then all results go to the guest in one {@code file_write} that expects each file to be what
 * was read (its SHA-256, or absent), so a file changed by someone else meanwhile refuses the
 * whole write ({@link ErrorCode#CONFLICT}) instead of being overwritten. Files reached through a
 * symlink are refused, as {@code git apply} refuses them.
 */
public final class WorkspacePatcher {
    /** The longest patch taken, in characters. */
    public static final int MAX_PATCH_CHARS = 16 << 20;
    /** The largest file a patch may change. */
    public static final int MAX_FILE_BYTES = FileContentClient.MAX_READ_BYTES;
    /** How many refusals one error message lists. */
    private static final int MAX_REPORTED = 10;

    private final WorkspaceContext ctx;

    /** Patches over {@code ctx}. */
    public WorkspacePatcher(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Applies {@code patch} to the started workspace {@code id}.
     *
     * @throws PyroException {@link ErrorCode#MALFORMED_PATCH}, {@link ErrorCode#PATCH_REJECTED} (naming
     *                       each file, hunk and reason), {@link ErrorCode#CONFLICT},
     *                       {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}, {@link ErrorCode#INVALID_ARGUMENT},
     *                       {@link ErrorCode#WORKSPACE_NOT_RUNNING}, {@link ErrorCode#VM_DIED}
     */
    public PatchApplyResult apply(String id, String patch) {
        ctx.store().paths(id); // an unknown id is reported before a bad patch
        if (patch.length() > MAX_PATCH_CHARS) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "a patch may have at most " + MAX_PATCH_CHARS
                    + " characters, not " + patch.length());
        }
        List<Planned> plan = plan(PatchParser.parse(patch));
        return new StartedWorkspace(ctx).use(id, session -> {
            List<String> refusals = new ArrayList<>();
            List<FileChange> changes = new ArrayList<>();
            List<PatchedFile> done = new ArrayList<>();
            for (Planned p : plan) {
                prepare(session.agent(), p, changes, done, refusals);
            }
            if (!refusals.isEmpty()) {
                throw rejected(refusals);
            }
            if (changes.size() > FileContentClient.MAX_WRITE_FILES) {
                throw new PyroException(ErrorCode.INVALID_ARGUMENT, "a patch may change at most "
                        + FileContentClient.MAX_WRITE_FILES + " files, this one changes " + changes.size());
            }
            try {
                session.agent().contents().write(changes);
            } catch (PyroException e) {
                if (e.code() == ErrorCode.CONFLICT) {
                    throw new PyroException(ErrorCode.CONFLICT, e.getMessage() + ": it changed while the patch "
                            + "was being applied", "Read the file again and make the patch against its current "
                            + "content.", e);
                }
                throw e;
            }
            return new PatchApplyResult(id, done, done.stream().mapToInt(PatchedFile::linesAdded).sum(),
                    done.stream().mapToInt(PatchedFile::linesRemoved).sum());
        });
    }

    /** A file section with its guest paths checked. */
    private record Planned(FilePatch patch, String oldPath, String newPath) {}

    /** Guest paths of every section, before the VM is touched: outside paths, twice-named files, unsupported kinds. */
    private static List<Planned> plan(List<FilePatch> files) {
        List<Planned> plan = new ArrayList<>();
        Set<String> written = new HashSet<>();
        List<String> refusals = new ArrayList<>();
        for (FilePatch f : files) {
            String oldPath = f.oldPath() == null ? null : GuestPath.file(f.oldPath());
            String newPath = f.newPath() == null ? null : GuestPath.file(f.newPath());
            if (f.unsupported() != null) {
                refusals.add(f.path() + ": " + f.unsupported() + " cannot be applied from a text patch (write the "
                        + "file whole instead)");
                continue;
            }
            for (String p : targets(f.kind(), oldPath, newPath)) {
                if (!written.add(p)) {
                    refusals.add(p + ": the patch changes it more than once (make one section per file)");
                }
            }
            plan.add(new Planned(f, oldPath, newPath));
        }
        if (!refusals.isEmpty()) {
            throw rejected(refusals);
        }
        return plan;
    }

    /** The paths a section writes or removes. */
    private static List<String> targets(FilePatch.Kind kind, String oldPath, String newPath) {
        return switch (kind) {
            case MODIFY, ADD, COPY -> List.of(newPath);
            case DELETE -> List.of(oldPath);
            case RENAME -> oldPath.equals(newPath) ? List.of(newPath) : List.of(oldPath, newPath);
        };
    }

    /** Reads what a section needs, applies its hunks, and adds its changes (or its refusals). */
    private static void prepare(AgentConnection agent, Planned p, List<FileChange> changes, List<PatchedFile> done,
            List<String> refusals) {
        FilePatch f = p.patch();
        FileContent before = null;
        List<String> lines = List.of();
        if (f.kind() != FilePatch.Kind.ADD) {
            before = readText(agent, p.oldPath(), refusals);
            if (before == null) {
                return;
            }
            lines = TextContent.lines(new String(before.content(), StandardCharsets.UTF_8));
        }
        boolean moves = f.kind() == FilePatch.Kind.RENAME || f.kind() == FilePatch.Kind.COPY;
        if ((f.kind() == FilePatch.Kind.ADD || moves && !p.newPath().equals(p.oldPath()))
                && !absent(agent, p.newPath(), refusals)) {
            return;
        }
        HunkApplier.Result r = HunkApplier.apply(lines, f.hunks());
        if (!r.applied()) {
            r.rejections().forEach(x -> refusals.add(p.patch().path() + " hunk " + x.hunk() + " ("
                    + x.header().substring(0, x.header().indexOf("@@", 2) + 2) + "): " + x.reason()));
            return;
        }
        byte[] after = String.join("", r.lines()).getBytes(StandardCharsets.UTF_8);
        String oldSha = before == null ? null : sha256(before.content());
        switch (f.kind()) {
            case MODIFY -> changes.add(new FileChange(p.newPath(), after, f.newMode(), oldSha));
            case ADD -> changes.add(new FileChange(p.newPath(), after, f.newMode(), FileChange.ABSENT));
            case DELETE -> {
                if (!r.lines().isEmpty()) {
                    refusals.add(p.oldPath() + ": the patch deletes it but the file has " + r.lines().size()
                            + " more lines than the patch removes");
                    return;
                }
                changes.add(FileChange.remove(p.oldPath(), oldSha));
            }
            case RENAME, COPY -> {
                Integer mode = f.newMode() != null ? f.newMode() : before.mode() & 0777;
                if (p.newPath().equals(p.oldPath())) {
                    changes.add(new FileChange(p.newPath(), after, mode, oldSha));
                } else {
                    if (f.kind() == FilePatch.Kind.RENAME) {
                        changes.add(FileChange.remove(p.oldPath(), oldSha));
                    }
                    changes.add(new FileChange(p.newPath(), after, mode, FileChange.ABSENT));
                }
            }
        }
        done.add(new PatchedFile(f.kind() == FilePatch.Kind.DELETE ? p.oldPath() : p.newPath(), f.kind().wireName(),
                moves ? p.oldPath() : null, f.hunks().size(), f.added(), f.removed()));
    }

    /** The file as UTF-8 text, or {@code null} after noting why it cannot be patched. */
    private static FileContent readText(AgentConnection agent, String path, List<String> refusals) {
        FileContent f;
        try {
            f = agent.contents().read(path, MAX_FILE_BYTES);
        } catch (PyroException e) {
            switch (e.code()) {
                case NOT_FOUND -> refusals.add(path + ": it does not exist");
                case INVALID_ARGUMENT -> refusals.add(path + ": it is not a regular file");
                case PATH_OUTSIDE_WORKSPACE -> refusals.add(path + ": it leads outside /workspace through a symlink");
                default -> throw e;
            }
            return null;
        }
        if (!f.path().equals(path)) {
            refusals.add(path + ": it is reached through a symlink (to " + f.path() + "); patch that path instead");
        } else if (f.truncated()) {
            refusals.add(path + ": it is larger than " + MAX_FILE_BYTES + " bytes, too large to patch");
        } else if (TextContent.decode(f.content()) == null) {
            refusals.add(path + ": it is not UTF-8 text");
        } else {
            return f;
        }
        return null;
    }

    /** Whether nothing is at {@code path}; else notes it. */
    private static boolean absent(AgentConnection agent, String path, List<String> refusals) {
        try {
            agent.files().stat(path);
        } catch (PyroException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return true;
            }
            if (e.code() != ErrorCode.PATH_OUTSIDE_WORKSPACE) {
                throw e;
            }
            refusals.add(path + ": it leads outside /workspace through a symlink");
            return false;
        }
        refusals.add(path + ": the patch creates it, but it already exists");
        return false;
    }

    private static PyroException rejected(List<String> refusals) {
        StringBuilder m = new StringBuilder("patch rejected, nothing was changed: ");
        m.append(String.join("; ", refusals.subList(0, Math.min(MAX_REPORTED, refusals.size()))));
        if (refusals.size() > MAX_REPORTED) {
            m.append("; and ").append(refusals.size() - MAX_REPORTED).append(" more");
        }
        return new PyroException(ErrorCode.PATCH_REJECTED, m.toString());
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
