package dev.pyro.cli;

import dev.pyro.ErrorCode;
import dev.pyro.Pyro;
import dev.pyro.PyroException;
import dev.pyro.RunRequest;
import dev.pyro.RunResult;
import dev.pyro.contract.Defaults;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code pyro demo}: boots the default environment, computes something only a real
 * guest can answer the same way every time, and checks the answer.
 */
@Command(name = "demo", description = "Prove the boot, exec and teardown cycle end to end with a deterministic result.")
final class DemoCommand implements Callable<Integer> {
    /** Guest kernel name, a computation and a file round trip inside the guest. */
    static final List<String> SCRIPT = List.of("sh", "-c",
            "echo pyro-demo; uname -s; echo $((6 * 7)); printf abc > /tmp/demo && wc -c < /tmp/demo");
    static final String EXPECTED = "pyro-demo\nLinux\n42\n3\n";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    JsonOption json;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() {
        Output out = PyroCommand.root(spec).output();
        RunResult r;
        try (Pyro pyro = backend.pyro()) {
            r = ProgressRenderer.around(out, json.json,
                    progress -> pyro.runInVm(RunRequest.of(Defaults.ENVIRONMENT, SCRIPT), progress));
        }
        boolean ok = r.exitCode() == 0 && EXPECTED.equals(r.stdout());
        if (!ok) {
            throw new PyroException(ErrorCode.INTERNAL, "demo: unexpected guest answer (exit " + r.exitCode()
                    + "): " + r.stdout().strip().replace('\n', ' ') + " " + r.stderr().strip());
        }
        if (json.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("ok", true);
            doc.put("expected", EXPECTED);
            doc.put("result", r);
            out.json(doc);
        } else {
            out.out().print(r.stdout());
            out.err().println("[demo] ok: booted " + r.environment() + " (" + r.executionMode() + "), ran a command, "
                    + "tore the VM down in " + r.durationMs() + " ms");
        }
        return 0;
    }
}
