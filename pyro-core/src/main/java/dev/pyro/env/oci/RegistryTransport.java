package dev.pyro.env.oci;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.log.PyroLoggers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * HTTP to one repository of one registry for one kind of access (pull, or pull and push):
 * builds URLs, answers auth challenges through {@link RegistryAuthenticator} and retries
 * once, follows redirects by hand so that {@code Authorization} never leaves the registry's
 * origin, and maps failures to {@link PyroException}s.
 */
final class RegistryTransport {
    private static final System.Logger LOG = PyroLoggers.of(RegistryTransport.class);
    private static final int MAX_REDIRECTS = 5;

    private final HttpClient http;
    private final RegistryAuthenticator auth;
    private final OciReference ref;
    private final OciClientOptions options;
    private final URI base;
    private final String scope;

    RegistryTransport(HttpClient http, RegistryAuthenticator auth, OciReference ref, OciClientOptions options,
            boolean push) {
        this.http = http;
        this.auth = auth;
        this.ref = ref;
        this.options = options;
        // Plain http only to this machine, or when the user said so; everything else is https.
        String scheme = ref.isLoopback() || options.insecure() ? "http" : "https";
        this.base = URI.create(scheme + "://" + ref.authority());
        this.scope = "repository:" + ref.repository() + ":" + (push ? "pull,push" : "pull");
    }

    /** {@code <base>/v2/<repository>/<suffix>}. */
    URI url(String suffix) {
        return URI.create(base + "/v2/" + ref.repository() + "/" + suffix);
    }

    /** A request builder with the standard timeout. */
    HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(options.requestTimeout());
    }

    OciReference reference() {
        return ref;
    }

    /**
     * Sends a request, authenticating as needed.
     *
     * @param request         the request, without {@code Authorization}; it is copied, so it may be re-sent
     * @param what            what is asked for, for error messages ("manifest …", "blob …")
     * @param handler         reads bodies of 2xx answers and of the {@code accepted} ones
     * @param accepted        non-2xx statuses the caller handles itself (e.g. 404 of a HEAD)
     * @param followRedirects follow 3xx answers (blob downloads that go to a storage backend)
     */
    <T> HttpResponse<T> send(HttpRequest.Builder request, String what, BodyHandler<T> handler,
            Set<Integer> accepted, boolean followRedirects) {
        boolean retried = false;
        while (true) {
            HttpRequest.Builder attempt = request.copy();
            Optional<String> authorization = auth.header(ref.authority(), scope);
            authorization.ifPresent(h -> attempt.setHeader("Authorization", h));
            HttpRequest sent = attempt.build();
            HttpResponse<Object> response = exchange(sent, handler, accepted, followRedirects);
            int status = response.statusCode();
            if (status == 401 && !accepted.contains(401)) {
                closeQuietly(response.body());
                if (retried) {
                    auth.forget(ref.authority(), scope);
                    throw denied(what, status);
                }
                AuthChallenge challenge = AuthChallenge.parse(response.headers().firstValue("WWW-Authenticate"));
                LOG.log(System.Logger.Level.DEBUG, "{0} {1}: 401, challenge {2}", sent.method(), sent.uri(), challenge);
                auth.answer(ref.authority(), scope, challenge);
                retried = true;
                continue;
            }
            if (followRedirects && isRedirect(status)) {
                return followRedirects(request, sent.uri(), response, what, handler, accepted);
            }
            return check(response, what, accepted);
        }
    }

    private <T> HttpResponse<T> followRedirects(HttpRequest.Builder original, URI from, HttpResponse<Object> response,
            String what, BodyHandler<T> handler, Set<Integer> accepted) {
        for (int hop = 0; hop < MAX_REDIRECTS; hop++) {
            closeQuietly(response.body());
            String location = response.headers().firstValue("Location").orElseThrow(() -> new PyroException(
                    ErrorCode.ENVIRONMENT_BUILD_FAILED, "registry " + ref.authority() + " redirected " + what
                            + " without a Location"));
            URI target = from.resolve(location);
            HttpRequest.Builder next = original.copy().uri(target);
            // Credentials are for the registry only; storage backends get presigned URLs.
            if (sameOrigin(target, base)) {
                auth.header(ref.authority(), scope).ifPresent(h -> next.setHeader("Authorization", h));
            }
            LOG.log(System.Logger.Level.DEBUG, "{0} redirected to {1}", what, target);
            HttpRequest sent = next.build();
            response = exchange(sent, handler, accepted, true);
            from = target;
            if (!isRedirect(response.statusCode())) {
                return check(response, what, accepted);
            }
        }
        closeQuietly(response.body());
        throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "registry " + ref.authority()
                + " redirected " + what + " more than " + MAX_REDIRECTS + " times");
    }

    /** One HTTP exchange; bodies of answers the caller did not ask for are kept as a stream to read the error. */
    @SuppressWarnings("unchecked")
    private <T> HttpResponse<Object> exchange(HttpRequest request, BodyHandler<T> handler, Set<Integer> accepted,
            boolean followRedirects) {
        BodyHandler<Object> wrapped = info -> {
            int s = info.statusCode();
            if ((s >= 200 && s < 300) || accepted.contains(s)) {
                return (HttpResponse.BodySubscriber<Object>) handler.apply(info);
            }
            if (s == 401 || (followRedirects && isRedirect(s))) {
                return BodySubscribers.replacing(null);
            }
            return (HttpResponse.BodySubscriber<Object>) (HttpResponse.BodySubscriber<?>) BodySubscribers.ofInputStream();
        };
        try {
            return http.send(request, wrapped);
        } catch (IOException e) {
            throw RegistryErrors.network("registry " + ref.authority(), e);
        } catch (InterruptedException e) {
            throw RegistryErrors.cancelled(e);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> HttpResponse<T> check(HttpResponse<Object> response, String what, Set<Integer> accepted) {
        int status = response.statusCode();
        if ((status >= 200 && status < 300) || accepted.contains(status)) {
            return (HttpResponse<T>) (HttpResponse<?>) response;
        }
        String detail = response.body() instanceof InputStream in ? RegistryErrors.detail(in) : "";
        String suffix = detail.isEmpty() ? "" : " (" + detail + ")";
        if (status == 401 || status == 403) {
            throw denied(what, status);
        }
        if (status == 404) {
            throw new PyroException(ErrorCode.ENVIRONMENT_NOT_FOUND, what + " not found in " + ref.authority() + "/"
                    + ref.repository() + suffix);
        }
        throw new PyroException(ErrorCode.ENVIRONMENT_BUILD_FAILED, "registry " + ref.authority() + " answered HTTP "
                + status + " for " + what + suffix);
    }

    private OciAuthenticationException denied(String what, int status) {
        String hint = auth.hasCredentials()
                ? "check " + OciClientOptions.ENV_USERNAME + "/" + OciClientOptions.ENV_PASSWORD + " and the user's rights"
                : "set " + OciClientOptions.ENV_USERNAME + " and " + OciClientOptions.ENV_PASSWORD;
        return new OciAuthenticationException("registry " + ref.authority() + " denied access to " + ref.repository()
                + " (" + scope.substring(scope.lastIndexOf(':') + 1) + ") for " + what + ", HTTP " + status + "; " + hint);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI u) {
        if (u.getPort() != -1) {
            return u.getPort();
        }
        return "https".equals(u.getScheme()) ? 443 : 80;
    }

    private static void closeQuietly(Object body) {
        if (body instanceof InputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing useful to do
            }
        }
    }
}
