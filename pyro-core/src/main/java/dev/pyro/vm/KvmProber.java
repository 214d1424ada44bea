package dev.pyro.vm;

import dev.pyro.log.PyroLoggers;
import dev.pyro.vm.qemu.Accel;
import dev.pyro.vm.qemu.ProbeBoot;
import dev.pyro.vm.qemu.QemuInstallation;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides whether KVM is usable by booting a probe guest under it, and caches the answer
 * per host (host kernel, QEMU version, guest kernel) because the probe can cost seconds.
 */
public final class KvmProber {
    private static final System.Logger LOG = PyroLoggers.of(KvmProber.class);
    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
    /** A KVM guest reaches the marker in well under a second; a hung one never does. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

    private final Path cacheFile;
    private final Path workDir;

    /** Caches in {@code cacheDir/kvm-probe.json}. */
    public KvmProber(Path cacheDir) {
        this.cacheFile = cacheDir.resolve("kvm-probe.json");
        this.workDir = cacheDir.resolve("probe");
    }

    /** Whether /dev/kvm exists and opens read-write (necessary, not sufficient). */
    public static boolean deviceAccessible() {
        Path kvm = Path.of("/dev/kvm");
        if (!Files.exists(kvm)) {
            return false;
        }
        try (RandomAccessFile f = new RandomAccessFile(kvm.toFile(), "rw")) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The cached result for this host, if one exists. */
    public Optional<KvmProbeResult> cached(String hostKey) {
        try {
            KvmProbeResult r = JSON.readValue(Files.readAllBytes(cacheFile), KvmProbeResult.class);
            return r.hostKey().equals(hostKey) ? Optional.of(r) : Optional.empty();
        } catch (IOException | JacksonException e) {
            return Optional.empty();
        }
    }

    /** The cached answer, or a fresh probe boot whose answer is then cached. */
    public KvmProbeResult probe(QemuInstallation qemu, Path kernel, String guestKernelVersion, Path agentBinary) {
        String key = hostKey(qemu, guestKernelVersion);
        Optional<KvmProbeResult> hit = cached(key);
        if (hit.isPresent()) {
            return hit.get();
        }
        KvmProbeResult result;
        if (!deviceAccessible()) {
            result = new KvmProbeResult(key, false, false, "/dev/kvm missing or not accessible", Instant.now());
        } else {
            try {
                ProbeBoot.Outcome o = ProbeBoot.boot(qemu, Accel.KVM, OptionalLong.empty(), kernel, agentBinary, workDir,
                        PROBE_TIMEOUT);
                result = new KvmProbeResult(key, true, o.ok(),
                        o.ok() ? "probe guest booted in " + o.elapsed().toMillis() + " ms" : "probe guest failed: "
                                + o.detail(), Instant.now());
            } catch (IOException e) {
                result = new KvmProbeResult(key, true, false, "probe could not run: " + e.getMessage(), Instant.now());
            }
        }
        store(result);
        return result;
    }

    private void store(KvmProbeResult result) {
        try {
            Files.createDirectories(cacheFile.getParent());
            Path tmp = Files.createTempFile(cacheFile.getParent(), ".kvm-probe", ".json");
            Files.write(tmp, JSON.writeValueAsBytes(result));
            Files.move(tmp, cacheFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot cache the KVM probe: " + e.getMessage());
        }
    }

    static String hostKey(QemuInstallation qemu, String guestKernelVersion) {
        String hostKernel;
        try {
            hostKernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            hostKernel = System.getProperty("os.version");
        }
        return "host=" + hostKernel + ";qemu=" + qemu.version() + ";guest=" + guestKernelVersion;
    }
}
