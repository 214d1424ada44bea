package dev.pyro.env;

import dev.pyro.InstalledEnvironment;
import dev.pyro.ProgressListener;
import dev.pyro.env.catalog.EnvironmentCatalog;
import dev.pyro.env.store.EnvironmentStore;
import java.nio.file.Path;

/**
 * Child-process main for the two-JVM test: waits until a common start time, then pulls
 * {@code debian:12-base} with a slow fake builder that appends its pid to a counter file.
 * Prints {@code performed=true|false} on stdout for the parent.
 */
public final class StoreContender {
    private StoreContender() {
    }

    public static void main(String[] args) throws Exception {
        Path cache = Path.of(args[0]);
        Path counter = Path.of(args[1]);
        long startAt = Long.parseLong(args[2]);
        EnvironmentService service = new EnvironmentService(EnvironmentCatalog.builtIn(), new EnvironmentStore(cache),
                new FakeBundleBuilder(1500, counter));
        Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
        InstalledEnvironment env = service.pull("debian:12-base", ProgressListener.NONE);
        System.out.println("performed=" + env.performed());
    }
}
