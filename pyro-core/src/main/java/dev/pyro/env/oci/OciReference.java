package dev.pyro.env.oci;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where an environment bundle lives in an OCI registry:
 * {@code [oci://]host[:port]/repo/path[:tag][@sha256:digest]}.
 *
 * <p>The host is always explicit (there is no default registry). Without tag and digest the
 * tag is {@code latest}. With a digest the digest wins for pulls; the tag, if any, is only
 * informative then.
 *
 * @param host       registry host name, IPv4 address or bracketed IPv6 address
 * @param port       registry port, or -1 for the scheme's default
 * @param repository repository path, e.g. {@code pyro/debian-12}
 * @param tag        tag, or {@code null} when only a digest is given
 * @param digest     {@code sha256:<64 hex>}, or {@code null}
 */
public record OciReference(String host, int port, String repository, String tag, String digest) {

    /** The tag used when a reference has neither tag nor digest. */
    public static final String DEFAULT_TAG = "latest";

    private static final String SCHEME_PREFIX = "oci://";
    // Same grammar as the distribution spec (lower-case path components, tag <= 128 chars).
    private static final Pattern HOST = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
                    + "|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern REPOSITORY = Pattern.compile(
            "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

    public OciReference {
        if (host == null || !HOST.matcher(host).matches()) {
            throw invalid("registry host '" + host + "' is not a valid host name or address");
        }
        if (port != -1 && (port < 1 || port > 65535)) {
            throw invalid("registry port " + port + " is out of range 1-65535");
        }
        if (repository == null || repository.length() > 255 || !REPOSITORY.matcher(repository).matches()) {
            throw invalid("repository '" + repository + "' must be lower-case path components of [a-z0-9._-]"
                    + " separated by '/'");
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw invalid("tag '" + tag + "' must be 1-128 characters of [A-Za-z0-9_.-] not starting with '.' or '-'");
        }
        if (digest != null && !DIGEST.matcher(digest).matches()) {
            throw invalid("digest '" + digest + "' must be sha256: followed by 64 lower-case hex digits");
        }
        if (tag == null && digest == null) {
            tag = DEFAULT_TAG;
        }
    }

    /**
     * Parses {@code [oci://]host[:port]/repo/path[:tag][@sha256:digest]}.
     *
     * @throws PyroException with {@link ErrorCode#INVALID_ARGUMENT} when the text is malformed
     */
    public static OciReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid("an OCI reference is empty; expected [oci://]host[:port]/repository[:tag][@sha256:digest]");
        }
        String rest = text.strip();
        if (rest.regionMatches(true, 0, SCHEME_PREFIX, 0, SCHEME_PREFIX.length())) {
            rest = rest.substring(SCHEME_PREFIX.length());
        } else if (rest.contains("://")) {
            throw invalid("OCI reference '" + text + "' has an unsupported scheme; use oci:// or none");
        }
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw invalid("OCI reference '" + text + "' needs a registry host and a repository, e.g."
                    + " registry.example.com/pyro/debian-12:1.0");
        }
        String authority = rest.substring(0, slash);
        String path = rest.substring(slash + 1);

        String digest = null;
        int at = path.lastIndexOf('@');
        if (at >= 0) {
            digest = path.substring(at + 1);
            path = path.substring(0, at);
        }
        String tag = null;
        int colon = path.lastIndexOf(':');
        if (colon >= 0 && colon > path.lastIndexOf('/')) {
            tag = path.substring(colon + 1);
            path = path.substring(0, colon);
        }

        String host = authority;
        int port = -1;
        int portColon = authority.lastIndexOf(':');
        if (portColon >= 0 && portColon > authority.lastIndexOf(']')) {
            host = authority.substring(0, portColon);
            String portText = authority.substring(portColon + 1);
            if (!portText.matches("[0-9]{1,5}")) {
                throw invalid("registry port '" + portText + "' in '" + text + "' is not a number");
            }
            port = Integer.parseInt(portText);
        }
        return new OciReference(host, port, path, tag, digest);
    }

    /** {@code host[:port]}, as used in URLs and in error messages. */
    public String authority() {
        return port == -1 ? host : host + ":" + port;
    }

    /** What the registry's manifest endpoint takes: the digest when known, else the tag. */
    public String reference() {
        return digest != null ? digest : tag;
    }

    /** Whether the registry is this machine, where plain http is acceptable. */
    public boolean isLoopback() {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("[::1]") || h.startsWith("127.");
    }

    /** The same reference pinned to a digest (the tag is kept for display). */
    public OciReference withDigest(String newDigest) {
        return new OciReference(host, port, repository, tag, newDigest);
    }

    /** The canonical text form, without the {@code oci://} prefix. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(authority()).append('/').append(repository);
        if (tag != null) {
            sb.append(':').append(tag);
        }
        if (digest != null) {
            sb.append('@').append(digest);
        }
        return sb.toString();
    }

    private static PyroException invalid(String message) {
        return new PyroException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
