package dev.pyro.guest;

import java.util.Objects;

/**
 * A service's readiness check (protocol §12): what the agent polls until it passes.
 * Targets are checked by the agent ({@code INVALID_ARGUMENT} when they do not parse).
 */
public sealed interface ServiceReadiness {
    /** The wire kind: {@code file}, {@code tcp}, {@code http} or {@code command}. */
    default String kind() {
        return switch (this) {
            case File f -> "file";
            case Tcp t -> "tcp";
            case Http h -> "http";
            case Command c -> "command";
        };
    }

    /** What is checked: the path, address, URL or command. */
    default String target() {
        return switch (this) {
            case File f -> f.path();
            case Tcp t -> t.address();
            case Http h -> h.url();
            case Command c -> c.command();
        };
    }

    /** The request member that carries the target (named like the record's component). */
    default String member() {
        return switch (this) {
            case File f -> "path";
            case Tcp t -> "address";
            case Http h -> "url";
            case Command c -> "command";
        };
    }

    /** Passes once {@code path} exists (relative to the service's directory, or absolute). */
    record File(String path) implements ServiceReadiness {
        /** Validates. */
        public File {
            Objects.requireNonNull(path, "path");
        }
    }

    /** Passes once a TCP connect to {@code address} ({@code HOST:PORT}, in the guest) succeeds. */
    record Tcp(String address) implements ServiceReadiness {
        /** Validates. */
        public Tcp {
            Objects.requireNonNull(address, "address");
        }
    }

    /** Passes once an HTTP GET of {@code url} (http only) answers a 2xx or 3xx status. */
    record Http(String url) implements ServiceReadiness {
        /** Validates. */
        public Http {
            Objects.requireNonNull(url, "url");
        }
    }

    /** Passes once {@code sh -c command} exits 0 (in the service's directory and environment). */
    record Command(String command) implements ServiceReadiness {
        /** Validates. */
        public Command {
            Objects.requireNonNull(command, "command");
        }
    }
}
