package dev.pyro.vm.template;

import dev.pyro.json.PyroJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Everything a memory snapshot depends on: a restore is only sound into a VM that is the same
 * machine (same VMM build, same devices and command line), booted from the same kernel,
 * initramfs (with the same agent) and root file system, with the same resources. The
 * template's key is a digest of all of it, so any change makes a new key (and the old
 * template is never used again).
 *
 * @param backend           {@code qemu} or {@code firecracker}
 * @param shape             workspace or run VM
 * @param vcpus             virtual CPUs
 * @param memMib            guest memory
 * @param machineArgv       the VMM's command line (or API configuration) with per-VM paths
 *                          replaced by placeholders
 * @param vmmVersion        the VMM's version line
 * @param agentSha256       the guest agent binary's digest
 * @param environmentDigest the environment's digest (its manifest, naming kernel, modules and
 *                          root file system by sha256)
 * @param kernelVersion     the kernel release, for people reading the manifest
 */
public record TemplateInputs(String backend, TemplateShape shape, int vcpus, int memMib, List<String> machineArgv,
        String vmmVersion, String agentSha256, String environmentDigest, String kernelVersion) {
    /** The manifest schema; a new one makes every older template a miss. */
    public static final int SCHEMA = 1;

    /** Validates and copies. */
    public TemplateInputs {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(shape, "shape");
        machineArgv = List.copyOf(machineArgv);
        Objects.requireNonNull(vmmVersion, "vmmVersion");
        Objects.requireNonNull(agentSha256, "agentSha256");
        Objects.requireNonNull(environmentDigest, "environmentDigest");
        Objects.requireNonNull(kernelVersion, "kernelVersion");
    }

    /** The key: 24 hex digits of the sha256 of these inputs in canonical JSON (and the schema). */
    public String key() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("pyro-template-" + SCHEMA + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(PyroJson.compact().writeValueAsBytes(this));
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The first input that differs from {@code other}, for a person ("agent changed"), or empty text. */
    public String differenceFrom(TemplateInputs other) {
        if (!vmmVersion.equals(other.vmmVersion)) {
            return "the VMM changed (" + other.vmmVersion + " -> " + vmmVersion + ")";
        }
        if (!agentSha256.equals(other.agentSha256)) {
            return "the guest agent changed";
        }
        if (!environmentDigest.equals(other.environmentDigest)) {
            return "the environment changed";
        }
        if (vcpus != other.vcpus || memMib != other.memMib) {
            return "the resources differ";
        }
        if (!machineArgv.equals(other.machineArgv)) {
            return "the machine's command line differs";
        }
        return equals(other) ? "" : "the template's inputs differ";
    }
}
