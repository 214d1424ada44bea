package dev.pyro.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a VMM process's resident memory is, from {@code /proc/PID/smaps}: the guest RAM
 * mapping, QEMU's TCG translation cache (its only large anonymous executable mapping), the
 * kernel file QEMU keeps mapped for resets, the heap and malloc arenas, libraries.
 */
final class SmapsBreakdown {
    private static final Pattern HEADER = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) (\\S+) \\S+ \\S+ \\S+\\s*(.*)$");

    /** Resident and proportional KiB of one category. */
    record Part(long rssKib, long pssKib) {
        Part plus(long rss, long pss) {
            return new Part(rssKib + rss, pssKib + pss);
        }
    }

    /** The category of guest RAM mapped from a file (a template's memory). */
    static final String GUEST_RAM_FILE = "guest RAM (file, private)";

    private SmapsBreakdown() {
    }

    /** The parts of process {@code pid} whose guest RAM is {@code guestMib} MiB, largest first. */
    static Map<String, Part> of(long pid, int guestMib) throws IOException {
        return parse(Files.readString(Path.of("/proc", Long.toString(pid), "smaps"), StandardCharsets.US_ASCII),
                guestMib);
    }

    static Map<String, Part> parse(String smaps, int guestMib) {
        Map<String, Part> parts = new LinkedHashMap<>();
        String category = null;
        long rss = 0;
        for (String line : smaps.split("\n")) {
            Matcher m = HEADER.matcher(line);
            if (m.matches()) {
                long sizeKib = (Long.parseUnsignedLong(m.group(2), 16) - Long.parseUnsignedLong(m.group(1), 16)) >> 10;
                category = category(sizeKib, m.group(3), m.group(4), guestMib);
            } else if (category != null && line.startsWith("Rss:")) {
                rss = kib(line);
            } else if (category != null && line.startsWith("Pss:")) {
                parts.merge(category, new Part(rss, kib(line)), (a, b) -> a.plus(b.rssKib(), b.pssKib()));
            }
        }
        return parts;
    }

    private static String category(long sizeKib, String perms, String name, int guestMib) {
        if (sizeKib >= (long) guestMib << 10 && !name.contains(".so")) {
            return name.isEmpty() ? "guest RAM (anonymous)" : GUEST_RAM_FILE;
        }
        if (perms.contains("x") && name.isEmpty()) {
            return "TCG translation cache";
        }
        if (name.endsWith("vmlinux")) {
            return "kernel file (kept for resets)";
        }
        if (name.contains(".so") || name.endsWith("/qemu-system-x86_64")) {
            return "QEMU binary and libraries";
        }
        if (name.equals("[heap]") || name.isEmpty()) {
            return "heap, malloc arenas, stacks";
        }
        return "other";
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** Prints each part of {@code pid}'s memory, or why it cannot. */
    static void print(long pid, int guestMib) {
        try {
            of(pid, guestMib).entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue().rssKib(), a.getValue().rssKib()))
                    .forEach(e -> System.out.printf(Locale.ROOT, "    %-32s rss %6.1f MiB, pss %6.1f MiB%n", e.getKey(),
                            e.getValue().rssKib() / 1024.0, e.getValue().pssKib() / 1024.0));
        } catch (IOException e) {
            System.out.println("    (no smaps: " + e.getMessage() + ")");
        }
    }
}
