package dev.pyro.vm;

/** Decides, before anything is allocated, whether a guest of some size may boot (see {@link MemoryBudget}). */
@FunctionalInterface
public interface MemoryGate {
    /** Admits everything: memory overcommit allowed. */
    MemoryGate OPEN = memMib -> { };

    /**
     * Returns when a guest of {@code memMib} may boot.
     *
     * @throws dev.pyro.PyroException {@link dev.pyro.ErrorCode#INSUFFICIENT_MEMORY} when it may not
     */
    void admit(int memMib);
}
