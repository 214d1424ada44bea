package dev.pyro.env.build;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.env.catalog.EnvironmentSources;
import dev.pyro.io.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and downloads Debian's cloud kernel package: resolves the meta package
 * ({@code linux-image-cloud-amd64}) to the current ABI package
 * ({@code linux-image-6.1.0-N-cloud-amd64}, from bookworm or bookworm-security, whichever
 * is newer) and keeps the {@code .deb} in the download cache, reusing it while its digest
 * still matches the mirror's index.
 */
final class KernelFetcher {
    private static final Pattern IMAGE_DEP = Pattern.compile("(linux-image-[0-9][^\\s,()|]*)");

    /** A downloaded kernel package. */
    record KernelDeb(Path file, String packageName, String version) {
    }

    private final ToolRunner runner;
    private final DebianMirrors mirrors;
    private final Path keyring;
    private final boolean root;

    KernelFetcher(ToolRunner runner, DebianMirrors mirrors, Path keyring, boolean root) {
        this.runner = runner;
        this.mirrors = mirrors;
        this.keyring = keyring;
        this.root = root;
    }

    KernelDeb fetch(EnvironmentSources sources, Path downloads) {
        AptSandbox apt = new AptSandbox(downloads.resolve("apt").resolve(sources.distribution()), runner, mirrors,
                sources.suites(), keyring, root);
        apt.update();
        Map<String, String> meta = apt.show(sources.kernelPackage());
        Matcher m = IMAGE_DEP.matcher(meta.getOrDefault("Depends", ""));
        if (!m.find()) {
            throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED,
                    sources.kernelPackage() + " does not depend on a linux-image package: " + meta.get("Depends"));
        }
        String pkg = m.group(1);
        Map<String, String> record = apt.show(pkg);
        String filename = record.getOrDefault("Filename", "");
        String sha = record.getOrDefault("SHA256", "");
        String version = record.getOrDefault("Version", "");
        if (filename.isEmpty() || sha.isEmpty()) {
            throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "the mirror's index has no file for " + pkg);
        }
        Path debs = downloads.resolve("debs");
        Path deb = debs.resolve(Path.of(filename).getFileName().toString());
        try {
            Files.createDirectories(debs);
            if (!(Files.isRegularFile(deb) && FileTrees.sha256(deb).equals(sha))) {
                Files.deleteIfExists(deb);
                apt.download(pkg, debs);
                if (!Files.isRegularFile(deb)) {
                    throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "apt-get download did not produce " + deb.getFileName());
                }
                if (!FileTrees.sha256(deb).equals(sha)) {
                    Files.deleteIfExists(deb);
                    throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, deb.getFileName() + " does not match the mirror's SHA256");
                }
            }
        } catch (IOException e) {
            throw IoErrors.classify("cannot store the kernel package in " + debs, e);
        }
        return new KernelDeb(deb, pkg, version);
    }
}
