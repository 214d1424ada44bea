package dev.pyro.env.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmlinuxExtractorTest {
    @TempDir
    Path tmp;

    /** A bzImage-shaped file: setup sectors with a boot header pointing at the LZ4 payload. */
    static byte[] bzImage(byte[] payload, int setupSects, int garbageBefore) {
        int pm = (setupSects + 1) * 512;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] setup = new byte[pm + garbageBefore];
        ByteBuffer b = ByteBuffer.wrap(setup).order(ByteOrder.LITTLE_ENDIAN);
        setup[0x1F1] = (byte) setupSects;
        b.putInt(0x202, 0x53726448);
        b.putInt(0x248, garbageBefore);
        b.putInt(0x24C, payload.length);
        if (garbageBefore > 0) {
            setup[pm] = 0x02;
        }
        // a false magic start inside the garbage must not confuse the header path
        out.writeBytes(setup);
        out.writeBytes(payload);
        out.writeBytes(new byte[300]); // decompressor code after the payload
        return out.toByteArray();
    }

    @Test
    void extractsElfWithPvhNote() throws Exception {
        byte[] elf = TestElf.kernel("Xen", VmlinuxExtractor.XEN_ELFNOTE_PHYS32_ENTRY);
        Path in = tmp.resolve("vmlinuz");
        Files.write(in, bzImage(Lz4LegacyTest.legacyFrame(elf, true), 30, 77));
        Path out = tmp.resolve("vmlinux");
        VmlinuxExtractor.extract(in, out);
        assertThat(Files.readAllBytes(out)).isEqualTo(elf);
    }

    @Test
    void findsPayloadByMagicWithoutHeader() throws Exception {
        byte[] payload = Lz4LegacyTest.legacyFrame(TestElf.kernel("Xen", 18), true);
        byte[] image = new byte[1000 + payload.length];
        System.arraycopy(payload, 0, image, 1000, payload.length);
        assertThat(VmlinuxExtractor.findPayload(image)).isEqualTo(1000);
    }

    @Test
    void refusesKernelWithoutPvhNote() throws Exception {
        Path in = tmp.resolve("vmlinuz");
        Files.write(in, bzImage(Lz4LegacyTest.legacyFrame(TestElf.kernel("Linux", 6), true), 4, 0));
        assertThatThrownBy(() -> VmlinuxExtractor.extract(in, tmp.resolve("vmlinux")))
                .isInstanceOf(PyroException.class).hasMessageContaining("PVH")
                .extracting(e -> ((PyroException) e).code()).isEqualTo(ErrorCode.ENVIRONMENT_BUILD_FAILED);
    }

    @Test
    void refusesImageWithoutLz4Payload() throws Exception {
        Path in = tmp.resolve("vmlinuz");
        Files.write(in, new byte[4096]);
        assertThatThrownBy(() -> VmlinuxExtractor.extract(in, tmp.resolve("vmlinux")))
                .isInstanceOf(PyroException.class).hasMessageContaining("LZ4");
    }
}
