package dev.pyro.guest;

import java.util.Objects;

/**
 * A service's readiness check (protocol §12): what the agent polls until it passes.
 * Targets are checked by the agent ({@code INVALID_ARGUMENT} when they do not parse).
 */
public sealed interface ServiceReadiness {
    /** The wire kind: {@code file}, {@code tcp}, {@code http} or {@code command}. */
    String kind();

    /** What is checked: the path, address, URL or command. */
    String target();

    /** The request member that carries the target. */
    String member();

    /** Passes once {@code path} exists (relative to the service's directory, or absolute). */
    record File(String path) implements ServiceReadiness {
        /** Validates. */
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String kind() {
            return "file";
        }

        @Override
        public String target() {
            return path;
        }

        @Override
        public String member() {
            return "path";
        }
    }

    /** Passes once a TCP connect to {@code address} ({@code HOST:PORT}, in the guest) succeeds. */
    record Tcp(String address) implements ServiceReadiness {
        /** Validates. */
        public Tcp {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public String kind() {
            return "tcp";
        }

        @Override
        public String target() {
            return address;
        }

        @Override
        public String member() {
            return "address";
        }
    }

    /** Passes once an HTTP GET of {@code url} (http only) answers a 2xx or 3xx status. */
    record Http(String url) implements ServiceReadiness {
        /** Validates. */
        public Http {
            Objects.requireNonNull(url, "url");
        }

        @Override
        public String kind() {
            return "http";
        }

        @Override
        public String target() {
            return url;
        }

        @Override
        public String member() {
            return "url";
        }
    }

    /** Passes once {@code sh -c command} exits 0 (in the service's directory and environment). */
    record Command(String command) implements ServiceReadiness {
        /** Validates. */
        public Command {
            Objects.requireNonNull(command, "command");
        }

        @Override
        public String kind() {
            return "command";
        }

        @Override
        public String target() {
            return command;
        }

        @Override
        public String member() {
            return "command";
        }
    }
}
