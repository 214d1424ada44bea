package dev.pyro.vm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads the tail of a guest console log for error messages; the guest's text is untrusted. */
public final class ConsoleLog {
    private static final int MAX_TAIL_BYTES = 16 * 1024;

    private ConsoleLog() {
    }

    /** The last {@code lines} non-empty lines, control characters removed. */
    public static List<String> tail(Path log, int lines) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, MAX_TAIL_BYTES);
            byte[] buf = new byte[n];
            f.seek(len - n);
            f.readFully(buf);
            String text = new String(buf, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}&&[^\n]]", "");
            List<String> all = Arrays.stream(text.split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of();
        }
    }
}
