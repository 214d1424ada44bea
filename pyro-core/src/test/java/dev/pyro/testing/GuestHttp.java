package dev.pyro.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * HTTP inside a guest for service tests, with what every debian:12 has (perl; no curl, no
 * python): the test server script and a GET from the workspace.
 */
public final class GuestHttp {
    /** {@code FETCH PORT PATH}: a GET of 127.0.0.1:PORT/PATH, printing the whole answer; what a curl would do. */
    public static final String FETCH = "perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(\"127.0.0.1:\" . "
            + "shift) or die \"connect: $!\\n\"; print $s \"GET \" . shift . \" HTTP/1.0\\r\\n\\r\\n\"; print while <$s>'";

    private GuestHttp() {
    }

    /**
     * Writes {@code serve.pl} (run as {@code perl serve.pl PORT [DELAY_MS]}: logs each request
     * line, answers 200 "hello from perl", 500 for /fail) into {@code dir}; returns {@code dir}.
     */
    public static Path installServer(Path dir) {
        try (InputStream in = GuestHttp.class.getResourceAsStream("/services/serve.pl")) {
            Files.write(dir.resolve("serve.pl"), in.readAllBytes());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
