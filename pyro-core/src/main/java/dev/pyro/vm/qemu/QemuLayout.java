package dev.pyro.vm.qemu;

import java.nio.file.Path;

/** The files of one QEMU VM inside its state directory. */
record QemuLayout(Path dir) {
    Path agentSocket() {
        return dir.resolve("agent.sock");
    }

    Path qmpSocket() {
        return dir.resolve("qmp.sock");
    }

    Path console() {
        return dir.resolve("console.log");
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
}
