package dev.pyro.env.oci;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A minimal Docker token server: issues RS256 JWTs (with the signing certificate in
 * {@code x5c}) that the distribution registry trusts through {@code rootcertbundle}.
 * Anonymous callers get pull rights only; {@link #USER}/{@link #PASSWORD} get what they ask.
 */
final class TokenServer implements AutoCloseable {
    static final String SERVICE = "pyro-test-registry";
    static final String ISSUER = "pyro-test-issuer";
    static final String USER = "pyro";
    static final String PASSWORD = "s3cret";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One token request as seen by the server. */
    record Request(String user, List<String> scopes) {
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final PrivateKey key;
    private final X509Certificate cert;
    private final Path certPem;

    TokenServer(Path dir) throws Exception {
        Path keystore = dir.resolve("token.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "token", "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA",
                "-dname", "CN=pyro-test-token", "-validity", "2", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new AssertionError("keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        key = (PrivateKey) ks.getKey("token", "changeit".toCharArray());
        cert = (X509Certificate) ks.getCertificate("token");
        certPem = dir.resolve("token.pem");
        Files.writeString(certPem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::handle);
        server.start();
    }

    String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    Path certificate() {
        return certPem;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String user = null;
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null && authorization.startsWith("Basic ")) {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
                if (!pair.equals(USER + ":" + PASSWORD)) {
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                user = USER;
            }
            List<String> scopes = new ArrayList<>();
            String query = exchange.getRequestURI().getRawQuery();
            for (String param : query == null ? new String[0] : query.split("&")) {
                int eq = param.indexOf('=');
                if (eq > 0 && param.substring(0, eq).equals("scope")) {
                    scopes.add(URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            requests.add(new Request(user, List.copyOf(scopes)));
            byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode()
                    .put("token", jwt(user, scopes)).put("expires_in", 300));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private String jwt(String user, List<String> scopes) throws Exception {
        ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256");
        header.putArray("x5c").add(Base64.getEncoder().encodeToString(cert.getEncoded()));
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", ISSUER).put("sub", user == null ? "" : user).put("aud", SERVICE)
                .put("exp", now + 300).put("nbf", now - 10).put("iat", now).put("jti", UUID.randomUUID().toString());
        ArrayNode access = claims.putArray("access");
        for (String scope : scopes) {
            String[] parts = scope.split(":");
            if (parts.length != 3) {
                continue;
            }
            ObjectNode entry = access.addObject().put("type", parts[0]).put("name", parts[1]);
            ArrayNode actions = entry.putArray("actions");
            for (String action : parts[2].split(",")) {
                if (user != null || action.equals("pull")) {
                    actions.add(action);
                }
            }
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                + b64.encodeToString(JSON.writeValueAsBytes(claims));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64.encodeToString(rsa.sign());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
