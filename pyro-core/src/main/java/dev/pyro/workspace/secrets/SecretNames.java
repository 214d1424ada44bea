package dev.pyro.workspace.secrets;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.json.JsonTrees;
import dev.pyro.json.PyroJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The names (never the values) of a workspace's secrets, in {@code workspaces/<id>/secrets.json}
 * under {@code PYRO_HOME}: what status and list show, and what {@code secret_env} is checked
 * against without reading the values.
 */
public final class SecretNames {
    /** The file name in a workspace's directory. */
    public static final String FILE = "secrets.json";

    private SecretNames() {
    }

    /** Writes the names of {@code set} into {@code workspaceDir} (nothing for an empty set). */
    public static void write(Path workspaceDir, SecretSet set) {
        if (set.isEmpty()) {
            return;
        }
        Path f = workspaceDir.resolve(FILE);
        try {
            Path tmp = Files.createTempFile(workspaceDir, FILE, ".tmp");
            Files.write(tmp, PyroJson.compact().writeValueAsBytes(set.names()));
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | JacksonException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot write " + f + ": " + e.getMessage(), e);
        }
    }

    /**
     * The names kept in {@code workspaceDir}; empty without secrets (or an unreadable file, or
     * one that is not the array of strings pyro wrote). Read as a {@link JsonTrees} tree, without
     * a mapper: every exec reads it (docs/performance.md, "CLI start-up").
     */
    public static List<String> read(Path workspaceDir) {
        Path f = workspaceDir.resolve(FILE);
        if (!Files.exists(f)) {
            return List.of();
        }
        try {
            JsonNode tree = JsonTrees.read(Files.readAllBytes(f));
            if (tree == null || !tree.isArray()) {
                return List.of();
            }
            List<String> names = new ArrayList<>(tree.size());
            for (JsonNode n : tree.values()) {
                if (!n.isString()) {
                    return List.of();
                }
                names.add(n.stringValue());
            }
            return List.copyOf(names);
        } catch (IOException | JacksonException e) {
            return List.of();
        }
    }
}
