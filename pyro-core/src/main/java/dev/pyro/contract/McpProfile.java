package dev.pyro.contract;

/** Named tool sets of {@code pyro mcp serve --profile}. */
public enum McpProfile {
    /** Only one-shot runs and the environment list. */
    VM_RUN("vm-run"),
    /** The narrow chat set of workspace tools. */
    WORKSPACE_CORE("workspace-core"),
    /** Every tool. */
    WORKSPACE_FULL("workspace-full");

    private final String wireName;

    McpProfile(String wireName) {
        this.wireName = wireName;
    }

    /** The name used on the command line. */
    public String wireName() {
        return wireName;
    }
}
