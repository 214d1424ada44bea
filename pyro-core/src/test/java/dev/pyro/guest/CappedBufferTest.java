package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CappedBufferTest {
    @Test
    void keepsEverythingUnderTheCapInOrderWhateverTheSplits() {
        Random rnd = new Random(42);
        for (int round = 0; round < 200; round++) {
            byte[] all = new byte[rnd.nextInt(400_000)];
            rnd.nextBytes(all);
            long cap = rnd.nextBoolean() ? all.length + rnd.nextInt(10) : rnd.nextInt(all.length + 1);
            CappedBuffer b = new CappedBuffer(cap);
            int at = 0;
            while (at < all.length) {
                int n = Math.min(all.length - at, rnd.nextBoolean() ? rnd.nextInt(8) : rnd.nextInt(70_000));
                b.append(all, at, n);
                at += n;
            }
            int kept = (int) Math.min(cap, all.length);
            assertThat(b.toByteArray()).isEqualTo(java.util.Arrays.copyOf(all, kept));
            assertThat(b.size()).isEqualTo(kept);
            assertThat(b.truncated()).as("cap %d of %d", cap, all.length).isEqualTo(kept < all.length);
        }
    }

    @Test
    void aZeroCapKeepsNothingAndSaysSo() {
        CappedBuffer b = new CappedBuffer(0);
        b.append(new byte[1000], 0, 1000);
        assertThat(b.toByteArray()).isEmpty();
        assertThat(b.truncated()).isTrue();
        CappedBuffer none = new CappedBuffer(0);
        none.append(new byte[0], 0, 0);
        assertThat(none.truncated()).as("nothing offered, nothing dropped").isFalse();
    }

    @Test
    void oneByteAppendsArePackedNotKeptOneArrayEach() {
        // A guest sending one-byte frames must not make the host keep an array per byte: the
        // kept bytes sit in a few blocks (measured as the buffer's own growth below).
        CappedBuffer b = new CappedBuffer(1 << 20);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 1 << 20; i++) {
            byte[] one = {(byte) i};
            b.append(one, 0, 1);
            expected.write(one, 0, 1);
        }
        assertThat(b.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(b.blockCount()).as("blocks holding 1 MiB").isLessThan(24);
    }

    @Test
    void aHugeCapAllocatesOnlyWhatArrives() {
        CappedBuffer b = new CappedBuffer(Long.MAX_VALUE);
        b.append("hi".getBytes(), 0, 2);
        assertThat(b.toByteArray()).containsExactly('h', 'i');
        assertThat(b.truncated()).isFalse();
    }
}
