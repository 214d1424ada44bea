package dev.pyro.vm.firecracker;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run Firecracker through its {@code jailer} (chroot, new mount namespace, cgroup,
 * dropped privileges). The jailer must run as root; Firecracker then runs as {@code uid:gid}.
 *
 * @param jailerBinary   the {@code jailer} of the same release as the Firecracker binary
 * @param uid            user Firecracker runs as (not 0: that would defeat the jail)
 * @param gid            group Firecracker runs as
 * @param chrootBaseDir  the jailer's {@code --chroot-base-dir} (its default is {@code /srv/jailer})
 * @param cgroupVersion  1 or 2 ({@code --cgroup-version}); pyro defaults to 2
 * @param parentCgroup   {@code --parent-cgroup}, if any (the jailer's default is the exec file name)
 */
public record JailerConfig(Path jailerBinary, int uid, int gid, Path chrootBaseDir, int cgroupVersion,
        Optional<String> parentCgroup) {
    /** The jailer's own default chroot base. */
    public static final Path DEFAULT_CHROOT_BASE = Path.of("/srv/jailer");

    public JailerConfig {
        Objects.requireNonNull(jailerBinary, "jailerBinary");
        Objects.requireNonNull(chrootBaseDir, "chrootBaseDir");
        Objects.requireNonNull(parentCgroup, "parentCgroup");
        if (uid <= 0 || gid <= 0) {
            throw new IllegalArgumentException("the jailer must drop to a non-root uid and gid, got " + uid + ":" + gid);
        }
        if (cgroupVersion != 1 && cgroupVersion != 2) {
            throw new IllegalArgumentException("cgroup version must be 1 or 2: " + cgroupVersion);
        }
        if (!chrootBaseDir.isAbsolute()) {
            throw new IllegalArgumentException("chroot base dir must be absolute: " + chrootBaseDir);
        }
    }

    /**
     * The jailer configuration the environment asks for: none unless
     * {@code PYRO_FIRECRACKER_JAILER=1}; then {@code PYRO_JAILER_UID} and {@code PYRO_JAILER_GID}
     * are required, {@code PYRO_JAILER_BIN} (default: {@code jailer} beside the Firecracker
     * binary), {@code PYRO_JAILER_CHROOT_BASE} (default {@code /srv/jailer}),
     * {@code PYRO_JAILER_CGROUP_VERSION} (default 2) and {@code PYRO_JAILER_PARENT_CGROUP} are
     * optional.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} when the variables are incomplete
     */
    public static Optional<JailerConfig> fromEnvironment(Map<String, String> env, Path firecrackerBinary) {
        if (!"1".equals(env.get("PYRO_FIRECRACKER_JAILER"))) {
            return Optional.empty();
        }
        try {
            Path jailer = Optional.ofNullable(env.get("PYRO_JAILER_BIN")).map(Path::of)
                    .orElseGet(() -> firecrackerBinary.resolveSibling("jailer"));
            int uid = Integer.parseInt(required(env, "PYRO_JAILER_UID"));
            int gid = Integer.parseInt(required(env, "PYRO_JAILER_GID"));
            Path base = Optional.ofNullable(env.get("PYRO_JAILER_CHROOT_BASE")).map(Path::of).orElse(DEFAULT_CHROOT_BASE);
            int cgroup = Integer.parseInt(env.getOrDefault("PYRO_JAILER_CGROUP_VERSION", "2"));
            return Optional.of(new JailerConfig(jailer, uid, gid, base, cgroup,
                    Optional.ofNullable(env.get("PYRO_JAILER_PARENT_CGROUP")).filter(s -> !s.isBlank())));
        } catch (IllegalArgumentException e) {
            throw new PyroException(ErrorCode.INVALID_ARGUMENT,
                    "PYRO_FIRECRACKER_JAILER=1 needs a valid jailer setup: " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return v.trim();
    }
}
