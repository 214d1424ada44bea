package dev.pyro.cli.server;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where the exec server for this code and this configuration says it listens (its endpoint
 * file: a loopback port and a token, in a directory only its user can enter), and the key that says
 * which code and configuration it serves. One server serves one key: the JDK, the class path
 * (each jar's path, size and time), the user's home, every {@code PYRO_*} variable and the
 * other variables pyro reads, and every {@code pyro.*} and {@code java.util.logging.*} system property. A client whose key
 * differs (another build, another {@code PYRO_HOME}, another backend) finds another server, so
 * a server never runs a command with code or settings its caller would not have used.
 *
 * <p>A plain class, not a record, and no lambdas: the client's path loads as few classes as it
 * can (docs/performance.md, "The exec server").
 */
public final class ServerAddress {
    /** Turns the server off: {@code 0}, {@code off}, {@code false} or {@code no}. */
    public static final String SWITCH = "PYRO_CLI_SERVER";
    /** The server's idle time before it exits, in seconds. */
    public static final String IDLE_SECONDS = "PYRO_CLI_SERVER_IDLE_SECONDS";
    /** Variables other than {@code PYRO_*} that pyro's own code reads. */
    private static final String[] READ_BY_PYRO = {"HOME", "PATH", "XDG_CACHE_HOME", "XDG_STATE_HOME",
        "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"};
    private final Path endpoint;
    private final String key;

    ServerAddress(Path endpoint, String key) {
        this.endpoint = endpoint;
        this.key = key;
    }

    /** The server's endpoint file: {@code PORT TOKEN}, written by the server that listens. */
    public Path endpoint() {
        return endpoint;
    }

    /** The server's lock, held by the one server that writes {@link #endpoint()}. */
    Path lock() {
        return sibling(".lock");
    }

    /** The server's log (its stderr: what pyro logs while it serves). */
    Path log() {
        return sibling(".log");
    }

    private Path sibling(String suffix) {
        String name = endpoint.getFileName().toString();
        return endpoint.resolveSibling(name.substring(0, name.length() - ".endpoint".length()) + suffix);
    }

    /** What the server's code and configuration are, in full (the endpoint file's name is its hash). */
    public String key() {
        return key;
    }

    /** This process' address, or empty when the server is switched off. */
    public static Optional<ServerAddress> of(Map<String, String> env, Properties properties) {
        if (off(env.get(SWITCH))) {
            return Optional.empty();
        }
        String userHome = properties.getProperty("user.home", "");
        String pyroHome = env.get("PYRO_HOME");
        Path home = pyroHome != null && !pyroHome.isBlank() ? Path.of(pyroHome)
                : Path.of(userHome, ".local/share/pyro");
        String key = key(env, properties);
        Path endpoint = home.toAbsolutePath().resolve("run").resolve("cli-" + hash(key) + ".endpoint");
        return Optional.of(new ServerAddress(endpoint, key));
    }

    static boolean off(String value) {
        if (value == null) {
            return false;
        }
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        return v.equals("0") || v.equals("off") || v.equals("false") || v.equals("no");
    }

    static String key(Map<String, String> env, Properties properties) {
        StringBuilder key = new StringBuilder("pyro-cli-server 1\n");
        key.append("java.home=").append(properties.getProperty("java.home", "")).append('\n');
        key.append("user.home=").append(properties.getProperty("user.home", "")).append('\n');
        for (String entry : properties.getProperty("java.class.path", "").split(File.pathSeparator)) {
            File f = new File(entry);
            key.append("cp=").append(entry).append(' ').append(f.length()).append(' ').append(f.lastModified())
                    .append('\n');
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().startsWith("PYRO_") || isReadByPyro(e.getKey())) {
                sorted.put("env " + e.getKey(), e.getValue());
            }
        }
        for (String name : properties.stringPropertyNames()) {
            if (passedOn(name)) {
                sorted.put("prop " + name, properties.getProperty(name));
            }
        }
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            // Lengths first: no value can pose as another entry.
            key.append(e.getKey()).append(' ').append(e.getValue().length()).append(' ').append(e.getValue())
                    .append('\n');
        }
        return key.toString();
    }

    private static boolean isReadByPyro(String name) {
        for (String n : READ_BY_PYRO) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** 64-bit FNV-1a: a name, not a secret (the server compares the whole key). */
    static String hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        String hex = Long.toHexString(h);
        return "0".repeat(16 - hex.length()) + hex;
    }

    /** System properties that a call's behaviour depends on: pyro's own, and logging's configuration. */
    private static boolean passedOn(String name) {
        return name.startsWith("pyro.") || name.startsWith("java.util.logging.");
    }

    /** The system properties of {@link #passedOn}, as {@code -D} options for the server's JVM. */
    static java.util.List<String> passedOnProperties(Properties properties) {
        java.util.List<String> options = new java.util.ArrayList<>();
        for (String name : properties.stringPropertyNames()) {
            if (passedOn(name)) {
                options.add("-D" + name + "=" + properties.getProperty(name));
            }
        }
        return options;
    }
}
