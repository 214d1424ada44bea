package dev.pyro.present;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code pyro mcp config HOST} prints: the configuration with which a chat host starts
 * pyro's MCP server, in that host's own format, with the command path filled in.
 *
 * @param host    {@code claude-code}, {@code codex} or {@code opencode}
 * @param command the absolute path of the {@code pyro} launcher to start
 * @param args    the arguments after it ({@code mcp serve …})
 * @param env     environment the server needs (e.g. {@code PYRO_HOME}), maybe empty
 */
public record McpHostConfig(String host, String command, List<String> args, Map<String, String> env) {
    /** The hosts pyro knows. */
    public static final List<String> HOSTS = List.of("claude-code", "codex", "opencode");

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public McpHostConfig {
        Objects.requireNonNull(command, "command");
        if (!HOSTS.contains(host)) {
            throw new IllegalArgumentException("unknown host " + host);
        }
        args = List.copyOf(args);
        env = Map.copyOf(env);
    }

    /** Where the configuration goes, in words a person follows. */
    public String destination() {
        return switch (host) {
            case "claude-code" -> ".mcp.json at the root of your project (or merge \"pyro\" into its mcpServers)";
            case "codex" -> "~/.codex/config.toml (or .codex/config.toml of a trusted project)";
            default -> "opencode.json at the root of your project (or ~/.config/opencode/opencode.json)";
        };
    }

    /** The host's own command that adds the server instead, when it has one. */
    public String addCommand() {
        String line = shell(command) + " " + args.stream().map(McpHostConfig::shell).collect(Collectors.joining(" "));
        String envs = env.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> "--env " + shell(e.getKey() + "=" + e.getValue())).collect(Collectors.joining(" "));
        return switch (host) {
            case "claude-code" -> "claude mcp add pyro" + (envs.isEmpty() ? "" : " " + envs.replace("--env", "-e"))
                    + " -- " + line;
            case "codex" -> "codex mcp add pyro" + (envs.isEmpty() ? "" : " " + envs) + " -- " + line;
            default -> "opencode mcp add pyro" + (envs.isEmpty() ? "" : " " + envs) + " -- " + line;
        };
    }

    /** The configuration text. */
    public String text() {
        return switch (host) {
            case "claude-code" -> claudeCode();
            case "codex" -> codex();
            default -> opencode();
        };
    }

    private String claudeCode() {
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("type", "stdio");
        server.put("command", command);
        server.put("args", args);
        server.put("env", new java.util.TreeMap<>(env));
        return JSON.writeValueAsString(Map.of("mcpServers", Map.of("pyro", server))) + "\n";
    }

    private String codex() {
        StringBuilder t = new StringBuilder("[mcp_servers.pyro]\n");
        t.append("command = ").append(toml(command)).append('\n');
        t.append("args = [").append(args.stream().map(McpHostConfig::toml).collect(Collectors.joining(", ")))
                .append("]\n");
        // a cold JVM and a first boot take longer than Codex's defaults (10 s to start, 60 s per call)
        t.append("startup_timeout_sec = 30\n");
        t.append("tool_timeout_sec = 600\n");
        if (!env.isEmpty()) {
            t.append("\n[mcp_servers.pyro.env]\n");
            new java.util.TreeMap<>(env).forEach((k, v) -> t.append(k).append(" = ").append(toml(v)).append('\n'));
        }
        return t.toString();
    }

    private String opencode() {
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("type", "local");
        List<String> argv = new java.util.ArrayList<>();
        argv.add(command);
        argv.addAll(args);
        server.put("command", argv);
        server.put("enabled", true);
        server.put("timeout", 30_000);
        if (!env.isEmpty()) {
            server.put("environment", new java.util.TreeMap<>(env));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("$schema", "https://opencode.ai/config.json");
        doc.put("mcp", Map.of("pyro", server));
        return JSON.writeValueAsString(doc) + "\n";
    }

    /** A TOML basic string. */
    static String toml(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** A word for a POSIX shell. */
    static String shell(String s) {
        return s.matches("[A-Za-z0-9_@%+=:,./-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /** The document {@code --json} would print. */
    Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("host", host);
        doc.put("destination", destination());
        doc.put("command", command);
        doc.put("args", args);
        doc.put("env", env);
        doc.put("config", text());
        return doc;
    }

    /** The outcome: the configuration on stdout, where it goes on stderr. */
    public Outcome outcome() {
        return Outcome.of(document()).stdout(text()).summary("pyro: put this in " + destination()
                + "; or run: " + addCommand());
    }
}
