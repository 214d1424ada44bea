package dev.pyro.cli;

import dev.pyro.contract.HostStdin;
import dev.pyro.guest.StdinSource;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The CLI's own standard input, forwarded to guest commands: always when it is a pipe or a
 * file ({@code echo hi | pyro workspace exec ID -- cat}), from a terminal only with
 * {@code -i} (a command that never reads it would otherwise wait for nothing), never when
 * it is closed. Read straight from file descriptor 0, unbuffered, only as fast as the
 * guest consumes it, so a stdin of any size streams in bounded memory.
 */
final class CliStdin implements HostStdin {
    private final Path descriptor;

    CliStdin(Path descriptor) {
        this.descriptor = descriptor;
    }

    /** This process' stdin (Linux: what {@code /proc/self/fd/0} points to). */
    static CliStdin system() {
        return new CliStdin(Path.of("/proc/self/fd/0"));
    }

    @Override
    public Optional<StdinSource> forward(boolean evenFromTerminal) {
        Optional<String> target = target();
        if (target.isEmpty() || (isTerminal(target.get()) && !evenFromTerminal)) {
            return Optional.empty();
        }
        return Optional.of(() -> new FileInputStream(FileDescriptor.in)); // opened when the command starts
    }

    /** Where fd 0 points ({@code pipe:[N]}, a file, {@code /dev/pts/N}), or empty when it is closed. */
    private Optional<String> target() {
        try {
            return Optional.of(Files.readSymbolicLink(descriptor).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** Whether a descriptor target is a terminal device. */
    static boolean isTerminal(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
