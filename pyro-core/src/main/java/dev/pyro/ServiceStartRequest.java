package dev.pyro;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@link Pyro#startService} starts: a named long-running command in a started workspace,
 * supervised by the guest, with at most one readiness check that {@code startService} waits
 * for. Checks run inside the guest.
 *
 * @param name                {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}, unique among the workspace's
 *                            live services
 * @param cwd                 working directory under {@code /workspace} (relative to it, or absolute
 *                            under it); {@code null} for {@code /workspace}
 * @param readyFile           ready once this path exists (relative to {@code cwd}, or absolute)
 * @param readyTcp            ready once a TCP connect to {@code HOST:PORT} succeeds (an IP address
 *                            or {@code localhost}; names are not resolved)
 * @param readyHttp           ready once a GET of this {@code http://} URL answers 2xx or 3xx
 * @param readyCommand        ready once this shell command ({@code sh -c}) exits 0
 * @param readyTimeoutSeconds how long the check may take to pass (1…3600); then the service is
 *                            stopped and the start fails
 * @param readyIntervalMs     how often the check runs (10…60000 ms)
 * @param command             the program and its arguments
 * @param publish             guest ports to publish on the host's 127.0.0.1, each
 *                            {@code [HOST_PORT:]GUEST_PORT} (the workspace's network policy must be
 *                            {@code egress+published-ports}); {@code null} or empty for none
 * @param secretEnv           workspace secrets the service sees, as environment variables: secret
 *                            name to variable name (empty: the secret's own name)
 */
public record ServiceStartRequest(String name, String cwd, String readyFile, String readyTcp, String readyHttp,
        String readyCommand, int readyTimeoutSeconds, int readyIntervalMs, List<String> command,
        List<String> publish, Map<String, String> secretEnv) {

    /** The name rule of services. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The longest command line (all arguments, UTF-8) a service takes. */
    public static final int MAX_COMMAND_BYTES = 48 * 1024;
    /** The most ports one service publishes. */
    public static final int MAX_PUBLISHED_PORTS = 16;

    /**
     * Validates.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} for a bad name, a missing or too long
     *                       command, more than one readiness check, an empty target or a value out of range
     */
    public ServiceStartRequest {
        requireName(name);
        command = List.copyOf(Objects.requireNonNull(command, "command"));
        if (command.isEmpty() || command.get(0).isEmpty()) {
            throw invalid("no command given: a service needs at least a program");
        }
        long bytes = command.stream().mapToLong(a -> a.getBytes(StandardCharsets.UTF_8).length + 1L).sum();
        if (bytes > MAX_COMMAND_BYTES) {
            throw invalid("the command is " + bytes + " bytes long; a service takes at most " + MAX_COMMAND_BYTES);
        }
        List<String> checks = new ArrayList<>();
        check(checks, "ready_file", readyFile);
        check(checks, "ready_tcp", readyTcp);
        check(checks, "ready_http", readyHttp);
        check(checks, "ready_command", readyCommand);
        if (checks.size() > 1) {
            throw invalid("give at most one readiness check, not " + String.join(" and ", checks));
        }
        Ranges.check("ready_timeout_seconds", readyTimeoutSeconds, 1, 3600);
        Ranges.check("ready_interval_ms", readyIntervalMs, 10, 60_000);
        publish = publish == null ? List.of() : List.copyOf(publish);
        if (publish.size() > MAX_PUBLISHED_PORTS) {
            throw new PyroException(ErrorCode.INVALID_PORT, "a service publishes at most " + MAX_PUBLISHED_PORTS
                    + " ports, not " + publish.size());
        }
        publish.forEach(PortMapping::parse);
        secretEnv = secretEnv == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(secretEnv));
    }

    /** A request without published ports that exposes no secret. */
    public ServiceStartRequest(String name, String cwd, String readyFile, String readyTcp, String readyHttp,
            String readyCommand, int readyTimeoutSeconds, int readyIntervalMs, List<String> command) {
        this(name, cwd, readyFile, readyTcp, readyHttp, readyCommand, readyTimeoutSeconds, readyIntervalMs, command,
                List.of(), Map.of());
    }

    /** The published ports, parsed. */
    public List<PortMapping> portMappings() {
        return publish.stream().map(PortMapping::parse).toList();
    }

    /** A copy that publishes these ports ({@code [HOST_PORT:]GUEST_PORT} each). */
    public ServiceStartRequest withPublish(String... ports) {
        return new ServiceStartRequest(name, cwd, readyFile, readyTcp, readyHttp, readyCommand, readyTimeoutSeconds,
                readyIntervalMs, command, List.of(ports), secretEnv);
    }

    /** A copy that exposes secret {@code secret} as the variable {@code variable}. */
    public ServiceStartRequest withSecretEnv(String secret, String variable) {
        Map<String, String> m = new LinkedHashMap<>(secretEnv);
        m.put(Objects.requireNonNull(secret, "secret"), Objects.requireNonNull(variable, "variable"));
        return new ServiceStartRequest(name, cwd, readyFile, readyTcp, readyHttp, readyCommand, readyTimeoutSeconds,
                readyIntervalMs, command, publish, m);
    }

    /** {@code command} as service {@code name} in {@code /workspace}, without readiness check. */
    public static ServiceStartRequest of(String name, List<String> command) {
        return new ServiceStartRequest(name, null, null, null, null, null,
                dev.pyro.contract.Defaults.READY_TIMEOUT_SECONDS, dev.pyro.contract.Defaults.READY_INTERVAL_MS, command);
    }

    /** A copy in another working directory. */
    public ServiceStartRequest withCwd(String dir) {
        return new ServiceStartRequest(name, dir, readyFile, readyTcp, readyHttp, readyCommand, readyTimeoutSeconds,
                readyIntervalMs, command, publish, secretEnv);
    }

    /** A copy that is ready once {@code path} exists. */
    public ServiceStartRequest withReadyFile(String path) {
        return new ServiceStartRequest(name, cwd, path, null, null, null, readyTimeoutSeconds, readyIntervalMs,
                command, publish, secretEnv);
    }

    /** A copy that is ready once a TCP connect to {@code hostPort} succeeds. */
    public ServiceStartRequest withReadyTcp(String hostPort) {
        return new ServiceStartRequest(name, cwd, null, hostPort, null, null, readyTimeoutSeconds, readyIntervalMs,
                command, publish, secretEnv);
    }

    /** A copy that is ready once a GET of {@code url} answers 2xx or 3xx. */
    public ServiceStartRequest withReadyHttp(String url) {
        return new ServiceStartRequest(name, cwd, null, null, url, null, readyTimeoutSeconds, readyIntervalMs,
                command, publish, secretEnv);
    }

    /** A copy that is ready once {@code shellCommand} exits 0. */
    public ServiceStartRequest withReadyCommand(String shellCommand) {
        return new ServiceStartRequest(name, cwd, null, null, null, shellCommand, readyTimeoutSeconds,
                readyIntervalMs, command, publish, secretEnv);
    }

    /** A copy with another readiness timeout and interval. */
    public ServiceStartRequest withReadyTiming(int timeoutSeconds, int intervalMs) {
        return new ServiceStartRequest(name, cwd, readyFile, readyTcp, readyHttp, readyCommand, timeoutSeconds,
                intervalMs, command, publish, secretEnv);
    }

    /**
     * Checks a service name.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} unless it matches {@link #NAME}
     */
    public static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            String shown = name == null ? "null" : "\"" + (name.length() > 80 ? name.substring(0, 80) + "…" : name)
                    + "\"";
            throw invalid("a service name is 1 to 64 of A-Z a-z 0-9 . _ - starting with a letter or digit, not "
                    + shown);
        }
        return name;
    }

    private static void check(List<String> given, String param, String value) {
        if (value == null) {
            return;
        }
        if (value.isBlank()) {
            throw invalid(param + " must not be empty");
        }
        given.add(param);
    }

    private static PyroException invalid(String message) {
        return new PyroException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
