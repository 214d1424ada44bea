package dev.pyro.vm.firecracker;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link FakeFirecracker}'s snapshots, following Firecracker's snapshot doc: {@code create}
 * only of a paused VM, writing a state file (JSON here, naming the drives' {@code path_on_host}
 * as the real state does) and a memory file of the guest's size; {@code load} only on a fresh
 * process (nothing but logger and metrics configured), reopening every drive at the path the
 * state recorded — following links, during the request, kept open afterwards — binding the
 * vsock socket at {@code vsock_override} (else the recorded one), and writing
 * {@code fake-fc-restored:<id>} at offset 768 of each writable drive through what it opened.
 * The load's record line carries {@code opened}: drive id to the real path opened.
 */
final class FakeSnapshots {
    static final String MAGIC = "fake-firecracker-vmstate-1.16.1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FakeSnapshots() {
    }

    static FakeFirecracker.Reply create(FakeFirecracker fc, JsonNode body) {
        if ("die-at-snapshot".equals(fc.env().get("FAKE_FC_MODE"))) {
            Runtime.getRuntime().halt(137); // killed halfway through the build
        }
        if (!fc.started() || !fc.paused()) {
            return new FakeFirecracker.Reply(400, FakeFirecracker.fault("Cannot create a snapshot: the microVM is not "
                    + "paused"));
        }
        ObjectNode state = JSON.createObjectNode().put("magic", MAGIC).put("mem_size_mib", fc.memMib())
                .put("vsock", fc.vsockPath() == null ? "" : fc.vsockPath().toString());
        ObjectNode drives = state.putObject("drives");
        for (Map.Entry<String, JsonNode> d : fc.drives().entrySet()) {
            drives.putObject(d.getKey()).put("path_on_host", d.getValue().path("path_on_host").asString())
                    .put("is_read_only", d.getValue().path("is_read_only").asBoolean());
        }
        try {
            Files.write(fc.resolve(body.path("snapshot_path").asString()), JSON.writeValueAsBytes(state));
            try (RandomAccessFile mem = new RandomAccessFile(fc.resolve(body.path("mem_file_path").asString()).toFile(),
                    "rw")) {
                mem.setLength((long) fc.memMib() << 20);
                mem.write(("fake-memory:" + fc.id()).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            return new FakeFirecracker.Reply(400, FakeFirecracker.fault("Cannot save the microVM state: " + e));
        }
        return new FakeFirecracker.Reply(204, null);
    }

    static FakeFirecracker.Reply load(FakeFirecracker fc, JsonNode body) {
        if (fc.configured() || fc.started()) {
            return new FakeFirecracker.Reply(400, FakeFirecracker.fault("Loading a microVM snapshot not allowed after "
                    + "configuring boot-specific resources."));
        }
        Path memory = fc.resolve(body.path("mem_backend").path("backend_path").asString());
        JsonNode state;
        try {
            state = JSON.readTree(Files.readAllBytes(fc.resolve(body.path("snapshot_path").asString())));
            if (!MAGIC.equals(state.path("magic").asString(""))) {
                throw new IOException("CRC mismatch");
            }
            if (!Files.isRegularFile(memory) || Files.size(memory) < (state.path("mem_size_mib").asLong() << 20)) {
                throw new IOException("the memory file is smaller than the guest memory");
            }
        } catch (IOException | RuntimeException e) {
            return new FakeFirecracker.Reply(400, FakeFirecracker.fault("Load snapshot error: Failed to restore from "
                    + "snapshot: " + e.getMessage()));
        }
        List<RandomAccessFile> opened = new ArrayList<>();
        ObjectNode paths = JSON.createObjectNode();
        try {
            for (Map.Entry<String, JsonNode> d : state.path("drives").properties()) {
                Path p = fc.resolve(d.getValue().path("path_on_host").asString());
                boolean ro = d.getValue().path("is_read_only").asBoolean();
                RandomAccessFile f = new RandomAccessFile(p.toFile(), ro ? "r" : "rw");
                opened.add(f);
                paths.put(d.getKey(), p.toRealPath().toString());
                if (!ro) {
                    f.seek(768);
                    f.write(("fake-fc-restored:" + fc.id() + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            String override = body.path("vsock_override").path("uds_path").asString("");
            Path uds = override.isEmpty() ? Path.of(state.path("vsock").asString()) : fc.resolve(override);
            if (Files.exists(uds)) {
                throw new IOException("VsockUnixBackend: Error binding to host-side Unix socket: Address in use");
            }
            fc.loaded(opened, uds, body.path("resume_vm").asBoolean(false));
        } catch (IOException e) {
            for (RandomAccessFile f : opened) {
                try {
                    f.close();
                } catch (IOException ignored) {
                    // failing anyway
                }
            }
            return new FakeFirecracker.Reply(400, FakeFirecracker.fault("Load snapshot error: Failed to restore "
                    + "devices: " + e.getMessage()));
        }
        ObjectNode extra = JSON.createObjectNode();
        extra.set("opened", paths);
        return new FakeFirecracker.Reply(204, null, null, extra);
    }
}
