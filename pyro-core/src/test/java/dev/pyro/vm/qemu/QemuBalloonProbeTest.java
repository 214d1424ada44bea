package dev.pyro.vm.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.io.Executables;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Telling from QEMU's device help whether it takes free pages back. */
class QemuBalloonProbeTest {
    @Test
    void thePropertyLineIsWhatCounts() {
        assertThat(QemuBalloonProbe.listsFreePageReporting("""
                virtio-balloon-device options:
                  deflate-on-oom=<bool>  - on/off (default: false)
                  free-page-reporting=<bool> - on/off (default: false)
                """)).isTrue();
        // QEMU 5.0 had hinting but not reporting; a mention in some description is not the property.
        assertThat(QemuBalloonProbe.listsFreePageReporting("""
                virtio-balloon-device options:
                  free-page-hint=<bool>  - on/off (default: false)
                  x=<bool> - unlike free-page-reporting=on
                """)).isFalse();
        assertThat(QemuBalloonProbe.listsFreePageReporting("")).isFalse();
    }

    @Test
    void thisHostsQemuHasItAndAMissingProgramHasNot() {
        Path qemu = Executables.find("qemu-system-x86_64").orElse(null);
        Assumptions.assumeTrue(qemu != null, "no QEMU here");
        assertThat(QemuBalloonProbe.freePageReporting(qemu)).isTrue();
        assertThat(QemuBalloonProbe.freePageReporting(Path.of("/nonexistent/qemu"))).isFalse();
    }
}
