package dev.pyro.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The host's memory as {@code /proc/meminfo} tells it, in MiB.
 *
 * @param totalMib     {@code MemTotal}
 * @param availableMib {@code MemAvailable}: what can be handed out without swapping
 * @param swapTotalMib {@code SwapTotal}
 * @param swapFreeMib  {@code SwapFree}
 */
public record HostMemory(long totalMib, long availableMib, long swapTotalMib, long swapFreeMib) {
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    /** This host's memory, or empty where there is no readable {@code /proc/meminfo}. */
    public static Optional<HostMemory> read() {
        try {
            return parse(Files.readString(MEMINFO, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Parses {@code /proc/meminfo} text; empty when a field pyro needs is missing. */
    public static Optional<HostMemory> parse(String meminfo) {
        Map<String, Long> kib = new HashMap<>();
        for (String line : meminfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String[] value = line.substring(colon + 1).trim().split("\\s+");
            try {
                kib.put(line.substring(0, colon), Long.parseLong(value[0]));
            } catch (NumberFormatException e) {
                // not a number: not one of ours
            }
        }
        if (!kib.containsKey("MemTotal") || !kib.containsKey("MemAvailable")) {
            return Optional.empty();
        }
        return Optional.of(new HostMemory(kib.get("MemTotal") / 1024, kib.get("MemAvailable") / 1024,
                kib.getOrDefault("SwapTotal", 0L) / 1024, kib.getOrDefault("SwapFree", 0L) / 1024));
    }
}
