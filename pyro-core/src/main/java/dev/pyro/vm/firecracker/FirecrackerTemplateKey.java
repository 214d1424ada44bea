package dev.pyro.vm.firecracker;

import dev.pyro.io.FileTrees;
import dev.pyro.vm.DiskFormat;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.template.TemplateDigests;
import dev.pyro.vm.template.TemplateEligibility;
import dev.pyro.vm.template.TemplateInputs;
import dev.pyro.vm.template.TemplateShape;
import dev.pyro.vm.template.VmTemplates.Eligibility;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a Firecracker template depends on, and whether a VM can have one. The key covers the
 * machine as Firecracker is configured for it (every configuration request with per-VM paths
 * replaced by placeholders, and whether it is jailed: the snapshot records the drives' paths,
 * which differ), the Firecracker version (a snapshot loads only into the version that made
 * it), the host kernel and CPU model (Firecracker's snapshot doc: "Snapshots must be resumed on
 * an software and hardware configuration which is identical to what they were generated on"),
 * the agent's initramfs part, the environment and the resources.
 */
final class FirecrackerTemplateKey {
    /** The first release with {@code vsock_override} on {@code PUT /snapshot/load} (#5323). */
    static final String MIN_VERSION = "1.16.0";
    /** A TTL is given through the agent after a restore; it is no part of the machine. */
    static final String TTL_ARG = TemplateEligibility.TTL_ARG;
    private static final Map<String, Optional<String>> VERSIONS = new ConcurrentHashMap<>();

    private FirecrackerTemplateKey() {
    }

    /** Whether {@code spec} can come from a template of {@code shape} under {@code settings}, and its inputs. */
    static Eligibility eligibility(FirecrackerSettings settings, VmSpec spec, TemplateShape shape) {
        Optional<Eligibility.Ineligible> not = TemplateEligibility.ineligible(spec, shape, DiskFormat.RAW);
        if (not.isPresent()) {
            return not.get();
        }
        Optional<String> version = version(settings.firecrackerBinary());
        if (version.isEmpty()) {
            return new Eligibility.Ineligible("the Firecracker version cannot be read");
        }
        if (FirecrackerProbe.compare(version.get(), MIN_VERSION) < 0) {
            return new Eligibility.Ineligible("Firecracker " + version.get() + " cannot give a restored VM its own "
                    + "vsock socket (vsock_override needs " + MIN_VERSION + " or later)");
        }
        String agentSha;
        try {
            agentSha = settings.agentInitrdPart().isPresent() ? FileTrees.sha256(settings.agentInitrdPart().get())
                    : "none";
        } catch (IOException e) {
            return new Eligibility.Ineligible("cannot read the agent's initramfs part: " + e.getMessage());
        }
        return new Eligibility.Eligible(new TemplateInputs("firecracker", shape, spec.vcpus(), spec.memMib(),
                machine(settings, spec), "Firecracker " + version.get(), agentSha,
                TemplateDigests.environment(spec.image()), spec.image().kernelVersion()));
    }

    /**
     * The machine as the key sees it: jailed or not, the host, then each configuration request
     * ({@code METHOD path body}) with placeholders for per-VM paths and names (the root image is
     * the environment's, covered by its digest).
     */
    static List<String> machine(FirecrackerSettings settings, VmSpec spec) {
        List<String> out = new ArrayList<>();
        out.add("jailed=" + settings.jailer().isPresent());
        out.add("host-kernel=" + hostKernel());
        out.add("host-cpu=" + hostCpu());
        var paths = new FirecrackerConfigPlan.GuestPaths("@kernel", "@initrd", "@rootfs", "@overlay",
                spec.workspaceDisk().map(p -> "@workspace"), "@vsock", Optional.empty());
        var machine = new FirecrackerConfigPlan.Machine("@id", spec.vcpus(), spec.memMib(), false, "Info",
                machineArgs(spec));
        for (ApiCall call : FirecrackerConfigPlan.configure(machine, paths)) {
            out.add(call.method() + " " + call.path() + " " + call.body().map(b ->
                    new String(FirecrackerApiClient.toJson(b), StandardCharsets.UTF_8)).orElse(""));
        }
        return out;
    }

    /** The kernel arguments of the machine (without the TTL). */
    static List<String> machineArgs(VmSpec spec) {
        return spec.kernelArgs().stream().filter(a -> !a.startsWith(TTL_ARG)).toList();
    }

    /** {@code firecracker --version}, once per binary and modification. */
    private static Optional<String> version(Path binary) {
        String id;
        try {
            id = binary.toAbsolutePath() + "\0" + Files.size(binary) + "\0" + Files.getLastModifiedTime(binary);
        } catch (IOException e) {
            return Optional.empty();
        }
        return VERSIONS.computeIfAbsent(id, k -> FirecrackerProbe.version(binary));
    }

    private static String hostKernel() {
        return firstLine(Path.of("/proc/sys/kernel/osrelease"), "").orElse("unknown");
    }

    private static String hostCpu() {
        return firstLine(Path.of("/proc/cpuinfo"), "model name").map(l -> l.substring(l.indexOf(':') + 1).strip())
                .orElse("unknown");
    }

    private static Optional<String> firstLine(Path file, String prefix) {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.startsWith(prefix)).findFirst().map(String::strip);
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }
}
