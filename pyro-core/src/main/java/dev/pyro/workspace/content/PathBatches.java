package dev.pyro.workspace.content;

import dev.pyro.guest.ArchiveClient;
import dev.pyro.guest.BytePath;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a path list into export requests the agent accepts: at most
 * {@link ArchiveClient#MAX_EXPORT_PATHS} JSON values (a name that is not UTF-8 is an object
 * of three), and a JSON request well under the agent's 64 KiB limit (protocol §7).
 */
final class PathBatches {
    /** Budget for the {@code paths} array of one request; the rest of the request is tiny. */
    static final int MAX_JSON_BYTES = 48 * 1024;

    private PathBatches() {
    }

    static List<List<BytePath>> split(List<BytePath> paths) {
        return split(paths, ArchiveClient.MAX_EXPORT_PATHS, MAX_JSON_BYTES);
    }

    static List<List<BytePath>> split(List<BytePath> paths, int maxValues, int maxBytes) {
        List<List<BytePath>> batches = new ArrayList<>();
        List<BytePath> current = new ArrayList<>();
        int bytes = 0;
        int values = 0;
        for (BytePath p : paths) {
            int cost = p.wireCost();
            int weight = p.isUtf8() ? 1 : 3; // {"b64": "..."} is three JSON tokens
            if (!current.isEmpty() && (values + weight > maxValues || bytes + cost > maxBytes)) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
                values = 0;
            }
            current.add(p);
            bytes += cost;
            values += weight;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }
}
