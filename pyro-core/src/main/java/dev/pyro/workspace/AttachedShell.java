package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.ShellAttachResult;
import dev.pyro.ShellAttachment;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.AgentSubscription;
import dev.pyro.guest.ShellAttachEnd;
import dev.pyro.guest.ShellClient;
import dev.pyro.guest.ShellEvent;
import dev.pyro.guest.ShellInfo;
import dev.pyro.guest.ShellOutput;
import dev.pyro.guest.ShellReadRequest;
import dev.pyro.vm.VmInstance;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A shell subscription (protocol §11 {@code shell_attach}) on a connection of its own, so it
 * outlives the workspace lock: the checks and the attach happen under the shared lock, the
 * view itself holds none (a delete must not wait for a person to detach). When the view fails
 * because the VM is gone, the one death rule applies as for every other operation.
 */
final class AttachedShell implements ShellAttachment {
    /** How far back the view looks for the start of the shell's current line. */
    static final int LINE_LOOKBACK = 4096;

    private final WorkspaceContext ctx;
    private final String id;
    private final String shellId;
    private final VmInstance vm;
    private final AgentConnection connection;
    private final AgentSubscription<ShellEvent, ShellAttachEnd> subscription;

    private AttachedShell(WorkspaceContext ctx, String id, String shellId, VmInstance vm, AgentConnection connection,
            AgentSubscription<ShellEvent, ShellAttachEnd> subscription) {
        this.ctx = ctx;
        this.id = id;
        this.shellId = shellId;
        this.vm = vm;
        this.connection = connection;
        this.subscription = subscription;
    }

    /** Attaches to {@code shellId} of the started workspace {@code id}. */
    static ShellAttachment attach(WorkspaceContext ctx, String id, String shellId) {
        WorkspaceShells.checkId(id, shellId);
        return new StartedWorkspace(ctx).use(id, session -> {
            long cursor;
            try {
                cursor = currentLineStart(session.agent().shells(), id, shellId);
            } catch (PyroException e) {
                throw WorkspaceShells.explained(id, shellId, e);
            }
            AgentConnection own = ctx.supervisor().connect(session.vm());
            try {
                return new AttachedShell(ctx, id, shellId, session.vm(), own,
                        own.shells().attach(shellId, cursor, event -> { }));
            } catch (RuntimeException e) {
                own.close();
                throw e;
            }
        });
    }

    /** Where the shell's current line starts (its prompt), within the last few KiB; else the end. */
    static long currentLineStart(ShellClient shells, String id, String shellId) {
        ShellInfo info = shells.list().stream().filter(s -> s.shellId().equals(shellId)).findFirst()
                .orElseThrow(() -> new PyroException(ErrorCode.SHELL_NOT_FOUND, "no such shell"));
        long from = Math.max(info.oldestCursor(), info.nextCursor() - LINE_LOOKBACK);
        ShellOutput tail = shells.read(shellId, ShellReadRequest.from(from).withMaxBytes(LINE_LOOKBACK));
        byte[] b = tail.output();
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return tail.cursor() + i + 1;
            }
        }
        return tail.cursor() == 0 ? 0 : tail.nextCursor();
    }

    @Override
    public String workspaceId() {
        return id;
    }

    @Override
    public String shellId() {
        return shellId;
    }

    @Override
    public InputStream output() {
        return subscription.output();
    }

    @Override
    public OutputStream input() {
        return subscription.input();
    }

    @Override
    public void resize(int cols, int rows) {
        WorkspaceShells.checkSize(cols, rows);
        try {
            connection.shells().resize(shellId, cols, rows);
        } catch (PyroException e) {
            throw failure(e);
        }
    }

    @Override
    public ShellAttachResult await() {
        try {
            return result(subscription.await());
        } catch (PyroException e) {
            throw failure(e);
        }
    }

    @Override
    public ShellAttachResult detach() {
        try {
            return result(subscription.detach());
        } catch (PyroException e) {
            throw failure(e);
        } finally {
            connection.close();
        }
    }

    @Override
    public void close() {
        subscription.close();
        connection.close();
    }

    private ShellAttachResult result(ShellAttachEnd end) {
        String ending = end.detached() ? ShellAttachResult.DETACHED
                : end.closed() ? ShellAttachResult.CLOSED : ShellAttachResult.EXITED;
        return new ShellAttachResult(id, shellId, ending, end.status() == null ? null : end.status().exitCode(),
                end.status() == null ? null : end.status().signal(), end.nextCursor());
    }

    /** A failure of the view: the VM's death (recorded), or the shell error explained. */
    private PyroException failure(PyroException e) {
        if (StartedWorkspace.gone(vm, e)) { // the death rule of every operation, its grace included
            try {
                return new StartedWorkspace(ctx).died(id, e);
            } catch (PyroException gone) {
                if (gone.code() != ErrorCode.WORKSPACE_NOT_FOUND) {
                    throw gone;
                }
                return new PyroException(ErrorCode.WORKSPACE_NOT_FOUND, id + " was deleted; its shells ended with it",
                        e);
            }
        }
        return WorkspaceShells.explained(id, shellId, e);
    }
}
