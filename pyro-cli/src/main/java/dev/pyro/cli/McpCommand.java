package dev.pyro.cli;

import dev.pyro.Pyro;
import dev.pyro.contract.McpProfile;
import dev.pyro.mcp.McpServerRunner;
import dev.pyro.mcp.ToolHandlers;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pyro mcp ...}: pyro as an MCP server for chat hosts. */
@Command(name = "mcp", description = "Serve pyro's tools over the Model Context Protocol.",
        subcommands = {McpCommand.ServeCmd.class})
final class McpCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(PyroCommand.root(spec).output().err());
    }

    /**
     * {@code pyro mcp serve [--profile P]}: an MCP server on stdin/stdout until stdin closes.
     * The default profile is {@code workspace-core}, the narrow chat set the contract
     * (3.2–3.11, "MCP profiles") describes for chat hosts.
     */
    @Command(name = "serve", description = {
            "Run an MCP server on stdin/stdout (for Claude Code, Codex, OpenCode, ...) until stdin closes.",
            "stdout carries only MCP messages; logs go to stderr."})
    static final class ServeCmd implements Callable<Integer> {
        static final String DEFAULT_PROFILE = "workspace-core";

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        BackendOption backend;

        @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = DEFAULT_PROFILE,
                converter = ProfileConverter.class,
                description = "Tool set: vm-run, workspace-core or workspace-full (default: ${DEFAULT-VALUE}).")
        McpProfile profile;

        @Override
        public Integer call() throws InterruptedException {
            McpServerRunner.configureLogging("1".equals(System.getenv("PYRO_DEBUG")));
            // The protocol owns the real stdout. Anything else that prints to System.out
            // (a library, a stray println) would corrupt the stream, so System.out is
            // pointed at stderr for the life of the server.
            // Not a PrintStream: it would swallow the error of a closed stdout.
            OutputStream protocolOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
            System.setOut(System.err);
            try (Pyro pyro = backend.pyro()) {
                new McpServerRunner(pyro, profile, ToolHandlers.standard(), new VersionProvider().getVersion()[0]
                        .replaceFirst("^pyro ", "")).serve(new FileInputStream(FileDescriptor.in), protocolOut);
            }
            return 0;
        }

        /** Profiles by their wire names; a wrong one is a usage error naming the choices. */
        static final class ProfileConverter implements CommandLine.ITypeConverter<McpProfile> {
            @Override
            public McpProfile convert(String wireName) {
                return Arrays.stream(McpProfile.values()).filter(p -> p.wireName().equals(wireName)).findFirst()
                        .orElseThrow(() -> new CommandLine.TypeConversionException("unknown profile '" + wireName
                                + "'; choose one of " + Arrays.stream(McpProfile.values()).map(McpProfile::wireName)
                                        .toList()));
            }
        }
    }
}
