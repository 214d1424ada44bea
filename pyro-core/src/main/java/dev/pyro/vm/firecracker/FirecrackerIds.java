package dev.pyro.vm.firecracker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names derived from a pyro VM id for Firecracker: the instance id ({@code --id}, also the
 * jailer's chroot directory name), the TAP device and the guest MAC. All are deterministic,
 * so a later process finds the same names from the same VM id.
 */
public final class FirecrackerIds {
    private FirecrackerIds() {}

    /**
     * Firecracker and the jailer take ids of at most 64 alphanumerics and hyphens. A VM id
     * that already is one is kept; any other is cleaned and suffixed with a hash so two
     * different VM ids never map to the same instance id.
     */
    public static String instanceId(String vmId) {
        if (vmId.matches("[A-Za-z0-9-]{1,64}")) {
            return vmId;
        }
        String clean = vmId.replaceAll("[^A-Za-z0-9-]", "-");
        if (clean.length() > 55) {
            clean = clean.substring(0, 55);
        }
        return clean + "-" + hash(vmId).substring(0, 8);
    }

    /**
     * Name of the host TAP device for the VM's network interface: {@code pyfc} + 10 hex
     * digits, within the kernel's 15-character limit. The network layer creates the TAP device
     * under this name before the VM starts; Firecracker only opens it.
     */
    public static String tapName(String vmId) {
        return "pyfc" + hash(vmId).substring(0, 10);
    }

    /** A locally administered unicast MAC derived from the VM id ({@code 06:xx:xx:xx:xx:xx}). */
    public static String guestMac(String vmId) {
        String h = hash("mac:" + vmId);
        StringBuilder mac = new StringBuilder("06");
        for (int i = 0; i < 5; i++) {
            mac.append(':').append(h, 2 * i, 2 * i + 2);
        }
        return mac.toString();
    }

    private static String hash(String s) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
