package dev.pyro.run;

import dev.pyro.ProgressListener;
import dev.pyro.vm.BootImage;

/** Gives the boot image of an environment, installing it first when needed. */
@FunctionalInterface
public interface EnvironmentResolver {
    /** The verified boot image of {@code name}; installs it (with progress) when missing or broken. */
    BootImage resolve(String name, ProgressListener progress);
}
