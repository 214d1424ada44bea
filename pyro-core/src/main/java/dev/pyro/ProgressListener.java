package dev.pyro;

/** Receives {@link ProgressEvent}s of long operations; called on the working thread. */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = event -> { };

    /** Called for each event; must return quickly and must not throw. */
    void onProgress(ProgressEvent event);
}
