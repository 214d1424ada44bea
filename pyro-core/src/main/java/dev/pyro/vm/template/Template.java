package dev.pyro.vm.template;

import java.nio.file.Path;

/**
 * A built template: a VM saved right after its agent answered, with the disks it saw.
 *
 * @param dir      the template's directory
 * @param manifest its manifest
 */
public record Template(Path dir, TemplateManifest manifest) {
    /** The saved VM state (a QEMU migration stream or a Firecracker snapshot state file). */
    public Path state() {
        return dir.resolve("state.bin");
    }

    /** The guest memory file (Firecracker; QEMU keeps memory in the state stream). */
    public Path memory() {
        return dir.resolve("memory.bin");
    }

    /** The root file system's writable layer as the saved guest left it. */
    public Path rootLayer() {
        return dir.resolve("root.layer");
    }

    /** The {@code /workspace} disk's files as the saved guest left them (workspace templates). */
    public Path diskDir() {
        return dir.resolve("disk");
    }
}
