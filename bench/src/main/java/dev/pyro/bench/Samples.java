package dev.pyro.bench;

import java.util.Arrays;

/** Timing samples in milliseconds and their percentiles. */
final class Samples {
    private final double[] values;
    private int n;

    Samples(int capacity) {
        values = new double[capacity];
    }

    void add(double ms) {
        values[n++] = ms;
    }

    int size() {
        return n;
    }

    /** Nearest-rank percentile of what was added. */
    double percentile(double p) {
        double[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    double median() {
        return percentile(50);
    }

    /** The samples added {@code from} (inclusive) to {@code to} (exclusive), as a series of their own. */
    Samples window(int from, int to) {
        int end = Math.min(to, n);
        Samples w = new Samples(Math.max(0, end - from));
        for (int i = from; i < end; i++) {
            w.add(values[i]);
        }
        return w;
    }

    /** The median of the samples added {@code from} (inclusive) to {@code to} (exclusive), in order. */
    double median(int from, int to) {
        double[] part = Arrays.copyOfRange(values, from, Math.min(to, n));
        Arrays.sort(part);
        return part.length == 0 ? Double.NaN : part[(int) Math.ceil(part.length / 2.0) - 1];
    }
}
