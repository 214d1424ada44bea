package dev.pyro.env.build;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An unpacked kernel package ({@code dpkg-deb -x}): the bzImage, the kernel release and
 * the module tree. Handles both {@code /lib/modules} (bookworm) and {@code /usr/lib/modules}
 * (merged-/usr releases).
 *
 * @param vmlinuz       {@code boot/vmlinuz-RELEASE}
 * @param kernelVersion the release, e.g. {@code 6.1.0-56-cloud-amd64}
 * @param modulesDir    {@code lib/modules/RELEASE}
 */
record KernelPackage(Path vmlinuz, String kernelVersion, Path modulesDir) {

    /** Unpacks {@code deb} into {@code dir} and locates its parts. */
    static KernelPackage unpack(ToolRunner runner, Path deb, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw IoErrors.classify("cannot create " + dir, e);
        }
        runner.run(ToolRunner.Invocation.of(HostTool.DPKG_DEB, List.of("-x", deb.toString(), dir.toString())));
        return locate(dir);
    }

    /** Finds the parts in an unpacked tree. */
    static KernelPackage locate(Path dir) {
        Path boot = dir.resolve("boot");
        List<Path> images;
        try (Stream<Path> s = Files.list(boot)) {
            images = s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).sorted().toList();
        } catch (IOException e) {
            throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "kernel package has no /boot directory", e);
        }
        if (images.size() != 1) {
            throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "kernel package has " + images.size() + " vmlinuz files, expected 1");
        }
        String release = images.get(0).getFileName().toString().substring("vmlinuz-".length());
        Path modules = Stream.of(dir.resolve("lib/modules").resolve(release), dir.resolve("usr/lib/modules").resolve(release))
                .filter(Files::isDirectory).findFirst()
                .orElseThrow(() -> new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "kernel package has no modules for " + release));
        return new KernelPackage(images.get(0), release, modules);
    }

    /** Every {@code .ko} of the package by canonical module name (file name, '-' as '_'). */
    Map<String, Path> moduleFiles() {
        Map<String, Path> files = new HashMap<>();
        try (Stream<Path> s = Files.walk(modulesDir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".ko")).sorted().forEach(p ->
                    files.putIfAbsent(KernelModule.normalize(p.getFileName().toString().replaceFirst("\\.ko$", "")), p));
        } catch (IOException e) {
            throw IoErrors.classify("cannot list kernel modules in " + modulesDir, e);
        }
        return files;
    }

    /** Reads one module's metadata, if the package has it. */
    static Optional<KernelModule> readModule(Map<String, Path> files, String name) {
        Path p = files.get(name);
        if (p == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(KernelModule.read(p, Files.readAllBytes(p)));
        } catch (IOException e) {
            throw IoErrors.classify("cannot read " + p, e);
        } catch (IllegalArgumentException e) {
            throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "cannot parse kernel module " + p + ": " + e.getMessage(), e);
        }
    }
}
