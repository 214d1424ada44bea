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

    /**
     * Whether this profile's tools take {@code param}: {@code workspace-core} leaves out the
     * parameters of {@link Params#WORKSPACE_FULL_ONLY} (network, for one), so a chat client
     * neither sees nor can pass them; the operation then runs with their defaults.
     */
    public boolean offers(Param param) {
        return this != WORKSPACE_CORE || !Params.WORKSPACE_FULL_ONLY.contains(param);
    }

    /** The name used on the command line. */
    public String wireName() {
        return wireName;
    }
}
