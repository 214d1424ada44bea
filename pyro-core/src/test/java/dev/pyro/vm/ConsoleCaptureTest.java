package dev.pyro.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The boot console capture: a flood never fills the disk, and nothing is kept after boot. */
@Timeout(60)
class ConsoleCaptureTest {
    private static final long CAP = 64 * 1024;

    @TempDir
    Path tmp;

    @Test
    void aGuestWritingFarMoreThanTheCapLeavesAFileWithinTheCapAndIsNeverBlocked() throws Exception {
        Pipe pipe = Pipe.open();
        Path log = tmp.resolve("console.log");
        ConsoleCapture capture = ConsoleCapture.start(Channels.newInputStream(pipe.source()), log, CAP, "flood");
        byte[] line = "guest says: a line of console output that repeats\n".getBytes(StandardCharsets.UTF_8);
        long total = 0;
        // 8 MiB, 128 times the cap: the writer finishes, so the capture kept draining.
        while (total < 8L << 20) {
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) {
                total += pipe.sink().write(b);
            }
        }
        pipe.sink().close();
        assertThat(capture.awaitEnd(Duration.ofSeconds(30))).isTrue();
        assertThat(Files.size(log)).isLessThanOrEqualTo(CAP).isGreaterThan(CAP - 512);
        List<String> lines = Files.readAllLines(log);
        assertThat(lines.getFirst()).isEqualTo("guest says: a line of console output that repeats");
        assertThat(lines.getLast()).isEqualTo(ConsoleCapture.CAPPED_LINE);
        assertThat(lines.stream().filter(ConsoleCapture.CAPPED_LINE::equals)).as("said once").hasSize(1);
    }

    @Test
    void onceTheGuestIsReadyNothingMoreIsKeptAndTheVmmsWritesFail() throws Exception {
        Pipe pipe = Pipe.open();
        Path log = tmp.resolve("console.log");
        ConsoleCapture capture = ConsoleCapture.start(Channels.newInputStream(pipe.source()), log, CAP, "ready");
        pipe.sink().write(ByteBuffer.wrap("boot line\n".getBytes(StandardCharsets.UTF_8)));
        awaitContent(log, "boot line\n");

        capture.guestReady();
        assertThat(capture.awaitEnd(Duration.ofSeconds(10))).isTrue();
        byte[] junk = new byte[64 * 1024];
        Arrays.fill(junk, (byte) 'x');
        assertThatThrownBy(() -> {
            for (int i = 0; i < 64; i++) {
                pipe.sink().write(ByteBuffer.wrap(junk));
            }
        }).as("no reader: the VMM's writes fail instead of reaching a file").isInstanceOf(IOException.class);
        assertThat(Files.readAllLines(log)).containsExactly("boot line", "", ConsoleCapture.READY_LINE);
        assertThat(ConsoleLog.bootSummary(log, 3)).isEmpty();
        capture.guestReady();
        capture.close();
        assertThat(Files.readAllLines(log)).as("idempotent").hasSize(3);
    }

    @Test
    void aCaptureAppendsToAnEarlierLogWithinTheSameCap() throws Exception {
        Path log = tmp.resolve("console.log");
        Files.write(log, new byte[(int) CAP - 300]);
        Pipe pipe = Pipe.open();
        ConsoleCapture capture = ConsoleCapture.start(Channels.newInputStream(pipe.source()), log, CAP, "again");
        pipe.sink().write(ByteBuffer.wrap(new byte[4096]));
        pipe.sink().close();
        assertThat(capture.awaitEnd(Duration.ofSeconds(10))).isTrue();
        assertThat(Files.size(log)).isLessThanOrEqualTo(CAP);
    }

    private static void awaitContent(Path log, String expected) throws Exception {
        for (int i = 0; i < 1000 && !(Files.exists(log) && Files.readString(log).equals(expected)); i++) {
            Thread.sleep(10);
        }
        assertThat(Files.readString(log)).isEqualTo(expected);
    }
}
