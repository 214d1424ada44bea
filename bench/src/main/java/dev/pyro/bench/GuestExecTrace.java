package dev.pyro.bench;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.Pyro;
import dev.pyro.PyroConfig;
import dev.pyro.contract.Defaults;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ExecRequest;
import dev.pyro.guest.ExecResult;
import dev.pyro.vm.GuestConnector;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmmFactory;
import dev.pyro.workspace.store.WorkspaceStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/run AgentExec guest [N]}: the agent's own cost per {@code exec true} in a workspace
 * VM, on a raw protocol connection, for a bare request and for the SDK's (cwd, time limit, output
 * cap), alternated: host time minus {@code duration_us}, each. When the workspace's agent was
 * built with {@code make EXEC_TRACE=1} (pass it as {@code -Dpyro.agent.binary=...}), its per-step
 * trace ({@code /run/pyro-exec-trace}) is read back and each step's median printed, µs since the
 * wake-up that read the request.
 */
final class GuestExecTrace {
    private static final String TRACE = "/run/pyro-exec-trace";
    private static final int WARMUP = 20;

    private GuestExecTrace() {
    }

    static void run(int n) throws Exception {
        Path home = Files.createTempDirectory("pyro-bench-agentexec");
        PyroConfig env = PyroConfig.fromEnvironment();
        PyroConfig config = new PyroConfig(home, env.environmentCache(), env.cache(), env.backend());
        ExecRequest bare = ExecRequest.of("true");
        ExecRequest sdk = new ExecRequest(List.of("true"), Map.of(), "/workspace",
                Duration.ofSeconds(Defaults.TIMEOUT_SECONDS), null, Defaults.EXEC_MAX_OUTPUT_BYTES, Map.of());
        try (Pyro pyro = Pyro.create(config)) {
            String id = pyro.createWorkspace(CreateWorkspaceRequest.of("debian:12")).workspaceId();
            try {
                VmInstance vm = VmmFactory.attach(new WorkspaceStore(home).paths(id).vmStateDir());
                try (AgentConnection agent = GuestConnector.connect(vm, Duration.ofSeconds(30))) {
                    Samples bareS = new Samples(n);
                    Samples sdkS = new Samples(n);
                    for (int i = 0; i < WARMUP; i++) {
                        once(agent, bare);
                        once(agent, sdk);
                    }
                    // the trace from here on: this exec's own line comes first, then the pairs
                    once(agent, ExecRequest.of("sh", "-c", ": > " + TRACE + " 2>/dev/null || true"));
                    for (int i = 0; i < n; i++) {
                        bareS.add(once(agent, bare));
                        sdkS.add(once(agent, sdk));
                    }
                    ExecResult cat = agent.exec().run(ExecRequest.of("cat", TRACE));
                    System.out.printf(Locale.ROOT, "agent_exec_overhead_ms median=%.3f p90=%.3f (bare request)%n",
                            bareS.median(), bareS.percentile(90));
                    System.out.printf(Locale.ROOT, "agent_exec_sdk_request_overhead_ms median=%.3f p90=%.3f "
                            + "(cwd, time limit, output cap)%n", sdkS.median(), sdkS.percentile(90));
                    if (cat.success()) {
                        traces(cat.stdoutText(), n);
                    } else {
                        System.out.println("no trace: the agent was not built with EXEC_TRACE=1");
                    }
                }
            } finally {
                pyro.deleteWorkspace(id);
            }
        }
    }

    private static double once(AgentConnection agent, ExecRequest req) {
        long t0 = System.nanoTime();
        ExecResult r = agent.exec().run(req);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (!r.success()) {
            throw new IllegalStateException("exec failed: " + r);
        }
        return ms - r.duration().toNanos() / 1e6;
    }

    /** Lines 2..2n+1 of the trace alternate bare, SDK; medians of each step, µs. */
    private static void traces(String text, int n) {
        List<String> lines = text.lines().filter(l -> l.startsWith("xtrace ")).toList();
        if (lines.size() < 2 * n + 1) {
            System.out.println("trace has " + lines.size() + " lines, expected " + (2 * n + 1));
            return;
        }
        for (int shape = 0; shape < 2; shape++) {
            Map<String, List<Double>> steps = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                for (String kv : lines.get(1 + 2 * i + shape).substring(7).split(" ")) {
                    String[] p = kv.split("=");
                    steps.computeIfAbsent(p[0], k -> new ArrayList<>()).add(Double.parseDouble(p[1]));
                }
            }
            StringBuilder sb = new StringBuilder(shape == 0 ? "trace bare (median µs):" : "trace sdk  (median µs):");
            steps.forEach((k, v) -> {
                Samples s = new Samples(v.size());
                v.forEach(s::add);
                sb.append(String.format(Locale.ROOT, " %s=%.0f", k, s.median()));
            });
            System.out.println(sb);
        }
    }
}
