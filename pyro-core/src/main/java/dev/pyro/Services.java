package dev.pyro;

import dev.pyro.env.EnvironmentService;
import dev.pyro.env.build.DebianEnvironmentBuilder;
import dev.pyro.env.catalog.EnvironmentCatalog;
import dev.pyro.env.oci.EnvironmentTransfer;
import dev.pyro.env.store.EnvironmentStore;
import dev.pyro.guest.AgentBinary;
import dev.pyro.run.EnvironmentResolver;
import dev.pyro.run.OneShotRunner;
import dev.pyro.run.OwnedVms;
import dev.pyro.trace.StartTrace;
import dev.pyro.vm.BackendChoice;
import dev.pyro.vm.BackendSelector;
import dev.pyro.vm.Vmm;
import dev.pyro.vm.template.Template;
import dev.pyro.vm.template.TemplateService;
import dev.pyro.vm.template.TemplateShape;
import dev.pyro.vm.BootImage;
import dev.pyro.vm.HostMemory;
import dev.pyro.vm.KvmProbeResult;
import dev.pyro.vm.KvmProber;
import dev.pyro.vm.MemoryBudget;
import dev.pyro.vm.MemoryGate;
import dev.pyro.vm.VmmFactory;
import dev.pyro.vm.firecracker.FirecrackerProbe;
import dev.pyro.vm.qemu.QemuInstallation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Wires pyro's parts for one {@link PyroConfig}: environments, backend selection, VMMs,
 * runners. Package-private: the public surface is {@link Pyro}.
 */
final class Services {
    private final PyroConfig config;
    private volatile EnvironmentService environmentService;
    private final EnvironmentResolver environments;
    private final dev.pyro.workspace.AgentConnections connections = dev.pyro.workspace.AgentConnections.pooled();
    private volatile BackendChoice choice;
    private volatile dev.pyro.workspace.WorkspaceContext workspaceContext;

    Services(PyroConfig config) {
        this.config = config;
        // A pull of an installed, valid environment only verifies it, so resolving is "pull, then boot image".
        this.environments = (name, progress) -> {
            environments().pull(name, progress);
            return environments().bootImage(name);
        };
    }

    /**
     * The environments, built on first use: an exec in a running workspace never needs the
     * catalog, the store or the host's build tools, and a CLI process is one call
     * (docs/performance.md, "CLI start-up").
     */
    EnvironmentService environments() {
        EnvironmentService e = environmentService;
        if (e == null) {
            synchronized (this) {
                if (environmentService == null) {
                    environmentService = new EnvironmentService(EnvironmentCatalog.builtIn(),
                            new EnvironmentStore(config.environmentCache()), DebianEnvironmentBuilder.forHost());
                }
                e = environmentService;
            }
        }
        return e;
    }

    EnvironmentTransfer environmentTransfer() {
        return new EnvironmentTransfer(environments());
    }

    PyroConfig config() {
        return config;
    }

    Path vmsDir() {
        return config.home().resolve("vms");
    }

    /** The backend for this process (decided once; the KVM probe result is cached per host). */
    BackendChoice backend() {
        BackendChoice c = choice;
        if (c == null) {
            synchronized (this) {
                if (choice == null) {
                    choice = selector().choose(config.backend());
                }
                c = choice;
            }
        }
        return c;
    }

    BackendSelector selector() {
        Optional<QemuInstallation> qemu = QemuInstallation.locate();
        boolean firecracker = FirecrackerProbe.locate(System.getenv()).isPresent();
        return new BackendSelector(qemu.isPresent(), firecracker, () -> kvmProbe(qemu.orElseThrow()));
    }

    /**
     * The KVM probe boots an installed environment's kernel (every catalog entry shares
     * one kernel), installing the default environment only when none is installed.
     */
    KvmProbeResult kvmProbe(QemuInstallation qemu) {
        String name = environments().list().stream().filter(e -> e.installed()).map(e -> e.name())
                .findFirst().orElse(dev.pyro.contract.Defaults.ENVIRONMENT);
        BootImage image = environments.resolve(name, ProgressListener.NONE);
        return new KvmProber(config.cache()).probe(qemu, image.kernel(), image.kernelVersion(), AgentBinary.extract());
    }

    /**
     * The workspace lifecycle's shared parts, built once per instance: the journal's writes
     * behind an exec (docs/performance.md, "Hot paths") and the kept agent connections are
     * this instance's, and nothing in it depends on the call. Every caller is about to touch
     * VMs, so one-shot VMs orphaned by a killed owner are reaped first.
     */
    dev.pyro.workspace.WorkspaceContext workspaces() {
        reapOrphans();
        return warmWorkspaces();
    }

    /**
     * {@link #workspaces()} without the sweep of orphaned one-shot VMs, for an operation on a
     * running workspace that boots nothing (an exec): the sweep lists the one-shot VMs and
     * reads each one's owner, on every call, and what it frees only matters to a boot.
     */
    dev.pyro.workspace.WorkspaceContext warmWorkspaces() {
        dev.pyro.workspace.WorkspaceContext c = workspaceContext;
        if (c == null) {
            synchronized (this) {
                if (workspaceContext == null) {
                    dev.pyro.workspace.store.WorkspaceStore store =
                            new dev.pyro.workspace.store.WorkspaceStore(config.home());
                    VmmFactory vmms = new VmmFactory(config.cache(), AgentBinary::extract);
                    workspaceContext = new dev.pyro.workspace.WorkspaceContext(store,
                            new dev.pyro.workspace.store.CommandJournal(store), environments, this::backend,
                            vmms::create, java.time.Clock.systemUTC(), connections)
                            .withSecrets(new dev.pyro.workspace.secrets.SecretVault(config.secretsDir()))
                            .withTemplates(templates());
                }
                c = workspaceContext;
            }
        }
        return c;
    }

    /** Templates as the configuration wants them (docs/performance.md). */
    TemplateService templates() {
        return new TemplateService(config.templates(), vmsDir(), new dev.pyro.workspace.TemplateDisk(),
                new DetachedTemplateBuild(config), new TemplateService.Ownership(OwnedVms.PREFIX, OwnedVms::claim));
    }

    /**
     * Builds the template of {@code environment}'s VMs of {@code shape} with these resources
     * unless it is present; empty when this machine cannot have one or another process builds it.
     */
    Optional<Template> buildTemplate(String environment, TemplateShape shape, int vcpus, int memMib) {
        BootImage image = environments().bootImage(environment);
        Vmm vmm = new VmmFactory(config.cache(), AgentBinary.extract()).create(backend());
        return templates().build(vmm, image, shape, vcpus, memMib);
    }

    /** Waits for the journal's writes behind finished execs, and keeps everything open. */
    void awaitJournalWrites() {
        dev.pyro.workspace.WorkspaceContext c = workspaceContext;
        if (c != null) {
            c.journal().settleAll();
        }
    }

    /**
     * Closes the agent connections kept for workspaces, then waits for the journal's writes
     * behind finished execs (and removes its spare entry files). In that order because the two
     * overlap: the writes go on on their own thread (fsyncs) while a connection's close waits
     * for its reader thread to leave the socket (milliseconds of every CLI call that used one).
     */
    void close() {
        dev.pyro.workspace.WorkspaceContext c = workspaceContext;
        StartTrace.mark("close: start");
        try {
            connections.close();
            StartTrace.mark("close: connections closed");
        } finally {
            if (c != null) {
                c.journal().close();
                StartTrace.mark("close: journal closed");
            }
        }
    }

    /** Throwaway VMs that read a stopped workspace's disk; owned by this process like one-shot runs. */
    dev.pyro.run.HelperVm helperVm() {
        VmmFactory vmms = new VmmFactory(config.cache(), AgentBinary::extract);
        return new dev.pyro.run.HelperVm(vmsDir(), this::backend, vmms::create);
    }

    OneShotRunner oneShotRunner() {
        VmmFactory vmms = new VmmFactory(config.cache(), AgentBinary::extract);
        return new OneShotRunner(vmsDir(), environments, this::backend, vmms::create, memoryGate(), templates());
    }

    /** Stops and removes one-shot VMs whose owning process is gone; the state directories reaped. */
    List<Path> reapOrphans() {
        return OwnedVms.sweep(vmsDir());
    }

    /** Admits a guest only while the host can hold it, unless overcommit is allowed. */
    MemoryGate memoryGate() {
        if (config.memoryOvercommit()) {
            return MemoryGate.OPEN;
        }
        return memMib -> memoryBudget().ifPresent(b -> b.admit(memMib));
    }

    /** The host's memory and what running pyro VMs of this home were promised; empty without /proc/meminfo. */
    Optional<MemoryBudget> memoryBudget() {
        return HostMemory.read().map(host -> MemoryBudget.of(host, vmStateDirs()));
    }

    /** The state directories of this home's VMs: one-shot runs and workspaces. */
    private List<Path> vmStateDirs() {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> runs = Files.list(vmsDir())) {
            runs.forEach(dirs::add);
        } catch (IOException e) {
            // no one-shot VMs yet
        }
        dev.pyro.workspace.store.WorkspaceStore store = new dev.pyro.workspace.store.WorkspaceStore(config.home());
        store.list().workspaces().forEach(w -> dirs.add(store.paths(w.workspaceId()).vmStateDir()));
        return dirs;
    }
}
