package dev.pyro.bench;

import dev.pyro.ProgressListener;
import dev.pyro.PyroConfig;
import dev.pyro.env.EnvironmentService;
import dev.pyro.env.build.DebianEnvironmentBuilder;
import dev.pyro.env.catalog.EnvironmentCatalog;
import dev.pyro.env.store.EnvironmentStore;
import dev.pyro.vm.BootImage;

/** The guest the VM benchmarks boot: debian:12 from the environment cache, pulled when missing. */
final class BenchGuest {
    private BenchGuest() {
    }

    static BootImage debian12(PyroConfig config) {
        EnvironmentService envs = new EnvironmentService(EnvironmentCatalog.builtIn(),
                new EnvironmentStore(config.environmentCache()), DebianEnvironmentBuilder.forHost());
        envs.pull("debian:12", ProgressListener.NONE);
        return envs.bootImage("debian:12");
    }
}
