package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The 3.0 rule on snapshot documents: removals and renames fail unless the major version changes. */
class SnapshotKeysTest {
    private static Map<String, Object> snapshot(String contract, List<String> runArgs, List<String> sdk,
            List<String> toolProperties) {
        Map<String, Object> schema = Map.of("type", "object", "properties",
                toolProperties.stream().collect(java.util.stream.Collectors.toMap(p -> p, p -> Map.of())));
        return Map.of("contract", contract,
                "cli", Map.of("pyro run", Map.of("description", "Run.", "args", runArgs)),
                "sdk", Map.of("Pyro", sdk),
                "mcp", Map.of("vm-run", List.of(Map.of("name", "vm_run", "description", "d", "inputSchema", schema))));
    }

    private static final List<String> ARGS = List.of("ENV [0] String arity 1 required: Environment.",
            "--mem-mib=N int arity 1 default 1024: Memory.", "--json boolean arity 0 default false: JSON.");
    private static final List<String> SDK = List.of("runInVm(RunRequest request) -> RunResult");

    @Test
    void additionsAndTextChangesAreNoRemoval() {
        SnapshotKeys before = SnapshotKeys.of(snapshot("3.0.0", ARGS, SDK, List.of("environment", "command")));
        SnapshotKeys after = SnapshotKeys.of(snapshot("3.0.0+3.11.0",
                List.of("ENVIRONMENT [0] String arity 1 required: The environment, reworded.",
                        "--mem-mib=MIB int arity 1 default 2048: Memory, reworded.",
                        "--json boolean arity 0 default false: JSON.", "--name=NAME String arity 1: New."),
                List.of("runInVm(RunRequest request) -> RunResult", "listWorkspaces() -> List"),
                List.of("environment", "command", "stdin")));
        assertThat(after.removedSince(before)).isEmpty();
        assertThat(after.major()).isEqualTo(3);
    }

    @Test
    void removalsAndRenamesAreNamedWithinAMajorVersion() {
        SnapshotKeys before = SnapshotKeys.of(snapshot("3.0.0", ARGS, SDK, List.of("environment", "command")));
        SnapshotKeys after = SnapshotKeys.of(snapshot("3.2.0", List.of("ENV [0] String arity 1 required: Env.",
                "--memory=N int arity 1: Memory.", "--json boolean arity 0 default false: JSON."),
                List.of("runInVm(RunRequest req) -> RunResult"), List.of("environment", "cmd")));
        assertThat(after.removedSince(before)).containsExactly("cli:pyro run --mem-mib",
                "mcp:vm-run:vm_run.command", "sdk:Pyro.runInVm(RunRequest request) -> RunResult");
    }

    @Test
    void aNewMajorVersionMayRemove() {
        SnapshotKeys before = SnapshotKeys.of(snapshot("3.11.0", ARGS, SDK, List.of("environment", "command")));
        SnapshotKeys after = SnapshotKeys.of(snapshot("4.0.0", List.of(), List.of(), List.of()));
        assertThat(after.removedSince(before)).isEmpty();
        assertThat(SnapshotKeys.of(snapshot("2.6.0+3.11.0", ARGS, SDK, List.of())).major()).isEqualTo(2);
    }
}
