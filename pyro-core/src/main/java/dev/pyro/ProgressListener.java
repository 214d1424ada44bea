package dev.pyro;

/**
 * Receives {@link ProgressEvent}s of long operations. Called on the thread doing the work,
 * which may be one of pyro's own (a directory is archived on a thread of its own), one event
 * at a time per operation.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = event -> { };

    /** Called for each event; must return quickly and must not throw. */
    void onProgress(ProgressEvent event);
}
