package dev.pyro.env.store;

import dev.pyro.EnvironmentManifest;
import java.nio.file.Path;
import java.util.Objects;

/** What the store has for one environment version: a verified install, a broken one, or nothing. */
public sealed interface InstallState {
    /** A complete install whose manifest and files verify. */
    record Installed(Path dir, EnvironmentManifest manifest) implements InstallState {
        public Installed {
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(manifest, "manifest");
        }
    }

    /** A directory that exists but does not verify; the next pull repairs it. */
    record Broken(Path dir, String reason) implements InstallState {
        public Broken {
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Nothing installed. */
    record Missing(Path dir) implements InstallState {
        public Missing {
            Objects.requireNonNull(dir, "dir");
        }
    }
}
