package dev.pyro.mcp;

import dev.pyro.ProgressEvent;
import java.util.Optional;

/**
 * Maps pyro's progress events of one tool call onto MCP's single {@code progress} value,
 * which must increase with every notification, and its optional {@code total}.
 *
 * <p>pyro's amounts count from the start of their phase, so each measured phase becomes a
 * segment of the scale: it starts one step past the last value sent, {@code progress} is that
 * start plus {@code done}, and {@code total} is the start plus the phase's total when it is
 * known; a client drawing {@code progress/total} sees the current phase fill up. A phase mark
 * without an amount moves one step and has no total. An amount that would not move the value
 * (a repeated count) sends nothing. Not thread-safe: {@link ProgressNotifier} serialises calls.
 */
final class ProgressScale {
    /** One notification's numbers; {@code total} is null when unknown. */
    record Numbers(double progress, Double total) {
    }

    private double last;
    private double base;
    private String segment;

    /** The numbers for {@code e}, or empty when it would not increase {@code progress}. */
    Optional<Numbers> next(ProgressEvent e) {
        if (!e.hasAmount()) {
            segment = null;
            last += 1;
            return Optional.of(new Numbers(last, null));
        }
        String key = e.operation() + "\u0000" + e.phase() + "\u0000" + e.subject();
        if (!key.equals(segment)) {
            segment = key;
            base = last + 1;
        }
        double progress = base + e.done();
        if (progress <= last) {
            return Optional.empty();
        }
        last = progress;
        return Optional.of(new Numbers(progress, e.hasTotal() ? base + e.total() : null));
    }
}
