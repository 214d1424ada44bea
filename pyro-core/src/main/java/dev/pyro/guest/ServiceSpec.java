package dev.pyro.guest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a service (protocol §12 {@code service_start}).
 *
 * @param name          {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}, unique among the agent's live services
 * @param argv          the program and its arguments ({@code argv[0]} looked up in {@code PATH})
 * @param cwd           working directory beneath the workspace root, {@code null} for the root
 * @param env           variables added to the base environment
 * @param readiness     the readiness check, {@code null} for none (the service is then
 *                      {@code running} at once)
 * @param readyTimeout  how long the check may take to pass (the agent takes 1 ms … 1 h)
 * @param readyInterval how often it is tried (10 ms … 60 s)
 * @param secretEnv      workspace secrets exposed as variables: secret name to variable name
 */
public record ServiceSpec(String name, List<String> argv, String cwd, Map<String, String> env,
        ServiceReadiness readiness, Duration readyTimeout, Duration readyInterval,
        Map<String, String> secretEnv) {

    /** The agent's defaults: 30 s to get ready, a check every 500 ms. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(30);
    /** See {@link #DEFAULT_READY_TIMEOUT}. */
    public static final Duration DEFAULT_READY_INTERVAL = Duration.ofMillis(500);

    /** Copies; see the record description. */
    public ServiceSpec {
        secretEnv = Map.copyOf(secretEnv == null ? Map.of() : secretEnv);
        Objects.requireNonNull(name, "name");
        argv = List.copyOf(argv);
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        Objects.requireNonNull(readyTimeout, "readyTimeout");
        Objects.requireNonNull(readyInterval, "readyInterval");
    }

    /** {@code argv} as service {@code name} in the workspace root, without readiness check. */
    public static ServiceSpec of(String name, String... argv) {
        return new ServiceSpec(name, List.of(argv), null, Map.of(), null, DEFAULT_READY_TIMEOUT,
                DEFAULT_READY_INTERVAL);
    }

    /** A copy in another working directory. */
    public ServiceSpec withCwd(String dir) {
        return new ServiceSpec(name, argv, dir, env, readiness, readyTimeout, readyInterval, secretEnv);
    }

    /** A copy with one more environment variable. */
    public ServiceSpec withEnv(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(env);
        m.put(key, value);
        return new ServiceSpec(name, argv, cwd, m, readiness, readyTimeout, readyInterval, secretEnv);
    }

    /** A copy with this readiness check, timeout and interval. */
    public ServiceSpec withReadiness(ServiceReadiness check, Duration timeout, Duration interval) {
        return new ServiceSpec(name, argv, cwd, env, check, timeout, interval, secretEnv);
    }

    /** A request without secrets in its environment. */
    public ServiceSpec(String name, List<String> argv, String cwd, Map<String, String> env,
        ServiceReadiness readiness, Duration readyTimeout, Duration readyInterval) {
        this(name, argv, cwd, env, readiness, readyTimeout, readyInterval, Map.of());
    }

    /**
     * A copy that exposes workspace secrets as environment variables (secret name to variable
     * name); the agent sets the values from its store, so they never travel in the request.
     */
    public ServiceSpec withSecretEnv(Map<String, String> secretToVariable) {
        return new ServiceSpec(name, argv, cwd, env, readiness, readyTimeout, readyInterval, secretToVariable);
    }
}
