package dev.pyro.guest;

/**
 * Signals a shell accepts. They go to the terminal's foreground process group (the job that
 * runs, else the shell itself), as if typed at the terminal: {@link #INT} is Ctrl-C and stops
 * the running command, not the shell.
 */
public enum ShellSignal {
    HUP,
    INT,
    QUIT,
    TERM,
    KILL
}
