package dev.pyro.vm.qemu;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.vm.LiveDisk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * {@link LiveDisk} over QMP, for the drive {@code workspace}: {@code blockdev-snapshot-sync}
 * puts a new overlay on top, {@code block-stream} copies intermediate layers into a node
 * above them and drops them. Every call opens its own QMP connection, so any process can act
 * on a VM another one started.
 */
final class QemuLiveDisk implements LiveDisk {
    private static final String JOB_ID = "pyro-merge";
    private static final long POLL_MILLIS = 20;
    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
            .build();

    private final Path qmpSocket;
    private final String vmId;

    QemuLiveDisk(Path qmpSocket, String vmId) {
        this.qmpSocket = qmpSocket;
        this.vmId = vmId;
    }

    @Override
    public Path activeLayer() {
        JsonNode blocks = qmp("query-block", Map.of());
        for (JsonNode b : blocks) {
            if (QemuCommandLine.WORKSPACE_DRIVE.equals(b.path("device").asString(""))) {
                String file = imageFile(b.path("inserted").path("file").asString(""));
                if (!file.isEmpty()) {
                    return Path.of(file);
                }
            }
        }
        throw new PyroException(ErrorCode.IO_ERROR, "VM " + vmId + " has no workspace drive");
    }

    @Override
    public void addOverlay(Path overlay) {
        // mode=existing: the overlay was made (and names its backing, relative to its own
        // directory) by the caller; QEMU only opens it and puts it on top.
        qmp("blockdev-snapshot-sync", Map.of("device", QemuCommandLine.WORKSPACE_DRIVE,
                "snapshot-file", overlay.toAbsolutePath().toString(), "format", "qcow2", "mode", "existing"));
    }

    @Override
    public void removeLayersBelow(Path child, Path base, String baseName, Duration timeout) {
        if (job().isPresent()) {
            // Started by a process that died: QEMU went on with it. Let it finish first.
            awaitJob(timeout);
        }
        Map<Path, JsonNode> nodes = qcow2Nodes();
        JsonNode childNode = node(nodes, child);
        String backing = childNode.path("backing_file").asString("");
        if (!backing.isEmpty() && Path.of(backing).getFileName().toString().equals(baseName)) {
            return; // nothing left between them
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("job-id", JOB_ID);
        args.put("device", childNode.path("node-name").asString(""));
        args.put("base-node", node(nodes, base).path("node-name").asString(""));
        args.put("backing-file", baseName);
        args.put("auto-dismiss", false);
        qmp("block-stream", args);
        awaitJob(timeout);
    }

    /** Waits for our job to conclude, dismisses it, and reports its error. */
    private void awaitJob(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<JsonNode> job = job();
            if (job.isEmpty()) {
                throw new PyroException(ErrorCode.IO_ERROR, "the layer merge of VM " + vmId + " vanished");
            }
            if ("concluded".equals(job.get().path("status").asString(""))) {
                String error = job.get().path("error").asString("");
                qmp("job-dismiss", Map.of("id", JOB_ID));
                if (!error.isEmpty()) {
                    throw new PyroException(ErrorCode.IO_ERROR, "merging layers in VM " + vmId + " failed: " + error);
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new PyroException(ErrorCode.TIMEOUT, "merging layers in VM " + vmId + " did not finish within "
                        + timeout.toSeconds() + " s; it goes on in the VM");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PyroException(ErrorCode.CANCELLED, "interrupted while merging layers; it goes on in the VM");
            }
        }
    }

    private Optional<JsonNode> job() {
        for (JsonNode job : qmp("query-jobs", Map.of())) {
            if (JOB_ID.equals(job.path("id").asString(""))) {
                return Optional.of(job);
            }
        }
        return Optional.empty();
    }

    /** The qcow2 nodes of the VM by their image file. */
    private Map<Path, JsonNode> qcow2Nodes() {
        Map<Path, JsonNode> nodes = new LinkedHashMap<>();
        for (JsonNode n : qmp("query-named-block-nodes", Map.of("flat", true))) {
            String file = imageFile(n.path("file").asString(""));
            if ("qcow2".equals(n.path("drv").asString("")) && !file.isEmpty()) {
                nodes.put(Path.of(file).toAbsolutePath().normalize(), n);
            }
        }
        return nodes;
    }

    private JsonNode node(Map<Path, JsonNode> nodes, Path image) {
        JsonNode node = nodes.get(image.toAbsolutePath().normalize());
        if (node == null || node.path("node-name").asString("").isEmpty()) {
            throw new PyroException(ErrorCode.IO_ERROR, "layer " + image.getFileName() + " is not in the running "
                    + "chain of VM " + vmId);
        }
        return node;
    }

    /**
     * The image file of a node's {@code file} name. A layer put on top at run time has no plain
     * name (its backing was attached by QMP, not read from its header): QEMU names it with its
     * options as {@code json:{…, "file": {"driver": "file", "filename": …}}}.
     */
    static String imageFile(String name) {
        if (!name.startsWith("json:")) {
            return name;
        }
        try {
            return JSON.readTree(name.substring("json:".length())).path("file").path("filename").asString("");
        } catch (RuntimeException e) {
            return "";
        }
    }

    private JsonNode qmp(String command, Map<String, Object> args) {
        return QmpClient.once(qmpSocket, vmId, command, args);
    }
}
