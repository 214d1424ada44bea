package dev.pyro;

import java.nio.file.Path;

/**
 * The outcome of {@code pyro workspace export}.
 *
 * @param workspacePath the exported guest path ({@code /workspace/...})
 * @param outputPath    the absolute host path written
 * @param artifactType  what it is
 * @param entryCount    files, directories and symlinks written (the top entry included)
 * @param bytesWritten  regular-file bytes written
 */
public record WorkspaceExportResult(String workspacePath, Path outputPath, ArtifactType artifactType, long entryCount,
        long bytesWritten) {
}
