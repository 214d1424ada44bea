package dev.pyro.cli;

/**
 * What the build knows about itself, filled in by Maven (pyro-cli's pom, execution
 * {@code build-info}). A constant rather than a resource read at run time: reading a resource
 * sets up the class loader's jar access, ~9 ms of {@code pyro --version}, which otherwise
 * loads everything from class data (docs/performance.md, "CLI start-up").
 */
final class BuildInfo {
    /** The Maven version of this build. */
    static final String VERSION = "${project.version}";

    private BuildInfo() {
    }
}
