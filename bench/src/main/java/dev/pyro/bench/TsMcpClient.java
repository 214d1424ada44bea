package dev.pyro.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The official TypeScript MCP client ({@code bench/mcp-client/warm-exec.mjs}, installed by
 * {@code bench/run} with {@code npm ci}) calling {@code workspace_exec true} on a workspace:
 * per call, client-observed time minus {@code duration_ms}, and the server's own time minus
 * it when the server reports it.
 */
final class TsMcpClient {
    private static final Pattern ROW = Pattern.compile("overhead_ms=([0-9.-]+) server_ms=([0-9.-]+|-)");

    record Series(Samples overhead, Samples server) {
    }

    private TsMcpClient() {
    }

    /** The client's script in the checkout {@code launcher} belongs to, or null when it is not installed. */
    static Path script(Path checkout) {
        Path dir = checkout.resolve("bench/mcp-client");
        return Files.isDirectory(dir.resolve("node_modules/@modelcontextprotocol/sdk")) ? dir.resolve("warm-exec.mjs")
                : null;
    }

    /** Runs WARMUP + n calls through {@code launcher}'s {@code mcp serve} with {@code PYRO_HOME=home}. */
    static Series run(Path script, Path launcher, Path home, String workspaceId, int n, int warmup)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of("node", script.toString(), launcher.toString(), workspaceId,
                Integer.toString(n), Integer.toString(warmup))).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("PYRO_HOME", home.toString());
        Process p = pb.start();
        Samples overhead = new Samples(n);
        Samples server = new Samples(n);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                Matcher m = ROW.matcher(line);
                if (m.matches() && overhead.size() < n) {
                    overhead.add(Double.parseDouble(m.group(1)));
                    if (!m.group(2).equals("-")) {
                        server.add(Double.parseDouble(m.group(2)));
                    }
                }
            }
        }
        int code = p.waitFor();
        if (code != 0 || overhead.size() != n) {
            throw new IllegalStateException("the TypeScript MCP client exited " + code + " after " + overhead.size()
                    + " of " + n + " calls");
        }
        return new Series(overhead, server);
    }
}
