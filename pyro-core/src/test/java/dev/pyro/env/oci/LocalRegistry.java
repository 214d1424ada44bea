package dev.pyro.env.oci;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real CNCF distribution registry ({@code docker-registry} from Debian) on 127.0.0.1 with
 * storage in a temporary directory, started and stopped by a test class.
 */
public final class LocalRegistry implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");

    public final int port;
    final Path storage;
    private final Path log;
    private final Process process;

    private LocalRegistry(int port, Path storage, Path log, Process process) {
        this.port = port;
        this.storage = storage;
        this.log = log;
        this.process = process;
    }

    /** An open registry (no auth). */
    public static LocalRegistry start(Path dir) throws Exception {
        return start(dir, "");
    }

    /** A registry that wants bearer tokens from {@code tokens}. */
    static LocalRegistry startWithTokenAuth(Path dir, TokenServer tokens) throws Exception {
        return start(dir, """
                auth:
                  token:
                    realm: %s
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(tokens.realm(), TokenServer.SERVICE, TokenServer.ISSUER, tokens.certificate()));
    }

    private static LocalRegistry start(Path dir, String authSection) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: these tests need a real registry; install the Debian"
                    + " package docker-registry (apt-get install docker-registry)");
        }
        int port = freePort();
        Path storage = Files.createDirectories(dir.resolve("storage"));
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                  secret: pyro-test-secret
                %s""".formatted(storage, port, authSection));
        Path log = dir.resolve("registry.log");
        Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LocalRegistry registry = new LocalRegistry(port, storage, log, process);
        registry.awaitReady();
        return registry;
    }

    /** {@code 127.0.0.1:<port>/<repository>:<tag>} as a reference. */
    public OciReference ref(String repositoryAndTag) {
        return OciReference.parse("oci://127.0.0.1:" + port + "/" + repositoryAndTag);
    }

    /** The stored data file of a blob, to corrupt it behind the registry's back. */
    public Path blobData(String digest) {
        String hex = digest.substring("sha256:".length());
        return storage.resolve("docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("docker-registry exited with " + process.exitValue() + ":\n" + log());
                }
                try {
                    int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200 || status == 401) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                Thread.sleep(50);
            }
        }
        close();
        throw new AssertionError("docker-registry did not come up on port " + port + ":\n" + log());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
