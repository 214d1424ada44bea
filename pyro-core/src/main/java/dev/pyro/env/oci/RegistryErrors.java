package dev.pyro.env.oci;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.io.IoMessages;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Turns low-level failures of registry traffic into {@link PyroException}s with useful messages. */
final class RegistryErrors {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private RegistryErrors() {
    }

    /** A failure to talk to {@code peer} at all (connect, TLS, reset, timeout). */
    static PyroException network(String peer, IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException) {
            return new PyroException(ErrorCode.NETWORK_UNAVAILABLE, "cannot reach " + peer + " (" + why + ")", e);
        }
        if (e instanceof SSLException) {
            return new PyroException(ErrorCode.NETWORK_UNAVAILABLE, "TLS with " + peer + " failed (" + why
                    + "); for a plain-http registry set " + OciClientOptions.ENV_INSECURE + "=1", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new PyroException(ErrorCode.NETWORK_UNAVAILABLE, peer + " did not answer in time (" + why + ")", e);
        }
        return new PyroException(ErrorCode.NETWORK_UNAVAILABLE, "connection to " + peer + " failed (" + why + ")", e);
    }

    /** A failure of the local disk while writing or reading bundle files. */
    static PyroException local(String what, IOException e) {
        String msg = IoMessages.describe(e);
        ErrorCode code = msg.toLowerCase(java.util.Locale.ROOT).contains("no space left") ? ErrorCode.NO_SPACE
                : ErrorCode.IO_ERROR;
        return new PyroException(code, what + ": " + msg, e);
    }

    static PyroException cancelled(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new PyroException(ErrorCode.CANCELLED, "registry transfer interrupted", e);
    }

    /** The registry's explanation from an error body, e.g. {@code MANIFEST_UNKNOWN: manifest unknown}. */
    static String detail(InputStream body) {
        if (body == null) {
            return "";
        }
        try (body) {
            byte[] bytes = body.readNBytes(MAX_ERROR_BODY);
            if (bytes.length == 0) {
                return "";
            }
            try {
                JsonNode errors = JSON.readTree(bytes).path("errors");
                if (errors.isArray() && !errors.isEmpty()) {
                    JsonNode first = errors.get(0);
                    return first.path("code").asString("") + ": " + first.path("message").asString("");
                }
            } catch (RuntimeException notJson) {
                // fall through to the raw text
            }
            String text = new String(bytes, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
            return text.length() > 200 ? text.substring(0, 200) + "…" : text;
        } catch (IOException e) {
            return "";
        }
    }
}
