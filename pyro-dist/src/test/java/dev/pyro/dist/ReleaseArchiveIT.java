package dev.pyro.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.PyroConfig;
import dev.pyro.testing.GuestProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as a user gets it: unpacked with {@code tar} into a fresh directory
 * and run with an empty environment — no {@code JAVA_HOME}, a {@code java} first on the
 * {@code PATH} that fails when called (this machine's own {@code /usr/bin/java} is older than
 * 21 and would fail too), a fresh {@code HOME} and {@code XDG_CACHE_HOME} — booting a real
 * guest. The installed environments are shared with the machine's cache, so nothing is
 * rebuilt. (Java takes {@code user.home} from the password database, not from {@code HOME},
 * so caches kept under it, such as probe results, stay the user's.)
 */
class ReleaseArchiveIT {
    private static final Duration QUICK = Duration.ofMinutes(1);
    private static final Duration GUEST = Duration.ofMinutes(15);
    private static final String VERSION = System.getProperty("pyro.dist.version");

    @TempDir
    static Path tmp;
    private static Path top;
    private static Path poisonMarker;
    private static Map<String, String> env;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("pyro.dist.archive"));
        assertThat(archive.getFileName().toString()).isEqualTo("pyro-" + VERSION + "-linux-x86_64.tar.gz");
        Path opt = Files.createDirectories(tmp.resolve("opt"));
        Command.Result untar = new Command(List.of("tar", "-xzf", archive.toString()), Map.of("PATH", "/usr/bin:/bin"),
                opt).run(QUICK);
        assertThat(untar.exitCode()).as(untar.describe()).isZero();
        try (Stream<Path> entries = Files.list(opt)) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList()).containsExactly("pyro-" + VERSION);
        }
        top = opt.resolve("pyro-" + VERSION);

        Path poison = Files.createDirectories(tmp.resolve("poison"));
        poisonMarker = tmp.resolve("java-from-path-was-called");
        Path java = poison.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$0 $*\" >> '" + poisonMarker + "'\nexit 97\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        env = new HashMap<>();
        env.put("PATH", poison + ":/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        env.put("XDG_CACHE_HOME", Files.createDirectories(tmp.resolve("xdg-cache")).toString());
        env.put("PYRO_HOME", tmp.resolve("state").toString());
        env.put("PYRO_ENVIRONMENT_CACHE_DIR", PyroConfig.fromEnvironment().environmentCache().toString());
        // No memory-snapshot templates: a first run would start a detached template build that
        // outlives the command (a VM still running when the test looks) and writes into the shared
        // environment cache; templates have their own guest tests (TemplateSdkGuestTest).
        env.put("PYRO_TEMPLATES", "0");
    }

    private Command.Result pyro(Duration limit, String stdin, String... args) throws Exception {
        return pyro(Map.of(), limit, stdin, args);
    }

    private Command.Result pyro(Map<String, String> extraEnv, Duration limit, String stdin, String... args)
            throws Exception {
        List<String> argv = new ArrayList<>(List.of(top.resolve("bin/pyro").toString()));
        argv.addAll(List.of(args));
        Map<String, String> all = new HashMap<>(env);
        all.putAll(extraEnv);
        Command.Result r = new Command(argv, all, Files.createDirectories(tmp.resolve("cwd"))).run(limit, stdin);
        assertThat(poisonMarker).as("the launcher ran the java on the PATH").doesNotExist();
        return r;
    }

    @Test
    void holdsTheLauncherTheJarsWithTheAgentAndATrimmedRuntime() throws IOException {
        assertThat(Files.getPosixFilePermissions(top.resolve("bin/pyro")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(top.resolve("INSTALL.md")).content().startsWith("# Installing pyro from the release archive");
        // One jar: pyro and its dependencies merged, with every jar's service registrations and licences.
        try (var lib = Files.list(top.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")))
                    .containsExactly("pyro-cli-" + VERSION + "-all.jar");
        }
        try (JarFile all = new JarFile(top.resolve("lib/pyro-cli-" + VERSION + "-all.jar").toFile())) {
            assertThat(all.getEntry("dev/pyro/guest/agent/pyro-agent").getSize()).isGreaterThan(100_000);
            assertThat(all.getManifest().getMainAttributes().getValue("Multi-Release")).isEqualTo("true");
            // Registrations of two jars (jline-terminal, jline-terminal-jni) in one file.
            assertThat(entry(all, "META-INF/services/org.jline.terminal.spi.TerminalProvider"))
                    .contains("JniTerminalProvider", "ExecTerminalProvider");
            // commons-* (Apache 2.0) and slf4j (MIT), one after the other.
            assertThat(entry(all, "META-INF/LICENSE.txt")).contains("Apache License", "Permission is hereby granted");
            assertThat(all.getEntry("module-info.class")).isNull();
        }
        String release = Files.readString(top.resolve("runtime/release"));
        List<String> modules = List.of(release.replaceAll("(?s).*MODULES=\"([^\"]*)\".*", "$1").split(" "));
        assertThat(modules).contains("java.base", "java.logging", "java.net.http", "jdk.crypto.ec", "jdk.unsupported")
                .doesNotContain("jdk.compiler", "jdk.jlink", "jdk.jshell", "jdk.jdeps");
        // The JDK's spawn helper: every host tool and VMM is started through it.
        assertThat(Files.isExecutable(top.resolve("runtime/lib/jspawnhelper"))).isTrue();
    }

    private static String entry(JarFile jar, String name) throws IOException {
        try (var in = jar.getInputStream(jar.getEntry(name))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void theRuntimeHasTlsWithEllipticCurvesForRegistries() throws Exception {
        assertThat(top.resolve("runtime/lib/security/cacerts")).isNotEmptyFile();
        Command.Result r = new Command(List.of(top.resolve("runtime/bin/java").toString(),
                "-XshowSettings:security:providers", "-version"), Map.of("PATH", "/usr/bin:/bin"), tmp).run(QUICK);

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stderr()).contains("Provider name: SunEC", "Provider name: SunJSSE");
    }

    @Test
    void printsItsVersionWithTheBundledRuntime() throws Exception {
        Command.Result r = pyro(QUICK, "", "--version");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout()).startsWith("pyro ").contains("\nbuild " + VERSION + ", Java ");
        assertThat(r.stderr()).as("no JVM or launcher noise").isEmpty();
    }

    @Test
    void theClassDataIsUsableWhereTheArchiveWasUnpacked() throws Exception {
        Path mcp = top.resolve("lib/pyro-mcp.jsa");
        Path cliAot = top.resolve("lib/pyro-cli.aot");
        Path cliJsa = top.resolve("lib/pyro-cli.jsa");
        assertThat(top.resolve("lib/pyro.jsa")).as("no single archive for every entry point").doesNotExist();
        assertThat(top.resolve("lib/pyro.aot")).doesNotExist();
        if (!Boolean.parseBoolean(System.getProperty("pyro.dist.cds", "true"))) {
            assertThat(mcp).doesNotExist();
            assertThat(cliAot).doesNotExist();
            assertThat(cliJsa).doesNotExist();
            return;
        }
        assertThat(mcp).as("the MCP server's dynamic CDS archive, on every JDK").exists();
        boolean aot = Runtime.version().feature() >= 25; // the runtime is jlinked from the JDK running the build
        assertThat(aot ? cliAot : cliJsa).as("the CLI's class data: an AOT cache from JDK 25").exists();
        assertThat(aot ? cliJsa : cliAot).doesNotExist();
        // Strict mode: the JVM refuses to start when the class data does not fit this
        // installation (moved paths, jar times or sizes), instead of silently starting slower.
        Command.Result r = pyro(Map.of("PYRO_JAVA_OPTIONS", aot ? "-XX:AOTMode=on" : "-Xshare:on"), QUICK, "",
                "--version");
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout()).startsWith("pyro ");
        Command.Result server = pyro(Map.of("PYRO_JAVA_OPTIONS", "-Xshare:on"), QUICK, "", "mcp", "serve");
        assertThat(server.exitCode()).as(server.describe()).isZero();
    }

    @Test
    void aDamagedCliCacheIsASlowerStartNotAFailure() throws Exception {
        Path cli = top.resolve(Runtime.version().feature() >= 25 ? "lib/pyro-cli.aot" : "lib/pyro-cli.jsa");
        if (!Files.exists(cli)) {
            return; // built without class data (-Dpyro.dist.cds=false)
        }
        Path copy = Files.createDirectories(tmp.resolve("damaged"));
        Command.Result untar = new Command(List.of("tar", "-xzf", System.getProperty("pyro.dist.archive")),
                Map.of("PATH", "/usr/bin:/bin"), copy).run(QUICK);
        assertThat(untar.exitCode()).as(untar.describe()).isZero();
        Path home = copy.resolve("pyro-" + VERSION);
        Path damaged = home.resolve(top.relativize(cli));
        byte[] whole = Files.readAllBytes(damaged);
        Files.write(damaged, Arrays.copyOf(whole, 8192));

        Command.Result r = new Command(List.of(home.resolve("bin/pyro").toString(), "--version"), env, tmp).run(QUICK);
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout()).startsWith("pyro ");
        assertThat(r.stderr()).as("no JVM complaint").isEmpty();
    }

    @Test
    void aCopyThatLostTheJarTimesStartsQuietlyWithoutTheClassData() throws Exception {
        Path copy = Files.createDirectories(tmp.resolve("copy"));
        Command.Result untar = new Command(List.of("tar", "-xzf", System.getProperty("pyro.dist.archive")),
                Map.of("PATH", "/usr/bin:/bin"), copy).run(QUICK);
        assertThat(untar.exitCode()).as(untar.describe()).isZero();
        Path home = copy.resolve("pyro-" + VERSION);
        Files.setLastModifiedTime(home.resolve("lib/pyro-cli-" + VERSION + "-all.jar"),
                FileTime.fromMillis(System.currentTimeMillis()));
        List<String> argv = List.of(home.resolve("bin/pyro").toString(), "--version");

        Command.Result r = new Command(argv, env, tmp).run(QUICK);
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout()).startsWith("pyro ");
        assertThat(r.stderr()).isEmpty();

        Map<String, String> strict = new HashMap<>(env);
        strict.put("PYRO_JAVA_OPTIONS", "-Xshare:on");
        assertThat(new Command(argv, strict, tmp).run(QUICK).exitCode()).as("the archive no longer fits").isNotZero();
    }

    @Test
    void servesMcpWithOnlyProtocolOnStdout() throws Exception {
        String session = String.join("\n",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}", "");

        Command.Result r = pyro(QUICK, session, "mcp", "serve", "--profile", "vm-run");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{\"jsonrpc\":\"2.0\",\"id\":"));
        assertThat(lines.get(1)).contains("\"name\":\"vm_run\"");
    }

    @Test
    void runsACommandInARealGuest() throws Exception {
        Command.Result r = pyro(GUEST, "", "run", "debian:12", "--", "true");

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("[run] phase=boot environment=debian:12", "[run] phase=exec", "execution_mode=");
        // The guest agent came out of the archive's jar, into this run's cache.
        try (Stream<Path> agents = Files.walk(Path.of(env.get("XDG_CACHE_HOME"), "pyro/agent"))) {
            assertThat(agents.filter(p -> p.getFileName().toString().equals("pyro-agent")).toList()).hasSize(1);
        }
        assertThat(GuestProcesses.vmmsMentioning(tmp.toString())).isEmpty();
        Path vms = Path.of(env.get("PYRO_HOME"), "vms");
        if (Files.exists(vms)) {
            try (Stream<Path> left = Files.list(vms)) {
                assertThat(left.toList()).as("VM state left behind").isEmpty();
            }
        }
    }

    @Test
    void servesWorkspaceExecFromAServerOnItsOwnRuntime() throws Exception {
        Command.Result created = pyro(GUEST, "", "workspace", "create", "debian:12", "--id-only");
        assertThat(created.exitCode()).as(created.describe()).isZero();
        String id = created.stdout().strip();
        Map<String, String> traced = Map.of("JAVA_TOOL_OPTIONS", "-Dpyro.trace.start=true");
        long server = -1;
        try {
            Command.Result first = pyro(traced, GUEST, "", "workspace", "exec", id, "--", "echo", "first");
            assertThat(first.exitCode()).as(first.describe()).isZero();
            assertThat(first.stdout()).isEqualTo("first\n");
            assertThat(first.stderr()).doesNotContain("server: accepted");
            server = awaitExecServer();
            // The server the release started runs on the release's own runtime, from its own jars.
            assertThat(Path.of("/proc/" + server + "/exe").toRealPath())
                    .isEqualTo(top.resolve("runtime/bin/java").toRealPath());
            assertThat(Files.readString(Path.of("/proc/" + server + "/cmdline")))
                    .contains(top.resolve("lib").toString(), "dev.pyro.cli.server.ExecServer");
            Command.Result served = pyro(traced, GUEST, "piped in", "workspace", "exec", id, "--", "cat");
            assertThat(served.exitCode()).as(served.describe()).isZero();
            assertThat(served.stdout()).isEqualTo("piped in");
            assertThat(served.stderr()).contains("server: accepted");
        } finally {
            pyro(GUEST, "", "workspace", "delete", id);
            if (server > 0) {
                ProcessHandle.of(server).ifPresent(ProcessHandle::destroy);
            }
        }
        assertThat(GuestProcesses.vmmsMentioning(tmp.toString())).isEmpty();
    }

    /** The pid of the exec server the first exec started under this test's PYRO_HOME. */
    private static long awaitExecServer() throws Exception {
        Path run = Path.of(env.get("PYRO_HOME"), "run");
        java.util.regex.Pattern serving = java.util.regex.Pattern.compile("pyro exec server (\\d+): serving");
        for (int i = 0; i < 300; i++) {
            if (Files.isDirectory(run)) {
                try (Stream<Path> files = Files.list(run)) {
                    for (Path log : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                        java.util.regex.Matcher m = serving.matcher(Files.readString(log));
                        if (m.find()) {
                            return Long.parseLong(m.group(1));
                        }
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no exec server started under " + run);
    }
}
