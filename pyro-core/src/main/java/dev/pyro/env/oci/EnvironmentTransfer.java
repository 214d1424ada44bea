package dev.pyro.env.oci;

import dev.pyro.EnvironmentInspection;
import dev.pyro.ErrorCode;
import dev.pyro.InstalledEnvironment;
import dev.pyro.ProgressListener;
import dev.pyro.PyroException;
import dev.pyro.env.EnvironmentService;
import dev.pyro.io.FileTrees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Moves environments between the local store and OCI registries. A pull downloads into a
 * stable staging directory (so an interrupted pull resumes from its {@code .part} files),
 * then installs through the store's atomic, verifying path.
 */
public final class EnvironmentTransfer {
    private final EnvironmentService environments;

    /** Transfers for this store. */
    public EnvironmentTransfer(EnvironmentService environments) {
        this.environments = environments;
    }

    /**
     * Pulls {@code reference} and installs it as {@code name}; an environment that is
     * already installed and valid is kept as it is (a second pull does nothing).
     */
    public InstalledEnvironment pull(String name, String reference, ProgressListener progress) {
        environments.catalog().require(name);
        OciReference ref = OciReference.parse(reference);
        boolean present = environments.list().stream().anyMatch(e -> e.name().equals(name) && e.installed());
        if (present) {
            // The store's own pull only verifies an installed environment; it never rebuilds it.
            return environments.pull(name, progress);
        }
        Path staging = environments.cacheDir().resolve(".oci-" + name.replaceAll("[^A-Za-z0-9._-]", "_"));
        try {
            Files.createDirectories(staging);
            try (FileChannel ch = FileChannel.open(staging.resolveSibling(staging.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = ch.lock();
                    OciClient client = new OciClient()) {
                OciPullResult pulled = client.pull(ref, staging, progress);
                InstalledEnvironment installed = environments.installFromDirectory(name, staging,
                        "oci://" + ref.withDigest(pulled.digest()), progress);
                FileTrees.deleteTree(staging);
                return installed;
            }
        } catch (IOException e) {
            throw new PyroException(ErrorCode.IO_ERROR, "cannot stage the pull of " + name + " in " + staging + ": "
                    + e.getMessage(), e);
        }
    }

    /** Pushes the installed {@code name} to {@code reference}; returns the manifest digest. */
    public String push(String name, String reference, ProgressListener progress) {
        OciReference ref = OciReference.parse(reference);
        EnvironmentInspection installed = environments.inspect(name);
        if (installed.installPath() == null) {
            throw new PyroException(ErrorCode.ENVIRONMENT_NOT_FOUND, "environment " + name
                    + " is not installed: pull it first");
        }
        try (OciClient client = new OciClient()) {
            return client.push(installed.installPath(), ref, progress);
        }
    }
}
