package dev.pyro.guest;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a guest restored from a memory snapshot makes its own before its first command
 * (protocol §5 {@code identity_set}, capability {@code identity}): every guest restored from one
 * template wakes with the template's kernel RNG state, clock, hostname and machine-id.
 *
 * @param entropy   host entropy the guest credits to its kernel RNG and reseeds from (64–512 bytes)
 * @param wallClock the host's wall clock now
 * @param hostname  one DNS label (a-z, 0-9, '-')
 * @param machineId 32 lower-case hex digits, not all zero
 * @param ttl       the guest powers off this long from now; empty: no TTL
 */
public record GuestIdentity(byte[] entropy, Instant wallClock, String hostname, String machineId,
        Optional<Duration> ttl) {
    /** Bytes of entropy a fresh identity carries (the agent takes 64 to 512). */
    public static final int ENTROPY_BYTES = 64;
    private static final Pattern HOSTNAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern MACHINE_ID = Pattern.compile("[0-9a-f]{32}");

    /** Validates and copies. */
    public GuestIdentity {
        entropy = entropy.clone();
        Objects.requireNonNull(wallClock, "wallClock");
        Objects.requireNonNull(ttl, "ttl");
        if (entropy.length < 64 || entropy.length > 512) {
            throw new IllegalArgumentException("entropy must be 64 to 512 bytes");
        }
        if (!HOSTNAME.matcher(hostname).matches()) {
            throw new IllegalArgumentException("hostname must be one DNS label");
        }
        if (!MACHINE_ID.matcher(machineId).matches() || machineId.chars().allMatch(c -> c == '0')) {
            throw new IllegalArgumentException("machine id must be 32 lower-case hex digits, not all zero");
        }
    }

    /** A fresh identity for the guest of {@code name} (a workspace or VM id): new entropy and machine-id. */
    public static GuestIdentity fresh(SecureRandom random, Instant now, String name, Optional<Duration> ttl) {
        byte[] entropy = new byte[ENTROPY_BYTES];
        random.nextBytes(entropy);
        byte[] id = new byte[16];
        random.nextBytes(id);
        id[0] |= 1; // never all zero
        return new GuestIdentity(entropy, now, hostnameFor(name), HexFormat.of().formatHex(id), ttl);
    }

    /** A hostname for {@code name}: its characters that a DNS label allows, lower-cased, bounded. */
    static String hostnameFor(String name) {
        String s = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        s = s.length() > 58 ? s.substring(0, 58) : s;
        s = ("pyro-" + s).replaceAll("-+$", "");
        return s.isEmpty() ? "pyro" : s;
    }

    @Override
    public byte[] entropy() {
        return entropy.clone();
    }

    /**
     * Sends this identity to the guest and returns how many bits of entropy it credited.
     *
     * @throws PyroException {@link ErrorCode#AGENT_PROTOCOL_ERROR} when the agent lacks the
     *                       capability or refuses a value
     */
    public long applyTo(AgentConnection connection) {
        connection.requireCapability("identity", "a guest restored from a snapshot");
        ObjectNode req = Json.op("identity_set");
        req.put("entropy", Base64.getEncoder().encodeToString(entropy));
        req.put("wall_ns", wallClock.getEpochSecond() * 1_000_000_000L + wallClock.getNano());
        req.put("hostname", hostname);
        req.put("machine_id", machineId);
        ttl.ifPresentOrElse(t -> req.put("ttl_ms", t.toMillis()), () -> req.put("ttl_ms", 0));
        JsonNode r = connection.request(req);
        return r.path("entropy_bits").asLong(0);
    }

    @Override
    public String toString() {
        return "GuestIdentity[" + hostname + ", " + machineId + "]"; // never the entropy
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GuestIdentity g && java.util.Arrays.equals(entropy, g.entropy)
                && wallClock.equals(g.wallClock) && hostname.equals(g.hostname) && machineId.equals(g.machineId)
                && ttl.equals(g.ttl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(java.util.Arrays.hashCode(entropy), wallClock, hostname, machineId, ttl);
    }
}
