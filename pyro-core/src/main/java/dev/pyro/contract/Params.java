package dev.pyro.contract;

import static dev.pyro.contract.Param.option;
import static dev.pyro.contract.Param.positional;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The parameters of the registry's operations, one constant each, so handlers name the
 * parameter they read by reference rather than by a string. An operation lists the ones it
 * takes in {@link Contract}; the same constant may serve several operations.
 */
public final class Params {
    /** An environment to boot, e.g. {@code debian:12}. */
    public static final Param ENVIRONMENT = positional("environment", 0, "ENV", ParamType.STRING,
            "Environment name, e.g. debian:12");
    /** An environment to manage. */
    public static final Param ENVIRONMENT_NAME = positional("name", 0, "NAME", ParamType.STRING,
            "Environment name, e.g. debian:12");
    /** The workspace an operation acts on. */
    public static final Param WORKSPACE_ID = positional("workspace_id", 0, "ID", ParamType.STRING,
            "Workspace id (ws-...)");

    /** Virtual CPUs. */
    public static final Param VCPU_COUNT = option("vcpu_count", ParamType.INTEGER,
            Integer.toString(Defaults.VCPU_COUNT), "Virtual CPUs");
    /** Guest memory. */
    public static final Param MEM_MIB = option("mem_mib", ParamType.INTEGER, Integer.toString(Defaults.MEM_MIB),
            "Guest memory in MiB");
    /** Time limit of one guest command. */
    public static final Param TIMEOUT_SECONDS = option("timeout_seconds", ParamType.INTEGER,
            Integer.toString(Defaults.TIMEOUT_SECONDS), "Time limit of the command in seconds; then it exits 124");
    /** Output cap of a workspace command. */
    public static final Param MAX_OUTPUT_BYTES = option("max_output_bytes", ParamType.INTEGER,
            Integer.toString(Defaults.EXEC_MAX_OUTPUT_BYTES),
            "Bytes of stdout and of stderr kept each; the rest is counted and dropped, and the result says so");
    /** Output cap of a one-shot command (larger: nothing else keeps a one-shot's output). */
    public static final Param RUN_MAX_OUTPUT_BYTES = option("max_output_bytes", ParamType.INTEGER,
            Integer.toString(Defaults.RUN_MAX_OUTPUT_BYTES),
            "Bytes of stdout and of stderr kept each; the rest is counted and dropped, and the result says so");
    /** How stdout and stderr appear in JSON results. */
    public static final Param OUTPUT_ENCODING = Param.rendering("output_encoding", ParamType.STRING, "text",
            "How JSON results carry stdout and stderr: text (UTF-8; undecodable bytes become U+FFFD and "
                    + "*_encoding says utf-8-replaced) or base64 (the exact bytes)").withLabel("ENCODING")
            .withChoices(List.of("text", "base64"));
    /** Standard input for the command, as text (MCP; the SDK takes a byte source). */
    public static final Param STDIN = Param.sdkAndMcpOnly("stdin", ParamType.STRING,
            "Text fed to the command's standard input (UTF-8); without it the command reads end of file at once");
    /** Forward the CLI's standard input even from a terminal. */
    public static final Param INTERACTIVE = Param.settingFlag("interactive", List.of("-i"),
            "Forward this terminal's standard input to the command (it is always forwarded when it is not "
                    + "a terminal)");
    /** Time limit of a one-shot VM. */
    public static final Param RUN_TTL_SECONDS = option("ttl_seconds", ParamType.INTEGER,
            Integer.toString(Defaults.TTL_SECONDS), "Time limit of the whole VM in seconds, boot included");
    /** Time to live of a workspace. */
    public static final Param WORKSPACE_TTL_SECONDS = option("ttl_seconds", ParamType.INTEGER,
            Integer.toString(Defaults.TTL_SECONDS),
            "Time to live in seconds: then the VM is stopped and the workspace expires");
    /** Whether the guest gets a network. */
    public static final Param NETWORK = option("network", ParamType.BOOLEAN, "false", "Give the guest a network");
    /** How much network a workspace gets. */
    public static final Param NETWORK_POLICY = option("network_policy", ParamType.STRING, "off",
            "Guest network: off (no network device), egress (outbound only) or egress+published-ports "
                    + "(services may also publish ports on the host's 127.0.0.1); the older network switch means egress")
            .withLabel("POLICY").withChoices(List.of("off", "egress", "egress+published-ports"));
    /** Secrets of a new workspace, given inline. */
    public static final Param SECRET = option("secret", ParamType.STRING_MAP, null,
            "A secret NAME=VALUE (repeatable; names [A-Za-z_][A-Za-z0-9_]{0,63}), fixed at create: commands see it "
                    + "only through secret_env, and every output shows [REDACTED] in place of its value")
            .withLabel("NAME=VALUE");
    /** Secrets of a new workspace, read from host files. */
    public static final Param SECRET_FILE = option("secret_file", ParamType.STRING_MAP, null,
            "A secret NAME=PATH read from a host file (repeatable; UTF-8 text, one trailing newline dropped)")
            .withLabel("NAME=PATH");
    /** Secrets a command, shell or service sees as environment variables. */
    public static final Param SECRET_ENV = option("secret_env", ParamType.STRING_MAP, null,
            "Expose a workspace secret to this command as an environment variable: NAME (as $NAME) or "
                    + "NAME=ENV_VAR (repeatable); without it the command cannot see the secret")
            .withLabel("NAME[=ENV_VAR]");
    /** Parameters whose values are secrets: never echoed. */
    static final java.util.Set<String> SENSITIVE = java.util.Set.of("secret");
    /**
     * Parameters the {@code workspace-core} MCP profile leaves out of its schemas: the narrow chat
     * set has neither secrets nor network (CONTRACT.md 3.2.0), so a chat client neither sees nor
     * can pass them, and the operation runs with their defaults. ({@code vm-run} keeps
     * {@code vm_run}'s network switch; it has no tool that takes a secret.)
     */
    static final java.util.Set<String> NOT_IN_WORKSPACE_CORE = java.util.Set.of("secret", "secret_file", "secret_env",
            "network", "network_policy", "allow_host", "publish");

    /** The guest command. */
    public static final Param COMMAND = Param.command("The command: its argv (after -- on the command line), or "
            + "one shell string run with sh -lc");

    /** What a new workspace is seeded from. */
    public static final Param SEED_PATH = option("seed_path", ParamType.HOST_PATH, null,
            "Host directory or .tar/.tar.gz/.tgz archive unpacked into /workspace");
    /** What sync push copies in. */
    public static final Param SOURCE_PATH = positional("source_path", 1, "SOURCE", ParamType.HOST_PATH,
            "Host directory or .tar/.tar.gz/.tgz archive");
    /** Where sync push puts it. */
    public static final Param DEST = option("dest", ParamType.GUEST_PATH, null,
            "Destination under /workspace, relative to it (default: /workspace)");
    /** What export copies out. */
    public static final Param EXPORT_PATH = positional("path", 1, "PATH", ParamType.GUEST_PATH,
            "Path under /workspace (relative to it) to export");
    /** Where export writes. */
    public static final Param OUTPUT_PATH = new Param("output_path", new Param.CliForm.Option("--output", "HOST_PATH"),
            ParamType.HOST_PATH, Optional.empty(), true,
            "Host path to write; must not exist unless force, its parent must", List.of());
    /** Whether export may replace its output. */
    public static final Param FORCE = option("force", ParamType.BOOLEAN, "false", "Replace an existing output path");

    /** The shell an operation acts on. */
    public static final Param SHELL_ID = positional("shell_id", 1, "SHELL_ID", ParamType.STRING,
            "Shell id (8 hex characters, from shell open or shell list)");
    /** The shell to attach to; without it, a new one is opened. */
    public static final Param ATTACH_SHELL_ID = new Param("shell_id", new Param.CliForm.Positional(1, "SHELL_ID"),
            ParamType.STRING, Optional.empty(), false, "Shell id to attach to; without it a new shell is opened",
            List.of());
    /** Where a shell starts. */
    public static final Param CWD = option("cwd", ParamType.GUEST_PATH, null,
            "Working directory under /workspace, relative to it (default: /workspace)");
    /** A new shell's terminal width. */
    public static final Param COLS = option("cols", ParamType.INTEGER, "120", "Terminal width in columns, 1-1000");
    /** A new shell's terminal height. */
    public static final Param ROWS = option("rows", ParamType.INTEGER, "30", "Terminal height in rows, 1-1000");
    /** A resized terminal's width. */
    public static final Param NEW_COLS = new Param("cols", new Param.CliForm.Option("--cols", "N"), ParamType.INTEGER,
            Optional.empty(), true, "New terminal width in columns, 1-1000", List.of());
    /** A resized terminal's height. */
    public static final Param NEW_ROWS = new Param("rows", new Param.CliForm.Option("--rows", "N"), ParamType.INTEGER,
            Optional.empty(), true, "New terminal height in rows, 1-1000", List.of());
    /** Where a shell read starts. */
    public static final Param CURSOR = option("cursor", ParamType.LONG, "0",
            "Read from this output position: 0 for the start, or the next_cursor of an earlier read");
    /** How much one shell read returns. */
    public static final Param MAX_CHARS = option("max_chars", ParamType.INTEGER, "65536",
            "Return at most this many characters, 1-262144 (next_cursor continues after them)");
    /** A shell read as a person sees it. */
    public static final Param PLAIN = option("plain", ParamType.BOOLEAN, "false",
            "Return what a person would see: control sequences stripped, carriage returns and backspaces applied");
    /** A shell read that waits for quiet. */
    public static final Param WAIT_FOR_IDLE_MS = option("wait_for_idle_ms", ParamType.INTEGER, "0",
            "Answer once the shell has been quiet this long, 0-60000 ms (at most 10 s more while output keeps "
                    + "coming), so a whole answer is read at once");
    /** Shell input. */
    public static final Param INPUT = new Param("input", new Param.CliForm.Option("--input", "TEXT"),
            ParamType.STRING, Optional.empty(), true, "Text to type into the shell (at most 65536 bytes)", List.of());
    /** Shell input without the newline. */
    public static final Param NO_NEWLINE = option("no_newline", ParamType.BOOLEAN, "false",
            "Do not press Enter after the input");
    /** The signal for a shell's foreground job. */
    public static final Param SIGNAL = new Param("signal", new Param.CliForm.Positional(2, "SIGNAL"),
            ParamType.STRING, Optional.of("INT"), false,
            "Signal for the shell's foreground job; INT is Ctrl-C", List.of("HUP", "INT", "QUIT", "TERM", "KILL"));
    /** {@code --id-only} of shell open. */
    public static final Param SHELL_ID_ONLY = Param.outputFlag("id_only", "Print only the shell id");
    /** A service of a workspace. */
    public static final Param SERVICE_NAME = positional("name", 1, "NAME", ParamType.STRING,
            "Service name: 1 to 64 of A-Z a-z 0-9 . _ -, starting with a letter or digit");
    /** Service readiness: a file appears. */
    public static final Param READY_FILE = option("ready_file", ParamType.STRING, null,
            "Ready once this path exists in the guest (relative to the working directory, or absolute)")
            .withLabel("PATH");
    /** Service readiness: a TCP connect succeeds. */
    public static final Param READY_TCP = option("ready_tcp", ParamType.STRING, null,
            "Ready once a TCP connect to HOST:PORT succeeds inside the guest (an IP address or localhost)")
            .withLabel("HOST:PORT");
    /** Service readiness: an HTTP GET succeeds. */
    public static final Param READY_HTTP = option("ready_http", ParamType.STRING, null,
            "Ready once a GET of this http:// URL inside the guest answers 2xx or 3xx").withLabel("URL");
    /** Service readiness: a command exits 0. */
    public static final Param READY_COMMAND = option("ready_command", ParamType.STRING, null,
            "Ready once this shell command (sh -c, in the working directory) exits 0").withLabel("CMD");
    /** How long a readiness check may take. */
    public static final Param READY_TIMEOUT_SECONDS = option("ready_timeout_seconds", ParamType.INTEGER,
            Integer.toString(Defaults.READY_TIMEOUT_SECONDS),
            "Seconds the readiness check may take to pass; then the service is stopped and the start fails");
    /** How often a readiness check runs. */
    public static final Param READY_INTERVAL_MS = option("ready_interval_ms", ParamType.INTEGER,
            Integer.toString(Defaults.READY_INTERVAL_MS), "Milliseconds between two runs of the readiness check");
    /** Only the last lines of a log. */
    public static final Param TAIL_LINES = option("tail_lines", ParamType.INTEGER, null,
            "Only the last N lines (default: everything kept, up to 2 MiB)");
    /** Which output stream of a service. */
    public static final Param LOG_STREAM = option("stream", ParamType.STRING, "both",
            "Which output: stdout, stderr or both (in the order the guest read them)").withLabel("STREAM")
            .withChoices(List.of("stdout", "stderr", "both"));
    /** Grace of a service stop. */
    public static final Param STOP_TIMEOUT_SECONDS = option("timeout_seconds", ParamType.INTEGER,
            Integer.toString(Defaults.STOP_TIMEOUT_SECONDS), "Seconds between TERM and KILL (0: KILL at once)");

    /** A snapshot to create or delete. */
    public static final Param SNAPSHOT_NAME = positional("name", 1, "NAME", ParamType.STRING,
            "Snapshot name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    /** The snapshot a reset restores. */
    public static final Param RESET_SNAPSHOT = option("snapshot", ParamType.STRING, "baseline",
            "Snapshot to rebuild /workspace from (baseline: as create left it)").withLabel("NAME");
    /** Where on a stopped workspace's disk to list. */
    public static final Param DISK_LIST_PATH = new Param("path", new Param.CliForm.Positional(1, "PATH"),
            ParamType.GUEST_PATH, Optional.of("/workspace"), false,
            "Directory or file under /workspace (relative to it) to list", List.of());
    /** Which file of a stopped workspace's disk to read. */
    public static final Param DISK_READ_PATH = positional("path", 1, "PATH", ParamType.GUEST_PATH,
            "File under /workspace (relative to it) to read");
    /** Whether a listing descends into subdirectories. */
    public static final Param RECURSIVE = option("recursive", ParamType.BOOLEAN, "false", "List subdirectories too");
    /** How much of a file to read. */
    public static final Param MAX_BYTES = option("max_bytes", ParamType.INTEGER, "65536",
            "Read at most this many bytes of the file (1 to 16777216)");
    /** {@code --content-only}: just the payload. */
    public static final Param CONTENT_ONLY = Param.outputFlag("content_only", "Print only the file's content");
    /** Where a disk export writes its image. */
    public static final Param DISK_OUTPUT_PATH = new Param("output_path",
            new Param.CliForm.Option("--output", "HOST_PATH"), ParamType.HOST_PATH, Optional.empty(), true,
            "Host path of the raw ext4 image to write; must not exist, its parent must", List.of());

    /** What a workspace is called, for people. */
    public static final Param NAME = option("name", ParamType.STRING, null,
            "A name for people: 1-64 printable characters (ids stay the handle)").withLabel("NAME");
    /** Labels of a new workspace, or labels to set. */
    public static final Param LABELS = new Param("labels", new Param.CliForm.Option("--label", "KEY=VALUE"),
            ParamType.STRING_LIST, Optional.empty(), false,
            "A label as KEY=VALUE (repeatable, at most 32; keys: letters, digits, '.', '_', '-', '/')", List.of());
    /** Labels a listing must have. */
    public static final Param LABEL_FILTER = new Param("labels", new Param.CliForm.Option("--label", "KEY=VALUE"),
            ParamType.STRING_LIST, Optional.empty(), false,
            "Only workspaces with this label (repeatable: all must match)", List.of());
    /** A new name. */
    public static final Param NEW_NAME = option("name", ParamType.STRING, null,
            "New name (1-64 printable characters); an empty one removes the name").withLabel("NAME");
    /** Labels to remove. */
    public static final Param CLEAR_LABELS = new Param("clear_labels", new Param.CliForm.Option("--clear-label", "KEY"),
            ParamType.STRING_LIST, Optional.empty(), false, "Remove the label KEY (repeatable)", List.of());

    /** Where a file listing starts. */
    public static final Param FILE_LIST_PATH = new Param("path", new Param.CliForm.Positional(1, "PATH"),
            ParamType.GUEST_PATH, Optional.of("/workspace"), false,
            "Directory or file under /workspace (relative to it, or absolute) to list", List.of());
    /** The file a file tool acts on. */
    public static final Param FILE_PATH = positional("path", 1, "PATH", ParamType.GUEST_PATH,
            "File under /workspace (relative to it, or absolute); symlinks are followed while they stay inside");
    /** A file's new content, as text. */
    public static final Param TEXT = option("text", ParamType.STRING, null,
            "The file's whole new content (UTF-8); give this or text_file").withLabel("TEXT");
    /** A file's new content, from a host file. */
    public static final Param TEXT_FILE = option("text_file", ParamType.HOST_PATH, null,
            "Host file whose bytes become the file's content (at most 16 MiB); give this or text");
    /** A unified diff, as text. */
    public static final Param PATCH = option("patch", ParamType.STRING, null,
            "A unified diff as git diff or workspace diff write it; give this or patch_file").withLabel("TEXT");
    /** A unified diff, from a host file. */
    public static final Param PATCH_FILE = option("patch_file", ParamType.HOST_PATH, null,
            "Host file holding the unified diff; give this or patch");

    /** The workspace a 2.x lifecycle tool acts on. */
    public static final Param VM_ID = positional("vm_id", 0, "VM_ID", ParamType.STRING,
            "The VM's id: a workspace id (ws-...) from vm_create");
    /** The chat host to configure. */
    public static final Param MCP_HOST = positional("host", 0, "HOST", ParamType.STRING,
            "The MCP host whose configuration to print").withChoices(List.of("claude-code", "codex", "opencode"));

    /** A published bundle to pull. */
    public static final Param FROM = option("from", ParamType.STRING, null,
            "Pull a published bundle: oci://host[:port]/repo[:tag][@sha256:digest]").withLabel("OCI_REF");
    /** Where to publish a bundle. */
    public static final Param REFERENCE = positional("reference", 1, "OCI_REF", ParamType.STRING,
            "oci://host[:port]/repo[:tag]");

    /** The MCP server's tool set. */
    public static final Param PROFILE = option("profile", ParamType.STRING, McpProfile.WORKSPACE_CORE.wireName(),
            "Tool set of the server").withLabel("PROFILE")
            .withChoices(Arrays.stream(McpProfile.values()).map(McpProfile::wireName).toList());

    /** The host names a workspace's guest may reach. */
    public static final Param ALLOW_HOST = option("allow_host", ParamType.STRING_LIST, null,
            "Limit egress to this host name (repeatable): pypi.org, or *.github.com for the names below it; "
                    + "enforced on the host (the guest gets a proxy and a resolver that answer only these); "
                    + "needs network policy egress or egress+published-ports").withLabel("PATTERN");

    /** Guest ports a service publishes on the host. */
    public static final Param PUBLISH = option("publish", ParamType.STRING_LIST, null,
            "Publish a guest port on the host's 127.0.0.1 (repeatable); without HOST_PORT a free one is picked. "
                    + "Needs a workspace with network policy egress+published-ports").withLabel("[HOST_PORT:]GUEST_PORT");

    /** More host directories the MCP server's tools may read and write. */
    public static final Param ALLOW_HOST_PATH = option("allow_host_path", ParamType.STRING_LIST, null,
            "Also let tools read and write host paths under DIR (repeatable); by default only the directory "
                    + "the server was started in").withLabel("DIR");

    /** {@code --json}: the result as one JSON document. */
    public static final Param JSON = Param.outputFlag("json", "Print one JSON document on stdout instead of human output");
    /** {@code --quiet}: no progress on stderr (errors and summaries still appear). */
    public static final Param QUIET = Param.outputFlag("quiet", "Show no progress on stderr");
    /** {@code --id-only}: just the new id. */
    public static final Param ID_ONLY = Param.outputFlag("id_only", "Print only the workspace id");
    /** {@code --backend}: the VMM to use. */
    public static final Param BACKEND = Param.setting("backend", "BACKEND",
            "Force a VMM backend instead of $PYRO_BACKEND or the automatic choice")
            .withChoices(List.of("auto", "firecracker", "qemu", "qemu-kvm", "qemu-tcg"));

    private Params() {
    }
}
