package dev.pyro.guest;

import java.util.List;

/**
 * A shell as {@code shell_open} and {@code shell_list} describe it.
 *
 * @param shellId        its agent-unique id
 * @param pid            the shell process (session leader) in the guest
 * @param status         state and exit status
 * @param cols           terminal width
 * @param rows           terminal height
 * @param argv           the command it runs
 * @param foregroundPgid the process group of the terminal's foreground job (the shell's own
 *                       while it waits at its prompt), or {@code null} once it ended
 * @param oldestCursor   the oldest output byte still kept (earlier ones fell out of the buffer)
 * @param nextCursor     where the next output byte will be
 */
public record ShellInfo(String shellId, long pid, ShellStatus status, int cols, int rows, List<String> argv,
        Long foregroundPgid, long oldestCursor, long nextCursor) {

    /** Copies the list; see the record description. */
    public ShellInfo {
        argv = List.copyOf(argv);
    }
}
