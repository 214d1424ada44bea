package dev.pyro.guest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How a guest command ended (protocol §5 {@code exec} RESULT) and what it printed.
 *
 * @param exitCode        exit status, or {@code null} when the process died of a signal
 * @param signal          the signal number that killed it, or {@code null}
 * @param timedOut        the request's timeout expired and the guest killed the process group
 * @param cancelled       the agent reports the exec as cancelled
 * @param duration        run time measured by the agent, from just before the spawn to the reap:
 *                        microseconds from agents with capability {@code duration_us}, whole
 *                        milliseconds from older ones
 * @param stdout          collected stdout (empty when it was streamed to a caller's sink)
 * @param stderr          collected stderr (empty when streamed)
 * @param stdoutTruncated stdout exceeded the output cap and the rest was discarded
 * @param stderrTruncated likewise for stderr
 * @param stdoutBytes     stdout bytes the process wrote, including any discarded beyond the cap
 * @param stderrBytes     likewise for stderr
 */
public record ExecResult(Integer exitCode, Integer signal, boolean timedOut, boolean cancelled, Duration duration,
        byte[] stdout, byte[] stderr, boolean stdoutTruncated, boolean stderrTruncated, long stdoutBytes,
        long stderrBytes) {

    /** True when the command exited with status 0. */
    public boolean success() {
        return exitCode != null && exitCode == 0;
    }

    /**
     * {@link #duration()} in whole milliseconds, rounded to the nearest: truncating a
     * microsecond duration would read 0.5 ms low on average.
     */
    public long durationMillis() {
        return duration.plusNanos(500_000).toMillis();
    }

    /** Collected stdout decoded as UTF-8. */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** Collected stderr decoded as UTF-8. */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /** A copy with other collected output (counts and flags unchanged): redaction. */
    public ExecResult withOutput(byte[] out, byte[] err) {
        return new ExecResult(exitCode, signal, timedOut, cancelled, duration, out, err, stdoutTruncated,
                stderrTruncated, stdoutBytes, stderrBytes);
    }

    @Override
    public String toString() {
        return "ExecResult[exitCode=" + exitCode + ", signal=" + signal + ", timedOut=" + timedOut + ", cancelled="
                + cancelled + ", duration=" + duration + ", stdoutBytes=" + stdoutBytes + ", stderrBytes="
                + stderrBytes + ", stdoutTruncated=" + stdoutTruncated + ", stderrTruncated=" + stderrTruncated + "]";
    }
}
