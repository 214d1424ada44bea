package dev.pyro.cli.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ProgressEvent;
import dev.pyro.ProgressUnit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    static final long S = 1_000_000_000L;

    static ProgressEvent packages(long done, long total, long at) {
        return new ProgressEvent("pull", "fetch", "debian:12", done, total, ProgressUnit.PACKAGES, "libc6", at);
    }

    static ProgressEvent bytes(long done, long total, long at) {
        return new ProgressEvent("workspace-sync", "push", "ws-1", done, total, ProgressUnit.BYTES, "", at);
    }

    @Test
    void liveLineShowsBarCountsRateElapsedAndNote() {
        PhaseState s = new PhaseState(packages(0, 100, 0));
        s.update(packages(40, 100, 4 * S));

        assertThat(ProgressLine.live(s, 5 * S, 120)).isEqualTo(
                "[pull debian:12] fetch  [============>                 ] 40/100 packages  10.0/s  5.0s  libc6");
    }

    @Test
    void bytesWithAndWithoutTotal() {
        PhaseState s = new PhaseState(bytes(0, 24L << 20, 0));
        s.update(bytes(12L << 20, 24L << 20, 2 * S));
        assertThat(ProgressLine.live(s, 2 * S, 80)).isEqualTo(
                "[workspace-sync ws-1] push  [=====>    ] 12.0/24.0 MiB  6.0 MiB/s  2.0s");

        PhaseState open = new PhaseState(bytes(0, -1, 0));
        open.update(bytes(1536, -1, S / 10));
        assertThat(ProgressLine.live(open, 65 * S, 80)).isEqualTo("[workspace-sync ws-1] push  1.5 KiB  1:05");
        assertThat(ProgressLine.done(open, 3723 * S)).isEqualTo("[workspace-sync ws-1] push  1.5 KiB  1:02:03");
    }

    @Test
    void aPhaseMarkTicksItsElapsedTimeAndTheLastMarkGivesTheWholeTime() {
        PhaseState boot = new PhaseState(new ProgressEvent("workspace-create", "boot", "ws-1", -1, -1,
                ProgressUnit.NONE, "", 10 * S));
        assertThat(ProgressLine.live(boot, 12 * S + S / 2, 80)).isEqualTo("[workspace-create ws-1] boot  2.5s");
        assertThat(ProgressLine.failed(boot, 13 * S)).isEqualTo("[workspace-create ws-1] boot  failed after 3.0s");

        PhaseState started = new PhaseState(new ProgressEvent("workspace-create", "started", "ws-1", -1, -1,
                ProgressUnit.NONE, "", 20 * S));
        assertThat(ProgressLine.last(started, 0, 21 * S)).isEqualTo("[workspace-create ws-1] started  (21.0s in all)");
    }

    @Test
    void barsNeverOverflowTheirCells() {
        assertThat(ProgressLine.bar(0, 10, 10)).isEqualTo("[>         ]");
        assertThat(ProgressLine.bar(10, 10, 10)).isEqualTo("[==========]");
        assertThat(ProgressLine.bar(15, 10, 10)).isEqualTo("[==========]");
    }

    @Test
    void rateIsUnknownUntilSamplesSpanHalfASecondAndForgetsOldSamples() {
        RateWindow w = new RateWindow();
        w.add(0, 0);
        w.add(S / 10, 100);
        assertThat(w.perSecond()).isEqualTo(-1);
        w.add(S, 1000);
        assertThat(w.perSecond()).isEqualTo(1000.0);
        // A stall: ten seconds later nothing moved; the old fast samples have left the window.
        w.add(11 * S, 1000);
        w.add(12 * S, 1000);
        assertThat(w.perSecond()).isZero();
    }

    @Test
    void phaseLinesSanitiseSubjectsAndNotes() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new PhaseLines(new PrintStream(buf, true, StandardCharsets.UTF_8)).onProgress(ProgressEvent.phase("pull",
                "done", "reg/\u001b[2Jx", "digest \u001b]0;pwned\u0007"));

        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("[pull] phase=done environment=reg/\\x1b[2Jx "
                + "digest \\x1b]0;pwned\\x07" + System.lineSeparator());
    }

    @Test
    void phaseLinesPrintOneLinePerPhaseAndNameTheFailedPhase() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PhaseLines lines = new PhaseLines(new PrintStream(buf, true, StandardCharsets.UTF_8));
        lines.onProgress(ProgressEvent.phase("pull", "resolve", "debian:12", "debian:12 1.0.0"));
        lines.onProgress(packages(0, 10, 0));
        lines.onProgress(packages(5, 10, S));
        lines.onProgress(ProgressEvent.phase("pull", "image", "debian:12\u001b]0;x\u0007"));
        lines.failed();

        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("""
                [pull] phase=resolve environment=debian:12 debian:12 1.0.0
                [pull] phase=fetch environment=debian:12 libc6
                [pull] phase=image environment=debian:12\\x1b]0;x\\x07
                [pull] phase=image environment=debian:12\\x1b]0;x\\x07 failed
                """);
    }
}
