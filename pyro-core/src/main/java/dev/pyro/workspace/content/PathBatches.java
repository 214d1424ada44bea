package dev.pyro.workspace.content;

import dev.pyro.guest.ArchiveClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a path list into export requests the agent accepts: at most
 * {@link ArchiveClient#MAX_EXPORT_PATHS} paths, and a JSON request well under the agent's
 * 64 KiB limit (protocol §7).
 */
final class PathBatches {
    /** Budget for the {@code paths} array of one request; the rest of the request is tiny. */
    static final int MAX_JSON_BYTES = 48 * 1024;

    private PathBatches() {
    }

    static List<List<String>> split(List<String> paths) {
        return split(paths, ArchiveClient.MAX_EXPORT_PATHS, MAX_JSON_BYTES);
    }

    static List<List<String>> split(List<String> paths, int maxCount, int maxBytes) {
        List<List<String>> batches = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int bytes = 0;
        for (String p : paths) {
            int cost = jsonCost(p);
            if (!current.isEmpty() && (current.size() >= maxCount || bytes + cost > maxBytes)) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(p);
            bytes += cost;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** Upper bound of the bytes {@code p} takes in a JSON array: quotes, comma, escapes. */
    static int jsonCost(String p) {
        int cost = p.getBytes(StandardCharsets.UTF_8).length + 3;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                cost += 5; // worst case: a six-byte escape
            }
        }
        return cost;
    }
}
