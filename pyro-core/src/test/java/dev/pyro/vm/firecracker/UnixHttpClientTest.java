package dev.pyro.vm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP/1.1 client against canned server answers on a real Unix socket. */
@Timeout(20)
class UnixHttpClientTest {
    @TempDir
    Path tmp;

    /** Serves one connection: records the request head+body, then writes {@code answer} and closes. */
    private CompletableFuture<String> serveOnce(Path socket, String answer, boolean closeAfter) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        CompletableFuture<String> request = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (server; SocketChannel c = server.accept()) {
                InputStream in = Channels.newInputStream(c);
                StringBuilder head = new StringBuilder();
                int length = 0;
                for (String l = FakeFirecracker.line(in); l != null && !l.isEmpty(); l = FakeFirecracker.line(in)) {
                    head.append(l).append('\n');
                    if (l.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(l.substring(15).trim());
                    }
                }
                head.append('\n').append(new String(in.readNBytes(length), StandardCharsets.UTF_8));
                request.complete(head.toString());
                OutputStream out = Channels.newOutputStream(c);
                out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (!closeAfter) {
                    Thread.sleep(30_000);
                }
            } catch (IOException | InterruptedException e) {
                request.completeExceptionally(e);
            }
        });
        return request;
    }

    @Test
    void sendsAWellFormedRequestAndReadsAContentLengthBody() throws Exception {
        Path sock = tmp.resolve("a.sock");
        var request = serveOnce(sock, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n"
                + "\r\n{\"a\":\"bc\"}\nTRAILING-GARBAGE", false);
        var response = new UnixHttpClient(sock, Duration.ofSeconds(5)).exchange("PUT", "/drives/x", "{\"k\":1}".getBytes());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("{\"a\":\"bc\"}\n");
        assertThat(response.headers()).containsEntry("content-type", "application/json");
        assertThat(request.get()).isEqualTo("PUT /drives/x HTTP/1.1\nHost: localhost\nAccept: application/json\n"
                + "Content-Type: application/json\nContent-Length: 7\n\n{\"k\":1}");
    }

    @Test
    void readsChunkedBodiesWithExtensionsAndTrailers() throws Exception {
        Path sock = tmp.resolve("c.sock");
        serveOnce(sock, "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\n{\"fau\r\n" + "18\r\nlt_message\":\"bad drive\"}\r\n" + "0\r\nX-Trailer: y\r\n\r\n", false);
        var response = new UnixHttpClient(sock, Duration.ofSeconds(5)).exchange("GET", "/", null);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyText()).isEqualTo("{\"fault_message\":\"bad drive\"}");
        assertThat(FirecrackerApiClient.faultMessage(response)).isEqualTo("bad drive");
    }

    @Test
    void noContentHasNoBodyEvenWithoutContentLength() throws Exception {
        Path sock = tmp.resolve("n.sock");
        serveOnce(sock, "HTTP/1.1 204 \r\nServer: Firecracker API\r\n\r\n", false);
        var response = new UnixHttpClient(sock, Duration.ofSeconds(5)).exchange("PUT", "/actions", "{}".getBytes());
        assertThat(response.status()).isEqualTo(204);
        assertThat(response.reason()).isEmpty();
        assertThat(response.body()).isEmpty();
    }

    @Test
    void aBodyWithoutLengthEndsAtClose() throws Exception {
        Path sock = tmp.resolve("e.sock");
        serveOnce(sock, "HTTP/1.0 500 Internal Server Error\r\n\r\nsomething broke", true);
        var response = new UnixHttpClient(sock, Duration.ofSeconds(5)).exchange("GET", "/", null);
        assertThat(response.status()).isEqualTo(500);
        assertThat(FirecrackerApiClient.faultMessage(response)).isEqualTo("something broke");
    }

    @Test
    void aSilentServerTimesOut() throws Exception {
        Path sock = tmp.resolve("t.sock");
        serveOnce(sock, "", false);
        // The server holds the connection for 30 s: only the client's own timeout ends this early.
        assertThatThrownBy(() -> new UnixHttpClient(sock, Duration.ofMillis(300)).exchange("GET", "/", null))
                .isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void garbageAndTruncationAreErrorsNotHangs() throws Exception {
        Path a = tmp.resolve("g.sock");
        serveOnce(a, "SSH-2.0-OpenSSH\r\n\r\n", true);
        assertThatThrownBy(() -> new UnixHttpClient(a, Duration.ofSeconds(5)).exchange("GET", "/", null))
                .isInstanceOf(IOException.class).hasMessageContaining("status line");
        Path b = tmp.resolve("h.sock");
        serveOnce(b, "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort", true);
        assertThatThrownBy(() -> new UnixHttpClient(b, Duration.ofSeconds(5)).exchange("GET", "/", null))
                .isInstanceOf(IOException.class).hasMessageContaining("closed");
        Path c = tmp.resolve("i.sock");
        serveOnce(c, "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", true);
        assertThatThrownBy(() -> new UnixHttpClient(c, Duration.ofSeconds(5)).exchange("GET", "/", null))
                .isInstanceOf(IOException.class).hasMessageContaining("too large");
    }

    @Test
    void refusesRequestTargetsThatWouldBreakTheRequestLine() {
        UnixHttpClient client = new UnixHttpClient(tmp.resolve("x.sock"), Duration.ofSeconds(1));
        assertThatThrownBy(() -> client.exchange("PUT", "/drives/a b", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.exchange("PUT", "/x\r\nEvil: 1", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void apiErrorsBecomePyroExceptionsWithTheFaultText() throws Exception {
        Path sock = tmp.resolve("f.sock");
        String fault = "{\"fault_message\":\"Invalid kernel path: No such file (os 2)\"}";
        serveOnce(sock, "HTTP/1.1 400 Bad Request\r\nContent-Length: " + fault.length() + "\r\n\r\n" + fault, false);
        assertThatThrownBy(() -> new FirecrackerApiClient(sock).putBootSource(
                new BootSource("/nope", java.util.Optional.empty(), java.util.Optional.empty())))
                .isInstanceOfSatisfying(FirecrackerApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VM_BOOT_FAILED);
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.faultMessage()).isEqualTo("Invalid kernel path: No such file (os 2)");
                })
                .hasMessageContaining("PUT /boot-source");
    }

    @Test
    void anUnreachableApiAfterBootIsVmDied() {
        assertThatThrownBy(() -> new FirecrackerApiClient(tmp.resolve("gone.sock")).sendCtrlAltDel())
                .isInstanceOfSatisfying(PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VM_DIED));
    }
}
