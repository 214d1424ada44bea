package dev.pyro.vm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Body of {@code PUT /vsock} (swagger definition {@code Vsock}). Firecracker binds and listens
 * on {@code uds_path}; a host connection there, after {@code CONNECT <port>\n} /
 * {@code OK <hostport>\n}, reaches the guest's AF_VSOCK listener on that port. The deprecated
 * {@code vsock_id} is not sent.
 *
 * @param guestCid the guest's context id (≥ 3; 0-2 are reserved)
 * @param udsPath  the host Unix socket, as Firecracker sees it
 */
public record Vsock(@JsonProperty("guest_cid") int guestCid, @JsonProperty("uds_path") String udsPath) {
    /** The CID pyro gives every guest: each VM has its own vsock device, so they never clash. */
    public static final int DEFAULT_GUEST_CID = 3;

    public Vsock {
        if (guestCid < 3) {
            throw new IllegalArgumentException("guest_cid must be >= 3: " + guestCid);
        }
        Objects.requireNonNull(udsPath, "udsPath");
    }
}
