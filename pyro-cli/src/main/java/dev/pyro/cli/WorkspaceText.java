package dev.pyro.cli;

import dev.pyro.WorkspaceCommand;
import dev.pyro.WorkspaceLogs;
import dev.pyro.WorkspaceStatus;
import java.io.PrintStream;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Human renderings of workspace results (the JSON forms are the records themselves). */
final class WorkspaceText {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private WorkspaceText() {
    }

    static void status(PrintStream out, WorkspaceStatus ws) {
        out.println("Workspace ID: " + ws.workspaceId());
        out.println("Environment: " + ws.environment());
        out.println("State: " + ws.state() + (ws.stateReason() == null ? "" : " (" + ws.stateReason() + ")"));
        out.println("Workspace: " + ws.workspacePath());
        out.println("Execution mode: " + (ws.executionMode() == null ? "-" : ws.executionMode()));
        out.println("Resources: " + ws.resources().vcpuCount() + " vCPU / " + ws.resources().memMib() + " MiB"
                + (ws.network() ? ", network" : ""));
        out.println("Created: " + ws.createdAt() + "  expires: " + ws.expiresAt() + " (ttl " + ws.ttlSeconds()
                + " s)");
        WorkspaceStatus.Seed seed = ws.workspaceSeed();
        out.println("Seed: " + seed.mode() + (seed.source() == null ? ""
                : " " + seed.source() + " (" + seed.entries() + " entries, " + seed.bytes() + " bytes)"));
        out.println("Command count: " + ws.commandCount());
        if (ws.lastCommand() != null) {
            out.println("Last command: #" + ws.lastCommand().sequence() + " " + shell(ws.lastCommand().argv())
                    + " -> exit " + (ws.lastCommand().exitCode() == null ? "-" : ws.lastCommand().exitCode()));
        }
    }

    static void logs(PrintStream out, WorkspaceLogs logs) {
        if (logs.entries().isEmpty()) {
            out.println("No commands in " + logs.workspaceId() + " yet.");
        }
        for (WorkspaceCommand c : logs.entries()) {
            out.println("#" + c.sequence() + " " + c.state() + " exit_code="
                    + (c.timedOut() ? "124 (timed out)" : c.exitCode() == null ? "-" : c.exitCode())
                    + " duration_ms=" + (c.durationMs() == null ? "-" : c.durationMs()) + " cwd=" + c.cwd()
                    + " $ " + shell(c.argv()));
            block(out, "stdout", c.stdout(), c.stdoutTruncated());
            block(out, "stderr", c.stderr(), c.stderrTruncated());
        }
    }

    static void list(PrintStream out, List<WorkspaceStatus> all) {
        if (all.isEmpty()) {
            out.println("No workspaces.");
            return;
        }
        out.printf("%-16s %-8s %-12s %-25s %s%n", "ID", "STATE", "ENVIRONMENT", "LAST ACTIVITY", "COMMANDS");
        for (WorkspaceStatus ws : all) {
            out.printf("%-16s %-8s %-12s %-25s %d%n", ws.workspaceId(), ws.state(), ws.environment(),
                    ws.lastActivityAt(), ws.commandCount());
        }
    }

    private static void block(PrintStream out, String name, String text, boolean truncated) {
        if (text.isEmpty()) {
            return;
        }
        out.println("  " + name + (truncated ? " (truncated)" : "") + ":");
        text.lines().forEach(l -> out.println("    " + l));
    }

    /** The argv as one shell-quoted line, so argument boundaries stay visible. */
    static String shell(List<String> argv) {
        return argv.stream().map(a -> SAFE.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }
}
