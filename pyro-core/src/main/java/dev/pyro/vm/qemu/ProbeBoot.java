package dev.pyro.vm.qemu;

import dev.pyro.vm.ConsoleLog;
import dev.pyro.vm.InitrdAssembler;
import dev.pyro.vm.KernelCmdline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Boots a kernel with only the agent as initramfs and {@code pyro.probe=1}: the agent's
 * init stage prints a marker on the console and powers off. Nothing else runs, so it is
 * both the KVM usability probe and the floor the boot benchmark compares against.
 */
public final class ProbeBoot {
    /** What the agent prints on the console in probe mode. */
    public static final String MARKER = "pyro-probe: ok";

    /**
     * The outcome of one probe boot.
     *
     * @param ok      the marker appeared and QEMU exited by itself
     * @param elapsed launch to QEMU exit
     * @param detail  the console tail when it failed
     */
    public record Outcome(boolean ok, Duration elapsed, String detail) {}

    private ProbeBoot() {
    }

    /** Boots once with 256 MiB and waits at most {@code timeout}. */
    public static Outcome boot(QemuInstallation qemu, Accel accel, OptionalLong tscKhz, Path kernel,
            Path agentBinary, Path workDir, Duration timeout) throws IOException {
        return boot(qemu, accel, tscKhz, kernel, agentBinary, workDir, timeout, 256);
    }

    /** Boots once with {@code memMib} of guest memory (a floor must match the guest it is compared with). */
    public static Outcome boot(QemuInstallation qemu, Accel accel, OptionalLong tscKhz, Path kernel,
            Path agentBinary, Path workDir, Duration timeout, int memMib) throws IOException {
        Files.createDirectories(workDir);
        Path initrd = new InitrdAssembler(workDir).assemble(List.of(), agentBinary);
        Path console = workDir.resolve("probe-console-" + accel.qemuName() + ".log");
        Files.deleteIfExists(console);
        KernelCmdline cmdline = new KernelCmdline().add("console=ttyS0").add("pyro.probe=1");
        if (accel == Accel.TCG) {
            cmdline.forSoftwareEmulation(tscKhz);
        }
        List<String> argv = new ArrayList<>(List.of(qemu.system().toString(), "-M", "microvm"));
        argv.addAll(accel == Accel.KVM ? List.of("-accel", "kvm", "-cpu", "host")
                : List.of("-accel", "tcg", "-cpu", "max,la57=off,erms=off"));
        argv.addAll(List.of("-smp", "1", "-m", memMib + "M", "-nodefaults", "-no-user-config", "-display", "none",
                "-no-reboot", "-serial", "file:" + console, "-kernel", kernel.toString(), "-initrd", initrd.toString(),
                "-append", cmdline.render()));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (!exited) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Outcome(false, elapsed, "no answer within " + timeout.toSeconds() + " s: "
                        + String.join(" | ", ConsoleLog.tail(console, 3)));
            }
            String text = Files.exists(console) ? Files.readString(console, StandardCharsets.UTF_8) : "";
            boolean ok = text.contains(MARKER);
            return new Outcome(ok, elapsed, ok ? "" : "exit " + p.exitValue() + ": "
                    + String.join(" | ", ConsoleLog.tail(console, 3)));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Outcome(false, Duration.ZERO, "interrupted");
        }
    }
}
