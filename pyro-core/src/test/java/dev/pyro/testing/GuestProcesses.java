package dev.pyro.testing;

import java.util.List;

/** Finds VMM processes on this host, to prove a test left none behind. */
public final class GuestProcesses {
    private GuestProcesses() {
    }

    /** Live QEMU or Firecracker processes whose command line mentions {@code marker}. */
    public static List<ProcessHandle> vmmsMentioning(String marker) {
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> (c.contains("qemu-system") || c.contains("firecracker"))
                        && c.contains(marker)).orElse(false))
                .filter(p -> !zombie(p.pid()))
                .toList();
    }

    static boolean zombie(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (java.io.IOException | RuntimeException e) {
            return true;
        }
    }
}
