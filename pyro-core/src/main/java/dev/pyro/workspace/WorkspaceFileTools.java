package dev.pyro.workspace;

import dev.pyro.EntryKind;
import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.WorkspaceFileEntry;
import dev.pyro.WorkspaceFileList;
import dev.pyro.WorkspaceFileRead;
import dev.pyro.WorkspaceFileWrite;
import dev.pyro.guest.FileChange;
import dev.pyro.guest.FileContent;
import dev.pyro.guest.FileContentClient;
import dev.pyro.guest.FileType;
import dev.pyro.guest.ListEntry;
import dev.pyro.guest.WrittenFile;
import dev.pyro.workspace.content.TextContent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * The file tools of a started workspace (contract 3.2): list, read and write files under
 * {@code /workspace} through agent operations ({@code list}, {@code file_read},
 * {@code file_write}), each through {@link StartedWorkspace}. They run no command in the
 * guest, so the command journal is untouched; they count as activity. Symlinks are followed
 * only while they stay inside {@code /workspace} (the agent resolves them); a listing shows
 * them as themselves.
 */
public final class WorkspaceFileTools {
    /** Default bytes per read. */
    public static final int DEFAULT_READ_BYTES = 65_536;
    /** The most one read returns. */
    public static final int MAX_READ_BYTES = FileContentClient.MAX_READ_BYTES;
    /** The most one write takes. */
    public static final int MAX_WRITE_BYTES = 16 << 20;

    private final WorkspaceContext ctx;

    /** File tools over {@code ctx}. */
    public WorkspaceFileTools(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Lists {@code path} ({@code null} for {@code /workspace}), recursively if asked, at most
     * {@link WorkspaceFileList#MAX_ENTRIES} entries sorted by path.
     *
     * @throws PyroException {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}, {@link ErrorCode#NOT_FOUND},
     *                       {@link ErrorCode#WORKSPACE_NOT_RUNNING}, {@link ErrorCode#VM_DIED}
     */
    public WorkspaceFileList list(String id, String path, boolean recursive) {
        String guest = GuestPath.underWorkspace(path);
        return new StartedWorkspace(ctx).use(id, session -> {
            List<ListEntry> listed = new ArrayList<>();
            boolean truncated = false;
            try {
                session.agent().files().list(guest, recursive, e -> {
                    if (listed.size() == WorkspaceFileList.MAX_ENTRIES) {
                        throw new Full();
                    }
                    listed.add(e);
                });
            } catch (Full f) {
                truncated = true; // the listing stream was cancelled: enough for one answer
            }
            // sorted by the names' bytes: the quoted display form of odd names would sort apart
            listed.sort(Comparator.comparing(ListEntry::path));
            return new WorkspaceFileList(id, guest, recursive, listed.stream().map(WorkspaceFileTools::entry)
                    .toList(), truncated);
        });
    }

    /**
     * Reads the first {@code maxBytes} (1…{@value #MAX_READ_BYTES}) of the regular file
     * {@code path}: text when it is UTF-8 text, else base64, and whether it was cut.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} (a directory, a special file,
     *                       {@code maxBytes} out of range), {@link ErrorCode#NOT_FOUND},
     *                       {@link ErrorCode#PATH_OUTSIDE_WORKSPACE} (also through a symlink),
     *                       {@link ErrorCode#WORKSPACE_NOT_RUNNING}, {@link ErrorCode#VM_DIED}
     */
    public WorkspaceFileRead read(String id, String path, int maxBytes) {
        if (maxBytes < 1 || maxBytes > MAX_READ_BYTES) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "max_bytes must be between 1 and " + MAX_READ_BYTES
                    + ", got " + maxBytes);
        }
        String guest = GuestPath.file(path);
        FileContent f = new StartedWorkspace(ctx).use(id, session -> session.agent().contents().read(guest,
                maxBytes));
        byte[] bytes = f.truncated() ? withoutCutCharacter(f.content()) : f.content();
        String text = TextContent.decode(bytes);
        boolean binary = text == null || text.indexOf('\0') >= 0;
        return new WorkspaceFileRead(id, f.path(), f.size(), bytes.length, f.truncated(), binary,
                binary ? WorkspaceFileRead.BASE64 : WorkspaceFileRead.UTF_8,
                binary ? Base64.getEncoder().encodeToString(bytes) : text, f.mode());
    }

    /**
     * Writes {@code content} (at most {@value #MAX_WRITE_BYTES} bytes) to {@code path} atomically:
     * a reader sees the old file or the new one. Missing directories are created; an existing
     * file keeps its mode, a new one gets 0644.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} (a directory, too large),
     *                       {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}, {@link ErrorCode#NOT_FOUND}
     *                       (a parent is a file), {@link ErrorCode#WORKSPACE_NOT_RUNNING},
     *                       {@link ErrorCode#VM_DIED}
     */
    public WorkspaceFileWrite write(String id, String path, byte[] content) {
        if (content.length > MAX_WRITE_BYTES) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "a file write takes at most " + MAX_WRITE_BYTES
                    + " bytes (16 MiB), not " + content.length + "; copy large content in with sync push");
        }
        String guest = GuestPath.file(path);
        WrittenFile w = new StartedWorkspace(ctx).use(id, session -> session.agent().contents()
                .write(List.of(FileChange.write(guest, content))).get(0));
        return new WorkspaceFileWrite(id, w.path(), w.bytes(), w.created(), w.mode());
    }

    /** A read cut inside a UTF-8 character ends before it, so text stays text. */
    static byte[] withoutCutCharacter(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= 3 && back <= n; back++) {
            int c = b[n - back] & 0xff;
            if ((c & 0xc0) == 0x80) {
                continue; // a continuation byte: look further back for its lead
            }
            int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
            return len > back ? Arrays.copyOf(b, n - back) : b;
        }
        return b;
    }

    private static WorkspaceFileEntry entry(ListEntry e) {
        EntryKind kind = switch (e.type()) {
            case FILE -> EntryKind.FILE;
            case DIRECTORY -> EntryKind.DIR;
            case SYMLINK -> EntryKind.SYMLINK;
            case OTHER -> EntryKind.OTHER;
        };
        // names the file system holds as non-UTF-8 bytes show quoted, with their exact bytes beside
        return new WorkspaceFileEntry(e.path().display(), e.path().displaysExactly() ? null : e.path().base64(), kind,
                e.size(), e.mode(), e.mtime(),
                e.type() == FileType.SYMLINK && e.linkTarget() != null ? e.linkTarget().display() : null);
    }

    /** Stops a listing that reached its limit. */
    private static final class Full extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Full() {
            super(null, null, false, false);
        }
    }
}
