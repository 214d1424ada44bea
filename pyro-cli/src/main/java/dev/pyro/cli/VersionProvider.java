package dev.pyro.cli;

import picocli.CommandLine;

/** {@code pyro --version}: the version of the jar, or "dev" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = PyroCommand.class.getPackage().getImplementationVersion();
        return new String[] {"pyro " + (v == null ? "0.1.0-dev" : v)};
    }
}
