package dev.pyro.cli;

import dev.pyro.CreateWorkspaceRequest;
import dev.pyro.ProgressListener;
import dev.pyro.Pyro;
import dev.pyro.WorkspaceStatus;
import dev.pyro.contract.Defaults;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pyro workspace create ENV [--seed-path PATH] …}: boots a persistent workspace. */
@Command(name = "create", description = "Create a persistent workspace (a microVM that outlives this command).")
final class WorkspaceCreateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    JsonOption json;

    @Mixin
    BackendOption backend;

    @Parameters(index = "0", paramLabel = "ENV", description = "Environment name, e.g. debian:12")
    String environment;

    @Option(names = "--seed-path", paramLabel = "PATH",
            description = "Host directory or .tar/.tar.gz/.tgz archive unpacked into /workspace.")
    Path seedPath;

    @Option(names = "--vcpu-count", defaultValue = "" + Defaults.VCPU_COUNT, description = "Virtual CPUs (default: ${DEFAULT-VALUE}).")
    int vcpuCount;

    @Option(names = "--mem-mib", defaultValue = "" + Defaults.MEM_MIB, description = "Guest memory in MiB (default: ${DEFAULT-VALUE}).")
    int memMib;

    @Option(names = "--ttl-seconds", defaultValue = "" + Defaults.TTL_SECONDS,
            description = "Time to live; then the VM stops and the workspace expires (default: ${DEFAULT-VALUE}).")
    int ttlSeconds;

    @Option(names = "--network", defaultValue = "false", description = "Give the guest a network (default: off).")
    boolean network;

    @Option(names = "--id-only", defaultValue = "false", description = "Print only the workspace id.")
    boolean idOnly;

    @Override
    public Integer call() {
        Output out = PyroCommand.root(spec).output();
        CreateWorkspaceRequest request = new CreateWorkspaceRequest(environment, Optional.ofNullable(seedPath),
                vcpuCount, memMib, ttlSeconds, network);
        ProgressRenderer progress = new ProgressRenderer(out.err(), ProgressRenderer.stderrIsTerminal());
        WorkspaceStatus ws;
        try (Pyro pyro = backend.pyro()) {
            ws = pyro.createWorkspace(request, json.json || idOnly ? ProgressListener.NONE : progress);
        } finally {
            progress.finish();
        }
        if (idOnly) {
            out.out().println(ws.workspaceId());
        } else if (json.json) {
            out.json(ws);
        } else {
            WorkspaceText.status(out.out(), ws);
        }
        return 0;
    }
}
