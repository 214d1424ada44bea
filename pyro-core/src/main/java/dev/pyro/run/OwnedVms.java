package dev.pyro.run;

import dev.pyro.PyroException;
import dev.pyro.io.AtomicFiles;
import dev.pyro.io.FileTrees;
import dev.pyro.json.JsonTrees;
import dev.pyro.log.PyroLoggers;
import dev.pyro.vm.ProcessIdentity;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmmFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * One-shot VMs belong to the process that started them: {@code owner.json} in the VM's state
 * directory names it (pid and start time). A VM whose owner is gone (killed with SIGKILL, say,
 * so no shutdown hook ran) is an orphan: the next pyro process that touches VMs stops its VMM,
 * whichever backend runs it, and removes its state.
 */
public final class OwnedVms {
    private static final System.Logger LOG = PyroLoggers.of(OwnedVms.class);
    /** The name prefix of the state directories of VMs owned by a process. */
    public static final String PREFIX = "run-";
    static final String OWNER = "owner.json";
    /** The owner file of pyro versions before {@link #OWNER}: {@code <pid> <start epoch ms>}. */
    private static final String LEGACY_OWNER = "owner";
    /** A state directory without an owner is only being created, unless it is older than this. */
    private static final Duration CLAIM_WINDOW = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(4);

    private OwnedVms() {
    }

    /**
     * Records this process as the owner of the VM in {@code stateDir} (a directory of the VMs
     * directory whose name starts with {@link #PREFIX}, so a later sweep reaps it if this
     * process dies).
     */
    public static void claim(Path stateDir) throws IOException {
        ProcessIdentity me = ProcessIdentity.current();
        // JsonTrees, not a JsonMapper: a sweep runs in one-shot CLI processes, which need no mapper otherwise.
        var doc = JsonTrees.object().put("pid", me.pid()).put("start_ticks", me.startTicks());
        AtomicFiles.write(stateDir.resolve(OWNER), JsonTrees.write(doc));
    }

    /**
     * Stops and removes the one-shot VMs in {@code vmsDir} whose owner no longer runs.
     *
     * @return the state directories reaped
     */
    public static List<Path> sweep(Path vmsDir) {
        if (!Files.isDirectory(vmsDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(vmsDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(PREFIX)).filter(OwnedVms::orphaned)
                    .filter(OwnedVms::reap).toList();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "sweep of " + vmsDir + " failed: " + e.getMessage());
            return List.of();
        }
    }

    static boolean orphaned(Path dir) {
        Optional<ProcessIdentity> owner = owner(dir);
        if (owner.isPresent()) {
            return !owner.get().isAlive();
        }
        // No readable owner: only reap once it is clearly stale, not while being created.
        try {
            return Files.getLastModifiedTime(dir).toInstant().isBefore(Instant.now().minus(CLAIM_WINDOW));
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<ProcessIdentity> owner(Path dir) {
        try {
            JsonNode doc = JsonTrees.read(Files.readAllBytes(dir.resolve(OWNER)));
            return Optional.of(new ProcessIdentity(doc.get("pid").asLong(), doc.get("start_ticks").asLong()));
        } catch (IOException | RuntimeException e) {
            // not (yet) written, or written by an older pyro
        }
        try {
            String[] legacy = Files.readString(dir.resolve(LEGACY_OWNER), StandardCharsets.UTF_8).strip().split(" ");
            return Optional.of(ProcessIdentity.ofStartInstant(Long.parseLong(legacy[0]),
                    Instant.ofEpochMilli(Long.parseLong(legacy[1]))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops the VMM recorded in {@code dir} (any backend) and removes the directory; returns
     * whether it is gone. A VMM that survives, or a record that cannot be read, keeps the
     * directory: deleting it would lose the only trace of a VMM that may still run.
     */
    static boolean reap(Path dir) {
        LOG.log(System.Logger.Level.INFO, "removing orphaned one-shot VM " + dir.getFileName());
        Optional<VmInstance> vm;
        try {
            vm = VmmFactory.attachIfRecorded(dir);
        } catch (PyroException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot reap " + dir + ": " + e.getMessage());
            return false;
        }
        if (vm.isPresent()) {
            VmInstance v = vm.get();
            v.stop(STOP_GRACE);
            if (v.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "orphaned VM " + v.vmId() + " (pid " + v.pid()
                        + ") did not stop; trying again next time");
                return false;
            }
            v.cleanup();
        }
        return FileTrees.deleteTreeQuietly(dir);
    }
}
