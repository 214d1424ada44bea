package dev.pyro.env.build;

import dev.pyro.env.catalog.EnvironmentSpec;
import dev.pyro.env.store.BuildContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Bootstraps the root filesystem into a tarball with {@code mmdebstrap --mode=unshare}.
 *
 * <p>Why this shape: {@code --mode=unshare} needs neither root nor loop or bind mounts on the
 * host (as root it only unshares a mount namespace); a tarball keeps exact owners and
 * setuid bits even when the caller is not root. Variant {@code minbase} plus the catalog's
 * packages; man pages, docs (except copyright files) and locales are excluded through dpkg
 * {@code path-exclude}. Downloaded packages are synced in and out of the download cache so a
 * rebuild fetches only what changed. Hooks set {@code /etc/hostname}, a resolv.conf for
 * user-mode networking, and create {@code /workspace}.
 */
final class RootfsBootstrap {
    static final List<String> PATH_EXCLUDES = List.of(
            "path-exclude=/usr/share/man/*",
            "path-exclude=/usr/share/doc/*",
            "path-include=/usr/share/doc/*/copyright",
            "path-exclude=/usr/share/locale/*",
            "path-include=/usr/share/locale/locale.alias",
            "path-exclude=/usr/share/info/*",
            "path-exclude=/usr/share/lintian/*");
    /** The guest's DNS server under QEMU user-mode networking; the agent may rewrite it at runtime. */
    static final String RESOLV_CONF = "# written by pyro; the guest agent replaces it when networking is configured\\nnameserver 10.0.2.3\\n";

    private final ToolRunner runner;
    private final DebianMirrors mirrors;
    private final Path keyring;

    RootfsBootstrap(ToolRunner runner, DebianMirrors mirrors, Path keyring) {
        this.runner = runner;
        this.mirrors = mirrors;
        this.keyring = keyring;
    }

    /** The mmdebstrap arguments (without the program). */
    List<String> arguments(EnvironmentSpec spec, Path debCache, Path tar) {
        List<String> a = new ArrayList<>();
        a.add("--mode=unshare");
        // apt's and dpkg's own lines (Get:, Unpacking, Setting up) are what progress counts.
        a.add("--verbose");
        a.add("--variant=minbase");
        a.add("--format=tar");
        if (keyring != null) {
            a.add("--keyring=" + keyring);
        }
        if (!spec.packages().isEmpty()) {
            a.add("--include=" + String.join(",", spec.packages()));
        }
        for (String p : PATH_EXCLUDES) {
            a.add("--dpkgopt=" + p);
        }
        a.add("--aptopt=Acquire::Retries \"3\"");
        a.add("--aptopt=Acquire::Languages \"none\"");
        // Keep essential packages' .debs until the customize hook copies them to the cache.
        a.add("--skip=essential/unlink");
        a.add("--setup-hook=mkdir -p \"$1\"/var/cache/apt/archives/");
        a.add("--setup-hook=sync-in " + debCache + " /var/cache/apt/archives/");
        a.add("--customize-hook=sync-out /var/cache/apt/archives " + debCache);
        a.add("--customize-hook=rm -f \"$1\"/var/cache/apt/archives/*.deb");
        a.add("--customize-hook=echo pyro > \"$1\"/etc/hostname");
        a.add("--customize-hook=rm -f \"$1\"/etc/resolv.conf && printf '" + RESOLV_CONF + "' > \"$1\"/etc/resolv.conf");
        a.add("--customize-hook=mkdir -p \"$1\"/workspace && chmod 0755 \"$1\"/workspace");
        a.add(spec.sources().distribution());
        a.add(tar.toString());
        for (String suite : spec.sources().suites()) {
            a.add(mirrors.sourceLine(suite, null));
        }
        return a;
    }

    /** Runs the bootstrap, counting packages into {@code phases}; the tarball appears at {@code tar}. */
    void run(EnvironmentSpec spec, Path debCache, Path tar, BuildContext.PhaseSink phases) {
        try {
            Files.createDirectories(debCache);
        } catch (IOException e) {
            throw IoErrors.classify("cannot create " + debCache, e);
        }
        runner.run(ToolRunner.Invocation.of(HostTool.MMDEBSTRAP, arguments(spec, debCache, tar)),
                new BootstrapProgress(phases)::line);
    }
}
