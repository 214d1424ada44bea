package dev.pyro.run;

import dev.pyro.vm.VmProcess;
import dev.pyro.vm.VmRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One-shot VMs belong to the process that started them: {@code owner} in the VM's state
 * directory names it (pid and start time). A VM whose owner is gone (killed with SIGKILL,
 * say, so no shutdown hook ran) is stopped and removed by the next pyro process.
 */
final class OwnedVms {
    private static final System.Logger LOG = System.getLogger(OwnedVms.class.getName());
    static final String PREFIX = "run-";
    private static final String OWNER = "owner";

    private OwnedVms() {
    }

    static void claim(Path stateDir) throws IOException {
        VmProcess me = VmProcess.of(ProcessHandle.current());
        Files.writeString(stateDir.resolve(OWNER), me.pid() + " " + me.startedAt().toEpochMilli() + "\n");
    }

    /** Stops and removes one-shot VMs whose owner no longer runs. */
    static void sweep(Path vmsDir) {
        if (!Files.isDirectory(vmsDir)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(vmsDir)) {
            dirs.filter(d -> d.getFileName().toString().startsWith(PREFIX)).filter(OwnedVms::orphaned)
                    .forEach(OwnedVms::reap);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "sweep of " + vmsDir + " failed: " + e.getMessage());
        }
    }

    private static boolean orphaned(Path dir) {
        try {
            String[] owner = Files.readString(dir.resolve(OWNER)).strip().split(" ");
            return !new VmProcess(Long.parseLong(owner[0]), Instant.ofEpochMilli(Long.parseLong(owner[1]))).isAlive();
        } catch (IOException | RuntimeException e) {
            // No readable owner: only reap once it is clearly stale, not while being created.
            try {
                return Files.getLastModifiedTime(dir).toInstant().isBefore(Instant.now().minusSeconds(60));
            } catch (IOException ex) {
                return false;
            }
        }
    }

    private static void reap(Path dir) {
        LOG.log(System.Logger.Level.INFO, "removing orphaned one-shot VM " + dir.getFileName());
        try {
            VmRecord record = VmRecord.read(dir);
            record.process().terminate(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            // no record: nothing was started
        }
        deleteTree(dir);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot remove " + p + ": " + e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove " + dir + ": " + e.getMessage());
        }
    }
}
