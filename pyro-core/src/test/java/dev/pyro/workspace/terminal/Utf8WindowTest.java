package dev.pyro.workspace.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Character-limited windows over shell output bytes, with exact byte cursors. */
class Utf8WindowTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void countsCodePointsAndNeverSplitsACharacter() {
        byte[] bytes = utf8("aé€😀b");
        Utf8Window w = Utf8Window.decode(bytes, 4);
        assertThat(w.text()).isEqualTo("aé€😀");
        assertThat(w.codePoints()).isEqualTo(4);
        assertThat(w.bytes()).isEqualTo(1 + 2 + 3 + 4);
        assertThat(w.bytesBefore(0)).isZero();
        assertThat(w.bytesBefore(1)).isEqualTo(1);
        assertThat(w.bytesBefore(2)).isEqualTo(3);
        assertThat(w.bytesBefore(3)).isEqualTo(6);
        assertThat(w.bytesBefore(5)).isEqualTo(10);

        Utf8Window all = Utf8Window.decode(bytes, 100);
        assertThat(all.text()).isEqualTo("aé€😀b");
        assertThat(all.bytes()).isEqualTo(bytes.length);
        assertThat(Utf8Window.decode(bytes, 0).bytes()).isZero();
    }

    @Test
    void invalidBytesAreOneReplacementCharacterEachAndKeepCursorsExact() {
        byte[] bytes = {'a', (byte) 0xff, (byte) 0xc3, 'b', (byte) 0xe2, (byte) 0x82, (byte) 0xed, (byte) 0xa0,
                (byte) 0x80, (byte) 0xc0, (byte) 0xaf, (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80};
        Utf8Window w = Utf8Window.decode(bytes, 1000);
        // 0xff, a lone lead byte, a cut sequence, a surrogate, an overlong '/', beyond U+10FFFF
        assertThat(w.text()).isEqualTo("a\uFFFD\uFFFDb\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD"
                + "\uFFFD\uFFFD");
        assertThat(w.bytes()).isEqualTo(bytes.length);
        assertThat(w.codePoints()).isEqualTo(bytes.length);
        assertThat(Utf8Window.decode(bytes, 3).bytes()).isEqualTo(3);
    }

    @Test
    void anIncompleteSequenceAtTheEndIsDecodedAsReplacements() {
        byte[] cut = {'x', (byte) 0xe2, (byte) 0x82};
        Utf8Window w = Utf8Window.decode(cut, 10);
        assertThat(w.text()).isEqualTo("x\uFFFD\uFFFD");
        assertThat(w.bytes()).isEqualTo(3);
    }
}
