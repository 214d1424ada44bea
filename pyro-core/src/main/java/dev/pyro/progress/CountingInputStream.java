package dev.pyro.progress;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** Tells {@code counter} how many bytes each read returned (skips count too). */
public final class CountingInputStream extends FilterInputStream {
    private final LongConsumer counter;

    /** Counts what is read from {@code in}. */
    public CountingInputStream(InputStream in, LongConsumer counter) {
        super(in);
        this.counter = counter;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counter.accept(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            counter.accept(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        if (skipped > 0) {
            counter.accept(skipped);
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false; // a reset would count bytes twice
    }
}
