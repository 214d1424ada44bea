package dev.pyro.vm;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a backend writes into a VM's state directory ({@code vm.json}) so any later pyro
 * process can find and check the VM again.
 *
 * @param vmId      the VM id
 * @param backend   the backend that started it
 * @param pid       the VMM process
 * @param startedAt the VMM process' start time (guards against pid reuse)
 * @param accel     {@code kvm} or {@code tcg}
 */
public record VmRecord(String vmId, BackendKind backend, long pid, Instant startedAt, String accel) {
    /** The file name inside the state directory. */
    public static final String FILE = "vm.json";

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    /** The VMM process. */
    public VmProcess process() {
        return new VmProcess(pid, startedAt);
    }

    /** Writes atomically (temp file, fsync, rename). */
    public void write(Path stateDir) {
        try {
            Path tmp = Files.createTempFile(stateDir, ".vm-", ".json");
            Files.write(tmp, JSON.writeValueAsBytes(this));
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, stateDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot write " + stateDir.resolve(FILE) + ": " + e.getMessage(),
                    e);
        }
    }

    /** Reads the record of a VM state directory. */
    public static VmRecord read(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        try {
            return JSON.readValue(Files.readAllBytes(file), VmRecord.class);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new PyroException(ErrorCode.NOT_FOUND, "no VM record at " + file);
        } catch (IOException | JacksonException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "unreadable VM record " + file + ": " + e.getMessage(), e);
        }
    }
}
