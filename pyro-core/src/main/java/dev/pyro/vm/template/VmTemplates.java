package dev.pyro.vm.template;

import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmSpec;
import java.nio.file.Path;

/**
 * A backend's memory snapshots: what a template of a VM depends on, building one, and
 * starting a VM from one instead of booting it. Obtained from {@code Vmm#templates()}.
 */
public interface VmTemplates {
    /**
     * How a workspace template's {@code /workspace} disk is laid out: qcow2 layers (QEMU) or a
     * raw image (Firecracker opens nothing else).
     */
    default DiskFormat workspaceDiskFormat() {
        return DiskFormat.QCOW2;
    }

    /** Whether a VM like {@code spec} can come from a template, and if so the template's inputs. */
    Eligibility eligibility(VmSpec spec, TemplateShape shape);

    /**
     * Boots {@code spec} (its root layer and workspace disk inside {@code into}), waits for the
     * agent, then saves the VM into {@code into} ({@link Template#state()}, and
     * {@link Template#memory()} where the backend keeps memory apart) and stops it.
     */
    void build(VmSpec spec, Path into);

    /**
     * Starts {@code spec} from {@code template}: its disks must already hold what the template's
     * disks hold (the caller copies the workspace disk; this copies the root layer). Returns once
     * the guest runs; the caller connects to the agent and gives the guest its identity.
     *
     * @throws TemplateRestoreException when the VMM cannot load the saved state (the template
     *                                  is then unusable; nothing of the VM is left running)
     */
    VmInstance restore(VmSpec spec, Template template);

    /** Whether a template can stand in for a VM, and why not. */
    sealed interface Eligibility {
        /** It can: the inputs name the template. */
        record Eligible(TemplateInputs inputs) implements Eligibility {
        }

        /** It cannot, for a reason a person can read in the logs. */
        record Ineligible(String reason) implements Eligibility {
        }
    }
}
