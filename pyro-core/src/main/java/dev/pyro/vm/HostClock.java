package dev.pyro.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host TSC frequency, which a TCG guest must be told (its TSC runs at the host's
 * rate). On a virtualised host "cpu MHz" in /proc/cpuinfo is the TSC; with cpufreq on
 * bare metal it is not, so the value is only used with the {@code hypervisor} flag or
 * {@code constant_tsc} + {@code nonstop_tsc}; a wrong value only makes guest clocks drift.
 */
public final class HostClock {
    private static final Pattern MHZ = Pattern.compile("(?m)^cpu MHz\\s*:\\s*([0-9.]+)");
    private static final Pattern FLAGS = Pattern.compile("(?m)^flags\\s*:(.*)$");

    private HostClock() {
    }

    private static volatile OptionalLong measured;

    /**
     * The TSC frequency in kHz: measured by the agent binary ({@code --tsc-khz}: rdtsc
     * against CLOCK_MONOTONIC_RAW), else read from /proc/cpuinfo when that is trustworthy.
     * Measured once per process.
     */
    public static OptionalLong tscKhz(Path agentBinary) {
        OptionalLong m = measured;
        if (m == null) {
            m = measure(agentBinary);
            if (m.isEmpty()) {
                try {
                    m = tscKhz(Files.readString(Path.of("/proc/cpuinfo")));
                } catch (IOException e) {
                    m = OptionalLong.empty();
                }
            }
            measured = m;
        }
        return m;
    }

    private static OptionalLong measure(Path agentBinary) {
        try {
            Process p = new ProcessBuilder(agentBinary.toString(), "--tsc-khz")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            if (p.waitFor() == 0 && out.strip().matches("[0-9]{5,9}")) {
                return OptionalLong.of(Long.parseLong(out.strip()));
            }
        } catch (IOException e) {
            // fall back to /proc/cpuinfo
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OptionalLong.empty();
    }

    static OptionalLong tscKhz(String cpuinfo) {
        Matcher mhz = MHZ.matcher(cpuinfo);
        Matcher flags = FLAGS.matcher(cpuinfo);
        if (!mhz.find() || !flags.find()) {
            return OptionalLong.empty();
        }
        String f = " " + flags.group(1) + " ";
        boolean trustworthy = f.contains(" hypervisor ")
                || (f.contains(" constant_tsc ") && f.contains(" nonstop_tsc ") && !cpufreqScaling());
        if (!trustworthy) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.round(Double.parseDouble(mhz.group(1)) * 1000));
    }

    private static boolean cpufreqScaling() {
        return Files.isDirectory(Path.of("/sys/devices/system/cpu/cpu0/cpufreq"));
    }
}
