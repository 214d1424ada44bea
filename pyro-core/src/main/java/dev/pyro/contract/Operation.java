package dev.pyro.contract;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One public operation and how each face names it. An absent face means the operation
 * is not offered there (e.g. {@code env prune} has no MCP tool). Operations are compared
 * by identity of meaning: the constants of {@link Contract} are the keys handlers are
 * registered under.
 *
 * @param id        stable identifier, e.g. {@code env.pull}
 * @param cli       CLI command words after {@code pyro}, e.g. {@code [env, pull]}
 * @param sdkMethod method name on {@code dev.pyro.Pyro}
 * @param mcpTool   MCP tool name
 * @param milestone the contract milestone that introduced it
 * @param summary   one line for help texts and tool descriptions
 * @param params    parameters in CLI order, CLI-only flags included
 * @param profiles  MCP profiles that expose the tool
 */
public record Operation(String id, Optional<List<String>> cli, Optional<String> sdkMethod, Optional<String> mcpTool,
        String milestone, String summary, List<Param> params, Set<McpProfile> profiles) {

    public Operation {
        Objects.requireNonNull(id, "id");
        cli = cli.map(List::copyOf);
        Objects.requireNonNull(sdkMethod, "sdkMethod");
        Objects.requireNonNull(mcpTool, "mcpTool");
        Objects.requireNonNull(milestone, "milestone");
        Objects.requireNonNull(summary, "summary");
        params = List.copyOf(params);
        profiles = Set.copyOf(profiles);
        if (mcpTool.isPresent() == profiles.isEmpty()) {
            throw new IllegalArgumentException(id + ": an MCP tool needs at least one profile, and only a tool has any");
        }
        Set<String> names = new HashSet<>();
        Set<String> flags = new HashSet<>();
        for (Param p : params) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException(id + ": parameter " + p.name() + " declared twice");
            }
            if (!flags.add(p.cliName())) {
                throw new IllegalArgumentException(id + ": CLI name " + p.cliName() + " used twice");
            }
        }
    }

    /**
     * The id's hash (equal operations have equal ids), so that a map keyed by operations, as
     * the handlers are, neither hashes every parameter nor bootstraps the record's generated
     * {@code hashCode} on a CLI call. Equality stays the record's.
     */
    @Override
    public int hashCode() {
        return id.hashCode();
    }

    /** The CLI command as one string, e.g. {@code env pull}. */
    public Optional<String> cliCommand() {
        return cli.map(words -> String.join(" ", words));
    }

    /** The parameters MCP tools take (CLI-only output flags and settings left out). */
    public List<Param> toolParams() {
        return params.stream().filter(Param::mcp).toList();
    }

    /** The parameters the tool takes in {@code profile} (secrets only in {@code workspace-full}). */
    public List<Param> toolParams(McpProfile profile) {
        return params.stream().filter(p -> p.inProfile(profile)).toList();
    }

    /** The parameters SDK methods take: the tool's, less rendering options. */
    public List<Param> sdkParams() {
        return params.stream().filter(Param::sdk).toList();
    }

    /** The parameter of that snake_case name, CLI-only ones included. */
    public Optional<Param> param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Whether the operation takes exactly this parameter. */
    public boolean takes(Param param) {
        // Compared whole only where the names match (List.contains would call the record's
        // equals on every parameter before it: method handles bootstrapped on a CLI call).
        for (Param p : params) {
            if (p == param || p.name().equals(param.name()) && p.equals(param)) {
                return true;
            }
        }
        return false;
    }
}
