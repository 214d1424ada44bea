package dev.pyro.vm;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.AtomicFiles;
import dev.pyro.io.IoMessages;
import dev.pyro.json.JsonTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of {@link VmRecord} (format 2):
 *
 * <pre>{@code
 * {"format": 2, "backend": "qemu", "vm_id": "…", "process": {"pid": 4242, "start_ticks": 987654},
 *  "created_at": "…", "vcpus": 1, "mem_mib": 1024, "console_log": "/…/console.log",
 *  "qemu": {"accel": "tcg"}}
 * }</pre>
 *
 * The backend's own part sits under its name. Records of earlier pyro versions (QEMU's without
 * a format, Firecracker's format 1) are still read, so an upgrade never loses track of a
 * running VM. Read and written as {@link JsonTrees} trees, without a {@code JsonMapper}: every
 * exec reads the record to attach to its VM, and a one-shot CLI process would build a mapper for
 * it alone (docs/performance.md, "CLI start-up").
 */
final class VmRecordCodec {
    static final int FORMAT = 2;

    private VmRecordCodec() {
    }

    static void write(Path file, VmRecord r) {
        ObjectNode root = JsonTrees.object();
        root.put("format", FORMAT);
        root.put("backend", r.backend().wireName());
        root.put("vm_id", r.vmId());
        ObjectNode process = root.putObject("process");
        process.put("pid", r.process().pid());
        process.put("start_ticks", r.process().startTicks());
        root.put("created_at", r.createdAt().toString());
        root.put("vcpus", r.vcpus());
        root.put("mem_mib", r.memMib());
        root.put("console_log", r.consoleLog().toString());
        ObjectNode details = root.putObject(r.backend().wireName());
        switch (r.details()) {
            case VmRecord.Qemu q -> details.put("accel", q.accel());
            case VmRecord.Firecracker f -> {
                details.put("instance_id", f.instanceId());
                details.put("api_socket", f.apiSocket().toString());
                details.put("vsock_socket", f.vsockSocket().toString());
                details.put("vsock_port", f.vsockPort());
                var owned = details.putArray("owned_files");
                f.ownedFiles().forEach(p -> owned.add(p.toString()));
                f.runtimeDir().ifPresent(p -> details.put("runtime_dir", p.toString()));
                f.jailDir().ifPresent(p -> details.put("jail_dir", p.toString()));
                f.cgroupDir().ifPresent(p -> details.put("cgroup_dir", p.toString()));
            }
        }
        try {
            AtomicFiles.write(file, JsonTrees.writeIndented(root));
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot write the VM record " + file + ": " + IoMessages.describe(e), e);
        }
    }

    static VmRecord read(Path file) {
        JsonNode root;
        try {
            root = JsonTrees.read(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new PyroException(ErrorCode.NOT_FOUND, "no VM was started in " + file.getParent() + " (no "
                    + file.getFileName() + ")", e);
        } catch (IOException | JacksonException e) {
            throw unreadable(file, IoMessages.describe(e), e);
        }
        if (root == null || !root.isObject()) {
            throw unreadable(file, "not a JSON object", null);
        }
        try {
            int format = root.path("format").asInt(0);
            return switch (format) {
                case FORMAT -> current(root);
                case 1 -> firecrackerV1(root);
                case 0 -> qemuV0(root, file.getParent());
                default -> throw unreadable(file, "format " + format + " is newer than this pyro reads (" + FORMAT
                        + "); upgrade pyro", null);
            };
        } catch (IllegalArgumentException | NullPointerException | DateTimeException e) {
            throw unreadable(file, e.getMessage(), e);
        } catch (JacksonException e) {
            throw unreadable(file, e.getOriginalMessage(), e); // a field of the wrong kind of node
        }
    }

    private static VmRecord current(JsonNode root) {
        BackendKind kind = backend(root);
        JsonNode d = root.path(kind.wireName());
        VmRecord.Details details = switch (kind) {
            case QEMU -> new VmRecord.Qemu(text(d, "accel"));
            case FIRECRACKER -> firecracker(d);
        };
        JsonNode p = root.path("process");
        return new VmRecord(text(root, "vm_id"), new ProcessIdentity(number(p, "pid"), number(p, "start_ticks")),
                Instant.parse(text(root, "created_at")), Path.of(text(root, "console_log")), root.path("vcpus").asInt(0),
                root.path("mem_mib").asInt(0), details);
    }

    /** Firecracker's own record before the common header: the same fields, flat. */
    private static VmRecord firecrackerV1(JsonNode root) {
        if (backend(root) != BackendKind.FIRECRACKER) {
            throw new IllegalArgumentException("format 1 is only known for firecracker records");
        }
        return new VmRecord(text(root, "vm_id"), new ProcessIdentity(number(root, "pid"), number(root, "start_ticks")),
                Instant.ofEpochMilli(root.path("started_at_ms").asLong(0)), Path.of(text(root, "console_log")), 0, 0,
                firecracker(root));
    }

    /** QEMU's record before the common header: it named the process by its start instant. */
    private static VmRecord qemuV0(JsonNode root, Path stateDir) {
        if (backend(root) != BackendKind.QEMU) {
            throw new IllegalArgumentException("a record without a format is only known for qemu");
        }
        Instant started = Instant.parse(text(root, "started_at"));
        ProcessIdentity process = ProcessIdentity.ofStartInstant(number(root, "pid"), started);
        return new VmRecord(text(root, "vm_id"), process, started, stateDir.resolve("console.log"), 0, 0,
                new VmRecord.Qemu(text(root, "accel")));
    }

    private static VmRecord.Firecracker firecracker(JsonNode d) {
        List<Path> owned = new ArrayList<>();
        d.path("owned_files").forEach(n -> owned.add(Path.of(n.asString())));
        return new VmRecord.Firecracker(text(d, "instance_id"), Path.of(text(d, "api_socket")),
                Path.of(text(d, "vsock_socket")), (int) number(d, "vsock_port"), owned, optionalPath(d, "runtime_dir"),
                optionalPath(d, "jail_dir"), optionalPath(d, "cgroup_dir"));
    }

    private static BackendKind backend(JsonNode root) {
        return BackendKind.valueOf(text(root, "backend").toUpperCase(Locale.ROOT));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isString()) {
            throw new IllegalArgumentException("no " + field);
        }
        return v.asString();
    }

    private static long number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("no " + field);
        }
        return v.asLong();
    }

    private static Optional<Path> optionalPath(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(Path.of(v.asString()));
    }

    private static PyroException unreadable(Path file, String why, Exception cause) {
        return new PyroException(ErrorCode.IO_ERROR, "unreadable VM record " + file + ": " + why, cause);
    }
}
