package dev.pyro.workspace.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RedactorTest {
    @Test
    void everyOccurrenceBecomesTheMarkLongestValueFirst() {
        Redactor r = Redactor.of(List.of("abc", "abcdef"));
        assertThat(r.redact("xabcdefy abcq ab")).isEqualTo("x[REDACTED]y [REDACTED]q ab");
        assertThat(r.redact("abcde")).isEqualTo("[REDACTED]de");
        assertThat(r.redact("nothing here")).isEqualTo("nothing here");
        assertThat(Redactor.NONE.redact("abc")).isEqualTo("abc");
        assertThat(Redactor.of(List.of("tök€n")).redact("a tök€n b")).isEqualTo("a [REDACTED] b");
    }

    @Test
    void aStreamHoldsBackOnlyWhatMayStillBecomeAValue() {
        Redactor.Stream s = Redactor.of(List.of("secret")).stream();
        assertThat(text(s.feed(bytes("ok sec"), 0, 6))).isEqualTo("ok ");
        assertThat(s.pending()).isEqualTo(3);
        assertThat(text(s.feed(bytes("ret!"), 0, 4))).isEqualTo("[REDACTED]!");
        assertThat(text(s.feed(bytes("se"), 0, 2))).isEmpty();
        assertThat(text(s.finish())).isEqualTo("se");
    }

    @Test
    void oneByteAtATimeIsStillRedacted() {
        Redactor r = Redactor.of(List.of("hunter2"));
        Redactor.Stream s = r.stream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : bytes("pw=hunter2;")) {
            out.writeBytes(s.feed(new byte[] {b}, 0, 1));
        }
        out.writeBytes(s.finish());
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("pw=[REDACTED];");
    }

    /** Randomized: any cut gives what the whole gives, and no value survives. */
    @Test
    void chunkBoundariesAndOverlappingValuesNeverLetAValueThrough() {
        Random rnd = new Random(15);
        for (int round = 0; round < 3000; round++) {
            List<String> values = new ArrayList<>();
            int n = 1 + rnd.nextInt(4);
            for (int v = 0; v < n; v++) {
                values.add(random(rnd, "abc", 1 + rnd.nextInt(6))); // small alphabet: overlaps, prefixes
            }
            Redactor r = Redactor.of(values);
            byte[] input = bytes(random(rnd, "abcx", rnd.nextInt(200)));
            byte[] whole = r.redact(input);
            Redactor.Stream s = r.stream();
            ByteArrayOutputStream parts = new ByteArrayOutputStream();
            int i = 0;
            while (i < input.length) {
                int step = Math.min(1 + rnd.nextInt(17), input.length - i);
                parts.writeBytes(s.feed(input, i, step));
                assertThat(s.pending()).isLessThan(r.longest());
                i += step;
            }
            parts.writeBytes(s.finish());
            assertThat(parts.toByteArray()).as("values %s, input %s", values, text(input)).isEqualTo(whole);
            String plain = text(whole).replace(Redactor.MARK, "|");
            for (String v : values) {
                assertThat(plain).as("values %s, input %s", values, text(input)).doesNotContain(v);
            }
        }
    }

    private static String random(Random rnd, String alphabet, int len) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < len; k++) {
            b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
