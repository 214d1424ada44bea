package dev.pyro.env.oci;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How an {@link OciClient} talks to registries.
 *
 * @param username              registry user for token or Basic auth, or {@code null} for anonymous
 * @param password              that user's password or access token, or {@code null}
 * @param insecure              allow plain http to every registry, not only to loopback ones
 * @param connectTimeout        TCP/TLS connect timeout
 * @param requestTimeout        time until response headers arrive (bodies may stream longer)
 * @param monolithicUploadLimit blobs up to this size go up in one PUT; larger ones in chunks
 * @param chunkSize             size of each PATCH of a chunked upload
 */
public record OciClientOptions(String username, String password, boolean insecure, Duration connectTimeout,
        Duration requestTimeout, long monolithicUploadLimit, long chunkSize) {

    /** Environment variable: user name for registry auth. */
    public static final String ENV_USERNAME = "PYRO_OCI_USERNAME";
    /** Environment variable: password or token for registry auth. */
    public static final String ENV_PASSWORD = "PYRO_OCI_PASSWORD";
    /** Environment variable: {@code 1} allows plain http to any registry. */
    public static final String ENV_INSECURE = "PYRO_OCI_INSECURE";

    private static final long MIB = 1024 * 1024;

    public OciClientOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("username and password go together");
        }
        if (chunkSize < 1 || monolithicUploadLimit < 0) {
            throw new IllegalArgumentException("chunkSize must be positive and monolithicUploadLimit non-negative");
        }
    }

    /** Anonymous, https except for loopback registries, 16 MiB uploads per request. */
    public static OciClientOptions defaults() {
        return new OciClientOptions(null, null, false, Duration.ofSeconds(10), Duration.ofSeconds(60),
                16 * MIB, 16 * MIB);
    }

    /** {@link #defaults()} adjusted by {@code PYRO_OCI_USERNAME}, {@code PYRO_OCI_PASSWORD}, {@code PYRO_OCI_INSECURE}. */
    public static OciClientOptions fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Like {@link #fromEnvironment()} but reading the given variables (for tests and embedders). */
    public static OciClientOptions fromEnvironment(Map<String, String> env) {
        OciClientOptions d = defaults();
        String user = blankToNull(env.get(ENV_USERNAME));
        String pass = blankToNull(env.get(ENV_PASSWORD));
        if (user == null || pass == null) {
            user = null;
            pass = null;
        }
        boolean insecure = "1".equals(env.get(ENV_INSECURE)) || "true".equalsIgnoreCase(env.get(ENV_INSECURE));
        return new OciClientOptions(user, pass, insecure, d.connectTimeout, d.requestTimeout,
                d.monolithicUploadLimit, d.chunkSize);
    }

    /** A copy with these credentials. */
    public OciClientOptions withCredentials(String newUsername, String newPassword) {
        return new OciClientOptions(newUsername, newPassword, insecure, connectTimeout, requestTimeout,
                monolithicUploadLimit, chunkSize);
    }

    /** A copy with these upload sizes. */
    public OciClientOptions withUploadSizes(long newMonolithicUploadLimit, long newChunkSize) {
        return new OciClientOptions(username, password, insecure, connectTimeout, requestTimeout,
                newMonolithicUploadLimit, newChunkSize);
    }

    /** Whether credentials are configured. */
    public boolean hasCredentials() {
        return username != null;
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "OciClientOptions[username=" + username + ", password=" + (password == null ? "null" : "***")
                + ", insecure=" + insecure + ", connectTimeout=" + connectTimeout + ", requestTimeout="
                + requestTimeout + ", monolithicUploadLimit=" + monolithicUploadLimit + ", chunkSize=" + chunkSize + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
