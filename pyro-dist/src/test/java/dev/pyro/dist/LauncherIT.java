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

    @Test
    void choosesTheClassDataArchiveThatIsThereUnlessTurnedOff() throws Exception {
        Path pyro = install(tmp.resolve("pyro"));
        Path lib = tmp.toRealPath().resolve("pyro/lib");

        run(tmp, Map.of(), pyro.toString());
        assertThat(javaArgs()).noneMatch(a -> a.startsWith("-XX:AOTCache") || a.startsWith("-XX:SharedArchiveFile"))
                .contains("-Xlog:all=warning:stderr");

        // An AOT cache (what older builds made on JDK 25) is not used any more.
        Files.writeString(lib.resolve("pyro.aot"), "x");
        run(tmp, Map.of(), pyro.toString());
        assertThat(javaArgs()).noneMatch(a -> a.startsWith("-XX:AOTCache") || a.startsWith("-XX:SharedArchiveFile"));

        Files.writeString(lib.resolve("pyro.jsa"), "x");
        run(tmp, Map.of(), pyro.toString());
        assertThat(javaArgs()).contains("-XX:SharedArchiveFile=" + lib.resolve("pyro.jsa"),
                "-Xlog:all=warning,cds*=off:stderr").noneMatch(a -> a.startsWith("-XX:AOTCache"));

        run(tmp, Map.of("PYRO_CDS", "0"), pyro.toString());
        assertThat(javaArgs()).noneMatch(a -> a.startsWith("-XX:AOTCache") || a.startsWith("-XX:SharedArchiveFile"));
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
