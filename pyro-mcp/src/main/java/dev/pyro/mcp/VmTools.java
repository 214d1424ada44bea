package dev.pyro.mcp;

import dev.pyro.EnvironmentEntry;
import dev.pyro.RunRequest;
import dev.pyro.RunResult;
import dev.pyro.env.catalog.EnvironmentCatalog;
import java.util.List;

/** Handlers of the host and one-shot tools: {@code vm_list_environments} and {@code vm_run}. */
final class VmTools {
    /** How much of each output stream the text form shows; the structured result has it all. */
    static final int TEXT_HEAD_CHARS = 8 * 1024;

    private VmTools() {
    }

    /**
     * The environment list, as {@code pyro env list --json} prints it.
     *
     * @param catalogVersion the catalog's version
     * @param environments   each catalog entry and whether it is installed
     */
    record EnvironmentListing(String catalogVersion, List<EnvironmentEntry> environments) {}

    static ToolResult listEnvironments(ToolArguments args, ToolContext ctx) {
        EnvironmentListing listing = new EnvironmentListing(EnvironmentCatalog.CATALOG_VERSION,
                ctx.pyro().listEnvironments());
        StringBuilder text = new StringBuilder("pyro environment catalog " + listing.catalogVersion() + "\n");
        for (EnvironmentEntry e : listing.environments()) {
            text.append(e.name()).append(" [").append(e.installed() ? "installed" : "not installed").append("] ")
                    .append(e.description()).append('\n');
        }
        return ToolResult.of(listing, text.toString());
    }

    static ToolResult run(ToolArguments args, ToolContext ctx) {
        RunRequest request = new RunRequest(args.string("environment"), args.stringList("command"),
                args.integer("vcpu_count"), args.integer("mem_mib"), args.integer("timeout_seconds"),
                args.integer("ttl_seconds"), args.bool("network"));
        RunResult result = ctx.pyro().runInVm(request, ctx.progress());
        return ToolResult.of(result, runText(result, request.timeoutSeconds()));
    }

    /** Exit status first (what a model needs to decide), then the heads of both streams. */
    static String runText(RunResult r, int timeoutSeconds) {
        StringBuilder text = new StringBuilder();
        text.append("exit_code=").append(r.exitCode()).append(" duration_ms=").append(r.durationMs())
                .append(" execution_mode=").append(r.executionMode()).append(" environment=")
                .append(r.environment()).append('\n');
        if (r.timedOut()) {
            text.append("the command timed out after ").append(timeoutSeconds).append(" s\n");
        }
        appendStream(text, "stdout", r.stdout(), r.stdoutTruncated());
        appendStream(text, "stderr", r.stderr(), r.stderrTruncated());
        return text.toString();
    }

    static void appendStream(StringBuilder text, String name, String content, boolean truncated) {
        if (content.isEmpty()) {
            text.append("--- ").append(name).append(": empty\n");
            return;
        }
        text.append("--- ").append(name).append(" ---\n");
        if (content.length() > TEXT_HEAD_CHARS) {
            text.append(content, 0, TEXT_HEAD_CHARS).append("\n[… ").append(content.length() - TEXT_HEAD_CHARS)
                    .append(" more characters in the structured result]\n");
        } else {
            text.append(content);
            if (!content.endsWith("\n")) {
                text.append('\n');
            }
        }
        if (truncated) {
            text.append("[").append(name).append(" was cut at pyro's output cap]\n");
        }
    }
}
