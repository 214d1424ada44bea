package dev.pyro.vm.firecracker;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the end of a VM's console log for error messages. The log is written by the guest,
 * so it is untrusted: only the last {@link #TAIL_BYTES} bytes are read, control characters are
 * replaced and the result is bounded.
 */
final class ConsoleLog {
    static final int TAIL_BYTES = 8 * 1024;

    private ConsoleLog() {}

    /** The last {@code maxLines} non-blank lines, oldest first; empty when unreadable. */
    static List<String> tail(Path log, int maxLines) {
        byte[] bytes;
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, TAIL_BYTES);
            bytes = new byte[n];
            f.seek(len - n);
            f.readFully(bytes);
        } catch (IOException e) {
            return List.of();
        }
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n|\r");
        List<String> out = new ArrayList<>();
        for (int i = lines.length - 1; i >= 0 && out.size() < maxLines; i--) {
            String clean = lines[i].replaceAll("[\\p{Cntrl}&&[^\t]]", "?").strip();
            if (!clean.isEmpty()) {
                out.addFirst(clean.length() > 300 ? clean.substring(0, 300) + "…" : clean);
            }
        }
        return out;
    }

    /** {@code " (console: a | b | c)"}, or empty when the log has nothing. */
    static String summary(Path log, int maxLines) {
        List<String> tail = tail(log, maxLines);
        return tail.isEmpty() ? "" : " (console: " + String.join(" | ", tail) + ")";
    }
}
