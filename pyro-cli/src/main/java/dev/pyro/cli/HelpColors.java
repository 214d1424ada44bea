package dev.pyro.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Help.Ansi;

/**
 * Whether help and usage text may be coloured, decided as picocli's {@code Ansi.AUTO} decides
 * on Linux (NO_COLOR, CLICOLOR_FORCE, CLICOLOR=0, then "is stdout a terminal"; and, like the
 * live progress, never on {@code TERM=dumb}) but without
 * {@code System.console()}: on JDK 22+ that runs a service-loader scan of the JDK's console
 * providers and loads JLine's, ~80 ms of every command that prints anything through picocli
 * ({@code --version} included), only to learn whether stdout is a terminal.
 */
final class HelpColors {
    private HelpColors() {
    }

    /** For this process: its environment and where its stdout points. */
    static Ansi system() {
        if (System.getProperty("picocli.ansi") != null) {
            return Ansi.AUTO; // picocli's own documented override
        }
        return decide(System.getenv(), stdoutTarget(Path.of("/proc/self/fd/1")));
    }

    /** The mode for an environment and stdout's {@code /proc} link target ("" when unknown). */
    static Ansi decide(Map<String, String> env, String stdoutTarget) {
        if (env.get("NO_COLOR") != null) {
            return Ansi.OFF;
        }
        String force = env.get("CLICOLOR_FORCE");
        if (force != null && !force.equals("0")) {
            return Ansi.ON;
        }
        if ("0".equals(env.get("CLICOLOR")) || "dumb".equals(env.get("TERM"))) {
            return Ansi.OFF;
        }
        return CliStdin.isTerminal(stdoutTarget) ? Ansi.ON : Ansi.OFF;
    }

    static String stdoutTarget(Path descriptor) {
        try {
            return Files.readSymbolicLink(descriptor).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }
}
