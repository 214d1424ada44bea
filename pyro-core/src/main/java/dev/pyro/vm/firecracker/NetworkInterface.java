package dev.pyro.vm.firecracker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import java.util.Optional;

/**
 * Body of {@code PUT /network-interfaces/{iface_id}} (swagger definition
 * {@code NetworkInterface}). The TAP device must exist on the host (Firecracker opens it, it
 * does not create it).
 *
 * @param ifaceId     id, also the last path segment of the request
 * @param hostDevName name of the host TAP device
 * @param guestMac    MAC address the guest sees, {@code xx:xx:xx:xx:xx:xx}
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record NetworkInterface(
        @JsonProperty("iface_id") String ifaceId,
        @JsonProperty("host_dev_name") String hostDevName,
        @JsonProperty("guest_mac") Optional<String> guestMac) {
    public NetworkInterface {
        Objects.requireNonNull(ifaceId, "ifaceId");
        Objects.requireNonNull(hostDevName, "hostDevName");
        Objects.requireNonNull(guestMac, "guestMac");
    }
}
