package dev.pyro.cli;

import dev.pyro.contract.Milestones;
import java.util.Optional;
import picocli.CommandLine;

/**
 * {@code pyro --version}: the contract milestones this build implements (from the
 * registry's {@link Milestones}), then the build: its Maven version and the Java running it.
 */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        // Loops and StringBuilders rather than lambdas and streams: each lambda or string
        // concatenation a process meets first spins a class at run time, and the class data
        // (trained on an exec) holds none of this path's.
        StringBuilder contract = new StringBuilder("pyro ").append(Milestones.label()).append(" (contract ")
                .append(Milestones.reached().version());
        for (Milestones.Milestone m : Milestones.ahead()) {
            contract.append(", also ").append(m.version()).append(' ').append(m.title());
        }
        Optional<Milestones.Milestone> next = Milestones.next();
        if (next.isPresent()) {
            contract.append("; next ").append(next.get().version()).append(' ').append(next.get().title());
        }
        contract.append(')');
        StringBuilder build = new StringBuilder("build ").append(build()).append(", Java ")
                .append(javaVersion()).append(" (").append(System.getProperty("java.vendor")).append("), ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"));
        return new String[] {contract.toString(), build.toString()};
    }

    /**
     * The running JDK's version as {@link Runtime#version()} prints it: the system property it is
     * parsed from, which is the same text ({@code VersionTest} holds them equal), read without
     * {@code Runtime.Version.toString}'s stream and lambdas.
     */
    static String javaVersion() {
        String text = System.getProperty("java.runtime.version");
        return text != null ? text : Runtime.version().toString();
    }

    /** The version the MCP server reports: the contract label. */
    static String version() {
        return Milestones.label();
    }

    /** The Maven version of this build. */
    static String build() {
        return BuildInfo.VERSION;
    }
}
