package dev.pyro.cli;

import picocli.CommandLine;

/** {@code pyro --version}: the version of the jar, or "dev" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"pyro " + version()};
    }

    /** The version alone, as the MCP server reports it. */
    static String version() {
        String v = PyroCli.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }
}
