package dev.pyro.vm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Body of {@code PUT /metrics} (swagger definition {@code Metrics}).
 *
 * @param metricsPath file or named pipe for JSON metrics, as Firecracker sees it
 */
public record Metrics(@JsonProperty("metrics_path") String metricsPath) {
    public Metrics {
        Objects.requireNonNull(metricsPath, "metricsPath");
    }
}
