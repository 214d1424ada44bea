package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.ShellAttachment;
import dev.pyro.ShellCloseResult;
import dev.pyro.ShellReadResult;
import dev.pyro.ShellResizeResult;
import dev.pyro.ShellSignalResult;
import dev.pyro.ShellWriteResult;
import dev.pyro.WorkspaceShell;
import dev.pyro.guest.ShellClient;
import dev.pyro.guest.ShellInfo;
import dev.pyro.guest.ShellOpenRequest;
import dev.pyro.guest.ShellSignal;
import dev.pyro.guest.ShellStatus;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceState;
import java.nio.charset.StandardCharsets;
import dev.pyro.workspace.secrets.Redactor;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * PTY shells of a started workspace (contract 2.5.0): open, read by cursor, write, signal,
 * resize, list and close, each through {@link StartedWorkspace} (checks, shared lock, one death
 * rule). The shells themselves live in the guest agent (protocol §11), not in this process:
 * any CLI call, SDK program or MCP server reaches the same shells, and they end with the VM
 * (delete, expiry, a dead VM). Values are checked here, before anything reaches the guest, so
 * every face gets the same errors.
 */
public final class WorkspaceShells {
    /** Smallest and largest terminal side the guest takes. */
    public static final int MIN_SIZE = 1;
    /** Largest terminal side. */
    public static final int MAX_SIZE = 1000;
    /** Default terminal width and height. */
    public static final int DEFAULT_COLS = 120;
    /** Default terminal height. */
    public static final int DEFAULT_ROWS = 30;
    /** The most characters one read returns, and the default. */
    public static final int MAX_CHARS = 262_144;
    /** Default characters per read. */
    public static final int DEFAULT_MAX_CHARS = 65_536;
    /** The longest quiet period a read can wait for. */
    public static final int MAX_WAIT_FOR_IDLE_MS = 60_000;
    /** How long a waiting read waits beyond its quiet period when output keeps coming. */
    public static final int EXTRA_WAIT_MS = 10_000;
    /** The most input one write takes (a newline included). */
    public static final int MAX_INPUT_BYTES = ShellClient.MAX_WRITE_BYTES;
    /** Signal names a shell takes. */
    public static final List<String> SIGNALS = Arrays.stream(ShellSignal.values()).map(Enum::name).toList();

    private static final Pattern SHELL_ID = Pattern.compile("[0-9a-f]{8}");

    private final WorkspaceContext ctx;

    /** Shells over {@code ctx}. */
    public WorkspaceShells(WorkspaceContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Opens a shell in {@code cwd} ({@code null} for {@code /workspace}) on a {@code cols} ×
     * {@code rows} terminal.
     */
    public WorkspaceShell open(String id, String cwd, int cols, int rows) {
        return open(id, cwd, cols, rows, Map.of());
    }

    /** {@link #open(String, String, int, int)} with secrets exposed as variables (secret name to variable). */
    public WorkspaceShell open(String id, String cwd, int cols, int rows, Map<String, String> secretEnv) {
        checkSize(cols, rows);
        String dir = cwd == null ? null : GuestPath.underWorkspace(cwd);
        Map<String, String> env = new WorkspaceSecrets(ctx).checkEnv(id, secretEnv);
        return use(id, null, shells -> view(id, shells.open(ShellOpenRequest.defaults().withCwd(dir)
                .withSize(cols, rows).withSecretEnv(env))));
    }

    /** Reads output from {@code cursor}; see {@link ShellReads}. */
    public ShellReadResult read(String id, String shellId, long cursor, int maxChars, boolean plain,
            int waitForIdleMs) {
        ShellReads.check(cursor, maxChars, waitForIdleMs);
        Redactor net = new WorkspaceSecrets(ctx).redactor(id);
        ShellReadResult r = use(id, shellId, shells -> ShellReads.read(shells, id, shellId, cursor, maxChars, plain,
                waitForIdleMs));
        // The agent redacts at the source (values split across reads too); this is the second net.
        String output = net.redact(r.output());
        return output.equals(r.output()) ? r : new ShellReadResult(r.workspaceId(), r.shellId(), output, r.cursor(),
                r.nextCursor(), r.truncated(), r.hasMore(), r.plain(), r.state(), r.exitCode(), r.signal());
    }

    /** Types {@code input}, followed by a newline unless {@code noNewline}. */
    public ShellWriteResult write(String id, String shellId, String input, boolean noNewline) {
        byte[] bytes = (noNewline ? input : input + "\n").getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_INPUT_BYTES) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "the input is " + bytes.length + " bytes; a shell "
                    + "takes at most " + MAX_INPUT_BYTES + " bytes per write: write it in parts");
        }
        return use(id, shellId, shells -> new ShellWriteResult(id, shellId, shells.write(shellId, bytes)));
    }

    /** Sends a signal ({@code HUP}, {@code INT}, {@code QUIT}, {@code TERM}, {@code KILL}) to the foreground job. */
    public ShellSignalResult signal(String id, String shellId, String signal) {
        ShellSignal s = signal(signal);
        return use(id, shellId, shells -> new ShellSignalResult(id, shellId, s.name(), shells.signal(shellId, s)));
    }

    /** Changes the terminal size. */
    public ShellResizeResult resize(String id, String shellId, int cols, int rows) {
        checkSize(cols, rows);
        return use(id, shellId, shells -> {
            shells.resize(shellId, cols, rows);
            return new ShellResizeResult(id, shellId, cols, rows);
        });
    }

    /** The workspace's shells, running or exited, oldest first. */
    public List<WorkspaceShell> list(String id) {
        return use(id, null, shells -> shells.list().stream().map(s -> view(id, s)).toList());
    }

    /** Closes a shell: hang-up, then kill what is left; its output is discarded. */
    public ShellCloseResult close(String id, String shellId) {
        return use(id, shellId, shells -> {
            ShellStatus s = shells.close(shellId);
            return new ShellCloseResult(id, shellId, true, s.exitCode(), s.signal());
        });
    }

    /** Attaches to a shell live; see {@link ShellAttachment}. */
    public ShellAttachment attach(String id, String shellId) {
        return AttachedShell.attach(ctx, id, shellId);
    }

    /** Work on the agent's shells. */
    @FunctionalInterface
    interface ShellAction<T> {
        T run(ShellClient shells);
    }

    private <T> T use(String id, String shellId, ShellAction<T> action) {
        if (shellId != null) {
            checkId(id, shellId);
        }
        return new StartedWorkspace(ctx).use(id, session -> {
            try {
                return action.run(session.agent().shells());
            } catch (PyroException e) {
                throw explained(id, shellId, e);
            }
        });
    }

    /** The agent's terse shell errors, with the workspace and what to do. */
    static PyroException explained(String id, String shellId, PyroException e) {
        return switch (e.code()) {
            case SHELL_NOT_FOUND -> notFound(id, shellId, e);
            case SHELL_CLOSED -> new PyroException(ErrorCode.SHELL_CLOSED, "shell " + shellId + " of " + id
                    + " has exited: it takes no more input, signals or resizes; read its last output, then close it",
                    e);
            case TOO_MANY_SHELLS -> new PyroException(ErrorCode.TOO_MANY_SHELLS, id + " already has the most shells "
                    + "a workspace can have (16, exited ones included): close one first", e);
            default -> e;
        };
    }

    private static PyroException notFound(String id, String shellId, Throwable cause) {
        return new PyroException(ErrorCode.SHELL_NOT_FOUND, id + " has no shell "
                + printable(shellId)
                + " (never opened, or closed); list the workspace's shells to see the open ones", cause);
    }

    /** Refuses what cannot be a shell id before it travels anywhere. */
    static void checkId(String id, String shellId) {
        if (!SHELL_ID.matcher(shellId).matches()) {
            throw notFound(id, shellId, null);
        }
    }

    static void checkSize(int cols, int rows) {
        if (cols < MIN_SIZE || cols > MAX_SIZE || rows < MIN_SIZE || rows > MAX_SIZE) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "a terminal of " + cols + " columns and " + rows
                    + " rows is not possible: both must be between " + MIN_SIZE + " and " + MAX_SIZE);
        }
    }

    static ShellSignal signal(String name) {
        String upper = name == null ? "" : name.toUpperCase(Locale.ROOT);
        String bare = upper.startsWith("SIG") ? upper.substring(3) : upper;
        if (!SIGNALS.contains(bare)) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "unknown signal '" + printable(name)
                    + "'; a shell takes " + String.join(", ", SIGNALS));
        }
        return ShellSignal.valueOf(bare);
    }

    /** A caller's value in a message: short, printable ASCII (anything else shown as '?'). */
    static String printable(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && i < 16; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return value.length() > 16 ? out + "…" : out.toString();
    }

    static WorkspaceShell view(String id, ShellInfo s) {
        return new WorkspaceShell(id, s.shellId(), ShellReads.state(s.status()), s.status().exitCode(),
                s.status().signal(), s.cols(), s.rows(), s.argv(), s.pid(), s.foregroundPgid(), s.oldestCursor(),
                s.nextCursor());
    }
}
