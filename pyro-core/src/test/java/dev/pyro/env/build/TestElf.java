package dev.pyro.env.build;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds minimal ELF64 files for tests: a {@code .modinfo} section and optional notes. */
final class TestElf {
    private TestElf() {
    }

    /** A module-like ELF whose .modinfo holds the given NUL-separated entries. */
    static byte[] module(String... modinfo) {
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        for (String s : modinfo) {
            info.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            info.write(0);
        }
        return build(info.toByteArray(), null);
    }

    /** A module with {@code name=} and {@code depends=} entries. */
    static byte[] module(String name, List<String> depends) {
        return module("license=GPL", "depends=" + String.join(",", depends), "retpoline=Y", "name=" + name, "vermagic=6.1.0 SMP");
    }

    /** A kernel-like ELF with one PT_NOTE segment holding a note of {@code owner}/{@code type}. */
    static byte[] kernel(String owner, int type) {
        ByteArrayOutputStream note = new ByteArrayOutputStream();
        byte[] name = (owner + "\0").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(name.length).putInt(4).putInt(type);
        note.writeBytes(h.array());
        note.writeBytes(pad4(name));
        note.writeBytes(new byte[] {0x00, 0x10, 0x00, 0x01}); // entry point
        return build(new byte[] {1, 2, 3}, note.toByteArray());
    }

    private static byte[] build(byte[] modinfo, byte[] notes) {
        byte[] shstr = "\0.modinfo\0.shstrtab\0".getBytes(StandardCharsets.US_ASCII);
        int phnum = notes == null ? 0 : 1;
        int phoff = 64;
        int dataOff = phoff + 56 * phnum;
        int notesOff = dataOff;
        int modinfoOff = notesOff + (notes == null ? 0 : notes.length);
        int shstrOff = modinfoOff + modinfo.length;
        int shoff = (shstrOff + shstr.length + 7) & ~7;
        int shnum = 3;
        ByteBuffer b = ByteBuffer.allocate(shoff + 64 * shnum).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(0x10, (short) 1).putShort(0x12, (short) 62).putInt(0x14, 1);
        b.putLong(0x20, phnum == 0 ? 0 : phoff).putLong(0x28, shoff);
        b.putShort(0x34, (short) 64).putShort(0x36, (short) 56).putShort(0x38, (short) phnum);
        b.putShort(0x3A, (short) 64).putShort(0x3C, (short) shnum).putShort(0x3E, (short) 2);
        if (notes != null) {
            b.putInt(phoff, 4).putLong(phoff + 8, notesOff).putLong(phoff + 32, notes.length);
            b.put(notesOff, notes);
        }
        b.put(modinfoOff, modinfo);
        b.put(shstrOff, shstr);
        // section 1: .modinfo (name offset 1), section 2: .shstrtab (name offset 10)
        section(b, shoff + 64, 1, 1, modinfoOff, modinfo.length);
        section(b, shoff + 128, 10, 3, shstrOff, shstr.length);
        return b.array();
    }

    private static void section(ByteBuffer b, int at, int name, int type, long off, long size) {
        b.putInt(at, name).putInt(at + 4, type).putLong(at + 0x18, off).putLong(at + 0x20, size);
    }

    private static byte[] pad4(byte[] in) {
        byte[] out = new byte[(in.length + 3) & ~3];
        System.arraycopy(in, 0, out, 0, in.length);
        return out;
    }
}
