package dev.pyro.vm.qemu;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.vm.LiveDisk;
import java.io.IOException;
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
                String file = b.path("inserted").path("file").asString("");
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
        Map<Path, String> nodes = qcow2Nodes();
        String childNode = node(nodes, child);
        String baseNode = node(nodes, base);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("job-id", JOB_ID);
        args.put("device", childNode);
        args.put("base-node", baseNode);
        args.put("backing-file", baseName);
        args.put("auto-dismiss", false);
        dismissLeftover();
        qmp("block-stream", args);
        awaitJob(timeout);
    }

    /** A job of ours left concluded by a process that died before dismissing it. */
    private void dismissLeftover() {
        for (JsonNode job : qmp("query-jobs", Map.of())) {
            if (JOB_ID.equals(job.path("id").asString("")) && "concluded".equals(job.path("status").asString(""))) {
                qmp("job-dismiss", Map.of("id", JOB_ID));
            }
        }
    }

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
    private Map<Path, String> qcow2Nodes() {
        Map<Path, String> nodes = new LinkedHashMap<>();
        for (JsonNode n : qmp("query-named-block-nodes", Map.of("flat", true))) {
            if ("qcow2".equals(n.path("drv").asString(""))) {
                nodes.put(Path.of(n.path("file").asString("")).toAbsolutePath().normalize(),
                        n.path("node-name").asString(""));
            }
        }
        return nodes;
    }

    private String node(Map<Path, String> nodes, Path image) {
        String name = nodes.get(image.toAbsolutePath().normalize());
        if (name == null || name.isEmpty()) {
            throw new PyroException(ErrorCode.IO_ERROR, "layer " + image.getFileName() + " is not in the running "
                    + "chain of VM " + vmId);
        }
        return name;
    }

    private JsonNode qmp(String command, Map<String, Object> args) {
        try (QmpClient client = QmpClient.connect(qmpSocket)) {
            return client.execute(command, args);
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "QMP " + command + " on VM " + vmId + ": " + e.getMessage(), e);
        }
    }
}
