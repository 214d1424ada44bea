package dev.pyro.cli;

import dev.pyro.Pyro;
import dev.pyro.RunRequest;
import dev.pyro.RunResult;
import dev.pyro.contract.Defaults;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pyro run ENV [options] -- CMD...}: one command in a fresh microVM. */
@Command(name = "run", description = "Boot a microVM, run one command in it, tear it down.")
final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    JsonOption json;

    @Mixin
    BackendOption backend;

    @Parameters(index = "0", paramLabel = "ENV", description = "Environment name, e.g. debian:12")
    String environment;

    @Option(names = "--vcpu-count", defaultValue = "" + Defaults.VCPU_COUNT, description = "Virtual CPUs (default: ${DEFAULT-VALUE}).")
    int vcpuCount;

    @Option(names = "--mem-mib", defaultValue = "" + Defaults.MEM_MIB, description = "Guest memory in MiB (default: ${DEFAULT-VALUE}).")
    int memMib;

    @Option(names = "--timeout-seconds", defaultValue = "" + Defaults.TIMEOUT_SECONDS, description = "Time limit of the command (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--ttl-seconds", defaultValue = "" + Defaults.TTL_SECONDS, description = "Time limit of the whole VM (default: ${DEFAULT-VALUE}).")
    int ttlSeconds;

    @Option(names = "--network", defaultValue = "false", description = "Give the guest a network (default: off).")
    boolean network;

    @Parameters(index = "1..*", paramLabel = "CMD", arity = "1..*", description = "The command and its arguments, after --")
    List<String> command;

    @Override
    public Integer call() {
        Output out = PyroCommand.root(spec).output();
        RunRequest request = new RunRequest(environment, command, vcpuCount, memMib, timeoutSeconds, ttlSeconds,
                network);
        RunResult result;
        try (Pyro pyro = backend.pyro()) {
            result = ProgressRenderer.around(out, json.json, progress -> pyro.runInVm(request, progress));
        }
        if (json.json) {
            out.json(result);
        } else {
            out.out().print(result.stdout());
            out.out().flush();
            out.err().print(result.stderr());
            if (result.timedOut()) {
                out.err().println("pyro: the command timed out after " + timeoutSeconds + " s (exit 124)");
            }
            out.err().println("[run] environment=" + result.environment() + " execution_mode=" + result.executionMode()
                    + " exit_code=" + result.exitCode() + " duration_ms=" + result.durationMs());
        }
        return result.exitCode();
    }
}
