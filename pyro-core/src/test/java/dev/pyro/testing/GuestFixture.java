package dev.pyro.testing;

import dev.pyro.ProgressListener;
import dev.pyro.PyroConfig;
import dev.pyro.env.EnvironmentService;
import dev.pyro.env.build.DebianEnvironmentBuilder;
import dev.pyro.env.catalog.EnvironmentCatalog;
import dev.pyro.env.store.EnvironmentStore;
import dev.pyro.guest.AgentBinary;
import dev.pyro.vm.BootImage;
import java.nio.file.Path;

/**
 * What guest tests boot: the debian:12 environment from the machine's shared cache
 * (installed on first use; building it takes a minute or two) and the agent binary.
 */
public final class GuestFixture {
    private static BootImage image;

    private GuestFixture() {
    }

    /** The debian:12 boot image, installing the environment when it is missing. */
    public static synchronized BootImage debian12() {
        if (image == null) {
            PyroConfig config = PyroConfig.fromEnvironment();
            EnvironmentService envs = new EnvironmentService(EnvironmentCatalog.builtIn(),
                    new EnvironmentStore(config.environmentCache()), DebianEnvironmentBuilder.forHost());
            envs.pull("debian:12", ProgressListener.NONE);
            image = envs.bootImage("debian:12");
        }
        return image;
    }

    /** The static guest agent of this build. */
    public static Path agent() {
        return AgentBinary.extract();
    }
}
