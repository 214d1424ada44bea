package dev.pyro.present;

import dev.pyro.contract.Arguments;
import dev.pyro.contract.HostPaths.Access;
import dev.pyro.contract.Invocation;
import dev.pyro.contract.Params;
import java.nio.file.Path;

/** Handlers of the file tools and patch apply (3.2): one SDK call each, and the result's forms. */
final class FileHandlers {
    private FileHandlers() {
    }

    static Outcome list(Arguments a, Invocation inv) {
        return FileText.list(inv.pyro().listWorkspaceFiles(a.string(Params.WORKSPACE_ID),
                a.string(Params.FILE_LIST_PATH), a.flag(Params.RECURSIVE)));
    }

    static Outcome read(Arguments a, Invocation inv) {
        return FileText.read(inv.pyro().readWorkspaceFile(a.string(Params.WORKSPACE_ID), a.string(Params.FILE_PATH),
                a.integer(Params.MAX_BYTES)), a.flag(Params.CONTENT_ONLY));
    }

    static Outcome write(Arguments a, Invocation inv) {
        return FileText.write(inv.pyro().writeWorkspaceFile(a.string(Params.WORKSPACE_ID), a.string(Params.FILE_PATH),
                a.optionalString(Params.TEXT).orElse(null), hostPath(a, inv, Params.TEXT_FILE)));
    }

    static Outcome patch(Arguments a, Invocation inv) {
        return FileText.patched(inv.pyro().applyWorkspacePatch(a.string(Params.WORKSPACE_ID),
                a.optionalString(Params.PATCH).orElse(null), hostPath(a, inv, Params.PATCH_FILE)));
    }

    private static Path hostPath(Arguments a, Invocation inv, dev.pyro.contract.Param p) {
        return a.optionalString(p).map(s -> inv.hostPaths().resolve(s, Access.READ)).orElse(null);
    }
}
