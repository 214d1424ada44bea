package dev.pyro.guest;

/**
 * How a finished guest command is reported as one shell-style exit status, the same way for
 * {@code pyro run} and {@code workspace exec}: {@value #TIMEOUT} when it ran out of time (as
 * {@code timeout(1)} does), 128+N when signal N killed it (as shells do), else its own status.
 */
public final class ExitStatus {
    /** Exit status for a command that ran out of time. */
    public static final int TIMEOUT = 124;
    /** Reported when the agent gave neither a status nor a signal (it always gives one of them). */
    static final int UNKNOWN = 255;

    private ExitStatus() {
    }

    /** The status for {@code r}. */
    public static int of(ExecResult r) {
        return of(r.timedOut(), r.exitCode(), r.signal());
    }

    /** The status for a command that timed out, exited with {@code exitCode} or died of {@code signal}. */
    public static int of(boolean timedOut, Integer exitCode, Integer signal) {
        if (timedOut) {
            return TIMEOUT;
        }
        if (exitCode != null) {
            return exitCode;
        }
        return signal != null ? 128 + signal : UNKNOWN;
    }

    /** {@code SIGTERM} for 15 and so on ({@code SIG<n>} for the uncommon ones); null for null. */
    public static String signalName(Integer signal) {
        if (signal == null) {
            return null;
        }
        return switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 4 -> "SIGILL";
            case 6 -> "SIGABRT";
            case 7 -> "SIGBUS";
            case 8 -> "SIGFPE";
            case 9 -> "SIGKILL";
            case 10 -> "SIGUSR1";
            case 11 -> "SIGSEGV";
            case 12 -> "SIGUSR2";
            case 13 -> "SIGPIPE";
            case 14 -> "SIGALRM";
            case 15 -> "SIGTERM";
            case 24 -> "SIGXCPU";
            case 25 -> "SIGXFSZ";
            default -> "SIG" + signal;
        };
    }
}
