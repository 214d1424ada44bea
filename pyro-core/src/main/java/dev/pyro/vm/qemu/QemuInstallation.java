package dev.pyro.vm.qemu;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.Executables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The QEMU programs pyro uses. {@code PYRO_QEMU_BIN} overrides the system emulator;
 * otherwise both are looked up in {@code PATH} (and the sbin directories).
 *
 * @param system  {@code qemu-system-x86_64}
 * @param img     {@code qemu-img}
 * @param version the emulator's version line
 */
public record QemuInstallation(Path system, Path img, String version) {

    /** Finds QEMU, or explains which package to install. */
    public static QemuInstallation find() {
        return locate().orElseThrow(() -> new PyroException(ErrorCode.MISSING_HOST_TOOL,
                "QEMU not found: apt-get install qemu-system-x86 qemu-utils"));
    }

    /** Finds QEMU if it is installed. */
    public static Optional<QemuInstallation> locate() {
        String override = System.getenv("PYRO_QEMU_BIN");
        Optional<Path> system = override != null && !override.isBlank()
                ? Optional.of(Path.of(override)).filter(Files::isExecutable)
                : Executables.find("qemu-system-x86_64");
        Optional<Path> img = Executables.find("qemu-img");
        if (system.isEmpty() || img.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new QemuInstallation(system.get(), img.get(), versionOf(system.get())));
    }

    private static String versionOf(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("unknown").strip();
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
