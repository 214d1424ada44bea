package dev.pyro.cli;

import dev.pyro.contract.HostStdin;
import dev.pyro.StdinSource;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The CLI's own standard input, forwarded to guest commands: always when it is a pipe or a
 * file ({@code echo hi | pyro workspace exec ID -- cat}), from a terminal only with
 * {@code -i} (a command that never reads it would otherwise wait for nothing), never when
 * it is closed or {@code /dev/null} (the command then reads the guest's {@code /dev/null}).
 * Read straight from file descriptor 0, unbuffered, only as fast as the guest consumes it,
 * so a stdin of any size streams in bounded memory.
 *
 * <p>What fd 0 is gets decided once, when the CLI starts: a process started with fd 0
 * closed finds the JVM's own files there (its {@code lib/modules}, a jar), and forwarding
 * (then closing) one of those would pull the JVM's files from under it.
 */
final class CliStdin implements HostStdin {
    /** The host's null device: as stdin, the same as the guest's own. */
    static final String NULL_DEVICE = "/dev/null";

    /** Where fd 0 pointed when pyro started ({@code pipe:[N]}, a file, {@code /dev/pts/N}), or empty if closed. */
    private final Optional<String> target;
    /** What is forwarded when it is: fd 0 itself, or (in the exec server) the client's stdin relayed. */
    private final StdinSource source;

    CliStdin(Optional<String> target) {
        this(target, () -> new FileInputStream(FileDescriptor.in));
    }

    /** Forwards {@code source} when a stdin pointing at {@code target} would be forwarded. */
    CliStdin(Optional<String> target, StdinSource source) {
        this.target = target;
        this.source = source;
    }

    /** Where fd 0 pointed when pyro started, or empty if closed. */
    Optional<String> target() {
        return target;
    }

    /** This process' stdin, as it is now (call it first thing). */
    static CliStdin system() {
        return new CliStdin(ownStdin(Path.of("/proc/self/fd/0"), javaHome(),
                Arrays.asList(System.getProperty("java.class.path", "").split(File.pathSeparator))));
    }

    /** The JDK's directory as {@code /proc} links show it: with symbolic links resolved. */
    private static Path javaHome() {
        Path home = Path.of(System.getProperty("java.home"));
        try {
            return home.toRealPath();
        } catch (IOException e) {
            return home;
        }
    }

    @Override
    public Optional<StdinSource> forward(boolean evenFromTerminal) {
        if (target.isEmpty() || (isTerminal(target.get()) && !evenFromTerminal)) {
            return Optional.empty();
        }
        if (target.get().equals(NULL_DEVICE)) {
            // Not forwarded: a command without stdin reads the guest's /dev/null (protocol,
            // exec's "stdin": false), which is what it had here, and no pump thread, stream
            // and end-of-file frame are spent on nothing (harnesses often start pyro so).
            return Optional.empty();
        }
        return Optional.of(source); // opened when the command starts
    }

    /**
     * What {@code descriptor} (fd 0's {@code /proc} link) points to, or empty when fd 0 is
     * closed or holds a file the JVM opened for itself.
     */
    static Optional<String> ownStdin(Path descriptor, Path javaHome, List<String> classPath) {
        String target;
        try {
            target = Files.readSymbolicLink(descriptor).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
        boolean jvmOwn = target.startsWith(javaHome.toString() + "/") || classPath.contains(target)
                || target.startsWith("anon_inode:");
        return jvmOwn ? Optional.empty() : Optional.of(target);
    }

    /** Whether a descriptor target is a terminal device. */
    static boolean isTerminal(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
