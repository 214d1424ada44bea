package dev.pyro;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@code pyro workspace export}. Only files, directories and symlinks are
 * exported: special files (FIFOs, sockets, devices) inside an exported directory are left
 * out and reported here (exporting one itself is refused with
 * {@link ErrorCode#UNSAFE_ARCHIVE_ENTRY}).
 *
 * @param workspacePath the exported guest path ({@code /workspace/...})
 * @param outputPath    the absolute host path written
 * @param artifactType  what it is
 * @param entryCount    files, directories and symlinks written (the top entry included)
 * @param bytesWritten  regular-file bytes written
 * @param skippedCount  special files left out
 * @param skipped       the first of them (at most 100), as paths under {@code /workspace} in
 *                      display form (names that are not UTF-8 C-quoted, as in a diff)
 */
public record WorkspaceExportResult(String workspacePath, Path outputPath, ArtifactType artifactType, long entryCount,
        long bytesWritten, long skippedCount, List<String> skipped) {

    /** Copies the list; see the record description. */
    public WorkspaceExportResult {
        skipped = List.copyOf(skipped);
    }

    /** An export that left nothing out. */
    public WorkspaceExportResult(String workspacePath, Path outputPath, ArtifactType artifactType, long entryCount,
            long bytesWritten) {
        this(workspacePath, outputPath, artifactType, entryCount, bytesWritten, 0, List.of());
    }
}
