package dev.pyro.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The timing lines {@code pyro mcp serve} prints on stderr with {@code PYRO_MCP_TIMINGS=1}:
 * per request id, the time from its line read to its answer flushed and, from builds that
 * mark them, the time of each stage since the one before (older builds print no stages).
 */
final class ServerTimings {
    /** A request id (a string id's quotes dropped), the milliseconds, the stages if any. */
    private static final Pattern LINE = Pattern.compile(
            "pyro: mcp timing: id=\"?([^\" ]+)\"? method=\\S+ in_to_flushed_ms=([0-9.]+)(?: stages_ms=(\\S+))?");

    record Timing(double ms, Map<String, Double> stages) {
    }

    private final Map<String, Timing> byId = new ConcurrentHashMap<>();

    /** Takes the line if it is a timing line; false for any other line. */
    boolean accept(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return false;
        }
        Map<String, Double> stages = new LinkedHashMap<>();
        if (m.group(3) != null) {
            for (String part : m.group(3).split(",")) {
                int colon = part.indexOf(':');
                stages.put(part.substring(0, colon), Double.parseDouble(part.substring(colon + 1)));
            }
        }
        byId.put(m.group(1), new Timing(Double.parseDouble(m.group(2)), stages));
        return true;
    }

    int size() {
        return byId.size();
    }

    /**
     * The timing of the official Java client's request number {@code seq}: it numbers them
     * {@code "<session>-<seq>"} from 0 on (initialize first).
     */
    Timing bySequence(long seq) {
        String suffix = "-" + seq;
        return byId.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /**
     * One line of the stages' medians over the given timings, in the order the server
     * printed them, or null when none carries stages.
     */
    static String stageMedians(List<Timing> timings) {
        Map<String, Samples> per = new LinkedHashMap<>();
        for (Timing t : timings) {
            t.stages().forEach((stage, ms) -> per.computeIfAbsent(stage, k -> new Samples(timings.size())).add(ms));
        }
        if (per.isEmpty()) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        per.forEach((stage, samples) -> s.append(String.format(Locale.ROOT, " %s=%.3f", stage, samples.median())));
        return s.toString().trim();
    }
}
