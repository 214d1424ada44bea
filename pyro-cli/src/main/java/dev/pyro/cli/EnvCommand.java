package dev.pyro.cli;

import dev.pyro.EnvironmentEntry;
import dev.pyro.InstalledEnvironment;
import dev.pyro.Pyro;
import dev.pyro.env.catalog.EnvironmentCatalog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code pyro env ...}: the environment catalog and store. */
@Command(name = "env", description = "Manage environments (kernel + root filesystem bundles).",
        subcommands = {EnvCommand.ListCmd.class, EnvCommand.PullCmd.class, EnvCommand.InspectCmd.class,
                EnvCommand.PruneCmd.class, EnvCommand.PushCmd.class})
final class EnvCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(PyroCommand.root(spec).output().err());
    }

    @Command(name = "list", description = "List the environment catalog and what is installed.")
    static final class ListCmd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            Output out = PyroCommand.root(spec).output();
            try (Pyro pyro = Pyro.create()) {
                List<EnvironmentEntry> entries = pyro.listEnvironments();
                if (json.json) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("catalog_version", EnvironmentCatalog.CATALOG_VERSION);
                    doc.put("environments", entries);
                    out.json(doc);
                } else {
                    out.out().println("pyro environment catalog " + EnvironmentCatalog.CATALOG_VERSION);
                    for (EnvironmentEntry e : entries) {
                        out.out().printf("%-16s %-15s %s%n", e.name(),
                                e.installed() ? "installed" : "not installed", e.description());
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "pull", description = "Install an environment: build it from Debian packages, or pull a published bundle with --from.")
    static final class PullCmd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        JsonOption json;

        @Parameters(index = "0", paramLabel = "NAME", description = "Environment name, e.g. debian:12")
        String name;

        @Option(names = "--from", paramLabel = "OCI_REF",
                description = "Pull a published bundle: oci://host[:port]/repo[:tag][@sha256:digest]")
        String from;

        @Override
        public Integer call() {
            Output out = PyroCommand.root(spec).output();
            InstalledEnvironment installed;
            try (Pyro pyro = Pyro.create()) {
                installed = ProgressRenderer.around(out, json.json, progress -> from == null
                        ? pyro.pullEnvironment(name, progress) : pyro.pullEnvironment(name, from, progress));
            }
            if (json.json) {
                out.json(installed);
            } else {
                out.out().println(installed.name() + " " + installed.version() + " "
                        + (installed.performed() ? "installed" : "already installed") + " at " + installed.installPath());
            }
            return 0;
        }
    }

    @Command(name = "push", description = "Publish an installed environment to an OCI registry.")
    static final class PushCmd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        JsonOption json;

        @Parameters(index = "0", paramLabel = "NAME", description = "Environment name, e.g. debian:12")
        String name;

        @Parameters(index = "1", paramLabel = "OCI_REF", description = "oci://host[:port]/repo[:tag]")
        String reference;

        @Override
        public Integer call() {
            Output out = PyroCommand.root(spec).output();
            String digest;
            try (Pyro pyro = Pyro.create()) {
                digest = ProgressRenderer.around(out, json.json, progress -> pyro.pushEnvironment(name, reference, progress));
            }
            if (json.json) {
                out.json(Map.of("name", name, "reference", reference, "digest", digest));
            } else {
                out.out().println(name + " pushed to " + reference + " (" + digest + ")");
            }
            return 0;
        }
    }

    @Command(name = "inspect", description = "Show an installed environment's manifest, verified digests and install path.")
    static final class InspectCmd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        JsonOption json;

        @Parameters(index = "0", paramLabel = "NAME", description = "Environment name, e.g. debian:12")
        String name;

        @Override
        public Integer call() {
            Output out = PyroCommand.root(spec).output();
            return out.callAndPrint(json.json, pyro -> pyro.inspectEnvironment(name), i -> {
                out.out().println(i.name() + " " + i.version() + ": " + i.description());
                out.out().println("status: " + i.status().wireName() + (i.problem() == null || i.problem().isEmpty() ? ""
                        : " (" + i.problem() + ")"));
                out.out().println("path:   " + (i.installPath() == null ? "-" : i.installPath()));
                i.manifest().ifPresent(m -> out.out().println(Output.mapper().writeValueAsString(m)));
            });
        }
    }

    @Command(name = "prune", description = "Remove invalid, partial and unknown environment installs.")
    static final class PruneCmd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            Output out = PyroCommand.root(spec).output();
            return out.callAndPrint(json.json, Pyro::pruneEnvironments, report -> {
                if (report.removed().isEmpty()) {
                    out.out().println("nothing to prune");
                }
                report.removed().forEach(r -> out.out().println("removed " + r.path() + " (" + r.reason() + ")"));
            });
        }
    }
}
