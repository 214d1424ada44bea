package dev.pyro.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names a contract snapshot promises, one key each, so two snapshots can be compared for
 * what one of them lost: {@code cli:pyro run --mem-mib} (options by name, positionals by index),
 * {@code sdk:Pyro.runInVm(RunRequest request) -> RunResult} (whole signatures: a changed type or
 * parameter name is a rename), {@code mcp:workspace-core:workspace_exec} and
 * {@code mcp:workspace-core:workspace_exec.command}. Help texts, defaults and schemas beyond the
 * argument names may change without a new major version.
 *
 * @param contract the snapshot's contract label, e.g. {@code 2.6.0+3.11.0}
 * @param keys     the promised names
 */
record SnapshotKeys(String contract, Set<String> keys) {

    /** The keys of a snapshot document (as {@link ContractSnapshotTest} writes it). */
    @SuppressWarnings("unchecked")
    static SnapshotKeys of(Map<String, Object> snapshot) {
        Set<String> keys = new TreeSet<>();
        ((Map<String, Map<String, Object>>) snapshot.get("cli")).forEach((command, c) -> {
            keys.add("cli:" + command);
            for (String arg : (List<String>) c.get("args")) {
                String names = arg.substring(0, arg.indexOf(' '));
                keys.add("cli:" + command + " " + (arg.contains(" [") && !names.startsWith("-")
                        ? arg.substring(arg.indexOf(" [") + 1, arg.indexOf(']') + 1) : names.split("=")[0]));
            }
        });
        ((Map<String, List<String>>) snapshot.get("sdk")).forEach((type, methods) ->
                methods.forEach(m -> keys.add("sdk:" + type + "." + m)));
        ((Map<String, List<Map<String, Object>>>) snapshot.get("mcp")).forEach((profile, tools) -> {
            for (Map<String, Object> tool : tools) {
                String name = "mcp:" + profile + ":" + tool.get("name");
                keys.add(name);
                Map<String, Object> schema = (Map<String, Object>) tool.get("inputSchema");
                Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
                if (properties != null) {
                    properties.keySet().forEach(p -> keys.add(name + "." + p));
                }
            }
        });
        return new SnapshotKeys((String) snapshot.get("contract"), keys);
    }

    /** The major version of {@link #contract()}: of the milestone fully reached. */
    int major() {
        return Integer.parseInt(contract.split("[.+]")[0]);
    }

    /** What {@code before} promised and this snapshot lacks, unless the major version changed. */
    Set<String> removedSince(SnapshotKeys before) {
        if (major() != before.major()) {
            return Set.of();
        }
        Set<String> removed = new TreeSet<>(before.keys);
        removed.removeAll(keys);
        return removed;
    }
}
