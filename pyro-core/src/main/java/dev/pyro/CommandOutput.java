package dev.pyro;

import java.nio.charset.StandardCharsets;

/**
 * What a guest command wrote and how it ended, as {@link RunResult} and
 * {@link WorkspaceExecResult} both report it. Output is bytes, exactly as written, up to the
 * request's cap per stream; the text forms are conveniences that lose every byte that is
 * not UTF-8.
 */
public interface CommandOutput {
    /** Standard output bytes (bounded by the request's cap). */
    byte[] stdout();

    /** Standard error bytes (bounded likewise). */
    byte[] stderr();

    /** Whether stdout was longer than the cap and cut. */
    boolean stdoutTruncated();

    /** Whether stderr was longer than the cap and cut. */
    boolean stderrTruncated();

    /** How many bytes the command wrote on stdout, including any dropped beyond the cap. */
    long stdoutBytes();

    /** Likewise for stderr. */
    long stderrBytes();

    /** Whether the command ran out of time (and exits 124). */
    boolean timedOut();

    /** The exit status: the command's, 124 on timeout, 128+N for signal N, 127/126 for a missing/unusable program. */
    int exitCode();

    /** Standard output decoded as UTF-8; <b>lossy</b>: each undecodable byte becomes U+FFFD. */
    default String stdoutText() {
        return new String(stdout(), StandardCharsets.UTF_8);
    }

    /** Standard error decoded as UTF-8; <b>lossy</b> like {@link #stdoutText()}. */
    default String stderrText() {
        return new String(stderr(), StandardCharsets.UTF_8);
    }
}
