package dev.pyro.present;

import dev.pyro.ShellReadResult;
import dev.pyro.WorkspaceShell;
import dev.pyro.contract.Arguments;
import dev.pyro.contract.Invocation;
import dev.pyro.contract.Params;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Handlers of the shell operations (2.5.0): one SDK call each, and the result's forms. */
final class ShellHandlers {
    private ShellHandlers() {
    }

    static Outcome open(Arguments a, Invocation inv) {
        WorkspaceShell s = inv.pyro().openShell(a.string(Params.WORKSPACE_ID),
                a.optionalString(Params.CWD).orElse(null), a.integer(Params.COLS), a.integer(Params.ROWS),
                a.map(Params.SECRET_ENV));
        Outcome o = Outcome.of(s);
        return a.flag(Params.SHELL_ID_ONLY) ? o.stdout(Payload.line(s.shellId())) : o.stdout(ShellText.shell(s));
    }

    static Outcome read(Arguments a, Invocation inv) {
        ShellReadResult r = inv.pyro().readShell(a.string(Params.WORKSPACE_ID), a.string(Params.SHELL_ID),
                a.longValue(Params.CURSOR), a.integer(Params.MAX_CHARS), a.flag(Params.PLAIN),
                a.integer(Params.WAIT_FOR_IDLE_MS));
        return Outcome.of(r).stdout(Payload.text(r.output())).summary(ShellText.readSummary(r, a.longValue(
                Params.CURSOR))).modelText(ShellText.readForModel(r, a.longValue(Params.CURSOR)));
    }

    static Outcome write(Arguments a, Invocation inv) {
        var r = inv.pyro().writeShell(a.string(Params.WORKSPACE_ID), a.string(Params.SHELL_ID),
                a.string(Params.INPUT), a.flag(Params.NO_NEWLINE));
        return Outcome.of(r).summary("Typed " + r.bytes() + " bytes into shell " + r.shellId() + " of "
                + r.workspaceId() + "; read its output for the effect");
    }

    static Outcome signal(Arguments a, Invocation inv) {
        var r = inv.pyro().signalShell(a.string(Params.WORKSPACE_ID), a.string(Params.SHELL_ID),
                a.string(Params.SIGNAL));
        return Outcome.of(r).summary("Sent " + r.signal() + " to process group " + r.pgid() + " of shell "
                + r.shellId() + " in " + r.workspaceId());
    }

    static Outcome resize(Arguments a, Invocation inv) {
        var r = inv.pyro().resizeShell(a.string(Params.WORKSPACE_ID), a.string(Params.SHELL_ID),
                a.integer(Params.NEW_COLS), a.integer(Params.NEW_ROWS));
        return Outcome.of(r).summary("Resized shell " + r.shellId() + " of " + r.workspaceId() + " to " + r.cols()
                + "x" + r.rows());
    }

    static Outcome list(Arguments a, Invocation inv) {
        String id = a.string(Params.WORKSPACE_ID);
        List<WorkspaceShell> shells = inv.pyro().listShells(id);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("workspace_id", id);
        doc.put("shells", shells);
        return Outcome.of(doc).stdout(ShellText.list(id, shells));
    }

    static Outcome close(Arguments a, Invocation inv) {
        var r = inv.pyro().closeShell(a.string(Params.WORKSPACE_ID), a.string(Params.SHELL_ID));
        return Outcome.of(r).summary("Closed shell " + r.shellId() + " of " + r.workspaceId());
    }
}
