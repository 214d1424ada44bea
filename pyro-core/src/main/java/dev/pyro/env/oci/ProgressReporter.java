package dev.pyro.env.oci;

import dev.pyro.ProgressEvent;
import dev.pyro.ProgressListener;

/**
 * Byte progress of one file, thinned out to about one event per percent (at least 1 MiB
 * apart) so a listener drawing a bar is not flooded; the first and last events always go out.
 */
final class ProgressReporter {
    private static final long MIN_STEP = 1024 * 1024;

    private final ProgressListener listener;
    private final String operation;
    private final String phase;
    private final String subject;
    private final long total;
    private final long step;
    private long lastReported = -1;

    ProgressReporter(ProgressListener listener, String operation, String phase, String subject, long total) {
        this.listener = listener;
        this.operation = operation;
        this.phase = phase;
        this.subject = subject;
        this.total = total;
        this.step = Math.max(MIN_STEP, total / 100);
    }

    void report(long done) {
        if (lastReported < 0 || done == total || done - lastReported >= step) {
            lastReported = done;
            listener.onProgress(ProgressEvent.progress(operation, phase, subject, done, total));
        }
    }
}
