package dev.pyro.cli.server;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Starts an exec server for the next calls, detached from the caller: in its own session
 * ({@code setsid}, so a Ctrl-C at the caller's terminal does not reach it), stdin from
 * {@code /dev/null}, its output appended to its log beside its socket (never the caller's
 * streams, which a harness may be waiting on to close). It inherits the caller's environment
 * and runs the caller's JDK and class path, so its {@link ServerAddress} is the caller's.
 */
final class ServerSpawn {
    /** The server's log is started afresh beyond this size. */
    static final long MAX_LOG = 1 << 20;
    /**
     * No second start this soon after the last (the log's time, which each start touches):
     * calls that come while a server starts run in-process rather than each start a JVM, and a
     * server that cannot start is tried again only this often.
     */
    static final java.time.Duration RESTART_AFTER = java.time.Duration.ofSeconds(3);
    /** The JVM flags of a long-running pyro process (the launchers give {@code pyro mcp serve} the same). */
    private static final List<String> FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:CompileThresholdScaling=0.05", "-Djdk.reflect.useNativeAccessorOnly=true",
            "--enable-native-access=ALL-UNNAMED");

    private ServerSpawn() {
    }

    /** Starts a server at {@code address} and returns at once; false (and nothing started) when it cannot. */
    static boolean start(ServerAddress address, Properties properties) {
        Path setsid = Path.of("/usr/bin/setsid");
        if (!Files.isExecutable(setsid)) {
            setsid = Path.of("/bin/setsid");
            if (!Files.isExecutable(setsid)) {
                return false;
            }
        }
        try {
            ExecServer.privateDirectory(address.endpoint().getParent());
            Path log = address.log();
            if (Files.isRegularFile(log)) {
                long age = System.currentTimeMillis() - Files.getLastModifiedTime(log).toMillis();
                if (age >= 0 && age < RESTART_AFTER.toMillis()) {
                    return false;
                }
                if (Files.size(log) > MAX_LOG) {
                    Files.delete(log);
                }
            }
            Files.write(log, new byte[0], java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            Files.setLastModifiedTime(log, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
            List<String> command = new ArrayList<>();
            command.add(setsid.toString());
            command.add(properties.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
            command.addAll(FLAGS);
            command.addAll(ServerAddress.passedOnProperties(properties));
            command.add("-cp");
            command.add(properties.getProperty("java.class.path"));
            command.add(ExecServer.class.getName());
            new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true).start();
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // the call was served in-process; the next one tries again
        }
    }
}
