package dev.pyro.vm.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Whether a QEMU can take free pages back from its guests: its {@code virtio-balloon-device}
 * has the {@code free-page-reporting} property (QEMU 5.1 and later). For {@code doctor}; the
 * argv asks for it unconditionally.
 */
public final class QemuBalloonProbe {
    private QemuBalloonProbe() {
    }

    /** Asks {@code qemu -device virtio-balloon-device,help}; false when it cannot say. */
    public static boolean freePageReporting(Path qemu) {
        try {
            Process p = new ProcessBuilder(qemu.toString(), "-device", "virtio-balloon-device,help")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readNBytes(1 << 16), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return listsFreePageReporting(out);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether device help text lists the property (one {@code name=<type>} line per property). */
    static boolean listsFreePageReporting(String deviceHelp) {
        return deviceHelp.lines().map(String::strip).anyMatch(l -> l.startsWith("free-page-reporting="));
    }
}
