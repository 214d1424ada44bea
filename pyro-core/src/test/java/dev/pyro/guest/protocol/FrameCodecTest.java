package dev.pyro.guest.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private static List<Decoded> decodeAll(FrameDecoder d, byte[] bytes, int chunk) {
        List<Decoded> out = new ArrayList<>();
        int off = 0;
        while (off < bytes.length) {
            int n = d.feed(bytes, off, Math.min(chunk, bytes.length - off));
            off += n;
            Decoded x;
            while ((x = d.next()) != null) {
                out.add(x);
            }
        }
        return out;
    }

    private static List<Frame> frames(List<Decoded> ds) {
        return ds.stream().filter(Decoded.FrameReady.class::isInstance).map(x -> ((Decoded.FrameReady) x).frame())
                .toList();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private static byte[] enc(Frame f) {
        return FrameCodec.encode(f).array();
    }

    @Test
    void headerLayoutMatchesTheSpec() {
        byte[] b = enc(Frame.data(0x01020304, 2, new byte[] {9, 8, 7}));
        assertThat(b).hasSize(19);
        assertThat(b[0]).isEqualTo((byte) 'P');
        assertThat(b[1]).isEqualTo((byte) 'Y');
        assertThat(b[2]).isEqualTo((byte) 0x03);
        assertThat(b[3]).isEqualTo((byte) 2);
        assertThat(ByteBuffer.wrap(b).getInt(4)).isEqualTo(0x01020304);
        assertThat(ByteBuffer.wrap(b).getInt(8)).isEqualTo(3);
        CRC32 crc = new CRC32();
        crc.update(b, 0, 12);
        assertThat(Integer.toUnsignedLong(ByteBuffer.wrap(b).getInt(12))).isEqualTo(crc.getValue());
        assertThat(b).endsWith(9, 8, 7);
    }

    @Test
    void knownVectorForAnEmptyHelloOnStreamZero() {
        // Fixed bytes so a change in byte order or CRC coverage cannot go unnoticed.
        byte[] b = enc(Frame.empty(FrameType.HELLO, 0));
        CRC32 crc = new CRC32();
        crc.update(new byte[] {0x50, 0x59, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThat(b).startsWith(0x50, 0x59, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(Integer.toUnsignedLong(ByteBuffer.wrap(b).getInt(12))).isEqualTo(crc.getValue());
    }

    @Test
    void roundTripsEveryTypeAndSizes() {
        Random r = new Random(42);
        List<Frame> sent = new ArrayList<>();
        for (FrameType t : FrameType.values()) {
            byte[] p = new byte[r.nextInt(300)];
            r.nextBytes(p);
            sent.add(new Frame(t, t.hasChannel() ? 2 : 0, r.nextInt(), p));
        }
        sent.add(Frame.data(7, 1, new byte[FrameCodec.MAX_PAYLOAD])); // the largest frame there is
        sent.add(Frame.credit(7, 0, 0xffff_ffffL));
        byte[] wire = concat(sent.stream().map(FrameCodecTest::enc).toArray(byte[][]::new));
        for (int chunk : new int[] {1, 7, 16, 17, 4096, wire.length}) {
            List<Decoded> got = decodeAll(new FrameDecoder(), wire, chunk);
            assertThat(got).allMatch(Decoded.FrameReady.class::isInstance);
            assertThat(frames(got)).as("chunk %d", chunk).isEqualTo(sent);
        }
        assertThat(sent.get(sent.size() - 1).creditAmount()).isEqualTo(0xffff_ffffL);
    }

    @Test
    void partialInputYieldsNothingUntilTheFrameIsComplete() {
        byte[] wire = enc(Frame.text(FrameType.OPEN, 5, "{\"op\":\"ping\"}"));
        FrameDecoder d = new FrameDecoder();
        for (int i = 0; i < wire.length - 1; i++) {
            d.feed(wire, i, 1);
            assertThat(d.next()).as("after %d bytes", i + 1).isNull();
        }
        d.feed(wire, wire.length - 1, 1);
        assertThat(d.next()).isEqualTo(new Decoded.FrameReady(Frame.text(FrameType.OPEN, 5, "{\"op\":\"ping\"}")));
        assertThat(d.next()).isNull();
        assertThat(d.buffered()).isZero();
    }

    @Test
    void badCrcLosesSyncOnceAndResyncsOnTheNextValidHeader() {
        byte[] bad = enc(Frame.text(FrameType.OPEN, 1, "{}"));
        bad[12] ^= 0x01;
        Frame good = Frame.text(FrameType.OPEN, 2, "{\"op\":\"ping\"}");
        List<Decoded> got = decodeAll(new FrameDecoder(), concat(bad, enc(good)), 5);
        assertThat(got).hasSize(2);
        assertThat(got.get(0)).isInstanceOf(Decoded.SyncLost.class);
        assertThat(((Decoded.SyncLost) got.get(0)).reason()).contains("CRC");
        assertThat(got.get(1)).isEqualTo(new Decoded.FrameReady(good));
    }

    @Test
    void oversizedLengthWithValidCrcIsRejectedWithoutBuffering() {
        byte[] header = new byte[16];
        FrameCodec.writeHeader(header, FrameType.DATA.code(), 1, 3, FrameCodec.MAX_PAYLOAD + 1);
        Frame good = Frame.empty(FrameType.CANCEL, 3);
        FrameDecoder d = new FrameDecoder();
        List<Decoded> got = decodeAll(d, concat(header, enc(good)), 64);
        assertThat(got).hasSize(2);
        assertThat(((Decoded.SyncLost) got.get(0)).reason()).contains("over the limit");
        assertThat(got.get(1)).isEqualTo(new Decoded.FrameReady(good));
        assertThat(d.discardedBytes()).isEqualTo(16);
        assertThat(d.capacity()).isLessThanOrEqualTo(FrameCodec.HEADER_SIZE + FrameCodec.MAX_DATA);
    }

    @Test
    void exactlyMaxLengthIsAccepted() {
        byte[] p = new byte[FrameCodec.MAX_PAYLOAD];
        p[p.length - 1] = 42;
        List<Frame> got = frames(decodeAll(new FrameDecoder(), enc(Frame.data(1, 1, p)), 65536));
        assertThat(got).hasSize(1);
        assertThat(got.get(0).payload()).hasSize(FrameCodec.MAX_PAYLOAD).endsWith(42);
        assertThatThrownBy(() -> Frame.data(1, 1, new byte[FrameCodec.MAX_PAYLOAD + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomGarbageIsReportedOnceAndFramesAroundItSurvive() {
        Random r = new Random(7);
        byte[] garbage = new byte[10_000];
        r.nextBytes(garbage);
        garbage[0] = 0x13; // make sure the garbage does not start with a valid magic
        garbage[garbage.length - 1] = 0x13; // nor leave a dangling 'P'
        Frame a = Frame.text(FrameType.RESULT, 1, "{\"pong\":true}");
        Frame b = Frame.data(2, 1, "hello".getBytes());
        for (int chunk : new int[] {1, 13, 100_000}) {
            List<Decoded> got = decodeAll(new FrameDecoder(), concat(enc(a), garbage, enc(b), enc(a)), chunk);
            assertThat(got.stream().filter(Decoded.SyncLost.class::isInstance).count()).isEqualTo(1);
            assertThat(frames(got)).containsExactly(a, b, a);
        }
    }

    @Test
    void garbageThatLooksLikeMagicDoesNotSwallowTheNextFrame() {
        // "PY" followed by too few bytes for a header, then a real frame: the decoder must
        // slide byte by byte and find the real header inside the bytes it already has.
        Frame f = Frame.text(FrameType.EVENT, 9, "{\"event\":\"started\"}");
        byte[] wire = concat(new byte[] {'P', 'Y', 'P', 'Y', 1, 2}, enc(f));
        List<Decoded> got = decodeAll(new FrameDecoder(), wire, 3);
        assertThat(frames(got)).containsExactly(f);
        assertThat(got.get(0)).isInstanceOf(Decoded.SyncLost.class);
    }

    @Test
    void unknownTypeIsSkippedWholeAndReported() {
        byte[] unknown = new byte[16 + 5];
        FrameCodec.writeHeader(unknown, 0x7e, 0, 4, 5);
        Frame f = Frame.empty(FrameType.EOF, 4);
        List<Decoded> got = decodeAll(new FrameDecoder(), concat(unknown, enc(f)), 8);
        assertThat(got).containsExactly(new Decoded.UnknownType(0x7e, 0, 4, 5), new Decoded.FrameReady(f));
    }

    @Test
    void channelIsTheLowNibbleOfFlags() {
        Frame f = new Frame(FrameType.DATA, 0xf2, 1, new byte[0]);
        assertThat(f.channel()).isEqualTo(2);
        assertThat(frames(decodeAll(new FrameDecoder(), enc(f), 100)).get(0).channel()).isEqualTo(2);
        assertThat(Frame.credit(3, 1, 1000).creditAmount()).isEqualTo(1000);
        assertThat(Frame.text(FrameType.CREDIT, 3, "xyz").creditAmount()).isEqualTo(-1);
    }

    @Test
    void unsignedStreamIdsSurvive() {
        Frame f = Frame.empty(FrameType.CANCEL, 0xfffffffe);
        Frame got = frames(decodeAll(new FrameDecoder(), enc(f), 100)).get(0);
        assertThat(got.unsignedStreamId()).isEqualTo(0xfffffffeL);
    }

    @Test
    void memoryStaysBoundedUnderEndlessGarbage() {
        FrameDecoder d = new FrameDecoder();
        byte[] junk = new byte[1 << 16];
        java.util.Arrays.fill(junk, (byte) 'P'); // every byte is a candidate magic start
        for (int i = 0; i < 64; i++) {
            decodeAll(d, junk, junk.length);
        }
        assertThat(d.capacity()).isLessThanOrEqualTo(FrameCodec.HEADER_SIZE + FrameCodec.MAX_PAYLOAD);
        assertThat(d.buffered()).isLessThan(2);
    }
}
