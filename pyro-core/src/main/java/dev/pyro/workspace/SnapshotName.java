package dev.pyro.workspace;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.util.regex.Pattern;

/** Snapshot names: the service-name rule, {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}. */
final class SnapshotName {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private SnapshotName() {
    }

    /**
     * {@code name}, checked.
     *
     * @throws PyroException {@link ErrorCode#INVALID_ARGUMENT} for anything else
     */
    static String check(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            String shown = name == null ? "null" : name.length() > 80 ? name.substring(0, 80) + "…" : name;
            throw new PyroException(ErrorCode.INVALID_ARGUMENT, "snapshot name '" + printable(shown)
                    + "' is not allowed: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.append(c < 0x20 || c == 0x7f ? "?" : Character.toString(c)));
        return b.toString();
    }
}
