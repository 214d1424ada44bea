package dev.pyro.present;

import dev.pyro.WorkspaceCommand;
import dev.pyro.WorkspaceLogs;
import dev.pyro.WorkspaceStatus;
import dev.pyro.WorkspaceSyncResult;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Human renderings of workspace results (the JSON forms are the records themselves).
 * Everything a guest could have chosen (commands, their output, state reasons) is
 * sanitised: these texts go to a terminal.
 */
public final class WorkspaceText {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private WorkspaceText() {
    }

    /** {@code status} and {@code create}: one {@code Key: value} line per fact. */
    public static String status(WorkspaceStatus ws) {
        StringBuilder out = new StringBuilder();
        line(out, "Workspace ID: " + ws.workspaceId());
        if (ws.name() != null) {
            line(out, "Name: " + GuestText.oneLine(ws.name()));
        }
        if (!ws.labels().isEmpty()) {
            line(out, "Labels: " + labels(ws));
        }
        line(out, "Environment: " + ws.environment());
        line(out, "State: " + ws.state() + (ws.stateReason() == null ? ""
                : " (" + GuestText.oneLine(ws.stateReason()) + ")"));
        line(out, "Workspace: " + ws.workspacePath());
        line(out, "Execution mode: " + (ws.executionMode() == null ? "-" : ws.executionMode()));
        line(out, "Resources: " + ws.resources().vcpuCount() + " vCPU / " + ws.resources().memMib() + " MiB"
                + (ws.network() ? ", network" : ""));
        network(out, ws.networkInfo());
        line(out, "Created: " + ws.createdAt() + "  expires: " + ws.expiresAt() + " (ttl " + ws.ttlSeconds() + " s)");
        WorkspaceStatus.Seed seed = ws.workspaceSeed();
        line(out, "Seed: " + seed.mode() + (seed.source() == null ? ""
                : " " + GuestText.oneLine(seed.source()) + " (" + seed.entries() + " entries, " + seed.bytes() + " bytes)"));
        if (!ws.secretNames().isEmpty()) {
            line(out, "Secrets: " + String.join(", ", ws.secretNames()) + " (names only)");
        }
        line(out, "Command count: " + ws.commandCount());
        line(out, "Shells: " + (ws.shellCount() == null ? "unknown (the guest did not answer)" : ws.shellCount()));
        if (ws.services() != null) {
            dev.pyro.ServiceCounts c = ws.services();
            line(out, "Services: " + c.total() + (c.total() == 0 ? "" : " (" + c.starting() + " starting, " + c.ready()
                    + " ready, " + c.running() + " running, " + c.exited() + " exited, " + c.failed() + " failed, "
                    + c.stopped() + " stopped)"));
        }
        if (ws.operation() != null) {
            WorkspaceStatus.Operation op = ws.operation();
            line(out, "Operation: " + op.kind().replace('_', ' ') + (op.snapshot() == null ? "" : " " + op.snapshot())
                    + " since " + op.startedAt() + (op.interrupted()
                            ? " (interrupted: the process doing it is gone; the next snapshot, reset, stop, start or "
                                    + "disk command finishes or undoes it)"
                            : " (in progress)"));
        }
        if (ws.lastCommand() != null) {
            line(out, "Last command: #" + ws.lastCommand().sequence() + " " + shell(ws.lastCommand().argv())
                    + " -> exit " + (ws.lastCommand().exitCode() == null ? "-" : ws.lastCommand().exitCode()));
        }
        return out.toString();
    }

    /** The network lines: the policy, the guest's addresses and what is published. */
    private static void network(StringBuilder out, WorkspaceStatus.NetworkInfo net) {
        if (net == null) {
            return;
        }
        line(out, "Network: " + net.policy() + (net.guestAddress() == null ? ""
                : " (guest " + net.guestAddress() + ", gateway " + net.gateway() + ", dns " + net.dns() + ")"));
        if (!net.allowHosts().isEmpty()) {
            line(out, "Allowed hosts: " + String.join(" ", net.allowHosts()));
        }
        for (dev.pyro.PublishedPort p : net.publishedPorts()) {
            line(out, "Published: " + publishedPort(p));
        }
    }

    /** One published port: {@code 127.0.0.1:8080 -> guest 80 (service web)}. */
    static String publishedPort(dev.pyro.PublishedPort p) {
        return p.hostAddress() + ":" + p.hostPort() + " -> guest " + p.guestPort() + " (service "
                + GuestText.oneLine(p.service()) + ")";
    }

    /** {@code logs}: each journal entry with its (sanitised, indented) output. */
    public static String logs(WorkspaceLogs logs) {
        StringBuilder out = new StringBuilder();
        if (logs.entries().isEmpty()) {
            line(out, "No commands in " + logs.workspaceId() + " yet.");
        }
        for (WorkspaceCommand c : logs.entries()) {
            line(out, "#" + c.sequence() + " " + c.state() + " exit_code="
                    + (c.timedOut() ? "124 (timed out)" : c.exitCode() == null ? "-" : c.exitCode())
                    + " duration_ms=" + (c.durationMs() == null ? "-" : c.durationMs()) + " cwd=" + c.cwd()
                    + " $ " + shell(c.argv()));
            block(out, "stdout", c.stdout(), c.stdoutTruncated(), c.stdoutBytes());
            block(out, "stderr", c.stderr(), c.stderrTruncated(), c.stderrBytes());
        }
        return out.toString();
    }

    /** {@code list}: a table, most recently active first. */
    public static String list(List<WorkspaceStatus> all) {
        if (all.isEmpty()) {
            return "No workspaces.\n";
        }
        StringBuilder out = new StringBuilder(String.format("%-16s %-8s %-12s %-25s %-8s %s%n", "ID", "STATE",
                "ENVIRONMENT", "LAST ACTIVITY", "COMMANDS", "NAME  LABELS"));
        for (WorkspaceStatus ws : all) {
            String who = (ws.name() == null ? "-" : GuestText.oneLine(ws.name()))
                    + (ws.labels().isEmpty() ? "" : "  " + labels(ws));
            out.append(String.format("%-16s %-8s %-12s %-25s %-8d %s%n", ws.workspaceId(), ws.state(),
                    ws.environment(), ws.lastActivityAt(), ws.commandCount(), who));
        }
        return out.toString();
    }

    /** Labels as {@code k=v k2=v2}, sorted by key. */
    private static String labels(WorkspaceStatus ws) {
        return ws.labels().entrySet().stream().map(e -> e.getKey() + "=" + GuestText.oneLine(e.getValue()))
                .collect(Collectors.joining(" "));
    }

    /** {@code sync push}: one summary line. */
    public static String synced(WorkspaceSyncResult r) {
        return "Pushed " + GuestText.oneLine(r.source()) + " (" + r.mode() + ") to " + GuestText.oneLine(r.destination())
                + " in " + r.workspaceId() + ": "
                + r.entries() + " entries, " + r.bytes() + " bytes";
    }

    /** The argv as one shell-quoted line, so argument boundaries stay visible. */
    public static String shell(List<String> argv) {
        return argv.stream().map(a -> SAFE.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'")
                .map(GuestText::oneLine).collect(Collectors.joining(" "));
    }

    private static void block(StringBuilder out, String name, String text, boolean truncated, long bytes) {
        if (text.isEmpty()) {
            return;
        }
        line(out, "  " + name + (truncated ? " (the head of " + bytes + " bytes)" : "") + ":");
        GuestText.sanitize(text).lines().forEach(l -> line(out, "    " + l));
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append('\n');
    }
}
