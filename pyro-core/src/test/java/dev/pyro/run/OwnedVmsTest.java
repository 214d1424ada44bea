package dev.pyro.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.vm.ProcessIdentity;
import dev.pyro.vm.VmRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reaper of one-shot VMs whose owner died, with records of both backends pointing at real
 * throwaway processes standing in for their VMMs.
 */
@Timeout(120)
class OwnedVmsTest {
    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    private Process sleeper() throws IOException {
        Process p = new ProcessBuilder("sleep", "600").start();
        processes.add(p);
        return p;
    }

    private static ProcessIdentity identity(Process p) {
        return ProcessIdentity.of(p.pid()).orElseThrow();
    }

    /** An owner that existed and is gone now. */
    private ProcessIdentity deadOwner() throws Exception {
        Process p = sleeper();
        ProcessIdentity id = identity(p);
        p.destroyForcibly();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return id;
    }

    private Path stateDir(String name, ProcessIdentity owner) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("vms").resolve(OwnedVms.PREFIX + name));
        Files.writeString(dir.resolve(OwnedVms.OWNER), "{\"pid\":" + owner.pid() + ",\"start_ticks\":"
                + owner.startTicks() + "}");
        return dir;
    }

    private static void qemuRecord(Path dir, ProcessIdentity vmm) {
        new VmRecord(dir.getFileName().toString(), vmm, Instant.now(), dir.resolve("console.log"), 1, 256,
                new VmRecord.Qemu("tcg")).write(dir);
    }

    private static void firecrackerRecord(Path dir, ProcessIdentity vmm, Path runtimeDir) {
        new VmRecord(dir.getFileName().toString(), vmm, Instant.now(), dir.resolve("console.log"), 1, 256,
                new VmRecord.Firecracker("fc", runtimeDir.resolve("api.sock"), runtimeDir.resolve("vsock.sock"), 5252,
                        List.of(runtimeDir.resolve("overlay.ext4")), Optional.of(runtimeDir), Optional.empty(),
                        Optional.empty())).write(dir);
    }

    @Test
    void anOrphanedQemuVmIsKilledAndRemoved() throws Exception {
        Process vmm = sleeper();
        Path dir = stateDir("qemu", deadOwner());
        qemuRecord(dir, identity(vmm));

        assertThat(OwnedVms.sweep(tmp.resolve("vms"))).containsExactly(dir);

        assertThat(vmm.waitFor(10, TimeUnit.SECONDS)).as("the VMM was stopped").isTrue();
        assertThat(dir).doesNotExist();
    }

    @Test
    void anOrphanedFirecrackerVmIsKilledAndItsFilesOutsideTheStateGoToo() throws Exception {
        Process vmm = sleeper();
        Path runtime = Files.createDirectories(tmp.resolve("runtime"));
        Files.writeString(runtime.resolve("overlay.ext4"), "layer");
        Path dir = stateDir("firecracker", deadOwner());
        firecrackerRecord(dir, identity(vmm), runtime);

        assertThat(OwnedVms.sweep(tmp.resolve("vms"))).containsExactly(dir);

        assertThat(vmm.waitFor(10, TimeUnit.SECONDS)).as("the VMM was stopped").isTrue();
        assertThat(dir).doesNotExist();
        assertThat(runtime).as("the backend's own cleanup ran").doesNotExist();
    }

    @Test
    void aRecordWhosePidWasReusedNeverKillsTheNewProcess() throws Exception {
        Process stranger = sleeper();
        ProcessIdentity now = identity(stranger);
        Path dir = stateDir("reused", deadOwner());
        qemuRecord(dir, new ProcessIdentity(now.pid(), now.startTicks() - 1));
        Path fcDir = stateDir("reused-fc", deadOwner());
        firecrackerRecord(fcDir, new ProcessIdentity(now.pid(), now.startTicks() - 1),
                Files.createDirectories(tmp.resolve("rt")));

        assertThat(OwnedVms.sweep(tmp.resolve("vms"))).containsExactlyInAnyOrder(dir, fcDir);

        assertThat(stranger.isAlive()).as("same pid, other process: untouched").isTrue();
        assertThat(dir).doesNotExist();
    }

    @Test
    void aVmWhoseOwnerLivesIsLeftAlone() throws Exception {
        Process vmm = sleeper();
        Path dir = stateDir("owned", ProcessIdentity.current());
        qemuRecord(dir, identity(vmm));
        // An owner file of an older pyro (pid and start instant) whose owner lives.
        Path legacy = Files.createDirectories(tmp.resolve("vms").resolve(OwnedVms.PREFIX + "legacy"));
        Files.writeString(legacy.resolve("owner"), ProcessHandle.current().pid() + " "
                + ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli() + "\n");
        Files.setLastModifiedTime(legacy, FileTime.fromMillis(0));

        assertThat(OwnedVms.sweep(tmp.resolve("vms"))).isEmpty();

        assertThat(vmm.isAlive()).isTrue();
        assertThat(dir.resolve(VmRecord.FILE)).exists();
        assertThat(legacy).exists();
    }

    @Test
    void aDirectoryWithoutOwnerIsReapedOnlyOnceItIsStale() throws Exception {
        Path fresh = Files.createDirectories(tmp.resolve("vms").resolve(OwnedVms.PREFIX + "fresh"));
        Path stale = Files.createDirectories(tmp.resolve("vms").resolve(OwnedVms.PREFIX + "stale"));
        Files.setLastModifiedTime(stale, FileTime.fromMillis(0));
        Path other = Files.createDirectories(tmp.resolve("vms").resolve("not-a-run"));
        Files.setLastModifiedTime(other, FileTime.fromMillis(0));

        assertThat(OwnedVms.sweep(tmp.resolve("vms"))).containsExactly(stale);

        assertThat(fresh).exists();
        assertThat(other).as("only one-shot VMs are the reaper's").exists();
    }

    @Test
    void anUnreadableRecordKeepsItsDirectoryRatherThanLoseTrackOfAVmm() throws Exception {
        Path dir = stateDir("corrupt", deadOwner());
        Files.writeString(dir.resolve(VmRecord.FILE), "{\"format\": 2, \"backend\": \"qemu\"");

        assertThat(OwnedVms.sweep(tmp.resolve("vms"))).isEmpty();

        assertThat(dir.resolve(VmRecord.FILE)).exists();
    }

    @Test
    void claimWritesTheOwnerAsBefore() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("vms").resolve(OwnedVms.PREFIX + "mine"));
        OwnedVms.claim(dir);
        ProcessIdentity me = ProcessIdentity.current();
        assertThat(Files.readString(dir.resolve(OwnedVms.OWNER)))
                .isEqualTo("{\"pid\":" + me.pid() + ",\"start_ticks\":" + me.startTicks() + "}");
        Files.setLastModifiedTime(dir, FileTime.fromMillis(0));
        assertThat(OwnedVms.sweep(tmp.resolve("vms"))).as("its owner lives").isEmpty();
    }

    /** An owner file that is not one (garbage, trailing content, another shape) counts as no owner: reaped only when stale. */
    @Test
    void anUnreadableOwnerIsNoOwner() throws Exception {
        String[] bad = {"", "{", "[]", "null", "{\"pid\":1}", "{\"pid\":\"x\",\"start_ticks\":2}",
            "{\"pid\":" + ProcessHandle.current().pid() + ",\"start_ticks\":" + ProcessIdentity.current().startTicks()
                    + "} trailing", "[".repeat(100_000), "{\"pid\":" + "9".repeat(5000) + ",\"start_ticks\":1}"};
        List<Path> stale = new ArrayList<>();
        for (int i = 0; i < bad.length; i++) {
            Path dir = Files.createDirectories(tmp.resolve("vms").resolve(OwnedVms.PREFIX + "bad" + i));
            Files.writeString(dir.resolve(OwnedVms.OWNER), bad[i]);
            Files.setLastModifiedTime(dir, FileTime.fromMillis(0));
            stale.add(dir);
        }
        Path fresh = Files.createDirectories(tmp.resolve("vms").resolve(OwnedVms.PREFIX + "fresh"));
        Files.writeString(fresh.resolve(OwnedVms.OWNER), "{");

        assertThat(OwnedVms.sweep(tmp.resolve("vms"))).containsExactlyInAnyOrderElementsOf(stale);
        assertThat(fresh).exists();
    }

    @Test
    void aMissingVmsDirectoryIsNothingToDo() {
        assertThat(OwnedVms.sweep(tmp.resolve("nowhere"))).isEmpty();
    }
}
