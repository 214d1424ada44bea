package dev.pyro.present;

import dev.pyro.EnvironmentEntry;
import dev.pyro.EnvironmentInspection;
import dev.pyro.InstalledEnvironment;
import dev.pyro.PruneReport;
import dev.pyro.json.PyroJson;
import java.util.List;

/** The forms of the environment operations. */
public final class EnvironmentText {
    private EnvironmentText() {
    }

    /**
     * The environment list ({@code pyro env list --json}, {@code vm_list_environments}).
     *
     * @param catalogVersion the catalog's version
     * @param environments   each catalog entry and whether it is installed
     */
    public record Listing(String catalogVersion, List<EnvironmentEntry> environments) {}

    /**
     * What {@code env push} published.
     *
     * @param name      the environment
     * @param reference where it went
     * @param digest    the manifest digest
     */
    public record Pushed(String name, String reference, String digest) {}

    /** The catalog version line, then {@code NAME [installed|not installed] DESCRIPTION}. */
    public static String listing(Listing listing) {
        StringBuilder text = new StringBuilder("pyro environment catalog " + listing.catalogVersion() + "\n");
        for (EnvironmentEntry e : listing.environments()) {
            text.append(e.name()).append(" [").append(e.installed() ? "installed" : "not installed").append("] ")
                    .append(e.description()).append('\n');
        }
        return text.toString();
    }

    /** One line: name, version, what happened and where. */
    public static String installed(InstalledEnvironment installed) {
        return installed.name() + " " + installed.version() + " "
                + (installed.performed() ? "installed" : "already installed") + " at " + installed.installPath() + "\n";
    }

    /** One line per fact, then the manifest as JSON. */
    public static String inspection(EnvironmentInspection i) {
        StringBuilder out = new StringBuilder();
        out.append(i.name()).append(' ').append(i.version()).append(": ").append(i.description()).append('\n');
        out.append("status: ").append(i.status().wireName())
                .append(i.problem() == null || i.problem().isEmpty() ? "" : " (" + i.problem() + ")").append('\n');
        out.append("path:   ").append(i.installPath() == null ? "-" : i.installPath()).append('\n');
        i.manifest().ifPresent(m -> out.append(PyroJson.pretty().writeValueAsString(m)).append('\n'));
        return out.toString();
    }

    /** What prune removed, one line each. */
    public static String pruned(PruneReport report) {
        if (report.removed().isEmpty()) {
            return "nothing to prune\n";
        }
        StringBuilder out = new StringBuilder();
        report.removed().forEach(r -> out.append("removed ").append(r.path()).append(" (").append(r.reason())
                .append(")\n"));
        return out.toString();
    }

    /** One line: where it went and its digest. */
    public static String pushed(Pushed p) {
        return p.name() + " pushed to " + p.reference() + " (" + p.digest() + ")\n";
    }
}
