package dev.pyro.present;

import dev.pyro.ShellReadResult;
import dev.pyro.WorkspaceShell;
import java.util.List;

/**
 * Human and model renderings of shell results. A shell's output itself is payload (as a
 * command's output is); everything else that a guest chose (the program's name) is sanitised.
 */
public final class ShellText {
    private ShellText() {
    }

    /** {@code shell open}: one {@code Key: value} line per fact. */
    public static String shell(WorkspaceShell s) {
        return "Shell ID: " + s.shellId() + "\n"
                + "Workspace ID: " + s.workspaceId() + "\n"
                + "State: " + state(s) + "\n"
                + "Command: " + WorkspaceText.shell(s.argv()) + "\n"
                + "Terminal: " + s.cols() + "x" + s.rows() + "\n"
                + "Next cursor: " + s.nextCursor() + "\n";
    }

    /** {@code shell list}: a table, oldest first. */
    public static String list(String workspaceId, List<WorkspaceShell> shells) {
        if (shells.isEmpty()) {
            return "No shells in " + workspaceId + ".\n";
        }
        StringBuilder out = new StringBuilder(String.format("%-9s %-10s %-9s %-7s %-12s %s%n", "SHELL ID", "STATE",
                "SIZE", "BUSY", "NEXT CURSOR", "COMMAND"));
        for (WorkspaceShell s : shells) {
            out.append(String.format("%-9s %-10s %-9s %-7s %-12d %s%n", s.shellId(), state(s),
                    s.cols() + "x" + s.rows(), busy(s) ? "yes" : "no", s.nextCursor(),
                    WorkspaceText.shell(s.argv())));
        }
        return out.toString();
    }

    /** Whether a command runs in the shell (its foreground job is not the shell itself). */
    public static boolean busy(WorkspaceShell s) {
        return s.foregroundPgid() != null && s.foregroundPgid() != s.pid();
    }

    /** The stderr line after a read's output. */
    public static String readSummary(ShellReadResult r, long requested) {
        return "[workspace-shell-read] workspace_id=" + r.workspaceId() + " shell_id=" + r.shellId() + " cursor="
                + r.cursor() + " next_cursor=" + r.nextCursor() + " truncated=" + r.truncated()
                + (r.truncated() ? " lost_bytes=" + (r.cursor() - requested) : "") + " has_more=" + r.hasMore()
                + " state=" + r.state() + (r.exitCode() == null ? "" : " exit_code=" + r.exitCode())
                + (r.signal() == null ? "" : " signal=" + r.signal());
    }

    /** A read for a model: where it stands first (what it needs to go on), then the text. */
    public static String readForModel(ShellReadResult r, long requested) {
        StringBuilder text = new StringBuilder("shell " + r.shellId() + " state=" + r.state());
        if (r.exitCode() != null) {
            text.append(" exit_code=").append(r.exitCode());
        }
        if (r.signal() != null) {
            text.append(" signal=").append(r.signal());
        }
        text.append(" cursor=").append(r.cursor()).append(" next_cursor=").append(r.nextCursor()).append('\n');
        if (r.truncated()) {
            text.append("[").append(r.cursor() - requested).append(" bytes before cursor ").append(r.cursor())
                    .append(" were lost: the shell wrote more than the 1 MiB kept before they were read]\n");
        }
        text.append(r.output().isEmpty() ? "--- no new output ---\n" : "--- output ---\n" + r.output());
        if (!r.output().isEmpty() && !r.output().endsWith("\n")) {
            text.append('\n');
        }
        if (r.hasMore()) {
            text.append("[more output is waiting: read again from next_cursor ").append(r.nextCursor()).append("]\n");
        }
        return text.toString();
    }

    private static String state(WorkspaceShell s) {
        return s.state() + (s.exitCode() != null ? " (exit " + s.exitCode() + ")"
                : s.signal() != null ? " (signal " + s.signal() + ")" : "");
    }
}
