package dev.pyro;

/**
 * Receives {@link ProgressEvent}s of long operations, one event at a time per operation, on
 * the thread doing the work (which may be one of pyro's own rather than the caller's).
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = event -> { };

    /** Called for each event; must return quickly and must not throw. */
    void onProgress(ProgressEvent event);
}
