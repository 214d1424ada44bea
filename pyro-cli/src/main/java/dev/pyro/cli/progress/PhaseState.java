package dev.pyro.cli.progress;

import dev.pyro.ProgressEvent;

/** What the live display knows of the phase at hand: how it started, its latest amount, its rate. */
final class PhaseState {
    private final ProgressEvent first;
    private final long startNanos;
    private final RateWindow rate = new RateWindow();
    private ProgressEvent latest;

    PhaseState(ProgressEvent first) {
        this.first = first;
        this.startNanos = first.nanoTime();
        this.latest = first;
        if (first.hasAmount()) {
            rate.add(first.nanoTime(), first.done());
        }
    }

    /** A later event of the same phase. */
    void update(ProgressEvent e) {
        latest = e;
        if (e.hasAmount()) {
            rate.add(e.nanoTime(), e.done());
        }
    }

    ProgressEvent first() {
        return first;
    }

    ProgressEvent latest() {
        return latest;
    }

    long startNanos() {
        return startNanos;
    }

    double perSecond() {
        return rate.perSecond();
    }

    /** The note to show: the latest one, or the phase's opening note. */
    String note() {
        return latest.message().isEmpty() ? first.message() : latest.message();
    }
}
