package dev.pyro.vm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a VM's {@code console.log}, the guest console as {@link ConsoleCapture} kept it during
 * boot, for error messages. The guest wrote it, so it is untrusted: only the last
 * {@link #TAIL_BYTES} bytes are read, control characters are replaced and lines are bounded.
 */
public final class ConsoleLog {
    static final int TAIL_BYTES = 16 * 1024;
    private static final int MAX_LINE = 300;

    private ConsoleLog() {
    }

    /** The last {@code maxLines} non-blank lines, oldest first; empty when unreadable. */
    public static List<String> tail(Path log, int maxLines) {
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
                out.addFirst(clean.length() > MAX_LINE ? clean.substring(0, MAX_LINE) + "…" : clean);
            }
        }
        return out;
    }

    /**
     * What the boot console can say about a VM that stopped or failed: its last lines, labelled
     * as console output (they are what the guest printed, not a diagnosis), as
     * {@code "; boot console (last lines): a | b"}. Empty when the guest had finished booting:
     * the capture ended then, so any line in the file predates what went wrong.
     */
    public static String bootSummary(Path log, int maxLines) {
        List<String> tail = tail(log, maxLines + 1);
        if (!tail.isEmpty() && tail.getLast().equals(ConsoleCapture.READY_LINE)) {
            return "";
        }
        List<String> last = tail.subList(Math.max(0, tail.size() - maxLines), tail.size());
        return last.isEmpty() ? "" : "; boot console (last lines): " + String.join(" | ", last);
    }
}
