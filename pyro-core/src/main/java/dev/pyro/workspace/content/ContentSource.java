package dev.pyro.workspace.content;

import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.BytePath;
import java.io.OutputStream;
import java.util.List;

/**
 * Where file content comes from: a tar of exactly the listed paths (relative to
 * {@code /workspace}, entries named {@code ./path} in the order given, names as bytes), like
 * the agent's {@code archive_export} with {@code paths}. Callers batch: at most
 * {@link dev.pyro.guest.ArchiveClient#MAX_EXPORT_PATHS} paths per call.
 */
@FunctionalInterface
public interface ContentSource {
    /**
     * Writes the tar of {@code paths} into {@code tar} and returns the paths that could not
     * be exported (gone since the manifest was taken, now behind a symlink, or no longer a
     * file, directory or symlink).
     */
    List<BytePath> export(List<BytePath> paths, OutputStream tar);

    /** Content of {@code /workspace} from a connected agent. */
    static ContentSource of(AgentConnection client) {
        return (paths, tar) -> client.archives().exportTar(ManifestSource.WORKSPACE, paths, tar).missing();
    }
}
