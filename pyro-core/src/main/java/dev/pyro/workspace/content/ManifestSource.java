package dev.pyro.workspace.content;

import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ManifestEntry;
import java.util.function.Consumer;

/**
 * Where a manifest of {@code /workspace} comes from: entries in plain byte order of their
 * path, regular files with their SHA-256 (protocol §5 {@code manifest}).
 */
@FunctionalInterface
public interface ManifestSource {
    /** The guest's workspace root. */
    String WORKSPACE = "/workspace";

    /** Hands every entry to {@code sink}, in order, as it arrives. */
    void stream(Consumer<ManifestEntry> sink);

    /** The hashed manifest of {@code /workspace} from a connected agent. */
    static ManifestSource of(AgentConnection client) {
        return sink -> client.files().manifest(WORKSPACE, true, sink);
    }
}
