package dev.pyro.vm;

import java.nio.file.Path;
import java.util.Optional;

/** Finds the VM started in a state directory, if one was. */
@FunctionalInterface
public interface VmLocator {
    /** From the record every backend writes ({@link VmmFactory#attach}). */
    VmLocator RECORDED = VmmFactory::attachIfRecorded;

    /**
     * The VM in {@code stateDir}, or empty when none was started there.
     *
     * @throws dev.pyro.PyroException {@link dev.pyro.ErrorCode#IO_ERROR} for a record that cannot be read
     */
    Optional<VmInstance> attach(Path stateDir);
}
