package dev.pyro.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code bin/pyro} launcher in an installation whose runtime is a stub {@code java}
 * that records how it was called: how the launcher finds its installation (symlinks,
 * relative calls, odd paths), what it passes to the JVM, and how it refuses what it cannot run.
 */
class LauncherIT {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final String STUB = """
            #!/bin/sh
            printf '%s' "$PYRO_LAUNCHER" > "$STUB_OUT/launcher"
            for a in "$@"; do printf '%s\\000' "$a"; done > "$STUB_OUT/args"
            exit 42
            """;

    @TempDir
    Path tmp;
    private Path record;

    @BeforeEach
    void recordDir() throws IOException {
        record = Files.createDirectories(tmp.resolve("record"));
    }

    /** An installation at {@code home}: the built launcher, a stub runtime, an empty lib/. */
    private Path install(Path home) throws IOException {
        Path launcher = Path.of(System.getProperty("pyro.dist.dir"), "bin", "pyro");
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("lib"));
        Files.createDirectories(home.resolve("runtime/bin"));
        Files.copy(launcher, home.resolve("bin/pyro"), StandardCopyOption.COPY_ATTRIBUTES);
        Path java = home.resolve("runtime/bin/java");
        Files.writeString(java, STUB);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home.resolve("bin/pyro");
    }

    private Command.Result run(Path cwd, Map<String, String> extraEnv, String... argv) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin:/bin", "STUB_OUT", record.toString()));
        env.putAll(extraEnv);
        return new Command(List.of(argv), env, cwd).run(LIMIT);
    }

    private List<String> javaArgs() throws IOException {
        String all = Files.readString(record.resolve("args"), StandardCharsets.UTF_8);
        return Arrays.asList(all.substring(0, all.length() - 1).split("\0", -1));
    }

    private String exportedLauncher() throws IOException {
        return Files.readString(record.resolve("launcher"), StandardCharsets.UTF_8);
    }

    /** What comes after the main class: the user's arguments as pyro sees them. */
    private List<String> userArgs() throws IOException {
        List<String> args = javaArgs();
        return args.subList(args.indexOf("dev.pyro.cli.Main") + 1, args.size());
    }

    private List<String> classPath() throws IOException {
        List<String> args = javaArgs();
        return List.of(args.get(args.indexOf("-cp") + 1).split(":"));
    }

    @Test
    void runsTheBundledJavaWithTheArgumentsUntouched() throws Exception {
        Path pyro = install(tmp.resolve("pyro"));
        List<String> tricky = List.of("run", "debian:12", "--", "sh", "-c", "echo \"$HOME\" 'a b' *", "", "two\nlines",
                "--enable-native-access=nothing", "ü");
        List<String> argv = new ArrayList<>(List.of(pyro.toString()));
        argv.addAll(tricky);

        Command.Result r = run(tmp, Map.of(), argv.toArray(String[]::new));

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(42);
        assertThat(userArgs()).isEqualTo(tricky);
        assertThat(javaArgs()).contains("--enable-native-access=ALL-UNNAMED", "-XX:+DisplayVMOutputToStderr",
                "-Xlog:disable");
        assertThat(classPath()).isNotEmpty().allSatisfy(entry ->
                assertThat(entry).startsWith(tmp.toRealPath().resolve("pyro/lib") + "/").endsWith(".jar"));
        assertThat(exportedLauncher()).isEqualTo(pyro.toString());
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void findsItsInstallationThroughAChainOfRelativeSymlinks() throws Exception {
        Path pyro = install(tmp.resolve("opt/pyro-1"));
        Path links = Files.createDirectories(tmp.resolve("links"));
        Files.createSymbolicLink(links.resolve("pyro-current"), Path.of("../opt/pyro-1/bin/pyro"));
        Path bin = Files.createDirectories(tmp.resolve("home/user/bin"));
        Path link = bin.resolve("pyro");
        Files.createSymbolicLink(link, Path.of("../../../links/pyro-current"));

        Command.Result r = run(tmp, Map.of(), link.toString(), "--version");

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(42);
        assertThat(userArgs()).containsExactly("--version");
        assertThat(classPath()).allSatisfy(entry -> assertThat(entry).startsWith(pyro.getParent().getParent()
                .toRealPath() + "/lib/"));
        // The name the user called, not the resolved file: it survives re-pointing the link.
        assertThat(exportedLauncher()).isEqualTo(link.toString());
    }

    @Test
    void aLinkedDirectoryOnTheWayStillGivesThePhysicalInstallation() throws Exception {
        // The launcher skips `cd -P` for a plain path without links; a linked directory needs it.
        Path pyro = install(tmp.resolve("real/pyro"));
        Files.createSymbolicLink(tmp.resolve("alias"), tmp.resolve("real"));
        Path viaAlias = tmp.resolve("alias/pyro/bin/pyro");

        Command.Result r = run(tmp, Map.of(), viaAlias.toString(), "--version");

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(42);
        assertThat(classPath()).isNotEmpty().allSatisfy(entry -> assertThat(entry).startsWith(
                pyro.getParent().getParent().toRealPath() + "/lib/"));
        assertThat(exportedLauncher()).isEqualTo(viaAlias.toString());

        // and a path with `.` and `..` in it is made plain the same way
        Command.Result dotted = run(tmp, Map.of(), tmp.resolve("real/./pyro/../pyro/bin/pyro").toString(), "x");
        assertThat(dotted.exitCode()).as(dotted.describe()).isEqualTo(42);
        assertThat(exportedLauncher()).isEqualTo(pyro.toString());
        assertThat(classPath()).allSatisfy(entry -> assertThat(entry).startsWith(
                pyro.getParent().getParent().toRealPath() + "/lib/"));
    }

    @Test
    void aRelativeCallExportsAnAbsoluteLauncher() throws Exception {
        Path pyro = install(tmp.resolve("pyro"));

        // CDPATH makes a relative cd print the directory it chose; the launcher must not care.
        Command.Result viaPath = run(tmp, Map.of("CDPATH", ".:/"), "pyro/bin/pyro", "env", "list");
        assertThat(viaPath.exitCode()).as(viaPath.describe()).isEqualTo(42);
        assertThat(exportedLauncher()).isEqualTo(pyro.toString());

        // `sh pyro` in its own directory: $0 has no slash at all.
        Command.Result bare = run(pyro.getParent(), Map.of(), "/bin/sh", "pyro", "doctor");
        assertThat(bare.exitCode()).as(bare.describe()).isEqualTo(42);
        assertThat(exportedLauncher()).isEqualTo(pyro.toString());
        assertThat(userArgs()).containsExactly("doctor");
    }

    @Test
    void worksFromADirectoryWithBlanksAndShellCharacters() throws Exception {
        Path home = tmp.resolve("my tools/$pyro `x` 'q' *");
        Path pyro = install(home);

        Command.Result r = run(tmp, Map.of(), pyro.toString(), "--version");

        assertThat(r.exitCode()).as(r.describe()).isEqualTo(42);
        assertThat(classPath()).allSatisfy(entry -> assertThat(entry).startsWith(home.toRealPath() + "/lib/"));
        assertThat(exportedLauncher()).isEqualTo(pyro.toString());
    }

    @Test
    void refusesAnInstallationPathWithAColon() throws Exception {
        Path pyro = install(tmp.resolve("a:b"));

        Command.Result r = run(tmp, Map.of(), pyro.toString(), "--version");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).startsWith("pyro: cannot run from ").contains("without ':'");
        assertThat(record.resolve("args")).doesNotExist();
    }

    @Test
    void saysWhatToDoWhenTheRuntimeIsMissing() throws Exception {
        Path pyro = install(tmp.resolve("pyro"));
        Files.delete(tmp.resolve("pyro/runtime/bin/java"));

        Command.Result r = run(tmp, Map.of("JAVA_HOME", "/usr/lib/jvm/anything"), pyro.toString(), "--version");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo("pyro: the bundled Java runtime is missing (" + tmp.toRealPath()
                + "/pyro/runtime/bin/java); unpack the whole release archive again\n");
    }

    private boolean noClassData() throws IOException {
        return javaArgs().stream().noneMatch(a -> a.startsWith("-XX:AOTCache") || a.startsWith("-XX:SharedArchiveFile"));
    }

    @Test
    void choosesTheClassDataOfItsEntryPointThatIsThereUnlessTurnedOff() throws Exception {
        Path pyro = install(tmp.resolve("pyro"));
        Path lib = tmp.toRealPath().resolve("pyro/lib");
        String exec = "workspace exec ws-aaaaaaaaaaaa -- true";

        run(tmp, Map.of(), pyro.toString());
        assertThat(noClassData()).isTrue();
        assertThat(javaArgs()).contains("-Xlog:all=warning:stderr");

        // The single archive older builds made is not used any more, for any entry point.
        Files.writeString(lib.resolve("pyro.jsa"), "x");
        Files.writeString(lib.resolve("pyro.aot"), "x");
        run(tmp, Map.of(), pyro.toString(), "--version");
        assertThat(noClassData()).isTrue();
        run(tmp, Map.of(), pyro.toString(), "mcp", "serve");
        assertThat(noClassData()).isTrue();

        // The MCP server's archive is for `mcp serve` alone.
        Files.writeString(lib.resolve("pyro-mcp.jsa"), "x");
        run(tmp, Map.of(), pyro.toString(), "mcp", "serve", "--profile", "workspace-full");
        assertThat(javaArgs()).contains("-XX:SharedArchiveFile=" + lib.resolve("pyro-mcp.jsa"),
                "-Xlog:all=warning,cds*=off:stderr").noneMatch(a -> a.startsWith("-XX:AOTCache"));
        run(tmp, Map.of(), (pyro + " " + exec).split(" "));
        assertThat(noClassData()).as("the CLI's class data is missing").isTrue();
        run(tmp, Map.of(), pyro.toString(), "mcp", "config");
        assertThat(noClassData()).isTrue();

        // A runtime before 25: the CLI's dynamic archive.
        Files.writeString(lib.resolve("pyro-cli.jsa"), "x");
        run(tmp, Map.of(), (pyro + " " + exec).split(" "));
        assertThat(javaArgs()).contains("-XX:SharedArchiveFile=" + lib.resolve("pyro-cli.jsa"),
                "-Xlog:all=warning,cds*=off:stderr").noneMatch(a -> a.startsWith("-XX:AOTCache"));

        // From 25: the CLI's AOT cache, for every command but the MCP server.
        Files.writeString(lib.resolve("pyro-cli.aot"), "x");
        for (String[] argv : List.of(new String[] {pyro.toString(), "--version"}, (pyro + " " + exec).split(" "),
                new String[] {pyro.toString(), "mcp", "config"}, new String[] {pyro.toString()})) {
            run(tmp, Map.of(), argv);
            assertThat(javaArgs()).as(String.join(" ", argv)).contains("-XX:AOTCache=" + lib.resolve("pyro-cli.aot"),
                    "-Xlog:all=warning,aot*=off,cds*=off:stderr").noneMatch(a -> a.startsWith("-XX:SharedArchiveFile"));
        }
        run(tmp, Map.of(), pyro.toString(), "mcp", "serve");
        assertThat(javaArgs()).contains("-XX:SharedArchiveFile=" + lib.resolve("pyro-mcp.jsa"))
                .noneMatch(a -> a.startsWith("-XX:AOTCache"));

        run(tmp, Map.of("PYRO_CDS", "0"), pyro.toString(), "--version");
        assertThat(noClassData()).isTrue();
        run(tmp, Map.of("PYRO_CDS", "0"), pyro.toString(), "mcp", "serve");
        assertThat(noClassData()).isTrue();
    }

    @Test
    void onlyTheMcpServerCompilesEarly() throws Exception {
        Path pyro = install(tmp.resolve("pyro"));
        String early = "-XX:CompileThresholdScaling=0.05";
        for (String[] argv : List.of(new String[] {pyro.toString(), "mcp", "serve"},
                new String[] {pyro.toString(), "mcp", "serve", "--profile", "workspace-full"},
                new String[] {pyro.toString(), "--version"}, new String[] {pyro.toString(), "mcp", "config"},
                new String[] {pyro.toString(), "workspace", "exec", "ws-aaaaaaaaaaaa", "--", "mcp", "serve"})) {
            for (String cds : List.of("1", "0")) {
                run(tmp, Map.of("PYRO_CDS", cds), argv);
                boolean server = argv.length > 2 && argv[1].equals("mcp") && argv[2].equals("serve");
                assertThat(javaArgs().contains(early)).as(String.join(" ", argv) + ", PYRO_CDS=" + cds)
                        .isEqualTo(server);
            }
        }
    }

    @Test
    void extraJvmOptionsAreSplitOnBlanksButNeverExpanded() throws Exception {
        Path pyro = install(tmp.resolve("pyro"));
        Files.writeString(tmp.resolve("match-me"), "");

        run(tmp, Map.of("PYRO_JAVA_OPTIONS", "-Xmx1g  -Dpattern=*"), pyro.toString(), "x");

        List<String> args = javaArgs();
        assertThat(args).contains("-Xmx1g", "-Dpattern=*");
        // JVM options come before the class path and the main class, the user's after.
        assertThat(args.indexOf("-Xmx1g")).isLessThan(args.indexOf("-cp"));
        assertThat(userArgs()).containsExactly("x");
    }
}
