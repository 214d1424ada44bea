package dev.pyro.env.oci;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A parsed {@code WWW-Authenticate} header of a registry's 401 answer. */
sealed interface AuthChallenge {

    /** Docker/OCI token auth: get a token from {@code realm}, then retry with {@code Bearer}. */
    record Bearer(String realm, String service, String scope) implements AuthChallenge {
    }

    /** HTTP Basic auth: retry with the configured credentials. */
    record Basic(String realm) implements AuthChallenge {
    }

    /** A scheme we do not speak (or no header at all). */
    record Unsupported(String header) implements AuthChallenge {
    }

    /** Parses a header value such as {@code Bearer realm="…",service="…",scope="repository:a:pull"}. */
    static AuthChallenge parse(Optional<String> header) {
        if (header.isEmpty() || header.get().isBlank()) {
            return new Unsupported("");
        }
        String value = header.get().strip();
        int space = value.indexOf(' ');
        String scheme = (space < 0 ? value : value.substring(0, space)).toLowerCase(Locale.ROOT);
        Map<String, String> params = space < 0 ? Map.of() : parseParams(value.substring(space + 1));
        return switch (scheme) {
            case "bearer" -> params.containsKey("realm")
                    ? new Bearer(params.get("realm"), params.get("service"), params.get("scope"))
                    : new Unsupported(value);
            case "basic" -> new Basic(params.getOrDefault("realm", ""));
            default -> new Unsupported(value);
        };
    }

    /** {@code key=value} or {@code key="quoted, value"} pairs separated by commas (RFC 7235 auth-params). */
    private static Map<String, String> parseParams(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && (s.charAt(i) == ',' || s.charAt(i) == ' ')) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = s.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder val = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i++;
                while (i < n && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    val.append(s.charAt(i++));
                }
                i++; // closing quote
            } else {
                while (i < n && s.charAt(i) != ',') {
                    val.append(s.charAt(i++));
                }
            }
            out.put(key, val.toString().strip());
        }
        return out;
    }
}
