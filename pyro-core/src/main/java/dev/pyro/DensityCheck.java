package dev.pyro;

import dev.pyro.env.build.GuestModules;
import dev.pyro.vm.qemu.Accel;
import dev.pyro.vm.qemu.QemuBalloonProbe;
import dev.pyro.vm.qemu.QemuInstallation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The density part of {@code doctor}: can an idle workspace give its memory back here. */
final class DensityCheck {
    private DensityCheck() {
    }

    /**
     * @param backend   the chosen backend's wire name ({@code qemu}, {@code firecracker}; empty when none)
     * @param mode      its execution mode ({@code qemu-tcg}, …)
     * @param installed the installed environments
     */
    static DoctorReport.Density run(String backend, String mode, Optional<QemuInstallation> qemu,
            List<EnvironmentEntry> installed) {
        List<String> reporting = new ArrayList<>();
        List<String> without = new ArrayList<>();
        for (EnvironmentEntry e : installed) {
            (reportsFreePages(e.installPath().resolve("modules.cpio")) ? reporting : without).add(e.name());
        }
        Boolean vmm;
        String detail;
        if (backend.equals("firecracker")) {
            vmm = null;
            detail = "Firecracker: a balloon with free page reporting is requested at boot (not probed)";
        } else if (qemu.isPresent()) {
            vmm = QemuBalloonProbe.freePageReporting(qemu.get().system());
            detail = vmm ? "QEMU virtio-balloon-device has free-page-reporting"
                    : "this QEMU's virtio-balloon-device lacks free-page-reporting (QEMU 5.1 or later has it)";
        } else {
            vmm = null;
            detail = "no backend to ask";
        }
        int tbMib = mode.equals("qemu-tcg") ? Accel.TCG_TRANSLATION_CACHE_MIB : 0;
        return new DoctorReport.Density(vmm, detail, reporting, without, tbMib);
    }

    private static boolean reportsFreePages(Path modulesCpio) {
        try {
            return GuestModules.listed(modulesCpio).contains(GuestModules.BALLOON);
        } catch (IOException e) {
            return false;
        }
    }
}
