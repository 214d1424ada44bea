package dev.pyro.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ProgressEvent;
import dev.pyro.ProgressUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressScaleTest {
    private final ProgressScale scale = new ProgressScale();
    private final List<ProgressScale.Numbers> sent = new ArrayList<>();

    private void feed(ProgressEvent... events) {
        for (ProgressEvent e : events) {
            scale.next(e).ifPresent(sent::add);
        }
    }

    private static ProgressEvent bytes(String phase, long done, long total) {
        return ProgressEvent.amount("workspace-sync", phase, "ws-1", done, total, ProgressUnit.BYTES);
    }

    @Test
    void aMeasuredPhaseFillsItsOwnSegmentUpToItsTotal() {
        feed(bytes("push", 0, 1000), bytes("push", 400, 1000), bytes("push", 1000, 1000));

        assertThat(sent).containsExactly(new ProgressScale.Numbers(1, 1001.0), new ProgressScale.Numbers(401, 1001.0),
                new ProgressScale.Numbers(1001, 1001.0));
    }

    @Test
    void progressIncreasesAcrossPhasesWhoseAmountsRestartAtZero() {
        feed(ProgressEvent.phase("pull", "resolve", "debian:12"),
                ProgressEvent.amount("pull", "fetch", "debian:12", 0, 69, ProgressUnit.PACKAGES),
                ProgressEvent.amount("pull", "fetch", "debian:12", 69, 69, ProgressUnit.PACKAGES),
                ProgressEvent.amount("pull", "unpack", "debian:12", 0, 69, ProgressUnit.PACKAGES),
                ProgressEvent.amount("pull", "unpack", "debian:12", 5, -1, ProgressUnit.PACKAGES),
                ProgressEvent.phase("pull", "image", "debian:12"));

        assertThat(sent).extracting(ProgressScale.Numbers::progress).containsExactly(1.0, 2.0, 71.0, 72.0, 77.0, 78.0);
        assertThat(sent).extracting(ProgressScale.Numbers::total).containsExactly(null, 71.0, 71.0, 141.0, null, null);
    }

    @Test
    void aRepeatedAmountSendsNothingRatherThanAStandingValue() {
        feed(bytes("push", 0, 10), bytes("push", 5, 10));

        assertThat(scale.next(bytes("push", 5, 10))).isEqualTo(Optional.empty());
        assertThat(scale.next(bytes("push", 3, 10))).isEqualTo(Optional.empty());
        assertThat(sent).hasSize(2);
    }

    @Test
    void messageNamesPhaseAmountAndUnitOnOnePlainLine() {
        ProgressEvent e = ProgressEvent.amount("pull", "fetch", "debian:12\u001b[2J", 41, 117, ProgressUnit.PACKAGES)
                .withMessage("libc6\nnext");

        assertThat(ProgressNotifier.message(e)).isEqualTo("[pull] phase=fetch subject=debian:12\\x1b[2J done=41/117 "
                + "packages libc6\\nnext");
    }
}
