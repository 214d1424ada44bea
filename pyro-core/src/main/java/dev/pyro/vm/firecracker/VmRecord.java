package dev.pyro.vm.firecracker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code vm.json} in a VM's state directory records, so that another process can
 * {@link FirecrackerVmm#attach attach} to a detached VM: the VMM's identity (pid and start
 * time, robust against pid reuse), its sockets, and the files and directories that
 * {@code cleanup} removes. Host paths throughout.
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonIgnoreProperties(ignoreUnknown = true)
record VmRecord(
        @JsonProperty("format") int format,
        @JsonProperty("backend") String backend,
        @JsonProperty("vm_id") String vmId,
        @JsonProperty("instance_id") String instanceId,
        @JsonProperty("pid") long pid,
        @JsonProperty("start_ticks") long startTicks,
        @JsonProperty("started_at_ms") long startedAtMs,
        @JsonProperty("api_socket") String apiSocket,
        @JsonProperty("vsock_socket") String vsockSocket,
        @JsonProperty("vsock_port") int vsockPort,
        @JsonProperty("console_log") String consoleLog,
        @JsonProperty("owned_files") List<String> ownedFiles,
        @JsonProperty("runtime_dir") Optional<String> runtimeDir,
        @JsonProperty("jail_dir") Optional<String> jailDir,
        @JsonProperty("cgroup_dir") Optional<String> cgroupDir) {
    static final String FILE_NAME = "vm.json";
    static final String BACKEND = "firecracker";
    static final int FORMAT = 1;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    VmRecord {
        Objects.requireNonNull(vmId, "vmId");
        Objects.requireNonNull(apiSocket, "apiSocket");
        Objects.requireNonNull(vsockSocket, "vsockSocket");
        Objects.requireNonNull(consoleLog, "consoleLog");
        ownedFiles = ownedFiles == null ? List.of() : List.copyOf(ownedFiles);
        runtimeDir = runtimeDir == null ? Optional.empty() : runtimeDir;
        jailDir = jailDir == null ? Optional.empty() : jailDir;
        cgroupDir = cgroupDir == null ? Optional.empty() : cgroupDir;
    }

    ProcessIdentity identity() {
        return new ProcessIdentity(pid, startTicks);
    }

    /** Writes {@code <stateDir>/vm.json} atomically: temp file, fsync, rename. */
    void write(Path stateDir) {
        Path target = stateDir.resolve(FILE_NAME);
        Path tmp = stateDir.resolve(FILE_NAME + ".tmp");
        try {
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code <stateDir>/vm.json}. */
    static VmRecord read(Path stateDir) {
        Path file = stateDir.resolve(FILE_NAME);
        VmRecord r;
        try {
            r = JSON.readValue(Files.readAllBytes(file), VmRecord.class);
        } catch (NoSuchFileException e) {
            throw new PyroException(ErrorCode.NOT_FOUND, "no Firecracker VM was started in " + stateDir
                    + " (no " + FILE_NAME + ")", e);
        } catch (IOException | JacksonException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!BACKEND.equals(r.backend()) || r.format() != FORMAT) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, file + " does not describe a Firecracker VM (backend "
                    + r.backend() + ", format " + r.format() + ")");
        }
        return r;
    }
}
