package dev.pyro.cli;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.contract.Arguments;
import dev.pyro.contract.Invocation;
import dev.pyro.contract.McpProfile;
import dev.pyro.contract.Params;
import dev.pyro.present.McpHostConfig;
import dev.pyro.present.Outcome;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The handler of {@code pyro mcp config HOST}: the chat host's configuration for
 * {@code pyro mcp serve}, naming the launcher that runs this very pyro (the {@code ./pyro} of a
 * checkout or the installed {@code bin/pyro}, which export themselves as {@value #LAUNCHER}), else
 * the {@code pyro} found on {@code PATH}. {@code PYRO_HOME} and {@code PYRO_BACKEND} are carried
 * over when set, so the server sees the workspaces this shell sees.
 */
final class McpConfig {
    /** Environment variable the launchers export with their own absolute path. */
    static final String LAUNCHER = "PYRO_LAUNCHER";

    private McpConfig() {
    }

    static Outcome print(Arguments a, Invocation inv) {
        List<String> args = new ArrayList<>(List.of("mcp", "serve"));
        String profile = a.string(Params.PROFILE);
        if (!profile.equals(McpProfile.WORKSPACE_CORE.wireName())) {
            args.addAll(List.of("--profile", profile));
        }
        for (String dir : a.strings(Params.ALLOW_HOST_PATH)) {
            args.addAll(List.of("--allow-host-path", Path.of(dir).toAbsolutePath().normalize().toString()));
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of("PYRO_HOME", "PYRO_BACKEND")) {
            Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank())
                    .ifPresent(v -> env.put(name, name.equals("PYRO_HOME") ? Path.of(v).toAbsolutePath().toString() : v));
        }
        return new McpHostConfig(a.string(Params.MCP_HOST), launcher().toString(), args, env).outcome();
    }

    /** The launcher to name in the configuration. */
    static Path launcher() {
        String own = System.getenv(LAUNCHER);
        if (own != null && !own.isBlank()) {
            return Path.of(own).toAbsolutePath().normalize();
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, "pyro");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toAbsolutePath().normalize();
                }
            }
        }
        throw new PyroException(ErrorCode.NOT_FOUND, "cannot tell which pyro launcher the chat host should start",
                "Run this through the launcher itself (./pyro in a checkout, or the installed bin/pyro), or put "
                        + "pyro on PATH.", null);
    }
}
