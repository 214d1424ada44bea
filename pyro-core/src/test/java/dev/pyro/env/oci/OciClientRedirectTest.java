package dev.pyro.env.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behaviour the Debian registry does not show on its own, with small fake servers: HTTP
 * Basic auth, blob redirects to another host (a storage backend) that must not see our
 * credentials, and a storage backend that ignores {@code Range}.
 */
class OciClientRedirectTest {
    private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("u:p".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path work;
    HttpServer registry;
    HttpServer storage;
    Path bundle;
    final Map<String, Path> blobs = new HashMap<>();
    final List<String> storageAuthorization = new CopyOnWriteArrayList<>();
    final List<String> storageRanges = new CopyOnWriteArrayList<>();
    byte[] manifest;

    @BeforeEach
    void start() throws Exception {
        bundle = TestBundles.create(work.resolve("bundle"), 64 * 1024, 256 * 1024, 11);
        List<Descriptor> layers = new ArrayList<>();
        for (String name : List.of("vmlinux", "modules.cpio", "rootfs.ext4")) {
            layers.add(descriptor(name, OciMediaTypes.FILE, Map.of(OciMediaTypes.TITLE_ANNOTATION, name)));
        }
        manifest = new ArtifactManifest(descriptor("manifest.json", OciMediaTypes.CONFIG, Map.of()), layers).toJson();

        storage = HttpServer.create(new InetSocketAddress(InetAddress.getByName("localhost"), 0), 0);
        storage.createContext("/", exchange -> {
            try (exchange) {
                storageAuthorization.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                storageRanges.add(String.valueOf(exchange.getRequestHeaders().getFirst("Range")));
                Path blob = blobs.get(exchange.getRequestURI().getPath().substring("/storage/".length()));
                send(exchange, 200, Files.readAllBytes(blob)); // whole blob, Range or not
            }
        });
        storage.start();
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/", this::registry);
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop(0);
        storage.stop(0);
    }

    private void registry(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!AUTH.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"fake\"");
                send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/v2/pyro/fake/manifests/1")) {
                exchange.getResponseHeaders().add("Content-Type", OciMediaTypes.IMAGE_MANIFEST);
                send(exchange, 200, manifest);
            } else if (path.startsWith("/v2/pyro/fake/blobs/")) {
                String digest = path.substring("/v2/pyro/fake/blobs/".length());
                exchange.getResponseHeaders().add("Location", "http://localhost:" + storage.getAddress().getPort()
                        + "/storage/" + digest);
                exchange.sendResponseHeaders(307, -1);
            } else {
                send(exchange, 404, new byte[0]);
            }
        }
    }

    @Test
    void basicAuthRedirectsWithoutCredentialsAndIgnoredRangeRestartsCleanly() throws Exception {
        Path target = Files.createDirectories(work.resolve("pull"));
        byte[] rootfs = Files.readAllBytes(bundle.resolve("rootfs.ext4"));
        Files.write(target.resolve("rootfs.ext4.part"), java.util.Arrays.copyOf(rootfs, 100_000));
        OciReference ref = OciReference.parse("127.0.0.1:" + registry.getAddress().getPort() + "/pyro/fake:1");

        try (OciClient client = new OciClient(OciClientOptions.defaults().withCredentials("u", "p"))) {
            OciPullResult result = client.pull(ref, target, null);

            assertThat(TestBundles.digests(target)).isEqualTo(TestBundles.digests(bundle));
            long total = 0;
            for (OciFile f : result.files()) {
                total += f.size();
            }
            assertThat(result.bytesDownloaded()).isEqualTo(total); // the resume was not honoured: all again
        }
        assertThat(storageAuthorization).hasSize(4).containsOnly("null");
        assertThat(storageRanges).contains("bytes=100000-");
    }

    @Test
    void basicChallengeWithoutCredentialsExplainsWhatToSet() {
        OciReference ref = OciReference.parse("127.0.0.1:" + registry.getAddress().getPort() + "/pyro/fake:1");
        try (OciClient client = new OciClient(OciClientOptions.defaults())) {
            assertThatThrownBy(() -> client.pull(ref, work.resolve("pull"), null))
                    .isInstanceOf(OciAuthenticationException.class)
                    .hasMessageContaining("needs a user name and password")
                    .hasMessageContaining("PYRO_OCI_PASSWORD");
        }
        try (OciClient client = new OciClient(OciClientOptions.defaults().withCredentials("u", "wrong"))) {
            assertThatThrownBy(() -> client.pull(ref, work.resolve("pull"), null))
                    .isInstanceOf(OciAuthenticationException.class)
                    .hasMessageContaining("denied access");
        }
    }

    private Descriptor descriptor(String name, String mediaType, Map<String, String> annotations) throws IOException {
        Path file = bundle.resolve(name);
        String digest = Sha256.of(file, n -> { });
        blobs.put(digest, file);
        return new Descriptor(mediaType, digest, Files.size(file), annotations);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
