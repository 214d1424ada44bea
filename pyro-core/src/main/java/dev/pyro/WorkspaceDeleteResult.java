package dev.pyro;

/**
 * The outcome of {@code workspace delete}: the VM is stopped and every file of the
 * workspace is gone.
 *
 * @param workspaceId the deleted workspace
 * @param deleted     always {@code true} (a failure throws)
 */
public record WorkspaceDeleteResult(String workspaceId, boolean deleted) {
}
