package dev.pyro.vm.firecracker;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.Executables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link FirecrackerVmm} runs Firecracker on this host.
 *
 * @param firecrackerBinary the {@code firecracker} executable (≥ 1.8 for x86 ACPI device discovery)
 * @param jailer            run it through the {@code jailer}, when present
 * @param agentInitrdPart   newc cpio holding the guest agent as {@code /init}, appended after the
 *                          environment's initramfs parts
 * @param overlaySizeMib    size of the sparse per-VM writable layer
 * @param mke2fs            the {@code mke2fs} that formats that layer
 * @param apiTimeout        how long to wait for the API socket to answer, and per request
 * @param firecrackerLogLevel when present, Firecracker's own log goes to {@code firecracker.log}
 *                          in the state directory at this level ({@code PUT /logger})
 */
public record FirecrackerSettings(
        Path firecrackerBinary,
        Optional<JailerConfig> jailer,
        Optional<Path> agentInitrdPart,
        long overlaySizeMib,
        Path mke2fs,
        Duration apiTimeout,
        Optional<String> firecrackerLogLevel) {
    /** Default size of the writable layer: 4 GiB, sparse, so only what the guest writes costs disk. */
    public static final long DEFAULT_OVERLAY_MIB = 4096;

    public FirecrackerSettings {
        Objects.requireNonNull(firecrackerBinary, "firecrackerBinary");
        Objects.requireNonNull(jailer, "jailer");
        Objects.requireNonNull(agentInitrdPart, "agentInitrdPart");
        Objects.requireNonNull(mke2fs, "mke2fs");
        Objects.requireNonNull(apiTimeout, "apiTimeout");
        Objects.requireNonNull(firecrackerLogLevel, "firecrackerLogLevel");
        if (overlaySizeMib < 64) {
            throw new IllegalArgumentException("overlay must be at least 64 MiB: " + overlaySizeMib);
        }
    }

    /** Defaults for everything but the binary, the jailer and the agent part. */
    public static FirecrackerSettings of(Path firecrackerBinary, Optional<JailerConfig> jailer, Optional<Path> agentInitrdPart) {
        return new FirecrackerSettings(firecrackerBinary, jailer, agentInitrdPart, DEFAULT_OVERLAY_MIB,
                Executables.find("mke2fs").orElse(Path.of("/usr/sbin/mke2fs")), FirecrackerApiClient.DEFAULT_TIMEOUT,
                Optional.empty());
    }

    /**
     * Settings from the environment: the binary from {@code PYRO_FIRECRACKER_BIN} or
     * {@code firecracker} on {@code PATH}, the jailer per {@link JailerConfig#fromEnvironment}.
     *
     * @throws PyroException {@link ErrorCode#MISSING_HOST_TOOL} when there is no Firecracker binary
     */
    public static FirecrackerSettings fromEnvironment(Map<String, String> env, Optional<Path> agentInitrdPart) {
        Path fc = FirecrackerProbe.locate(env).orElseThrow(() -> new PyroException(ErrorCode.MISSING_HOST_TOOL,
                "firecracker is not installed: put it on PATH or set PYRO_FIRECRACKER_BIN (see docs/firecracker.md)"));
        return of(fc, JailerConfig.fromEnvironment(env, fc), agentInitrdPart);
    }

    /** A copy with another overlay size. */
    public FirecrackerSettings withOverlaySizeMib(long mib) {
        return new FirecrackerSettings(firecrackerBinary, jailer, agentInitrdPart, mib, mke2fs, apiTimeout, firecrackerLogLevel);
    }

    /** A copy with another API timeout. */
    public FirecrackerSettings withApiTimeout(Duration timeout) {
        return new FirecrackerSettings(firecrackerBinary, jailer, agentInitrdPart, overlaySizeMib, mke2fs, timeout, firecrackerLogLevel);
    }

    /** A copy that sends {@code PUT /logger} at {@code level}. */
    public FirecrackerSettings withFirecrackerLog(String level) {
        return new FirecrackerSettings(firecrackerBinary, jailer, agentInitrdPart, overlaySizeMib, mke2fs, apiTimeout,
                Optional.of(level));
    }
}
