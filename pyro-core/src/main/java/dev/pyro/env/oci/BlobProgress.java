package dev.pyro.env.oci;

import dev.pyro.ProgressListener;
import dev.pyro.ProgressUnit;
import dev.pyro.progress.ProgressMeter;

/**
 * The bytes of every blob of one phase of a pull or push (hash, upload, download) as one
 * amount, so a person sees one bar for the whole transfer; the note names the blob at hand
 * ({@code blob 2/3 rootfs.ext4}).
 */
final class BlobProgress {
    private final ProgressMeter meter;
    private final int blobs;
    private int index;
    private long offset;
    private long currentSize;

    /** Starts the phase: {@code blobs} blobs of {@code totalBytes} bytes in all. */
    BlobProgress(ProgressListener listener, String operation, String phase, String subject, long totalBytes,
            int blobs) {
        this.meter = ProgressMeter.start(listener, operation, phase, subject, ProgressUnit.BYTES, totalBytes);
        this.blobs = blobs;
    }

    /** The next blob begins; its reporter takes positions within it. */
    Blob next(String name, long size) {
        offset += currentSize;
        currentSize = size;
        index++;
        meter.note("blob " + index + "/" + blobs + " " + name);
        long base = offset;
        return position -> meter.moveTo(base + position);
    }

    /** The phase is over. */
    void finish() {
        meter.finish();
    }

    /** Positions within one blob. */
    @FunctionalInterface
    interface Blob {
        /** Bytes of the blob done so far. */
        void report(long position);
    }
}
