package dev.pyro.env.build;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;
import java.util.Set;

/**
 * Orders the modules the guest needs so each comes after everything it depends on, pulling
 * in dependencies that were not asked for. The guest init loads modules in lexical file-name
 * order with {@code finit_module}, which fails on an unresolved symbol, so order matters.
 * The result is stable: requested modules keep their requested order wherever dependencies
 * allow it.
 */
public final class ModuleResolver {
    private ModuleResolver() {
    }

    /**
     * @param wanted    module names in preferred order
     * @param lookup    finds a module by canonical name, or returns null
     * @return the load order, dependencies first
     */
    public static List<KernelModule> order(List<String> wanted, Function<String, KernelModule> lookup) {
        LinkedHashSet<String> done = new LinkedHashSet<>();
        List<KernelModule> out = new ArrayList<>();
        for (String name : wanted) {
            visit(KernelModule.normalize(name), lookup, done, new HashSet<>(), out, null);
        }
        return out;
    }

    private static void visit(String name, Function<String, KernelModule> lookup, Set<String> done,
                              Set<String> inProgress, List<KernelModule> out, String neededBy) {
        if (done.contains(name)) {
            return;
        }
        if (!inProgress.add(name)) {
            throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "kernel modules depend on each other in a cycle at " + name);
        }
        KernelModule module = lookup.apply(name);
        if (module == null) {
            throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "kernel module " + name + " not found in the kernel package"
                    + (neededBy == null ? "" : " (needed by " + neededBy + ")"));
        }
        for (String dep : module.depends()) {
            visit(dep, lookup, done, inProgress, out, name);
        }
        inProgress.remove(name);
        done.add(name);
        out.add(module);
    }
}
