package dev.pyro.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;
import dev.pyro.ProgressUnit;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressMeterTest {
    static final long MIB = 1 << 20;
    final List<ProgressEvent> events = new ArrayList<>();

    @Test
    void byteAmountsAreThinnedToAboutOnePerPercentWithFirstAndLastAlways() {
        long total = 500 * MIB;
        ProgressMeter m = ProgressMeter.start(events::add, "workspace-sync", "push", "ws-1", ProgressUnit.BYTES, total);
        for (long i = 0; i < total; i += 64 * 1024) {
            m.add(64 * 1024);
        }
        m.finish();

        assertThat(events.getFirst()).extracting(ProgressEvent::done, ProgressEvent::total).containsExactly(0L, total);
        assertThat(events.getLast()).extracting(ProgressEvent::done, ProgressEvent::total).containsExactly(total, total);
        assertThat(events).hasSizeBetween(100, 104).extracting(ProgressEvent::done).isSorted();
        assertThat(events).allSatisfy(e -> {
            assertThat(e.unit()).isEqualTo(ProgressUnit.BYTES);
            assertThat(e.operation()).isEqualTo("workspace-sync");
        });
    }

    @Test
    void amountsNeverGoBackNorPastTheTotalAndFinishSaysWhatWasDone() {
        ProgressMeter m = ProgressMeter.start(events::add, "pull", "fetch", "debian:12", ProgressUnit.PACKAGES, 10);
        m.moveTo(4);
        m.moveTo(2);
        m.moveTo(40);
        assertThat(events).extracting(ProgressEvent::done).containsExactly(0L, 4L, 10L);

        List<ProgressEvent> shrunk = new ArrayList<>();
        ProgressMeter s = ProgressMeter.start(shrunk::add, "op", "p", "x", ProgressUnit.BYTES, 10 * MIB);
        s.add(3 * MIB);
        s.finish(); // the source shrank: the total becomes what was sent
        assertThat(shrunk.getLast()).extracting(ProgressEvent::done, ProgressEvent::total)
                .containsExactly(3 * MIB, 3 * MIB);
    }

    @Test
    void aThrowingListenerLosesEventsNotTheWork() {
        ProgressListener broken = e -> {
            throw new IllegalStateException("listener bug");
        };
        ProgressMeter m = ProgressMeter.start(broken, "op", "p", "x", ProgressUnit.BYTES, 10);
        m.add(10);
        m.finish();
        assertThat(m.done()).isEqualTo(10);
    }

    @Test
    void countingStreamCountsWhatIsReadAndSkipped() throws IOException {
        long[] counted = {0};
        try (InputStream in = new CountingInputStream(new ByteArrayInputStream(new byte[10_000]), n -> counted[0] += n)) {
            in.read();
            in.readNBytes(999);
            in.skip(1000);
            in.readAllBytes();
        }
        assertThat(counted[0]).isEqualTo(10_000);
    }

    @Test
    void eventsRefuseAmountsThatCannotBe() {
        assertThatThrownBy(() -> new ProgressEvent("op", "p", "x", 5, -1, ProgressUnit.NONE, "", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProgressEvent.amount("op", "p", "x", -1, 10, ProgressUnit.BYTES))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ProgressEvent.phase("op", "p", "x").hasAmount()).isFalse();
        assertThat(ProgressEvent.amount("op", "p", "x", 1, -1, ProgressUnit.BYTES).hasTotal()).isFalse();
    }
}
