package dev.pyro.cli;

import dev.pyro.contract.Milestones;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * {@code pyro --version}: the contract milestones this build implements (from the
 * registry's {@link Milestones}), then the build: its Maven version and the Java running it.
 */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        StringBuilder contract = new StringBuilder("pyro " + Milestones.label() + " (contract "
                + Milestones.reached().version());
        Milestones.ahead().forEach(m -> contract.append(", also ").append(m.version()).append(' ').append(m.title()));
        Milestones.next().ifPresent(m -> contract.append("; next ").append(m.version()).append(' ').append(m.title()));
        contract.append(')');
        return new String[] {contract.toString(), "build " + build() + ", Java " + Runtime.version() + " ("
                + System.getProperty("java.vendor") + "), " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch")};
    }

    /** The version the MCP server reports: the contract label. */
    static String version() {
        return Milestones.label();
    }

    /** The Maven version of this build (from {@code build.properties}, filtered at build time). */
    static String build() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
