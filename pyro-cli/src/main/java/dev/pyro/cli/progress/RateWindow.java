package dev.pyro.cli.progress;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The recent rate of an amount: units per second over the last few seconds of samples, so a
 * stall shows as a falling rate rather than a lifetime average. Pure: the times are the
 * events' own {@code nanoTime}s.
 */
final class RateWindow {
    static final long WINDOW_NANOS = 5_000_000_000L;
    /** Below this span a rate is noise. */
    static final long MIN_SPAN_NANOS = 500_000_000L;

    private record Sample(long nanos, long done) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    /** Adds a sample; older ones beyond the window are dropped (one is kept as the window's start). */
    void add(long nanos, long done) {
        samples.addLast(new Sample(nanos, done));
        while (samples.size() > 2 && nanos - samples.peekFirst().nanos() > WINDOW_NANOS) {
            samples.removeFirst();
        }
    }

    /** Units per second, or -1 when the samples span too little time to tell. */
    double perSecond() {
        if (samples.size() < 2) {
            return -1;
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        long span = last.nanos() - first.nanos();
        if (span < MIN_SPAN_NANOS) {
            return -1;
        }
        return (last.done() - first.done()) * 1e9 / span;
    }
}
