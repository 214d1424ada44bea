package dev.pyro.env;

import dev.pyro.env.catalog.EnvironmentSpec;
import dev.pyro.env.store.BuildContext;
import dev.pyro.env.store.BundleBuilder;
import dev.pyro.env.store.BundleFiles;
import dev.pyro.env.store.BundleInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A builder that writes small fake bundle files, counts its builds and can be slow on purpose. */
public final class FakeBundleBuilder implements BundleBuilder {
    public final AtomicInteger builds = new AtomicInteger();
    private final long delayMs;
    private final Path counterFile;

    public FakeBundleBuilder(long delayMs, Path counterFile) {
        this.delayMs = delayMs;
        this.counterFile = counterFile;
    }

    public FakeBundleBuilder() {
        this(0, null);
    }

    @Override
    public BundleInfo build(EnvironmentSpec spec, Path target, BuildContext context) {
        builds.incrementAndGet();
        try {
            if (counterFile != null) {
                Files.writeString(counterFile, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            for (String phase : List.of("kernel", "modules", "rootfs", "image")) {
                context.phases().phase(phase, "");
                if (phase.equals("rootfs")) { // a real bootstrap counts its packages here
                    for (int i = 0; i <= 3; i++) {
                        context.phases().amount("unpack", i, 3, dev.pyro.ProgressUnit.PACKAGES, i == 0 ? "" : "pkg" + i);
                    }
                }
            }
            Files.writeString(target.resolve(BundleFiles.KERNEL), "\u007fELF fake kernel of " + spec.name());
            Files.writeString(target.resolve(BundleFiles.MODULES), "070701 fake modules");
            Files.write(target.resolve(BundleFiles.ROOTFS), new byte[64 * 1024]);
            Files.writeString(context.scratch().resolve("tmp"), "scratch is removed after the build");
            if (delayMs > 0) {
                Thread.sleep(delayMs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new BundleInfo("6.1.0-99-cloud-amd64", "linux-image-6.1.0-99-cloud-amd64=6.1.999-1", List.of("bash=5.2"));
    }
}
