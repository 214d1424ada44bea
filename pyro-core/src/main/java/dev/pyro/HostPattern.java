package dev.pyro;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An entry of a workspace's egress allow-list: a host name ({@code pypi.org}: that name only)
 * or a wildcard ({@code *.github.com}: every name below {@code github.com}, not itself). No IP
 * addresses, ports, schemes or other wildcards.
 */
public final class HostPattern {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** The most entries one workspace's allow-list takes. */
    public static final int MAX_PATTERNS = 64;

    private HostPattern() {
    }

    /**
     * Checks a pattern and returns it in lower case.
     *
     * @throws PyroException {@link ErrorCode#INVALID_HOST_PATTERN} for anything else
     */
    public static String check(String pattern) {
        String p = pattern == null ? "" : pattern.toLowerCase(Locale.ROOT);
        String name = p.startsWith("*.") ? p.substring(2) : p;
        String[] labels = name.split("\\.", -1);
        boolean ok = !name.isEmpty() && name.length() <= 253 && labels.length >= (p.startsWith("*.") ? 2 : 1);
        for (String label : labels) {
            ok &= LABEL.matcher(label).matches();
        }
        // a last label of digits is an address in disguise (127.1, 2130706433)
        ok &= ok && !labels[labels.length - 1].matches("[0-9]+|0x[0-9a-f]*");
        if (!ok) {
            String shown = pattern == null ? "null" : pattern.length() > 60 ? pattern.substring(0, 60) + "…" : pattern;
            throw new PyroException(ErrorCode.INVALID_HOST_PATTERN, "'" + shown.replaceAll("[^\\x20-\\x7e…]", "?")
                    + "' is not an allowed-host pattern: use a host name (pypi.org) or *.domain (*.github.com), "
                    + "no addresses, ports or other wildcards");
        }
        return p;
    }
}
