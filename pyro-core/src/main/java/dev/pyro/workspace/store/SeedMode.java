package dev.pyro.workspace.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How {@code /workspace} was filled at create. The wire form is the lowercase name. */
public enum SeedMode {
    /** Nothing was seeded. */
    EMPTY,
    /** A host directory was copied in. */
    DIRECTORY,
    /** A {@code .tar}, {@code .tar.gz} or {@code .tgz} archive was unpacked. */
    TAR_ARCHIVE;

    /** The lowercase wire name. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant for a wire name. */
    @JsonCreator
    public static SeedMode fromWireName(String wire) {
        for (SeedMode m : values()) {
            if (m.wireName().equals(wire)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown seed mode '" + wire + "'");
    }
}
