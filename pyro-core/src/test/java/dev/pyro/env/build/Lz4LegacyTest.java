package dev.pyro.env.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorOutputStream;
import org.junit.jupiter.api.Test;

class Lz4LegacyTest {
    /** Encodes like {@code lz4 -l} followed by the kernel's appended size word. */
    static byte[] legacyFrame(byte[] data, boolean appendSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Lz4Legacy.MAGIC);
        for (int off = 0; off < data.length; off += Lz4Legacy.BLOCK_SIZE) {
            int len = Math.min(Lz4Legacy.BLOCK_SIZE, data.length - off);
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            try (BlockLZ4CompressorOutputStream c = new BlockLZ4CompressorOutputStream(block)) {
                c.write(data, off, len);
            }
            out.writeBytes(le(block.size()));
            out.writeBytes(block.toByteArray());
        }
        if (appendSize) {
            out.writeBytes(le(data.length));
        }
        return out.toByteArray();
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] sample(int size) {
        byte[] data = new byte[size];
        Random r = new Random(42);
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i % 251 < 200 ? 'a' + (i / 1000) % 26 : r.nextInt());
        }
        return data;
    }

    @Test
    void decodesMultiBlockFrameWithAppendedSize() throws IOException {
        byte[] data = sample(Lz4Legacy.BLOCK_SIZE + 123_457);
        byte[] frame = legacyFrame(data, true);
        assertThat(frame.length).isLessThan(data.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = Lz4Legacy.decode(new ByteArrayInputStream(frame), out);
        assertThat(n).isEqualTo(data.length);
        assertThat(Arrays.equals(out.toByteArray(), data)).isTrue();
    }

    @Test
    void stopsAtEndOfInputAndIgnoresTrailingBytes() throws IOException {
        byte[] data = sample(70_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Lz4Legacy.decode(new ByteArrayInputStream(legacyFrame(data, false)), out)).isEqualTo(data.length);
        byte[] withTrailer = Arrays.copyOf(legacyFrame(data, true), legacyFrame(data, true).length + 100);
        ByteArrayOutputStream out2 = new ByteArrayOutputStream();
        Lz4Legacy.decode(new ByteArrayInputStream(withTrailer), out2);
        assertThat(out2.toByteArray()).isEqualTo(data);
    }

    @Test
    void rejectsWrongMagic() {
        byte[] bad = {0x04, 0x22, 0x4D, 0x18, 0, 0, 0, 0};
        assertThatThrownBy(() -> Lz4Legacy.decode(new ByteArrayInputStream(bad), new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class).hasMessageContaining("magic");
    }
}
