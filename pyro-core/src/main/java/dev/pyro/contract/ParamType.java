package dev.pyro.contract;

/** Value types a contract parameter can have; each face maps them to its own form. */
public enum ParamType {
    /** Free text. */
    STRING,
    /** A whole number. */
    INTEGER,
    /** A whole number beyond 32 bits (a byte cursor); JSON integer. */
    LONG,
    /** A flag (CLI: present or not). */
    BOOLEAN,
    /** An ordered list of strings (CLI: the argv after {@code --}). */
    STRING_LIST,
    /**
     * Names to text (JSON: an object of strings; CLI: a repeatable {@code NAME=VALUE} option,
     * where a label with {@code [=} allows a bare {@code NAME}, meaning an empty value).
     */
    STRING_MAP,
    /**
     * A command: one shell string or a list of strings (an argv). The CLI always gives the
     * argv after {@code --}; MCP clients may send either (a chat model often writes a shell
     * line). {@link Arguments#argv} turns a string into {@code sh -lc STRING}.
     */
    COMMAND,
    /** A path on the host. */
    HOST_PATH,
    /** A path inside the guest, under {@code /workspace}. */
    GUEST_PATH
}
