package dev.pyro.env.build;

import java.util.Map;
import java.util.Objects;

/**
 * The Debian mirrors a build uses.
 *
 * @param main     the archive mirror ({@code $PYRO_DEBIAN_MIRROR}, default {@code http://deb.debian.org/debian})
 * @param security the security mirror ({@code $PYRO_DEBIAN_SECURITY_MIRROR}, default
 *                 {@code http://deb.debian.org/debian-security})
 */
public record DebianMirrors(String main, String security) {
    public static final String MIRROR_ENV = "PYRO_DEBIAN_MIRROR";
    public static final String SECURITY_MIRROR_ENV = "PYRO_DEBIAN_SECURITY_MIRROR";

    public DebianMirrors {
        main = trimSlash(Objects.requireNonNull(main, "main"));
        security = trimSlash(Objects.requireNonNull(security, "security"));
    }

    /** Mirrors from the environment variables, else the official ones. */
    public static DebianMirrors fromEnvironment(Map<String, String> env) {
        return new DebianMirrors(env.getOrDefault(MIRROR_ENV, "http://deb.debian.org/debian"),
                env.getOrDefault(SECURITY_MIRROR_ENV, "http://deb.debian.org/debian-security"));
    }

    /** The mirror that serves {@code suite}. */
    public String forSuite(String suite) {
        return suite.endsWith("-security") ? security : main;
    }

    /** A one-line apt source for {@code suite} (component main). */
    public String sourceLine(String suite, String signedBy) {
        String options = signedBy == null ? "" : "[signed-by=" + signedBy + "] ";
        return "deb " + options + forSuite(suite) + " " + suite + " main";
    }

    private static String trimSlash(String s) {
        String t = s.strip();
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty mirror URL");
        }
        return t;
    }
}
