package dev.pyro;

/**
 * Files and patches (3.2) of the SDK: reading, writing and patching files under {@code
 * /workspace} of a started workspace without running a command. {@link Pyro} implements it;
 * the CLI and MCP tools of the same meaning are named in {@link dev.pyro.contract.Contract}.
 */
public sealed interface WorkspaceFileOperations permits Pyro {
    /** {@link #listWorkspaceFiles(String, String, boolean)} of {@code /workspace}, not recursive. */
    default WorkspaceFileList listWorkspaceFiles(String workspaceId) {
        return listWorkspaceFiles(workspaceId, null, false);
    }

    /**
     * Lists {@code path} under {@code /workspace} ({@code null}: {@code /workspace}) of a started
     * workspace, recursively if asked: at most {@value WorkspaceFileList#MAX_ENTRIES} entries,
     * sorted, symlinks shown as themselves. Runs no command in the guest.
     *
     * @throws PyroException {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}, {@link ErrorCode#NOT_FOUND},
     *                       {@link ErrorCode#WORKSPACE_NOT_RUNNING}, {@link ErrorCode#VM_DIED}
     */
    WorkspaceFileList listWorkspaceFiles(String workspaceId, String path, boolean recursive);

    /** {@link #readWorkspaceFile(String, String, int)} of at most 65536 bytes. */
    default WorkspaceFileRead readWorkspaceFile(String workspaceId, String path) {
        return readWorkspaceFile(workspaceId, path, dev.pyro.workspace.WorkspaceFileTools.DEFAULT_READ_BYTES);
    }

    /**
     * Reads the first {@code maxBytes} (1…16777216) of a regular file under {@code /workspace}
     * of a started workspace: as text when it is UTF-8 text, else as base64, saying whether it
     * was cut. Symlinks are followed while they stay inside {@code /workspace}.
     *
     * @throws PyroException {@link ErrorCode#NOT_FOUND}, {@link ErrorCode#PATH_OUTSIDE_WORKSPACE},
     *                       {@link ErrorCode#INVALID_ARGUMENT} (a directory, a special file, a bad
     *                       {@code maxBytes}), {@link ErrorCode#WORKSPACE_NOT_RUNNING}, {@link ErrorCode#VM_DIED}
     */
    WorkspaceFileRead readWorkspaceFile(String workspaceId, String path, int maxBytes);

    /** {@link #writeWorkspaceFile(String, String, String, java.nio.file.Path)} of {@code text}. */
    default WorkspaceFileWrite writeWorkspaceFile(String workspaceId, String path, String text) {
        return writeWorkspaceFile(workspaceId, path, text, null);
    }

    /**
     * Writes a whole file under {@code /workspace} of a started workspace, atomically (a reader
     * sees the old file or the new one), from {@code text} (UTF-8) or the bytes of the host file
     * {@code textFile}: exactly one of them, at most 16 MiB. Missing directories are created; an
     * existing file keeps its mode, a new one gets 0644. Symlinks are followed while they stay
     * inside {@code /workspace}.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} (both or neither, too large, a
     *                       directory), {@link ErrorCode#PATH_OUTSIDE_WORKSPACE}, {@link ErrorCode#NOT_FOUND}
     *                       ({@code textFile}), {@link ErrorCode#WORKSPACE_NOT_RUNNING}, {@link ErrorCode#VM_DIED}
     */
    WorkspaceFileWrite writeWorkspaceFile(String workspaceId, String path, String text,
            java.nio.file.Path textFile);

    /** {@link #applyWorkspacePatch(String, String, java.nio.file.Path)} of {@code patch}. */
    default PatchApplyResult applyWorkspacePatch(String workspaceId, String patch) {
        return applyWorkspacePatch(workspaceId, patch, null);
    }

    /**
     * Applies a unified diff ({@code patch}, or the host file {@code patchFile}: exactly one) to
     * {@code /workspace} of a started workspace, as {@code git diff} and {@link #diffWorkspace}
     * write them (new, deleted and renamed files, modes, {@code \ No newline at end of file}).
     * Every hunk of every file is checked against the current content first, exactly (a hunk may
     * be found a few lines from its stated place, never with different lines); then all files
     * change, or on any problem none does.
     *
     * @throws PyroException {@link ErrorCode#MALFORMED_PATCH}, {@link ErrorCode#PATCH_REJECTED} (naming
     *                       the file, hunk and reason), {@link ErrorCode#CONFLICT} (a file changed
     *                       meanwhile), {@link ErrorCode#PATH_OUTSIDE_WORKSPACE},
     *                       {@link ErrorCode#WORKSPACE_NOT_RUNNING}, {@link ErrorCode#VM_DIED}
     */
    PatchApplyResult applyWorkspacePatch(String workspaceId, String patch, java.nio.file.Path patchFile);
}
