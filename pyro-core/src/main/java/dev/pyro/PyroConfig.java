package dev.pyro;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where pyro keeps things and which backend it is asked to use.
 *
 * @param home             state: workspaces, VM state directories ({@code PYRO_HOME},
 *                         default {@code ~/.local/share/pyro})
 * @param environmentCache installed environments ({@code PYRO_ENVIRONMENT_CACHE_DIR},
 *                         default {@code ~/.cache/pyro/environments})
 * @param cache            other caches: probe results, assembled initramfs files
 *                         ({@code ~/.cache/pyro})
 * @param backend          a forced backend ({@code PYRO_BACKEND}), or empty for automatic
 * @param memoryOvercommit boot guests even when the memory promised to running VMs plus the
 *                         new one exceeds what the host can hold ({@code PYRO_MEMORY_OVERCOMMIT=1});
 *                         off by default, when such a boot fails with {@code insufficient_memory}
 * @param secretsDir       where workspace secret values are kept, outside {@code home}
 *                         ({@code PYRO_SECRETS_DIR}, default {@code $XDG_STATE_HOME/pyro/secrets/<hash of home>},
 *                         {@code XDG_STATE_HOME} defaulting to {@code ~/.local/state})
 * @param templates        start workspaces and runs from memory-snapshot templates when one fits,
 *                         and build missing ones in the background (on by default;
 *                         {@code PYRO_TEMPLATES=0} turns it off, as does the JVM property
 *                         {@code pyro.templates=0} where the variable is not set; docs/performance.md)
 */
public record PyroConfig(Path home, Path environmentCache, Path cache, Optional<String> backend,
        boolean memoryOvercommit, Path secretsDir, boolean templates) {
    public PyroConfig {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(environmentCache, "environmentCache");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(secretsDir, "secretsDir");
    }

    /** A configuration with templates on (unless the JVM property {@code pyro.templates} is 0). */
    public PyroConfig(Path home, Path environmentCache, Path cache, Optional<String> backend,
            boolean memoryOvercommit, Path secretsDir) {
        this(home, environmentCache, cache, backend, memoryOvercommit, secretsDir, templatesOn(null));
    }

    /** A configuration with secrets in the default place for {@code home}. */
    public PyroConfig(Path home, Path environmentCache, Path cache, Optional<String> backend,
            boolean memoryOvercommit) {
        this(home, environmentCache, cache, backend, memoryOvercommit,
                dev.pyro.workspace.secrets.SecretVault.defaultDir(home,
                        Path.of(System.getProperty("user.home"), ".local", "state")));
    }

    /** A configuration without memory overcommit. */
    public PyroConfig(Path home, Path environmentCache, Path cache, Optional<String> backend) {
        this(home, environmentCache, cache, backend, false);
    }

    /** The configuration from the process environment and the user's home directory. */
    public static PyroConfig fromEnvironment() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The configuration from the given variables and home directory. */
    public static PyroConfig fromEnvironment(Map<String, String> env, Path userHome) {
        Path cache = userHome.resolve(".cache/pyro");
        Path home = pathVar(env, "PYRO_HOME").orElse(userHome.resolve(".local/share/pyro"));
        Path state = pathVar(env, "XDG_STATE_HOME").orElse(userHome.resolve(".local/state"));
        return new PyroConfig(
                home,
                pathVar(env, "PYRO_ENVIRONMENT_CACHE_DIR").orElse(cache.resolve("environments")),
                cache,
                Optional.ofNullable(env.get("PYRO_BACKEND")).filter(s -> !s.isBlank()),
                "1".equals(env.get("PYRO_MEMORY_OVERCOMMIT")),
                pathVar(env, "PYRO_SECRETS_DIR").orElse(dev.pyro.workspace.secrets.SecretVault.defaultDir(home, state)),
                templatesOn(env.get("PYRO_TEMPLATES")));
    }

    /** A copy that uses (and builds) templates or not. */
    public PyroConfig withTemplates(boolean on) {
        return new PyroConfig(home, environmentCache, cache, backend, memoryOvercommit, secretsDir, on);
    }

    /** {@code PYRO_TEMPLATES}'s value, else the JVM property {@code pyro.templates}: off for 0, false, off, no. */
    private static boolean templatesOn(String variable) {
        String v = variable != null && !variable.isBlank() ? variable : System.getProperty("pyro.templates", "1");
        return !java.util.Set.of("0", "false", "off", "no").contains(v.strip().toLowerCase(java.util.Locale.ROOT));
    }

    /** A copy with another forced backend (empty: automatic). */
    public PyroConfig withBackend(Optional<String> forced) {
        return new PyroConfig(home, environmentCache, cache, forced, memoryOvercommit, secretsDir, templates);
    }

    /** A copy that does (or does not) boot guests beyond the host's memory. */
    public PyroConfig withMemoryOvercommit(boolean allow) {
        return new PyroConfig(home, environmentCache, cache, backend, allow, secretsDir, templates);
    }

    /** A copy that keeps secret values in {@code dir} (which should not be under {@code home}). */
    public PyroConfig withSecretsDir(Path dir) {
        return new PyroConfig(home, environmentCache, cache, backend, memoryOvercommit, dir, templates);
    }

    private static Optional<Path> pathVar(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(s -> !s.isBlank()).map(Path::of);
    }
}
