package dev.pyro.workspace.disk;

import dev.pyro.vm.DiskFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code qemu-img} on the layers of one disk directory. Backing files are always named
 * relative to the layer (the file name alone: every layer lives in the same directory), so
 * the chain does not depend on where the directory is.
 */
final class QemuImg {
    /** Plenty for the metadata-only commands; data copies get their own, longer limit. */
    private static final Duration QUICK = Duration.ofMinutes(2);
    private static final Duration COPY = Duration.ofHours(2);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dir;
    private final Path binary;

    QemuImg(Path dir) {
        this.dir = dir;
        this.binary = HostCommand.tool("qemu-img", "qemu-utils");
    }

    /** A new, empty qcow2 layer {@code file} over {@code backing} (a file in the same directory). */
    void create(String file, String backing, DiskFormat backingFormat) {
        HostCommand.run(dir, QUICK, List.of(binary.toString(), "create", "-q", "-f", "qcow2", "-b", backing, "-F",
                backingFormat.qemuName(), file));
    }

    /**
     * Makes {@code backing} the backing of {@code file}, first copying into {@code file} what
     * the layers being skipped hold and it does not (qemu-img's safe rebase, which for an
     * ancestor reads only what those layers allocated).
     */
    void rebase(String file, String backing, DiskFormat backingFormat) {
        HostCommand.run(dir, COPY, List.of(binary.toString(), "rebase", "-q", "-f", "qcow2", "-b", backing, "-F",
                backingFormat.qemuName(), file));
    }

    /** Writes what {@code file} holds into its backing layer (the cost is {@code file}'s size). */
    void commit(String file) {
        HostCommand.run(dir, COPY, List.of(binary.toString(), "commit", "-q", "-f", "qcow2", "-d", file));
    }

    /** The whole disk as seen through {@code top} and its chain, as a sparse raw image {@code output}. */
    void flatten(String top, Path output) {
        HostCommand.run(dir, COPY, List.of(binary.toString(), "convert", "-q", "-f", "qcow2", "-O", "raw", top,
                output.toString()));
    }

    /** The backing file name {@code file} records, if any (read while a VM may have it open). */
    Optional<String> backingOf(String file) {
        String out = HostCommand.run(dir, QUICK, List.of(binary.toString(), "info", "-U", "--output=json", "-f",
                "qcow2", file));
        JsonNode info = JSON.readTree(out);
        String backing = info.path("backing-filename").asString("");
        return backing.isEmpty() ? Optional.empty() : Optional.of(backing);
    }
}
