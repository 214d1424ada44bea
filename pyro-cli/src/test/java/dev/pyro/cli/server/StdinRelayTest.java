package dev.pyro.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The caller's stdin as a served command reads it: every byte, in order, bounded, and an end. */
class StdinRelayTest {
    @Test
    void theEndWaitsBehindAFullRelayAndDropsNothing() throws Exception {
        StdinRelay relay = new StdinRelay();
        byte[] input = new byte[8 * 1000];
        new Random(3).nextBytes(input);
        for (int off = 0; off < input.length; off += 1000) {
            relay.put(java.util.Arrays.copyOfRange(input, off, off + 1000)); // eight chunks: full
        }
        Thread finisher = Thread.ofPlatform().daemon().start(() -> {
            try {
                relay.finish();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        dev.pyro.testing.Await.until("the end waits for room", () -> finisher.getState() == Thread.State.TIMED_WAITING
                || finisher.getState() == Thread.State.WAITING);
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buf = new byte[777];
        for (int n; (n = relay.read(buf, 0, buf.length)) >= 0; ) {
            read.write(buf, 0, n);
        }
        finisher.join(10_000);
        assertThat(read.toByteArray()).isEqualTo(input);
        assertThat(relay.read()).isEqualTo(-1);
    }

    @Test
    void aSlowReaderGetsEveryByteInOrder() throws Exception {
        StdinRelay relay = new StdinRelay();
        byte[] input = new byte[200 * 1000];
        new Random(5).nextBytes(input);
        Thread writer = Thread.ofPlatform().daemon().start(() -> {
            try {
                for (int off = 0; off < input.length; off += 1000) {
                    relay.put(java.util.Arrays.copyOfRange(input, off, off + 1000));
                }
                relay.finish();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buf = new byte[777];
        for (int n; (n = relay.read(buf, 0, buf.length)) >= 0; ) {
            read.write(buf, 0, n);
        }
        writer.join(10_000);
        assertThat(read.toByteArray()).isEqualTo(input);
    }

    @Test
    void aGoneCallerEndsTheStreamAndAClosedRelayTakesNoMore() throws Exception {
        StdinRelay relay = new StdinRelay();
        relay.put(new byte[] {1, 2});
        relay.abandon();
        assertThat(relay.read(new byte[4], 0, 4)).isEqualTo(-1);

        StdinRelay closed = new StdinRelay();
        closed.close();
        for (int i = 0; i < 100; i++) {
            closed.put(new byte[] {7}); // never blocks
        }
        assertThat(closed.read()).isEqualTo(-1);
    }
}
