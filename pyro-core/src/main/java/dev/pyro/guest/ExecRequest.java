package dev.pyro.guest;

import dev.pyro.StdinSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command to run in the guest (protocol §5 {@code exec}).
 *
 * @param argv           program and arguments; {@code argv[0]} is looked up in {@code PATH}
 *                       when it has no {@code /}
 * @param env            variables added to the agent's base environment
 * @param cwd            working directory ({@code /workspace/...} or relative to it), or
 *                       {@code null} for the workspace root
 * @param timeout        limit after which the guest kills the process group and reports
 *                       {@code timedOut}; {@link Duration#ZERO} for none
 * @param stdin          standard input, or {@code null} for {@code /dev/null}
 * @param maxOutputBytes cap on stdout and stderr <em>each</em>; output beyond it is discarded
 *                       and flagged as truncated (the command is never blocked by the cap)
 * @param secretEnv      workspace secrets exposed as variables: secret name to variable name
 */
public record ExecRequest(List<String> argv, Map<String, String> env, String cwd, Duration timeout,
        StdinSource stdin, long maxOutputBytes,
        Map<String, String> secretEnv) {

    /** Default output cap per stream (1 MiB). */
    public static final long DEFAULT_MAX_OUTPUT = 1 << 20;

    /** Validates and copies; see the record description. */
    public ExecRequest {
        secretEnv = Map.copyOf(secretEnv == null ? Map.of() : secretEnv);
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must not be empty");
        }
        env = Map.copyOf(env == null ? Map.of() : env);
        timeout = timeout == null ? Duration.ZERO : timeout;
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative");
        }
        if (maxOutputBytes < 0) {
            throw new IllegalArgumentException("maxOutputBytes must not be negative");
        }
    }

    /** A request with no extra env, the root as cwd, no timeout, no stdin and the default cap. */
    public static ExecRequest of(String... argv) {
        return new ExecRequest(List.of(argv), Map.of(), null, Duration.ZERO, null, DEFAULT_MAX_OUTPUT);
    }

    /** A copy with an extra environment variable. */
    public ExecRequest withEnv(String name, String value) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return new ExecRequest(argv, e, cwd, timeout, stdin, maxOutputBytes, secretEnv);
    }

    /** A copy with another working directory. */
    public ExecRequest withCwd(String dir) {
        return new ExecRequest(argv, env, dir, timeout, stdin, maxOutputBytes, secretEnv);
    }

    /** A copy with another timeout ({@link Duration#ZERO}: none). */
    public ExecRequest withTimeout(Duration limit) {
        return new ExecRequest(argv, env, cwd, limit, stdin, maxOutputBytes, secretEnv);
    }

    /** A copy with standard input. */
    public ExecRequest withStdin(StdinSource source) {
        return new ExecRequest(argv, env, cwd, timeout, source, maxOutputBytes, secretEnv);
    }

    /** A copy with another output cap. */
    public ExecRequest withMaxOutputBytes(long cap) {
        return new ExecRequest(argv, env, cwd, timeout, stdin, cap, secretEnv);
    }

    /** A request without secrets in its environment. */
    public ExecRequest(List<String> argv, Map<String, String> env, String cwd, Duration timeout,
        StdinSource stdin, long maxOutputBytes) {
        this(argv, env, cwd, timeout, stdin, maxOutputBytes, Map.of());
    }

    /**
     * A copy that exposes workspace secrets as environment variables (secret name to variable
     * name); the agent sets the values from its store, so they never travel in the request.
     */
    public ExecRequest withSecretEnv(Map<String, String> secretToVariable) {
        return new ExecRequest(argv, env, cwd, timeout, stdin, maxOutputBytes, secretToVariable);
    }
}
