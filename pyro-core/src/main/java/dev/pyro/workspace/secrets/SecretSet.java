package dev.pyro.workspace.secrets;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A workspace's secrets, name to value, checked: names {@code [A-Za-z_][A-Za-z0-9_]{0,63}},
 * values 1 to {@value #MAX_VALUE_BYTES} bytes of UTF-8 without NUL, at most {@value #MAX_SECRETS}.
 * No message ever holds a value; {@link #toString()} shows names only.
 *
 * @param values name to value, in the order given
 */
public record SecretSet(Map<String, String> values) {
    /** The name rule. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    /** The most secrets a workspace takes (the agent's limit). */
    public static final int MAX_SECRETS = 32;
    /** The longest value in bytes (the agent's limit). */
    public static final int MAX_VALUE_BYTES = 4096;
    /** The empty set. */
    public static final SecretSet NONE = new SecretSet(Map.of());

    /** Checks and copies. */
    public SecretSet {
        if (values.size() > MAX_SECRETS) {
            throw new PyroException(ErrorCode.INVALID_SECRET_VALUE, values.size()
                    + " secrets given; a workspace takes at most " + MAX_SECRETS);
        }
        values.forEach(SecretSet::check);
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * The set of inline values and files (name to host path), checked together: a name given
     * twice (in either) is {@link ErrorCode#DUPLICATE_NAME}.
     */
    public static SecretSet of(Map<String, String> inline, Map<String, Path> files) {
        Map<String, String> all = new LinkedHashMap<>(inline);
        for (Map.Entry<String, Path> f : files.entrySet()) {
            requireName(f.getKey());
            if (all.containsKey(f.getKey())) {
                throw new PyroException(ErrorCode.DUPLICATE_NAME, "secret " + f.getKey()
                        + " is given twice; give each name once");
            }
            all.put(f.getKey(), readFile(f.getKey(), f.getValue()));
        }
        return new SecretSet(all);
    }

    /** Names in the order given. */
    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    /** True without secrets. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The redaction net over these values. */
    public Redactor redactor() {
        return Redactor.of(values.values());
    }

    /** Refuses a malformed name (the message shows no value). */
    public static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            // The name is not echoed: a malformed one may be a value given in its place.
            throw new PyroException(ErrorCode.INVALID_SECRET_NAME,
                    "a secret name must match [A-Za-z_][A-Za-z0-9_]{0,63}; rename it");
        }
    }

    private static void check(String name, String value) {
        requireName(name);
        int bytes = value == null ? 0 : value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_VALUE_BYTES) {
            throw new PyroException(ErrorCode.INVALID_SECRET_VALUE, "secret " + name + " has " + bytes
                    + " bytes; a value has 1 to " + MAX_VALUE_BYTES);
        }
        if (value.indexOf('\0') >= 0) {
            throw new PyroException(ErrorCode.INVALID_SECRET_VALUE, "secret " + name
                    + " holds a NUL character, which no environment variable can carry; remove it");
        }
    }

    private static String readFile(String name, Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_VALUE_BYTES + 1L) {
                throw new PyroException(ErrorCode.INVALID_SECRET_VALUE, "the file of secret " + name
                        + " is larger than " + MAX_VALUE_BYTES + " bytes; a value has at most that");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : "unreadable";
            throw new PyroException(ErrorCode.INVALID_SECRET_FILE, "cannot read the file of secret " + name
                    + " (" + file + "): " + why + "; give a readable file", e);
        }
        // One trailing line ending is the file's, not the value's (echo TOKEN > file).
        int n = bytes.length;
        if (n > 0 && bytes[n - 1] == '\n') {
            n -= n > 1 && bytes[n - 2] == '\r' ? 2 : 1;
        }
        bytes = java.util.Arrays.copyOf(bytes, n);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PyroException(ErrorCode.INVALID_SECRET_FILE, "the file of secret " + name + " (" + file
                    + ") is not UTF-8 text; secrets are text", e);
        }
    }

    @Override
    public String toString() {
        return "SecretSet" + values.keySet();
    }
}
