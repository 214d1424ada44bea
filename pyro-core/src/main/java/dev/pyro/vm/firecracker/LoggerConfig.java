package dev.pyro.vm.firecracker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import java.util.Optional;

/**
 * Body of {@code PUT /logger} (swagger definition {@code Logger}): where Firecracker writes its
 * own log (not the guest console, which is its stdout).
 *
 * @param logPath       file or named pipe, as Firecracker sees it
 * @param level         one of {@code Error Warning Info Debug Trace Off}
 * @param showLevel     prefix lines with the level
 * @param showLogOrigin prefix lines with file and line
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record LoggerConfig(
        @JsonProperty("log_path") String logPath,
        @JsonProperty("level") Optional<String> level,
        @JsonProperty("show_level") Optional<Boolean> showLevel,
        @JsonProperty("show_log_origin") Optional<Boolean> showLogOrigin) {
    public LoggerConfig {
        Objects.requireNonNull(logPath, "logPath");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(showLevel, "showLevel");
        Objects.requireNonNull(showLogOrigin, "showLogOrigin");
    }

    /** A log file at {@code level}, with level prefixes on. */
    public static LoggerConfig toFile(String logPath, String level) {
        return new LoggerConfig(logPath, Optional.of(level), Optional.of(true), Optional.empty());
    }
}
