package dev.pyro.env.build;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorInputStream;

/**
 * Decoder for the LZ4 "legacy" frame format ({@code lz4 -l}), which the Linux kernel uses
 * for its LZ4-compressed bzImage payload.
 *
 * <p>The format is the magic {@code 02 21 4C 18}, then blocks, each a 4-byte little-endian
 * compressed size followed by a raw LZ4 block that expands to at most 8 MiB. There is no
 * end marker: the kernel build appends the 4-byte uncompressed size, and the stream simply
 * ends. So decoding stops at end of input, at a size word that cannot be a block (larger than
 * the worst case of an 8 MiB block), or after a block that expanded to less than 8 MiB
 * (only the last block may be short).
 */
public final class Lz4Legacy {
    /** The frame magic as it appears in the byte stream. */
    static final byte[] MAGIC = {0x02, 0x21, 0x4C, 0x18};
    static final int BLOCK_SIZE = 8 << 20;
    /** LZ4_compressBound(8 MiB): the largest a legal compressed block can be. */
    static final int MAX_COMPRESSED_BLOCK = BLOCK_SIZE + BLOCK_SIZE / 255 + 16;

    private Lz4Legacy() {
    }

    /**
     * Decodes one legacy frame from {@code in} (positioned at the magic) into {@code out}.
     *
     * @return the number of decompressed bytes written
     * @throws IOException if the magic is missing or a block is corrupt
     */
    public static long decode(InputStream in, OutputStream out) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[4];
        data.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException("not an LZ4 legacy frame (bad magic)");
        }
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            int size;
            try {
                size = Integer.reverseBytes(data.readInt());
            } catch (EOFException end) {
                return total;
            }
            if (size <= 0 || size > MAX_COMPRESSED_BLOCK) {
                return total; // the appended size word or trailing data, not a block
            }
            byte[] block = new byte[size];
            data.readFully(block);
            long produced = 0;
            try (InputStream blockIn = new BlockLZ4CompressorInputStream(new ByteArrayInputStream(block))) {
                int n;
                while ((n = blockIn.read(buffer)) > 0) {
                    produced += n;
                    if (produced > BLOCK_SIZE) {
                        throw new IOException("LZ4 block expands beyond 8 MiB: corrupt data");
                    }
                    out.write(buffer, 0, n);
                }
            }
            total += produced;
            if (produced < BLOCK_SIZE) {
                return total; // a short block is the last one
            }
        }
    }
}
