package dev.pyro.present;

import dev.pyro.EnvironmentInspection;
import dev.pyro.InstalledEnvironment;
import dev.pyro.PruneReport;
import dev.pyro.contract.Arguments;
import dev.pyro.contract.Invocation;
import dev.pyro.contract.Params;
import dev.pyro.env.catalog.EnvironmentCatalog;

/** Handlers of the environment operations. */
final class EnvironmentHandlers {
    private EnvironmentHandlers() {
    }

    static Outcome list(Arguments a, Invocation inv) {
        EnvironmentText.Listing listing = new EnvironmentText.Listing(EnvironmentCatalog.CATALOG_VERSION,
                inv.pyro().listEnvironments());
        return Outcome.of(listing).stdout(EnvironmentText.listing(listing));
    }

    static Outcome pull(Arguments a, Invocation inv) {
        String name = a.string(Params.ENVIRONMENT_NAME);
        InstalledEnvironment installed = a.optionalString(Params.FROM)
                .map(from -> inv.pyro().pullEnvironment(name, from, inv.progress()))
                .orElseGet(() -> inv.pyro().pullEnvironment(name, inv.progress()));
        return Outcome.of(installed).stdout(EnvironmentText.installed(installed));
    }

    static Outcome push(Arguments a, Invocation inv) {
        String name = a.string(Params.ENVIRONMENT_NAME);
        String reference = a.string(Params.REFERENCE);
        EnvironmentText.Pushed pushed = new EnvironmentText.Pushed(name, reference,
                inv.pyro().pushEnvironment(name, reference, inv.progress()));
        return Outcome.of(pushed).stdout(EnvironmentText.pushed(pushed));
    }

    static Outcome inspect(Arguments a, Invocation inv) {
        EnvironmentInspection i = inv.pyro().inspectEnvironment(a.string(Params.ENVIRONMENT_NAME));
        return Outcome.of(i).stdout(EnvironmentText.inspection(i));
    }

    static Outcome prune(Arguments a, Invocation inv) {
        PruneReport report = inv.pyro().pruneEnvironments();
        return Outcome.of(report).stdout(EnvironmentText.pruned(report));
    }
}
