package dev.pyro.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One record for every backend: round trips, older forms, refusals, and attach by header. */
class VmRecordTest {
    @TempDir
    Path dir;

    private static final Instant CREATED = Instant.parse("2025-06-01T10:00:00.187Z");

    static VmRecord qemu(String id, ProcessIdentity p, Path stateDir) {
        return new VmRecord(id, p, CREATED, stateDir.resolve("console.log"), 2, 1536, new VmRecord.Qemu("tcg"));
    }

    static VmRecord firecracker(String id, ProcessIdentity p, Path stateDir) {
        return new VmRecord(id, p, CREATED, stateDir.resolve("console.log"), 1, 512,
                new VmRecord.Firecracker("fc-" + id, stateDir.resolve("api.sock"), stateDir.resolve("vsock.sock"), 5252,
                        List.of(stateDir.resolve("overlay.ext4"), stateDir.resolve("initrd.cpio")), Optional.empty(),
                        Optional.of(stateDir.resolve("jail")), Optional.empty()));
    }

    @Test
    void bothBackendsRoundTripThroughOneFileWithACommonHeader() throws IOException {
        ProcessIdentity me = ProcessIdentity.current();
        for (VmRecord r : List.of(qemu("vm-q", me, dir), firecracker("vm-f", me, dir))) {
            r.write(dir);
            assertThat(VmRecord.read(dir)).isEqualTo(r);
            String json = Files.readString(dir.resolve(VmRecord.FILE));
            assertThat(json).contains("\"format\" : 2", "\"backend\" : \"" + r.backend().wireName() + "\"",
                    "\"start_ticks\" : " + me.startTicks(), "\"mem_mib\" : " + r.memMib());
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temp file left").containsExactly("vm.json");
        }
    }

    @Test
    void recordsOfOlderPyroVersionsStillRead() throws IOException {
        Instant started = ProcessHandle.current().info().startInstant().orElseThrow();
        Files.writeString(dir.resolve(VmRecord.FILE), "{\"vm_id\":\"ws-abc\",\"backend\":\"QEMU\",\"pid\":"
                + ProcessHandle.current().pid() + ",\"started_at\":\"" + started + "\",\"accel\":\"kvm\"}");
        VmRecord q = VmRecord.read(dir);
        assertThat(q.details()).isEqualTo(new VmRecord.Qemu("kvm"));
        assertThat(q.process()).as("the same live process").isEqualTo(ProcessIdentity.current());
        assertThat(q.consoleLog()).isEqualTo(dir.resolve("console.log"));

        Files.writeString(dir.resolve(VmRecord.FILE), """
                {"format": 1, "backend": "firecracker", "vm_id": "ws-1", "instance_id": "ws-1", "pid": 77,
                 "start_ticks": 123, "started_at_ms": 1700000000000, "api_socket": "/s/api.sock",
                 "vsock_socket": "/s/vsock.sock", "vsock_port": 5252, "console_log": "/s/console.log",
                 "owned_files": ["/s/overlay.ext4"], "jail_dir": "/srv/jailer/firecracker/ws-1"}""");
        VmRecord f = VmRecord.read(dir);
        assertThat(f.process()).isEqualTo(new ProcessIdentity(77, 123));
        assertThat(f.createdAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(f.details()).isEqualTo(new VmRecord.Firecracker("ws-1", Path.of("/s/api.sock"),
                Path.of("/s/vsock.sock"), 5252, List.of(Path.of("/s/overlay.ext4")), Optional.empty(),
                Optional.of(Path.of("/srv/jailer/firecracker/ws-1")), Optional.empty()));
    }

    @Test
    void missingNewerAndBrokenRecordsAreRefusedWithCodes() throws IOException {
        assertThatThrownBy(() -> VmRecord.read(dir)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(VmmFactory.attachIfRecorded(dir)).isEmpty();
        for (String broken : List.of("{\"format\": 3, \"backend\": \"qemu\"}", "{\"format\": 2, \"backend\": \"xen\"}",
                "{\"format\": 2, \"backend\": \"qemu\", \"vm_id\": \"x\"}", "not json", "")) {
            Files.writeString(dir.resolve(VmRecord.FILE), broken);
            assertThatThrownBy(() -> VmRecord.read(dir)).as(broken).isInstanceOfSatisfying(PyroException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR)).hasMessageContaining(VmRecord.FILE);
        }
        Files.writeString(dir.resolve(VmRecord.FILE), "{\"format\": 3, \"backend\": \"qemu\"}");
        assertThatThrownBy(() -> VmRecord.read(dir)).hasMessageContaining("newer than this pyro reads");
    }

    @Test
    void attachPicksTheBackendFromTheHeader() {
        ProcessIdentity me = ProcessIdentity.current();
        qemu("vm-q", me, dir).write(dir);
        VmInstance q = VmmFactory.attach(dir);
        assertThat(q.backend()).isEqualTo(BackendKind.QEMU);
        assertThat(q.pid()).isEqualTo(me.pid());
        assertThat(q.isAlive()).isTrue();
        assertThat(q.agentEndpoint()).isInstanceOf(AgentEndpoint.UnixSocketPool.class);

        firecracker("vm-f", new ProcessIdentity(me.pid(), me.startTicks() + 1), dir).write(dir);
        VmInstance f = VmmFactory.attach(dir);
        assertThat(f.backend()).isEqualTo(BackendKind.FIRECRACKER);
        assertThat(f.agentEndpoint()).isEqualTo(new AgentEndpoint.VsockUds(dir.resolve("vsock.sock"), 5252));
        assertThat(f.isAlive()).as("a recycled pid is not the VMM").isFalse();
        assertThat(f.exitReason()).get().asString().contains("no longer running");
    }

    @Test
    void createdAtKeepsItsPrecision() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        VmRecord r = new VmRecord("x", ProcessIdentity.current(), now, dir.resolve("c"), 1, 128, new VmRecord.Qemu("kvm"));
        r.write(dir);
        assertThat(VmRecord.read(dir).createdAt()).isEqualTo(now);
    }
}
