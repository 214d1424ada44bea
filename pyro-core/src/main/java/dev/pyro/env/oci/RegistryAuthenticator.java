package dev.pyro.env.oci;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.log.PyroLoggers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers registry auth challenges and remembers the answers: bearer tokens per registry and
 * scope (until they expire), and which registries want HTTP Basic. Shared by all transfers
 * of one {@link OciClient}; thread-safe.
 */
final class RegistryAuthenticator {
    private static final System.Logger LOG = PyroLoggers.of(RegistryAuthenticator.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_TOKEN_RESPONSE = 1024 * 1024;
    /** Lifetime assumed when the token server does not say (the distribution spec's default). */
    private static final long DEFAULT_EXPIRES_SECONDS = 60;

    private record Token(String value, Instant expires) {
    }

    private final HttpClient http;
    private final OciClientOptions options;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Set<String> basicRegistries = ConcurrentHashMap.newKeySet();

    RegistryAuthenticator(HttpClient http, OciClientOptions options) {
        this.http = http;
        this.options = options;
    }

    /** The {@code Authorization} value to send to {@code authority} for {@code scope}, if we have one. */
    Optional<String> header(String authority, String scope) {
        if (basicRegistries.contains(authority)) {
            return Optional.of(basic());
        }
        Token t = tokens.get(key(authority, scope));
        if (t == null || Instant.now().isAfter(t.expires())) {
            return Optional.empty();
        }
        return Optional.of("Bearer " + t.value());
    }

    /**
     * Prepares credentials that answer {@code challenge}, so the caller can retry once.
     *
     * @throws OciAuthenticationException when the challenge cannot be answered
     */
    void answer(String authority, String scope, AuthChallenge challenge) {
        switch (challenge) {
            case AuthChallenge.Bearer bearer -> tokens.put(key(authority, scope), fetchToken(authority, bearer, scope));
            case AuthChallenge.Basic basic -> {
                if (!options.hasCredentials()) {
                    throw new OciAuthenticationException("registry " + authority + " needs a user name and password;"
                            + " set " + OciClientOptions.ENV_USERNAME + " and " + OciClientOptions.ENV_PASSWORD);
                }
                basicRegistries.add(authority);
            }
            case AuthChallenge.Unsupported u -> throw new OciAuthenticationException("registry " + authority
                    + " asks for authentication pyro does not support: '" + u.header() + "'");
        }
    }

    /** Forgets what we sent, after the registry rejected it. */
    void forget(String authority, String scope) {
        tokens.remove(key(authority, scope));
        basicRegistries.remove(authority);
    }

    boolean hasCredentials() {
        return options.hasCredentials();
    }

    private Token fetchToken(String authority, AuthChallenge.Bearer challenge, String scope) {
        URI realm;
        try {
            realm = URI.create(challenge.realm());
        } catch (IllegalArgumentException e) {
            throw new OciAuthenticationException("registry " + authority + " named an invalid token realm '"
                    + challenge.realm() + "'");
        }
        String scheme = realm.getScheme() == null ? "" : realm.getScheme();
        boolean loopback = realm.getHost() != null
                && (realm.getHost().equals("localhost") || realm.getHost().startsWith("127.") || realm.getHost().equals("[::1]"));
        if (!scheme.equals("https") && !(scheme.equals("http") && (loopback || options.insecure()))) {
            // Never send credentials (or trust tokens) over plain http to another machine unless told to.
            throw new OciAuthenticationException("registry " + authority + " sends us to token realm " + realm
                    + " which is not https; set " + OciClientOptions.ENV_INSECURE + "=1 to allow it");
        }
        StringBuilder query = new StringBuilder();
        if (challenge.service() != null) {
            query.append("service=").append(enc(challenge.service()));
        }
        appendScope(query, scope);
        if (challenge.scope() != null && !challenge.scope().equals(scope)) {
            appendScope(query, challenge.scope());
        }
        String base = realm.toString();
        URI uri = URI.create(base + (base.contains("?") ? "&" : "?") + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(options.requestTimeout());
        if (options.hasCredentials()) {
            request.header("Authorization", basic());
        }
        LOG.log(System.Logger.Level.DEBUG, "fetching token for {0} from {1}", scope, realm);
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw RegistryErrors.network("token server " + realm.getAuthority(), e);
        } catch (InterruptedException e) {
            throw RegistryErrors.cancelled(e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            String detail = RegistryErrors.detail(response.body());
            throw new OciAuthenticationException("token server " + realm.getAuthority() + " refused "
                    + (options.hasCredentials() ? "user '" + options.username() + "'" : "anonymous access")
                    + " for " + scope + " (HTTP " + status + (detail.isEmpty() ? "" : ", " + detail) + ")");
        }
        if (status != 200) {
            String detail = RegistryErrors.detail(response.body());
            throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "token server " + realm.getAuthority()
                    + " answered HTTP " + status + (detail.isEmpty() ? "" : ": " + detail));
        }
        JsonNode json;
        try (InputStream in = response.body()) {
            json = JSON.readTree(in.readNBytes(MAX_TOKEN_RESPONSE));
        } catch (IOException e) {
            throw RegistryErrors.network("token server " + realm.getAuthority(), e);
        } catch (RuntimeException e) {
            throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "token server " + realm.getAuthority()
                    + " answered with something that is not JSON", e);
        }
        String token = json.path("token").asString("");
        if (token.isEmpty()) {
            token = json.path("access_token").asString("");
        }
        if (token.isEmpty()) {
            throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "token server " + realm.getAuthority()
                    + " answered without a token");
        }
        long expiresIn = Math.max(json.path("expires_in").asLong(DEFAULT_EXPIRES_SECONDS), 1);
        // Renew a little early so a token does not expire between our check and the registry's.
        Instant expires = Instant.now().plus(Duration.ofSeconds(expiresIn)).minus(Duration.ofSeconds(Math.min(10, expiresIn / 2)));
        return new Token(token, expires);
    }

    private String basic() {
        String pair = options.username() + ":" + options.password();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static void appendScope(StringBuilder query, String scope) {
        if (!query.isEmpty()) {
            query.append('&');
        }
        query.append("scope=").append(enc(scope));
    }

    private static String key(String authority, String scope) {
        return authority + " " + scope;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
