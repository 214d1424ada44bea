package dev.pyro.workspace;

import dev.pyro.run.EnvironmentResolver;
import dev.pyro.vm.BackendChoice;
import dev.pyro.vm.VmLocator;
import dev.pyro.vm.Vmm;
import dev.pyro.vm.template.TemplateService;
import dev.pyro.workspace.secrets.SecretVault;
import dev.pyro.workspace.store.CommandJournal;
import dev.pyro.workspace.store.WorkspaceStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every workspace operation shares: the on-disk store and journal, environments,
 * the backend decision, the VMM factory and the agent connections kept between calls.
 *
 * @param store        records and locks under {@code PYRO_HOME/workspaces}
 * @param journal      the command journals of those workspaces
 * @param environments resolves (and installs) environments
 * @param backend      the backend for new VMs (may probe once)
 * @param vmms         the VMM for a backend choice
 * @param clock        the time source for expiry checks
 * @param connections  agent connections kept between calls (by the owning {@code Pyro} instance)
 * @param vms          finds a workspace's VM again from its state directory
 * @param guestEnd     told when a guest is shut down on purpose (stop, reset)
 * @param secrets      where secret values are kept, outside {@code PYRO_HOME}
 * @param templates    memory-snapshot templates new workspaces start from (docs/performance.md)
 */
public record WorkspaceContext(WorkspaceStore store, CommandJournal journal, EnvironmentResolver environments,
        Supplier<BackendChoice> backend, Function<BackendChoice, Vmm> vmms, Clock clock,
        AgentConnections connections, VmLocator vms, GuestEndHook guestEnd, SecretVault secrets,
        TemplateService templates) {
    /** Validates. */
    public WorkspaceContext {
        Objects.requireNonNull(templates, "templates");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(environments, "environments");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(vmms, "vmms");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(vms, "vms");
        Objects.requireNonNull(guestEnd, "guestEnd");
        Objects.requireNonNull(secrets, "secrets");
    }

    /** A context whose secrets are kept in the default place for its {@code PYRO_HOME}. */
    public WorkspaceContext(WorkspaceStore store, CommandJournal journal, EnvironmentResolver environments,
            Supplier<BackendChoice> backend, Function<BackendChoice, Vmm> vmms, Clock clock,
            AgentConnections connections, VmLocator vms, GuestEndHook guestEnd) {
        this(store, journal, environments, backend, vmms, clock, connections, vms, guestEnd,
                new SecretVault(SecretVault.defaultDir(store.root().getParent(),
                        Path.of(System.getProperty("user.home"), ".local", "state"))));
    }

    /** A context without templates. */
    public WorkspaceContext(WorkspaceStore store, CommandJournal journal, EnvironmentResolver environments,
            Supplier<BackendChoice> backend, Function<BackendChoice, Vmm> vmms, Clock clock,
            AgentConnections connections, VmLocator vms, GuestEndHook guestEnd, SecretVault secrets) {
        this(store, journal, environments, backend, vmms, clock, connections, vms, guestEnd, secrets,
                TemplateService.off());
    }

    /** A copy that keeps secret values in {@code vault}. */
    public WorkspaceContext withSecrets(SecretVault vault) {
        return new WorkspaceContext(store, journal, environments, backend, vmms, clock, connections, vms, guestEnd,
                vault, templates);
    }

    /** A copy whose new workspaces start from {@code service}'s templates. */
    public WorkspaceContext withTemplates(TemplateService service) {
        return new WorkspaceContext(store, journal, environments, backend, vmms, clock, connections, vms, guestEnd,
                secrets, service);
    }

    /** A context with no {@link GuestEndHook}. */
    public WorkspaceContext(WorkspaceStore store, CommandJournal journal, EnvironmentResolver environments,
            Supplier<BackendChoice> backend, Function<BackendChoice, Vmm> vmms, Clock clock,
            AgentConnections connections, VmLocator vms) {
        this(store, journal, environments, backend, vmms, clock, connections, vms, GuestEndHook.NONE);
    }

    /** A context that finds VMs by their records ({@link VmLocator#RECORDED}). */
    public WorkspaceContext(WorkspaceStore store, CommandJournal journal, EnvironmentResolver environments,
            Supplier<BackendChoice> backend, Function<BackendChoice, Vmm> vmms, Clock clock,
            AgentConnections connections) {
        this(store, journal, environments, backend, vmms, clock, connections, VmLocator.RECORDED);
    }

    /** A context that keeps no agent connection between calls. */
    public WorkspaceContext(WorkspaceStore store, CommandJournal journal, EnvironmentResolver environments,
            Supplier<BackendChoice> backend, Function<BackendChoice, Vmm> vmms, Clock clock) {
        this(store, journal, environments, backend, vmms, clock, AgentConnections.none());
    }

    /** The supervisor of this context's VMs. */
    public WorkspaceVmSupervisor supervisor() {
        return new WorkspaceVmSupervisor(vms);
    }
}
