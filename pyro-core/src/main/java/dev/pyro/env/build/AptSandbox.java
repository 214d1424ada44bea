package dev.pyro.env.build;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.log.PyroLoggers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A private apt configuration under the download cache, so the builder can resolve and
 * download Debian packages (the kernel) on any Debian or Ubuntu host without touching the
 * host's own sources, lists, cache or dpkg status, and without root. Lists persist between
 * builds, so the next {@code apt-get update} only revalidates them.
 */
final class AptSandbox {
    private static final System.Logger LOG = PyroLoggers.of(AptSandbox.class);

    private final Path base;
    private final ToolRunner runner;
    private final List<String> options = new ArrayList<>();

    /**
     * @param base    directory holding this sandbox's state (e.g. {@code downloads/apt/bookworm})
     * @param keyring the Debian archive keyring, or null to rely on the host's trusted keys
     */
    AptSandbox(Path base, ToolRunner runner, DebianMirrors mirrors, List<String> suites, Path keyring, boolean root) {
        this.base = base;
        this.runner = runner;
        try {
            for (String d : List.of("etc/sources.list.d", "etc/preferences.d", "etc/trusted.gpg.d",
                    "state/lists/partial", "cache/archives/partial")) {
                Files.createDirectories(base.resolve(d));
            }
            if (!Files.exists(base.resolve("state/status"))) {
                Files.createFile(base.resolve("state/status"));
            }
            StringBuilder sources = new StringBuilder();
            for (String suite : suites) {
                sources.append(mirrors.sourceLine(suite, keyring == null ? null : keyring.toString())).append('\n');
            }
            Files.writeString(base.resolve("etc/sources.list"), sources);
        } catch (IOException e) {
            throw IoErrors.classify("cannot prepare the apt cache in " + base, e);
        }
        opt("Dir::Etc::SourceList", base.resolve("etc/sources.list"));
        opt("Dir::Etc::SourceParts", base.resolve("etc/sources.list.d"));
        opt("Dir::Etc::Preferences", base.resolve("etc/preferences"));
        opt("Dir::Etc::PreferencesParts", base.resolve("etc/preferences.d"));
        opt("Dir::Etc::TrustedParts", base.resolve("etc/trusted.gpg.d"));
        opt("Dir::State", base.resolve("state"));
        opt("Dir::State::status", base.resolve("state/status"));
        opt("Dir::Cache", base.resolve("cache"));
        opt("APT::Architecture", "amd64");
        opt("APT::Architectures", "amd64");
        opt("Acquire::Languages", "none");
        opt("Acquire::Retries", "3");
        opt("Debug::NoLocking", "1"); // private state: the host's apt locks are none of our business
        if (root) {
            opt("APT::Sandbox::User", "root"); // the _apt user cannot write into a user's cache dir
        }
    }

    private void opt(String key, Object value) {
        options.add("-o");
        options.add(key + "=" + value);
    }

    /** Refreshes the package lists; with cached lists an unreachable mirror is only a warning. */
    void update() {
        List<String> args = new ArrayList<>(options);
        args.add("update");
        try {
            runner.run(ToolRunner.Invocation.of(HostTool.APT_GET, args));
        } catch (PyroException e) {
            if (e.code() == ErrorCode.NETWORK_UNAVAILABLE && hasLists()) {
                LOG.log(System.Logger.Level.WARNING, "mirror unreachable, using cached package lists: {0}", e.getMessage());
                return;
            }
            throw e;
        }
        if (!hasLists()) {
            throw new PyroException(ErrorCode.NETWORK_UNAVAILABLE, "apt-get update fetched no package lists from the Debian mirror"
                    + " [log: " + runner.log().file() + "]");
        }
    }

    private boolean hasLists() {
        try (var s = Files.list(base.resolve("state/lists"))) {
            return s.anyMatch(p -> p.getFileName().toString().contains("_Packages"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The candidate version's record of {@code pkg} ({@code apt-cache show}), as field → value. */
    Map<String, String> show(String pkg) {
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("show", "--no-all-versions", pkg));
        String out;
        try {
            out = runner.capture(ToolRunner.Invocation.of(HostTool.APT_CACHE, args));
        } catch (PyroException e) {
            throw new PyroException(e.code() == ErrorCode.ENVIRONMENT_BUILD_FAILED ? ErrorCode.ENVIRONMENT_BUILD_FAILED : e.code(),
                    "package " + pkg + " not found on the Debian mirror: " + e.getMessage(), e);
        }
        return parseRecord(out);
    }

    /** Downloads the candidate of {@code pkg} into {@code dir} (apt checks its hash). */
    void download(String pkg, Path dir) {
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("download", pkg));
        runner.run(ToolRunner.Invocation.of(HostTool.APT_GET, args).in(dir));
    }

    /** Parses the first RFC 822-style record (continuation lines are appended). */
    static Map<String, String> parseRecord(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        String last = null;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                if (!fields.isEmpty()) {
                    break;
                }
                continue;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                fields.put(last, fields.get(last) + "\n" + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                last = line.substring(0, colon);
                fields.put(last, line.substring(colon + 1).strip());
            }
        }
        return fields;
    }
}
