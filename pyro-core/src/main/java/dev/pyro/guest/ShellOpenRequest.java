package dev.pyro.guest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to open a shell.
 *
 * @param cwd  working directory beneath the workspace root, {@code null} for the root
 * @param cols terminal width, 0 for the agent's default (120); the agent takes 1…1000
 * @param rows terminal height, 0 for the agent's default (30); the agent takes 1…1000
 * @param env  variables added to the shell's environment ({@code TERM=xterm-256color} is set
 *             unless given here)
 * @param argv the program, {@code null} for the default ({@code bash -l} where present, else
 *             {@code sh})
 * @param secretEnv      workspace secrets exposed as variables: secret name to variable name
 */
public record ShellOpenRequest(String cwd, int cols, int rows, Map<String, String> env, List<String> argv,
        Map<String, String> secretEnv) {

    /** Copies; see the record description. */
    public ShellOpenRequest {
        secretEnv = Map.copyOf(secretEnv == null ? Map.of() : secretEnv);
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        argv = argv == null ? null : List.copyOf(argv);
        if (argv != null && argv.isEmpty()) {
            throw new IllegalArgumentException("argv must not be empty (null means the default shell)");
        }
    }

    /** The default shell in the workspace root, 120x30. */
    public static ShellOpenRequest defaults() {
        return new ShellOpenRequest(null, 0, 0, Map.of(), null);
    }

    /** A copy in another working directory. */
    public ShellOpenRequest withCwd(String dir) {
        return new ShellOpenRequest(dir, cols, rows, env, argv, secretEnv);
    }

    /** A copy with another terminal size. */
    public ShellOpenRequest withSize(int newCols, int newRows) {
        return new ShellOpenRequest(cwd, newCols, newRows, env, argv, secretEnv);
    }

    /** A copy with one more environment variable. */
    public ShellOpenRequest withEnv(String name, String value) {
        Map<String, String> m = new LinkedHashMap<>(env);
        m.put(name, value);
        return new ShellOpenRequest(cwd, cols, rows, m, argv, secretEnv);
    }

    /** A copy that runs {@code command} instead of the default shell. */
    public ShellOpenRequest withArgv(String... command) {
        return new ShellOpenRequest(cwd, cols, rows, env, List.of(command), secretEnv);
    }

    /** A request without secrets in its environment. */
    public ShellOpenRequest(String cwd, int cols, int rows, Map<String, String> env, List<String> argv) {
        this(cwd, cols, rows, env, argv, Map.of());
    }

    /**
     * A copy that exposes workspace secrets as environment variables (secret name to variable
     * name); the agent sets the values from its store, so they never travel in the request.
     */
    public ShellOpenRequest withSecretEnv(Map<String, String> secretToVariable) {
        return new ShellOpenRequest(cwd, cols, rows, env, argv, secretToVariable);
    }
}
