package dev.pyro;

/**
 * What {@code workspace sync push} copied into a workspace.
 *
 * @param workspaceId the workspace
 * @param source      the host path as given
 * @param destination the guest directory it went to, under {@code /workspace}
 * @param mode        {@code directory} or {@code tar_archive}
 * @param entries     files, directories and links placed
 * @param bytes       bytes of file content placed
 */
public record WorkspaceSyncResult(String workspaceId, String source, String destination, String mode, long entries,
        long bytes) {
}
