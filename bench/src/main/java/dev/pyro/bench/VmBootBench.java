package dev.pyro.bench;

import dev.pyro.Pyro;
import dev.pyro.PyroConfig;
import dev.pyro.RunRequest;
import dev.pyro.RunResult;
import dev.pyro.guest.AgentBinary;
import dev.pyro.guest.AgentConnection;
import dev.pyro.guest.ShutdownAction;
import dev.pyro.vm.BootImage;
import dev.pyro.vm.GuestConnector;
import dev.pyro.vm.HostClock;
import dev.pyro.vm.InitrdAssembler;
import dev.pyro.vm.VmInstance;
import dev.pyro.vm.VmSpec;
import dev.pyro.vm.qemu.Accel;
import dev.pyro.vm.qemu.ProbeBoot;
import dev.pyro.vm.qemu.QemuInstallation;
import dev.pyro.vm.qemu.QemuVmm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Boot cost against its floor, all measured in one run and interleaved round by round so
 * host noise hits every series alike:
 * <ul>
 * <li>floor: the same kernel booting an initramfs that only prints a line and powers off
 *     (the agent's {@code pyro.probe=1} mode), launch to VMM exit;</li>
 * <li>ready: a full pyro guest (modules, root disk, agent), launch to a completed agent
 *     handshake;</li>
 * <li>run: {@code pyro run debian:12 -- true} end to end through the SDK (environment
 *     check, boot, exec, teardown).</li>
 * </ul>
 * Goal: ready ≤ 1.3 × floor. Usage: {@code bench/run VmBoot [ROUNDS]} (default 5), QEMU TCG
 * unless {@code --kvm}.
 */
public final class VmBootBench {
    /** The default guest size (CONTRACT: 1024 MiB), used by all three series. */
    private static final int MEM_MIB = 1024;
    private VmBootBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 5;
        Accel accel = List.of(args).contains("--kvm") ? Accel.KVM : Accel.TCG;
        PyroConfig config = PyroConfig.fromEnvironment();
        BootImage image = BenchGuest.debian12(config);
        Path agent = AgentBinary.extract();
        QemuInstallation qemu = QemuInstallation.find();
        OptionalLong tsc = HostClock.tscKhz(agent);
        Path work = Files.createTempDirectory("pyro-bench-boot");
        QemuVmm vmm = new QemuVmm(qemu, accel, tsc, new InitrdAssembler(work.resolve("initrd")), agent);

        Samples floor = new Samples(rounds);
        Samples ready = new Samples(rounds);
        Samples run = new Samples(rounds);
        try (Pyro pyro = Pyro.create(config.withBackend(Optional.of(accel == Accel.KVM ? "qemu-kvm" : "qemu-tcg")))) {
            // Warm-up: page cache, initramfs cache, JIT.
            ProbeBoot.boot(qemu, accel, tsc, image.kernel(), agent, work.resolve("probe"), Duration.ofSeconds(60));
            pyro.runInVm(RunRequest.of("debian:12", List.of("true")));
            for (int i = 0; i < rounds; i++) {
                ProbeBoot.Outcome o = ProbeBoot.boot(qemu, accel, tsc, image.kernel(), agent, work.resolve("probe"),
                        Duration.ofSeconds(60), MEM_MIB);
                if (!o.ok()) {
                    throw new IllegalStateException("floor boot failed: " + o.detail());
                }
                floor.add(o.elapsed().toNanos() / 1e6);
                ready.add(bootToReady(vmm, image, work.resolve("vm" + i)));
                long t0 = System.nanoTime();
                RunResult r = pyro.runInVm(RunRequest.of("debian:12", List.of("true")));
                run.add((System.nanoTime() - t0) / 1e6);
                if (r.exitCode() != 0) {
                    throw new IllegalStateException("run true exited " + r.exitCode());
                }
            }
        }
        System.out.printf(Locale.ROOT, "accel=%s rounds=%d kernel=%s%n", accel.name().toLowerCase(Locale.ROOT), rounds,
                image.kernelVersion());
        print("floor_boot_ms", floor);
        print("ready_ms", ready);
        print("run_true_ms", run);
        System.out.printf(Locale.ROOT, "ready_vs_floor=%.2f (goal <= 1.30)%n", ready.median() / floor.median());
        System.out.printf(Locale.ROOT, "run_true_vs_floor=%.2f%n", run.median() / floor.median());
    }

    private static double bootToReady(QemuVmm vmm, BootImage image, Path dir) {
        VmSpec spec = new VmSpec(dir.getFileName().toString(), dir, image, 1, MEM_MIB, Optional.empty(), false, false,
                Duration.ofSeconds(90));
        long t0 = System.nanoTime();
        VmInstance vm = vmm.start(spec);
        double ms;
        try (AgentConnection client = GuestConnector.connect(vm, Duration.ofSeconds(90))) {
            ms = (System.nanoTime() - t0) / 1e6;
            client.shutdown(ShutdownAction.POWEROFF);
        } finally {
            vm.stop(Duration.ofSeconds(5));
            vm.cleanup();
        }
        return ms;
    }

    private static void print(String name, Samples s) {
        System.out.printf(Locale.ROOT, "%s median=%.0f p90=%.0f%n", name, s.median(), s.percentile(90));
    }
}
