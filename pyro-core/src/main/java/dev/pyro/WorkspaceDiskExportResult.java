package dev.pyro;

import java.nio.file.Path;

/**
 * A stopped workspace's disk written to the host as one raw ext4 image.
 *
 * @param workspaceId the workspace
 * @param outputPath  the image (sparse: only written blocks take space)
 * @param bytes       its size (the disk's size)
 * @param format      {@code raw-ext4}
 */
public record WorkspaceDiskExportResult(String workspaceId, Path outputPath, long bytes, String format) {
}
