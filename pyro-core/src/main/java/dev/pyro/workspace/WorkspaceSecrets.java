package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.AgentConnection;
import dev.pyro.workspace.secrets.Redactor;
import dev.pyro.workspace.secrets.SecretNames;
import dev.pyro.workspace.secrets.SecretSet;
import dev.pyro.workspace.store.WorkspacePaths;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A workspace's secrets in its lifecycle: stored at create (values in the
 * {@link dev.pyro.workspace.secrets.SecretVault} outside {@code PYRO_HOME}, names in the
 * workspace directory), delivered to every fresh guest (create, start, reset), checked when a
 * command asks for them by name, redacted from what pyro returns, and removed by delete.
 */
final class WorkspaceSecrets {
    /** What a variable a secret is exposed as may be called. */
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private final WorkspaceContext ctx;

    WorkspaceSecrets(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /** Keeps {@code set} for workspace {@code id} (before its guest boots). */
    void store(String id, SecretSet set) {
        ctx.secrets().write(id, set);
        SecretNames.write(ctx.store().paths(id).dir(), set);
    }

    /** Hands the workspace's secrets to a freshly booted guest (nothing without secrets). */
    void deliver(String id, AgentConnection agent) {
        SecretSet set = ctx.secrets().read(id);
        if (!set.isEmpty()) {
            agent.secrets().put(set.values());
        }
    }

    /** The names of workspace {@code id}'s secrets. */
    List<String> names(String id) {
        return SecretNames.read(ctx.store().paths(id).dir());
    }

    /** The redaction net of workspace {@code id} ({@link Redactor#NONE} without secrets). */
    Redactor redactor(String id) {
        return redactor(ctx.store().paths(id));
    }

    /** {@link #redactor(String)} for paths already looked up (an exec looks once). */
    Redactor redactor(WorkspacePaths p) {
        if (SecretNames.read(p.dir()).isEmpty()) {
            return Redactor.NONE;
        }
        return ctx.secrets().read(p.id().value()).redactor();
    }

    /** Removes the values (the names go with the workspace directory). */
    void delete(String id) {
        ctx.secrets().delete(id);
    }

    /**
     * Checks a {@code secret_env} (secret name to variable) against the workspace's names.
     *
     * @throws PyroException {@link ErrorCode#INVALID_SECRET_NAME}, {@link ErrorCode#SECRET_NOT_FOUND},
     *                       {@link ErrorCode#DUPLICATE_NAME} (two secrets as one variable),
     *                       {@link ErrorCode#INVALID_ARGUMENT} (a bad variable name)
     */
    Map<String, String> checkEnv(String id, Map<String, String> secretEnv) {
        if (secretEnv.isEmpty()) {
            return Map.of();
        }
        List<String> known = names(id);
        Set<String> variables = new HashSet<>();
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : secretEnv.entrySet()) {
            SecretSet.requireName(e.getKey());
            if (!known.contains(e.getKey())) {
                throw new PyroException(ErrorCode.SECRET_NOT_FOUND, "workspace " + id + " has no secret "
                        + e.getKey() + (known.isEmpty() ? "; it has none (secrets are given at create)"
                        : "; it has " + String.join(", ", known)));
            }
            String variable = e.getValue() == null || e.getValue().isEmpty() ? e.getKey() : e.getValue();
            if (!VARIABLE.matcher(variable).matches()) {
                throw new PyroException(ErrorCode.INVALID_ARGUMENT, "secret " + e.getKey()
                        + " must be exposed as a variable name matching [A-Za-z_][A-Za-z0-9_]*");
            }
            if (!variables.add(variable)) {
                throw new PyroException(ErrorCode.DUPLICATE_NAME, "two secrets are exposed as " + variable
                        + "; give each variable once");
            }
            out.put(e.getKey(), variable);
        }
        return out;
    }

    /** {@code e} with every value redacted from its message (itself when nothing changed). */
    static PyroException redacted(PyroException e, Redactor r) {
        String m = r.redact(e.getMessage());
        // The cause is dropped too: its message may hold the value.
        return m.equals(e.getMessage()) ? e : new PyroException(e.code(), m);
    }
}
