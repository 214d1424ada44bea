package dev.pyro.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The caller's stdin as a served command reads it: every byte in order, the caller never more
 * than its credit ahead, each read granted back, and an end.
 */
class StdinRelayTest {
    @Test
    void everyByteArrivesInOrderAndEveryReadIsGrantedBack() throws Exception {
        AtomicLong granted = new AtomicLong();
        StdinRelay relay = new StdinRelay(granted::addAndGet);
        byte[] input = new byte[3 * StdinRelay.INITIAL_CREDIT];
        new Random(5).nextBytes(input);
        long credit = StdinRelay.INITIAL_CREDIT;
        int sent = 0;
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buf = new byte[777];
        // The caller sends what its credit allows; the command reads; the grants let it send more.
        while (read.size() < input.length) {
            while (sent < input.length && credit - (sent - granted.get()) > 0) {
                int n = (int) Math.min(Math.min(1000, input.length - sent), credit - (sent - granted.get()));
                relay.put(Arrays.copyOfRange(input, sent, sent + n));
                sent += n;
            }
            if (sent == input.length) {
                relay.finish();
                sent++; // finished once
            }
            int n = relay.read(buf, 0, buf.length);
            read.write(buf, 0, n);
        }
        assertThat(read.toByteArray()).isEqualTo(input);
        assertThat(relay.read()).isEqualTo(-1);
        assertThat(granted.get()).isEqualTo(input.length);
    }

    @Test
    void aCallerBeyondItsCreditIsRefused() throws IOException {
        StdinRelay relay = new StdinRelay(n -> { });
        relay.put(new byte[StdinRelay.INITIAL_CREDIT]); // all of it: fine, never blocks
        assertThatThrownBy(() -> relay.put(new byte[1])).isInstanceOf(IOException.class)
                .hasMessageContaining("more stdin than it was granted");
    }

    @Test
    void aGoneCallerEndsTheStreamAndAClosedRelayDropsWhatComes() throws Exception {
        StdinRelay relay = new StdinRelay(n -> { });
        relay.put(new byte[] {1, 2});
        relay.abandon();
        assertThat(relay.read(new byte[4], 0, 4)).isEqualTo(-1);

        StdinRelay closed = new StdinRelay(n -> { });
        closed.close();
        closed.put(new byte[] {7});
        assertThat(closed.read()).isEqualTo(-1);
    }
}
