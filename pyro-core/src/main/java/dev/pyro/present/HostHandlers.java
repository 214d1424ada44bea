package dev.pyro.present;

import dev.pyro.DoctorReport;
import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.RunRequest;
import dev.pyro.RunResult;
import dev.pyro.contract.Arguments;
import dev.pyro.contract.Defaults;
import dev.pyro.contract.Invocation;
import dev.pyro.contract.Params;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Handlers of the host operations: {@code doctor}, {@code demo} and one-shot {@code run} (public for the demo's expected answer). */
public final class HostHandlers {
    /** Guest kernel name, a computation and a file round trip inside the guest. */
    static final List<String> DEMO_SCRIPT = List.of("sh", "-c",
            "echo pyro-demo; uname -s; echo $((6 * 7)); printf abc > /tmp/demo && wc -c < /tmp/demo");
    /** What only a real guest answers, the same way every time. */
    public static final String DEMO_EXPECTED = "pyro-demo\nLinux\n42\n3\n";

    private HostHandlers() {
    }

    static Outcome doctor(Arguments a, Invocation inv) {
        DoctorReport r = inv.pyro().doctor();
        return Outcome.of(r).stdout(DoctorText.of(r)).exitStatus(r.ok() ? 0 : 1);
    }

    static Outcome run(Arguments a, Invocation inv) {
        RunRequest request = new RunRequest(a.string(Params.ENVIRONMENT), a.argv(Params.COMMAND),
                a.integer(Params.VCPU_COUNT), a.integer(Params.MEM_MIB), a.integer(Params.TIMEOUT_SECONDS),
                a.integer(Params.RUN_TTL_SECONDS), a.flag(Params.NETWORK), a.integer(Params.RUN_MAX_OUTPUT_BYTES),
                CommandInput.of(a, inv));
        return ExecText.run(inv.pyro().runInVm(request, inv.progress()), request.timeoutSeconds(),
                OutputEncoding.of(a));
    }

    static Outcome demo(Arguments a, Invocation inv) {
        RunResult r = inv.pyro().runInVm(RunRequest.of(Defaults.ENVIRONMENT, DEMO_SCRIPT), inv.progress());
        if (r.exitCode() != 0 || !DEMO_EXPECTED.equals(r.stdoutText())) {
            throw new PyroException(ErrorCode.INTERNAL, "demo: unexpected guest answer (exit " + r.exitCode()
                    + "): " + r.stdoutText().strip().replace('\n', ' ') + " " + r.stderrText().strip());
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ok", true);
        doc.put("expected", DEMO_EXPECTED);
        doc.put("result", ExecDocument.of(r, OutputEncoding.TEXT));
        return Outcome.of(doc).stdout(Payload.bytes(r.stdout())).summary("[demo] ok: booted " + r.environment() + " ("
                + r.executionMode() + "), ran a command, tore the VM down in " + r.durationMs() + " ms");
    }
}
