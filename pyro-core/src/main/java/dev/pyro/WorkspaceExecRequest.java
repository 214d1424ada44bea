package dev.pyro;

import dev.pyro.contract.Defaults;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command to run in a workspace: {@link Pyro#execWorkspace(String, WorkspaceExecRequest)}.
 *
 * @param command        the program and its arguments; the program is looked up in {@code PATH}
 *                       unless it has a {@code /}
 * @param timeoutSeconds time limit (1 to 86400); then the guest kills the command and it exits 124
 * @param maxOutputBytes bytes of stdout and of stderr kept <em>each</em> (1 to 1 GiB); the rest is
 *                       counted and dropped, and the result says so (the command is never blocked)
 * @param stdin          the command's standard input, read as fast as the command consumes it;
 *                       {@code null} for none (the command reads end of file at once)
 * @param secretEnv      workspace secrets the command sees, as environment variables: secret name
 *                       to variable name (an empty variable name: the secret's own name); no other
 *                       command sees them
 */
public record WorkspaceExecRequest(List<String> command, int timeoutSeconds, int maxOutputBytes, StdinSource stdin,
        Map<String, String> secretEnv) {

    /** Validates and copies. */
    public WorkspaceExecRequest {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "no command given: the command needs at least a program");
        }
        Ranges.check("timeout_seconds", timeoutSeconds, 1, 86_400);
        Ranges.check("max_output_bytes", maxOutputBytes, 1, Defaults.MAX_OUTPUT_BYTES_LIMIT);
        secretEnv = secretEnv == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(secretEnv));
    }

    /** A request that exposes no secret. */
    public WorkspaceExecRequest(List<String> command, int timeoutSeconds, int maxOutputBytes, StdinSource stdin) {
        this(command, timeoutSeconds, maxOutputBytes, stdin, Map.of());
    }

    /** A copy that exposes secret {@code name} as the variable {@code variable}. */
    public WorkspaceExecRequest withSecretEnv(String name, String variable) {
        Map<String, String> m = new LinkedHashMap<>(secretEnv);
        m.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(variable, "variable"));
        return new WorkspaceExecRequest(command, timeoutSeconds, maxOutputBytes, stdin, m);
    }

    /** A request with the contract's defaults: 30 s, 1 MiB per stream, no stdin. */
    public static WorkspaceExecRequest of(List<String> command) {
        return new WorkspaceExecRequest(command, Defaults.TIMEOUT_SECONDS, Defaults.EXEC_MAX_OUTPUT_BYTES, null);
    }

    /** A copy with another time limit. */
    public WorkspaceExecRequest withTimeoutSeconds(int seconds) {
        return new WorkspaceExecRequest(command, seconds, maxOutputBytes, stdin, secretEnv);
    }

    /** A copy with another output cap per stream. */
    public WorkspaceExecRequest withMaxOutputBytes(int bytes) {
        return new WorkspaceExecRequest(command, timeoutSeconds, bytes, stdin, secretEnv);
    }

    /** A copy with standard input ({@code null}: none). */
    public WorkspaceExecRequest withStdin(StdinSource source) {
        return new WorkspaceExecRequest(command, timeoutSeconds, maxOutputBytes, source, secretEnv);
    }
}
