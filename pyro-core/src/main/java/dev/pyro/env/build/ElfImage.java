package dev.pyro.env.build;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The little a builder needs to read from an ELF64 little-endian file: named sections
 * (for a module's {@code .modinfo}) and notes (for the kernel's PVH entry note). Bounds are
 * checked so a malformed file gives an {@link IllegalArgumentException}, never garbage.
 */
final class ElfImage {
    static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final int PT_NOTE = 4;
    private static final int SHT_NOTE = 7;

    private final ByteBuffer buf;

    private ElfImage(ByteBuffer buf) {
        this.buf = buf;
    }

    /** Parses the header; the buffer is not copied. */
    static ElfImage parse(ByteBuffer data) {
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 64 || !hasMagic(b)) {
            throw new IllegalArgumentException("not an ELF file");
        }
        if (b.get(4) != 2 || b.get(5) != 1) {
            throw new IllegalArgumentException("not a little-endian ELF64 file");
        }
        return new ElfImage(b.slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    static boolean hasMagic(ByteBuffer b) {
        return b.limit() >= 4 && b.get(0) == MAGIC[0] && b.get(1) == MAGIC[1] && b.get(2) == MAGIC[2] && b.get(3) == MAGIC[3];
    }

    /** The bytes of the section called {@code name}, if there is one. */
    Optional<ByteBuffer> section(String name) {
        long shoff = buf.getLong(0x28);
        int shentsize = Short.toUnsignedInt(buf.getShort(0x3A));
        int shnum = Short.toUnsignedInt(buf.getShort(0x3C));
        int shstrndx = Short.toUnsignedInt(buf.getShort(0x3E));
        if (shoff == 0 || shnum == 0) {
            return Optional.empty();
        }
        check(shoff, (long) shentsize * shnum);
        ByteBuffer names = sectionData(shoff + (long) shstrndx * shentsize);
        for (int i = 0; i < shnum; i++) {
            long hdr = shoff + (long) i * shentsize;
            int nameOff = buf.getInt((int) hdr);
            if (name.equals(cString(names, nameOff))) {
                return Optional.of(sectionData(hdr));
            }
        }
        return Optional.empty();
    }

    /** Every note in the PT_NOTE segments (or, failing those, the SHT_NOTE sections). */
    List<Note> notes() {
        List<Note> notes = new ArrayList<>();
        long phoff = buf.getLong(0x20);
        int phentsize = Short.toUnsignedInt(buf.getShort(0x36));
        int phnum = Short.toUnsignedInt(buf.getShort(0x38));
        check(phoff, (long) phentsize * phnum);
        for (int i = 0; i < phnum; i++) {
            int hdr = (int) (phoff + (long) i * phentsize);
            if (buf.getInt(hdr) == PT_NOTE) {
                readNotes(slice(buf.getLong(hdr + 8), buf.getLong(hdr + 32)), notes);
            }
        }
        if (notes.isEmpty()) {
            long shoff = buf.getLong(0x28);
            int shentsize = Short.toUnsignedInt(buf.getShort(0x3A));
            int shnum = Short.toUnsignedInt(buf.getShort(0x3C));
            for (int i = 0; shoff != 0 && i < shnum; i++) {
                long hdr = shoff + (long) i * shentsize;
                check(hdr, 64);
                if (buf.getInt((int) hdr + 4) == SHT_NOTE) {
                    readNotes(sectionData(hdr), notes);
                }
            }
        }
        return notes;
    }

    /** One ELF note: owner name (without the NUL), type, descriptor bytes. */
    record Note(String name, int type, byte[] desc) {
    }

    private static void readNotes(ByteBuffer b, List<Note> out) {
        b.order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 12) {
            int namesz = b.getInt();
            int descsz = b.getInt();
            int type = b.getInt();
            int nameLen = align4(namesz);
            int descLen = align4(descsz);
            if (namesz < 0 || descsz < 0 || nameLen + descLen > b.remaining()) {
                return;
            }
            byte[] name = new byte[namesz];
            b.get(name);
            b.position(b.position() + nameLen - namesz);
            byte[] desc = new byte[descsz];
            b.get(desc);
            b.position(b.position() + descLen - descsz);
            int end = namesz;
            while (end > 0 && name[end - 1] == 0) {
                end--;
            }
            out.add(new Note(new String(name, 0, end, StandardCharsets.US_ASCII), type, desc));
        }
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }

    private ByteBuffer sectionData(long hdr) {
        check(hdr, 64);
        return slice(buf.getLong((int) hdr + 0x18), buf.getLong((int) hdr + 0x20));
    }

    private ByteBuffer slice(long offset, long size) {
        check(offset, size);
        return buf.slice((int) offset, (int) size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void check(long offset, long size) {
        if (offset < 0 || size < 0 || offset + size > buf.limit()) {
            throw new IllegalArgumentException("ELF structure points outside the file");
        }
    }

    private static String cString(ByteBuffer b, int offset) {
        if (offset < 0 || offset >= b.limit()) {
            return "";
        }
        int end = offset;
        while (end < b.limit() && b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - offset];
        b.get(offset, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
