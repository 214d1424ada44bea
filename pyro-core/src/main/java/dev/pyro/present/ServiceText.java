package dev.pyro.present;

import dev.pyro.ServiceLogs;
import dev.pyro.ServiceStatus;
import java.time.Duration;
import java.util.List;

/**
 * Human renderings of service results (the JSON forms are the records themselves). What the
 * guest reported (commands, reasons, check errors) is sanitised: these texts go to a terminal.
 * A log's output is payload and passes through unchanged.
 */
public final class ServiceText {
    private ServiceText() {
    }

    /** {@code service start} and {@code status}: one {@code Key: value} line per fact. */
    public static String status(ServiceStatus s) {
        StringBuilder out = new StringBuilder();
        line(out, "Service: " + s.name() + " (workspace " + s.workspaceId() + ")");
        line(out, "State: " + s.state() + (s.reason() == null ? "" : " (" + GuestText.oneLine(s.reason()) + ")"));
        line(out, "Command: " + WorkspaceText.shell(s.command()));
        line(out, "Directory: " + GuestText.oneLine(s.cwd()));
        line(out, "PID: " + s.pid());
        ServiceStatus.Readiness r = s.readiness();
        if (r == null) {
            line(out, "Readiness: none");
        } else {
            line(out, "Readiness: " + r.kind() + " " + GuestText.oneLine(r.target()) + " (every " + r.intervalMs()
                    + " ms, up to " + r.timeoutMs() + " ms; " + r.checks() + " check" + (r.checks() == 1 ? "" : "s")
                    + (r.lastError() == null ? "" : "; last: " + GuestText.oneLine(r.lastError())) + ")");
        }
        line(out, "Started: " + s.startedAt());
        if (s.readyAt() != null) {
            line(out, "Ready: " + s.readyAt() + " (after " + millis(s.startedAt(), s.readyAt()) + " ms)");
        }
        if (s.endedAt() != null) {
            line(out, "Ended: " + s.endedAt() + exit(s));
        }
        line(out, "Output: " + s.stdoutBytes() + " bytes on stdout, " + s.stderrBytes() + " bytes on stderr");
        for (dev.pyro.PublishedPort p : s.publishedPorts()) {
            line(out, "Published: " + WorkspaceText.publishedPort(p));
        }
        return out.toString();
    }

    /** {@code service list}: a table in start order. */
    public static String list(String workspaceId, List<ServiceStatus> all) {
        if (all.isEmpty()) {
            return "No services in " + workspaceId + ".\n";
        }
        StringBuilder out = new StringBuilder(String.format("%-20s %-9s %-8s %-24s %s%n", "NAME", "STATE", "PID",
                "STARTED", "COMMAND"));
        for (ServiceStatus s : all) {
            out.append(String.format("%-20s %-9s %-8d %-24s %s%n", s.name(), s.state(), s.pid(), s.startedAt(),
                    WorkspaceText.shell(s.command())));
        }
        return out.toString();
    }

    /** The summary line of a start (stderr). */
    public static String started(ServiceStatus s) {
        return "[service-start] workspace_id=" + s.workspaceId() + " name=" + s.name() + " state=" + s.state()
                + " pid=" + s.pid() + (s.readyAt() == null ? "" : " ready_ms=" + millis(s.startedAt(), s.readyAt()))
                + s.publishedPorts().stream().map(p -> " published=" + p.hostAddress() + ":" + p.hostPort() + "->"
                        + p.guestPort()).collect(java.util.stream.Collectors.joining());
    }

    /** The summary line of a stop (stderr). */
    public static String stopped(ServiceStatus s) {
        return "[service-stop] workspace_id=" + s.workspaceId() + " name=" + s.name() + " state=" + s.state()
                + exit(s).replace(" (", " ").replace(")", "");
    }

    /** The note on stderr when older output was dropped. */
    public static String truncated(ServiceLogs logs) {
        return "pyro: older output of service " + logs.name() + " was dropped (the guest keeps the last 2 MiB)";
    }

    /**
     * What a model reads: a header line, then the output sanitised; of a long log its end (what
     * a log is read for), with a note of what the structured result has on top.
     */
    public static String logsForModel(ServiceLogs logs) {
        StringBuilder text = new StringBuilder("service=" + logs.name() + " state=" + logs.state() + " stream="
                + logs.stream() + (logs.tailLines() == null ? "" : " tail_lines=" + logs.tailLines())
                + (logs.truncated() ? " truncated=true (older output was dropped)" : "") + "\n");
        String out = GuestText.sanitize(logs.output());
        if (out.isEmpty()) {
            return text.append("(no output)\n").toString();
        }
        int cut = out.length() - ExecText.TEXT_HEAD_CHARS;
        if (cut > 0) {
            text.append("[… ").append(cut).append(" earlier characters in the structured result]\n");
            out = out.substring(cut);
        }
        text.append(out);
        return out.endsWith("\n") ? text.toString() : text.append('\n').toString();
    }

    private static String exit(ServiceStatus s) {
        return s.exitCode() != null ? " (exit code " + s.exitCode() + ")"
                : s.signal() != null ? " (signal " + s.signal() + ")" : "";
    }

    private static long millis(java.time.Instant from, java.time.Instant to) {
        return Duration.between(from, to).toMillis();
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append('\n');
    }
}
