package dev.pyro.cli;

import dev.pyro.ErrorCode;
import dev.pyro.Pyro;
import dev.pyro.PyroException;
import dev.pyro.ShellAttachResult;
import dev.pyro.ShellAttachment;
import dev.pyro.contract.Arguments;
import dev.pyro.contract.Invocation;
import dev.pyro.contract.Params;
import dev.pyro.present.Outcome;
import java.io.IOException;
import java.util.Optional;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;

/**
 * The handler of {@code pyro workspace shell attach ID [SHELL_ID]}: this process's terminal on
 * a workspace shell, for a person. Without a shell id a new shell of the terminal's size is
 * opened (and closed again if it exits while attached). The terminal work itself is
 * {@link AttachSession}; this class decides what to attach to and how the result reads.
 */
final class ShellAttach {
    /** The shell's terminal when the local one reports no usable size. */
    private static final Size FALLBACK = new Size(120, 30);

    private ShellAttach() {
    }

    static Outcome attach(Arguments a, Invocation inv) {
        Pyro pyro = inv.pyro();
        String id = a.string(Params.WORKSPACE_ID);
        Optional<String> given = a.optionalString(Params.ATTACH_SHELL_ID);
        try (Terminal terminal = open()) {
            Size size = usable(terminal.getSize());
            String shellId = given.orElseGet(() -> pyro.openShell(id, null, size.getColumns(), size.getRows())
                    .shellId());
            ShellAttachResult end;
            try (ShellAttachment attachment = pyro.attachShell(id, shellId)) {
                System.err.println("[pyro] attached to shell " + shellId + " of " + id
                        + "; detach with Ctrl-] then d");
                end = new AttachSession(terminal, attachment).run();
            }
            if (given.isEmpty() && !ShellAttachResult.DETACHED.equals(end.ending())) {
                closeQuietly(pyro, id, shellId);
            }
            return outcome(end, given.isEmpty());
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "terminal: " + e.getMessage(), e);
        }
    }

    private static Outcome outcome(ShellAttachResult end, boolean opened) {
        String where = "shell " + end.shellId() + " of " + end.workspaceId();
        return switch (end.ending()) {
            case ShellAttachResult.DETACHED -> Outcome.of(end).summary("[pyro] detached from " + where
                    + "; it keeps running (pyro workspace shell attach " + end.workspaceId() + " " + end.shellId() + ")");
            case ShellAttachResult.CLOSED -> Outcome.of(end).summary("[pyro] " + where + " was closed")
                    .exitStatus(ErrorHandler.EXIT_ERROR);
            default -> {
                int status = end.exitCode() != null ? end.exitCode() : end.signal() != null ? 128 + end.signal() : 0;
                yield Outcome.of(end).summary("[pyro] " + where + " exited with status " + status
                        + (opened ? "; closed it" : "")).exitStatus(status);
            }
        };
    }

    /** The process's own terminal; a person must be at it. */
    static Terminal open() throws IOException {
        Terminal terminal;
        // JLine would otherwise turn a typed Ctrl-C into a signal to pyro itself; in raw mode
        // every key, Ctrl-C included, belongs to the shell.
        System.setProperty(TerminalBuilder.PROP_SOFTWARE_SIGNALS, "false");
        try {
            terminal = TerminalBuilder.builder().system(true).dumb(false).nativeSignals(true)
                    .signalHandler(Terminal.SignalHandler.SIG_DFL).build();
        } catch (IllegalStateException | IOException e) {
            throw notATerminal();
        }
        if (terminal instanceof DumbTerminal) {
            terminal.close();
            throw notATerminal();
        }
        return terminal;
    }

    private static PyroException notATerminal() {
        return new PyroException(ErrorCode.INVALID_ARGUMENT, "attach needs a terminal on stdin and stdout; "
                + "from a script or a program, use shell write and shell read instead");
    }

    private static Size usable(Size size) {
        return size.getColumns() < 1 || size.getRows() < 1 || size.getColumns() > 1000 || size.getRows() > 1000
                ? FALLBACK : size;
    }

    private static void closeQuietly(Pyro pyro, String id, String shellId) {
        try {
            pyro.closeShell(id, shellId);
        } catch (PyroException e) {
            // Already closed by someone, or the workspace is gone: nothing left to tidy.
        }
    }
}
