package dev.pyro.vm.qemu;

import java.nio.file.Path;

/** The files of one QEMU VM inside its state directory. */
record QemuLayout(Path dir) {
    /** How many agent ports a VM gets: the agent serves up to 8 host sessions at once. */
    static final int AGENT_PORTS = 8;

    /** The host end of guest port {@code pyro.agent.<index>}. */
    Path agentSocket(int index) {
        return dir.resolve("agent-" + index + ".sock");
    }

    /** Every agent socket, in port order. */
    java.util.List<Path> agentSockets() {
        return java.util.stream.IntStream.range(0, AGENT_PORTS).mapToObj(this::agentSocket).toList();
    }

    Path qmpSocket() {
        return dir.resolve("qmp.sock");
    }

    /** The boot console as the starting process captured it ({@link dev.pyro.vm.ConsoleCapture}). */
    Path console() {
        return dir.resolve("console.log");
    }

    /** QEMU's end of the guest serial console: a listening socket, drained during boot. */
    Path consoleSocket() {
        return dir.resolve("console.sock");
    }

    Path qemuLog() {
        return dir.resolve("qemu.log");
    }

    Path pidFile() {
        return dir.resolve("qemu.pid");
    }

    Path rootOverlay() {
        return dir.resolve("root.qcow2");
    }

    /**
     * A workspace restored from a template: its own sparse copy of the template's memory file,
     * mapped private, where QEMU punches the holes of the pages the guest reports free.
     */
    Path ramCopy() {
        return dir.resolve("memory.bin");
    }
}
