package dev.pyro.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The host memory one process holds, from {@code /proc/PID/smaps_rollup}: resident pages
 * ({@code Rss}) and its proportional share ({@code Pss}, pages shared with other processes
 * counted by fraction). A VMM's RSS is what a workspace costs the host; guest {@code free}
 * says nothing about it.
 *
 * @param rssKib resident set size in KiB
 * @param pssKib proportional set size in KiB
 */
public record ProcessMemory(long rssKib, long pssKib) {
    /** Validates. */
    public ProcessMemory {
        if (rssKib < 0 || pssKib < 0) {
            throw new IllegalArgumentException("negative memory size");
        }
    }

    /** The memory of process {@code pid}, or empty when it is gone or its files cannot be read. */
    public static Optional<ProcessMemory> of(long pid) {
        try {
            return parse(Files.readString(Path.of("/proc", Long.toString(pid), "smaps_rollup"),
                    StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Parses {@code smaps_rollup} text; empty when {@code Rss} or {@code Pss} is missing. */
    public static Optional<ProcessMemory> parse(String smapsRollup) {
        OptionalLong rss = field(smapsRollup, "Rss");
        OptionalLong pss = field(smapsRollup, "Pss");
        if (rss.isEmpty() || pss.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ProcessMemory(rss.getAsLong(), pss.getAsLong()));
    }

    /** Resident set size in MiB. */
    public double rssMib() {
        return rssKib / 1024.0;
    }

    /** Proportional set size in MiB. */
    public double pssMib() {
        return pssKib / 1024.0;
    }

    private static OptionalLong field(String text, String name) {
        for (String line : text.split("\n")) {
            if (!line.startsWith(name + ":")) {
                continue;
            }
            String[] parts = line.substring(name.length() + 1).trim().split("\\s+");
            if (parts.length != 2 || !parts[1].equals("kB")) {
                return OptionalLong.empty();
            }
            try {
                long v = Long.parseLong(parts[0]);
                return v < 0 ? OptionalLong.empty() : OptionalLong.of(v);
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }
}
