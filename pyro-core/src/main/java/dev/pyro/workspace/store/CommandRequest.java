package dev.pyro.workspace.store;

import java.util.List;
import java.util.Objects;

/**
 * What is about to run, recorded when a journal sequence is allocated so a running or
 * abandoned entry still says what it was.
 *
 * @param argv          the command
 * @param cwd           the guest working directory, e.g. {@code /workspace}
 * @param executionMode how it runs, e.g. {@code guest_vsock}
 */
public record CommandRequest(List<String> argv, String cwd, String executionMode) {
    /** Validates and copies. */
    public CommandRequest {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must not be empty");
        }
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(executionMode, "executionMode");
    }
}
