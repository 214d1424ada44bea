package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What the service tests share: the HTTP server script, free loopback ports, waits on state. */
final class ServiceDriver {
    private ServiceDriver() {
    }

    /** A loopback port nobody listens on right now. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET of {@code http://127.0.0.1:port/path}: status and body. */
    static String get(int port, String path) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits (polling the status, at most 20 s) until the service has ended and settled. */
    static ServiceInfo awaitSettled(ServiceClient services, String name) {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        ServiceInfo info = services.status(name);
        while (!info.settled() && System.nanoTime() < until) {
            ShellDriver.pause();
            info = services.status(name);
        }
        assertThat(info.settled()).as("service %s settled: %s", name, info).isTrue();
        return info;
    }

    /** Waits (at most 20 s) until the service's whole log reads {@code text}. */
    static void awaitLog(ServiceClient services, String name, String text) {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String log = services.readToEnd(name, ServiceLogRequest.all(ServiceLogStream.BOTH)).text();
        while (!log.equals(text) && System.nanoTime() < until) {
            ShellDriver.pause();
            log = services.readToEnd(name, ServiceLogRequest.all(ServiceLogStream.BOTH)).text();
        }
        assertThat(log).as("log of %s", name).isEqualTo(text);
    }
}
