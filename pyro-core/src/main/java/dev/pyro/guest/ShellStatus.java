package dev.pyro.guest;

/**
 * A shell's state and, once its process ended, how.
 *
 * @param state    running, exited, …
 * @param exitCode the exit status once the process exited normally, else {@code null}
 * @param signal   the signal number that ended the process, else {@code null}
 */
public record ShellStatus(ShellState state, Integer exitCode, Integer signal) {
    /** True while the process runs. */
    public boolean running() {
        return state == ShellState.RUNNING;
    }
}
