package dev.pyro.present;

import dev.pyro.contract.Arguments;
import dev.pyro.contract.Params;
import java.util.Locale;

/**
 * How JSON and MCP results carry a guest command's output bytes ({@code output_encoding}).
 * Human CLI output never needs this: it writes the bytes themselves.
 */
public enum OutputEncoding {
    /** UTF-8 text; bytes that do not decode become U+FFFD and the stream is labelled {@code utf-8-replaced}. */
    TEXT,
    /** Base64 of the exact bytes. */
    BASE64;

    /** The encoding an operation's arguments ask for. */
    static OutputEncoding of(Arguments a) {
        return valueOf(a.string(Params.OUTPUT_ENCODING).toUpperCase(Locale.ROOT));
    }
}
