package dev.pyro;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A port a service publishes: {@code [HOST_PORT:]GUEST_PORT}. The host side is always
 * {@code 127.0.0.1}; without a host port a free one is picked.
 *
 * @param hostPort  the port on the host's 127.0.0.1, or 0 for a free one
 * @param guestPort the port the service listens on in the guest (on any address, or the guest's)
 */
public record PortMapping(int hostPort, int guestPort) {
    private static final Pattern FORM = Pattern.compile("(?:(\\d{1,5}):)?(\\d{1,5})");

    /**
     * Validates.
     *
     * @throws PyroException {@link ErrorCode#INVALID_PORT} for a port outside 1-65535 (0 allowed on
     *                       the host side)
     */
    public PortMapping {
        if (hostPort < 0 || hostPort > 65535 || guestPort < 1 || guestPort > 65535) {
            throw new PyroException(ErrorCode.INVALID_PORT, "ports must be in 1-65535, got " + hostPort + ":"
                    + guestPort);
        }
    }

    /**
     * Parses {@code [HOST_PORT:]GUEST_PORT}.
     *
     * @throws PyroException {@link ErrorCode#INVALID_PORT} for anything else
     */
    public static PortMapping parse(String spec) {
        Matcher m = spec == null ? null : FORM.matcher(spec);
        if (m == null || !m.matches()) {
            String shown = spec == null ? "null" : spec.length() > 40 ? spec.substring(0, 40) + "…" : spec;
            throw new PyroException(ErrorCode.INVALID_PORT, "a published port is [HOST_PORT:]GUEST_PORT with ports in "
                    + "1-65535, not '" + shown.replaceAll("[^\\x20-\\x7e…]", "?") + "'");
        }
        int host = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        if (m.group(1) != null && host == 0) {
            throw new PyroException(ErrorCode.INVALID_PORT, "host port 0 is not a port; leave it out to get a free one");
        }
        return new PortMapping(host, Integer.parseInt(m.group(2)));
    }

    /** The canonical form, {@code HOST:GUEST} or {@code GUEST}. */
    @Override
    public String toString() {
        return hostPort == 0 ? Integer.toString(guestPort) : hostPort + ":" + guestPort;
    }
}
