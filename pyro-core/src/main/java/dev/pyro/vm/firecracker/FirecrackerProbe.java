package dev.pyro.vm.firecracker;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the Firecracker backend can run here: a {@code firecracker} binary
 * ({@code PYRO_FIRECRACKER_BIN}, else {@code PATH}), its version (≥ {@link #MIN_VERSION}, the
 * first with x86_64 ACPI device discovery, which the Debian cloud kernel needs), and a
 * {@code /dev/kvm} this user can open read-write. It does not boot a guest: a host whose KVM
 * opens but cannot run guests is caught by the boot timeout, with the console log.
 */
public final class FirecrackerProbe {
    /** Firecracker 1.8.0 added ACPI tables with the virtio devices on x86_64 (PR #4428). */
    public static final String MIN_VERSION = "1.8.0";

    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)");

    /**
     * The outcome.
     *
     * @param found         whether a Firecracker binary was found
     * @param path          where
     * @param version       its version, e.g. {@code 1.16.1}, when it could be read
     * @param kvmAccessible whether {@code /dev/kvm} opens read-write
     * @param reason        why the backend is unusable, empty when it is usable
     */
    public record Result(boolean found, Optional<Path> path, Optional<String> version, boolean kvmAccessible,
            Optional<String> reason) {
        public Result {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(reason, "reason");
        }

        /** Whether the backend can be used. */
        public boolean usable() {
            return reason.isEmpty();
        }
    }

    private FirecrackerProbe() {}

    /** Probes with the process environment and the real {@code /dev/kvm}. */
    public static Result probe() {
        return probe(System.getenv(), Path.of("/dev/kvm"));
    }

    /** Probes with the given environment and KVM device (tests point these elsewhere). */
    public static Result probe(Map<String, String> env, Path kvmDevice) {
        boolean kvm = kvmAccessible(kvmDevice);
        Optional<Path> path = locate(env);
        if (path.isEmpty()) {
            return new Result(false, Optional.empty(), Optional.empty(), kvm, Optional.of(
                    "firecracker not found: put it on PATH or set PYRO_FIRECRACKER_BIN"));
        }
        Optional<String> version = version(path.get());
        String reason = null;
        if (version.isEmpty()) {
            reason = path.get() + " --version did not print a version";
        } else if (compare(version.get(), MIN_VERSION) < 0) {
            reason = "Firecracker " + version.get() + " is older than " + MIN_VERSION
                    + " (x86_64 ACPI device discovery, needed by the Debian cloud kernel)";
        } else if (!kvm) {
            reason = kvmDevice + " cannot be opened read-write by this user (missing, or not in group kvm)";
        }
        return new Result(true, path, version, kvm, Optional.ofNullable(reason));
    }

    /** {@code PYRO_FIRECRACKER_BIN} when set, else {@code firecracker} on {@code PATH}. */
    public static Optional<Path> locate(Map<String, String> env) {
        String explicit = env.get("PYRO_FIRECRACKER_BIN");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String pathVar = env.getOrDefault("PATH", "");
        for (String dir : pathVar.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, "firecracker");
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** The version {@code binary --version} prints ("Firecracker v1.16.1"), without the v. */
    static Optional<String> version(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(4096);
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return parseVersion(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static Optional<String> parseVersion(String output) {
        Matcher m = VERSION.matcher(output);
        return m.find() ? Optional.of(m.group(1) + "." + m.group(2) + "." + m.group(3)) : Optional.empty();
    }

    /** Compares dotted numeric versions. */
    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? Integer.parseInt(x[i]) : 0;
            int yi = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (xi != yi) {
                return Integer.compare(xi, yi);
            }
        }
        return 0;
    }

    static boolean kvmAccessible(Path device) {
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
