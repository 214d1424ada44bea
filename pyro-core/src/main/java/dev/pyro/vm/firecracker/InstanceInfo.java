package dev.pyro.vm.firecracker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Answer of {@code GET /} (swagger definition {@code InstanceInfo}). Unknown fields are ignored
 * so a newer Firecracker that adds some does not break pyro.
 *
 * @param appName     "Firecracker"
 * @param id          the instance id given with {@code --id}
 * @param state       {@code Not started}, {@code Running} or {@code Paused}
 * @param vmmVersion  Firecracker's version
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceInfo(
        @JsonProperty("app_name") String appName,
        @JsonProperty("id") String id,
        @JsonProperty("state") String state,
        @JsonProperty("vmm_version") String vmmVersion) {
    /** Whether the guest has been started and is not paused. */
    public boolean running() {
        return "Running".equals(state);
    }
}
