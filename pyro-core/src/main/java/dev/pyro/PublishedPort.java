package dev.pyro;

/**
 * A guest port a service published on the host.
 *
 * @param service     the service that published it
 * @param hostAddress where it listens on the host: always {@code 127.0.0.1}
 * @param hostPort    the host port
 * @param guestPort   the port in the guest it forwards to
 */
public record PublishedPort(String service, String hostAddress, int hostPort, int guestPort) {
}
