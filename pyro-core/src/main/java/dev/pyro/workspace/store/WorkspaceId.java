package dev.pyro.workspace.store;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * An opaque, stable workspace id: {@code ws-} followed by 12 lowercase base32 characters
 * (60 random bits). Ids come from users, so every lookup validates them: anything that
 * does not match exactly (uppercase, {@code /}, {@code ..}, empty, too long) is reported as
 * an unknown workspace and never reaches the file system as a path.
 *
 * @param value the id as shown to users, e.g. {@code ws-k3j5q2a7mz4b}
 */
public record WorkspaceId(String value) {
    /** The prefix every id starts with. */
    public static final String PREFIX = "ws-";

    // Accepts lowercase hex as well as base32 so ids minted by other tools stay valid;
    // generate() only emits base32.
    private static final Pattern SHAPE = Pattern.compile("ws-[a-z0-9]{12}");
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    /**
     * Made when the first id is generated, not when the first one is checked: a
     * {@code SecureRandom} loads the JDK's security providers, which reading a record or
     * checking an id never needs (the CLI's start-up, docs/performance.md).
     */
    private static final class Random {
        static final RandomGenerator SOURCE = new SecureRandom();
    }

    /** Checks the shape; use {@link #of(String)} for ids that come from outside. */
    public WorkspaceId {
        Objects.requireNonNull(value, "value");
        if (!isValid(value)) {
            throw notFound(value);
        }
    }

    /**
     * Parses a user-supplied id.
     *
     * @throws PyroException {@link ErrorCode#WORKSPACE_NOT_FOUND} if it is not a well-formed id
     */
    public static WorkspaceId of(String value) {
        if (value == null) {
            throw notFound("null");
        }
        return new WorkspaceId(value);
    }

    /** Whether {@code value} has the shape of a workspace id. */
    public static boolean isValid(String value) {
        return value != null && SHAPE.matcher(value).matches();
    }

    /** A fresh random id. */
    public static WorkspaceId generate() {
        return generate(Random.SOURCE);
    }

    /** A fresh id drawn from {@code random} (tests pass a seeded generator). */
    static WorkspaceId generate(RandomGenerator random) {
        StringBuilder sb = new StringBuilder(PREFIX);
        for (int i = 0; i < 12; i++) {
            sb.append(BASE32[random.nextInt(BASE32.length)]);
        }
        return new WorkspaceId(sb.toString());
    }

    /** The error every unknown or malformed id gets, so both read the same to users. */
    static PyroException notFound(String value) {
        return new PyroException(ErrorCode.WORKSPACE_NOT_FOUND, "workspace " + printable(value) + " does not exist");
    }

    // A malformed id may hold control characters or be huge; keep the message one short line.
    private static String printable(String value) {
        String s = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.append(Character.isISOControl(c) ? "?" : Character.toString(c)));
        return sb.toString();
    }

    @Override
    public String toString() {
        return value;
    }
}
