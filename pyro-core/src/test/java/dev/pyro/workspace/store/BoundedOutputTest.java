package dev.pyro.workspace.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedOutputTest {
    @Test
    void keepsTheHeadAndCountsEverything() {
        BoundedOutput o = BoundedOutput.of("hello world".getBytes(StandardCharsets.UTF_8), 5);
        assertThat(o).isEqualTo(new BoundedOutput("hello", true, 11));
        assertThat(BoundedOutput.of("hi".getBytes(StandardCharsets.UTF_8), 5))
                .isEqualTo(new BoundedOutput("hi", false, 2));
        assertThat(BoundedOutput.of("hello".getBytes(StandardCharsets.UTF_8), 5))
                .isEqualTo(new BoundedOutput("hello", false, 5));
    }

    @Test
    void neverCutsThroughAMultiByteCharacter() {
        byte[] bytes = "aé€😀".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 + 4 bytes
        assertThat(BoundedOutput.of(bytes, 2).text()).isEqualTo("a");
        assertThat(BoundedOutput.of(bytes, 3).text()).isEqualTo("aé");
        assertThat(BoundedOutput.of(bytes, 5).text()).isEqualTo("aé");
        assertThat(BoundedOutput.of(bytes, 6).text()).isEqualTo("aé€");
        assertThat(BoundedOutput.of(bytes, 9).text()).isEqualTo("aé€");
        assertThat(BoundedOutput.of(bytes, 10)).isEqualTo(new BoundedOutput("aé€😀", false, 10));
    }

    @Test
    void theCollectorMatchesTheArrayFormAndHoldsOnlyTheHead() {
        byte[] big = "é".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        BoundedOutput.Collector c = BoundedOutput.collector(1001);
        for (int i = 0; i < big.length; i += 777) {
            c.write(big, i, Math.min(777, big.length - i));
        }
        c.write('x');
        BoundedOutput r = c.result();
        assertThat(r.text()).isEqualTo("é".repeat(500));
        assertThat(r.truncated()).isTrue();
        assertThat(r.totalBytes()).isEqualTo(big.length + 1);
    }

    @Test
    void limitToRecutsOversizedOutputKeepingTheTotal() {
        BoundedOutput o = new BoundedOutput("abcdef", false, 6);
        assertThat(o.limitTo(10)).isSameAs(o);
        assertThat(o.limitTo(4)).isEqualTo(new BoundedOutput("abcd", true, 6));
        assertThat(new BoundedOutput("abcdef", true, 100).limitTo(2)).isEqualTo(new BoundedOutput("ab", true, 100));
        // Binary output decoded with U+FFFD is longer as text than the stream was: the total is the stream's.
        assertThat(new BoundedOutput("\ufffd".repeat(10), false, 10).limitTo(9))
                .isEqualTo(new BoundedOutput("\ufffd".repeat(3), true, 10));
    }

    @Test
    void malformedBytesBecomeReplacementCharacters() {
        BoundedOutput o = BoundedOutput.of(new byte[] {'a', (byte) 0xff, 'b'}, 10);
        assertThat(o.text()).isEqualTo("a\uFFFDb");
        assertThat(o.totalBytes()).isEqualTo(3);
    }
}
