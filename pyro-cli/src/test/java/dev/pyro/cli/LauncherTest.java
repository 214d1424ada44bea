package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./pyro} launcher as a new user meets it: a checkout that was never built. Its
 * build must say one line when it starts and one when it is done, with no colour codes and
 * no JDK warnings. Runs a real Maven build of a copy of this checkout (from the local
 * repository), so it takes a minute.
 */
class LauncherTest {
    private static final Set<String> SKIPPED = Set.of("target", ".git", ".idea");

    @TempDir
    Path copy;

    @Test
    void aFirstRunBuildsQuietlyInOneLinePerEvent() throws Exception {
        Path checkout = Path.of("..").toAbsolutePath().normalize();
        assertThat(checkout.resolve("pyro")).as("the launcher at the checkout's root").isExecutable();
        copyTree(checkout, copy);

        Run first = launch("--version");
        assertThat(first.exit).as(first.stderr).isZero();
        assertThat(first.stdout).startsWith("pyro ");
        assertThat(first.stderr).as("no terminal codes").doesNotContain("\u001b");
        assertThat(first.stderr).as("no JDK or build tool warnings").doesNotContain("WARNING");
        assertThat(first.stderr.lines().toList()).hasSize(2);
        assertThat(first.stderr.lines().toList().get(0)).isEqualTo("pyro: building (mvn package -DskipTests)...");
        assertThat(first.stderr.lines().toList().get(1)).matches("pyro: built in \\d+ s");

        Run again = launch("--version");
        assertThat(again.exit).isZero();
        assertThat(again.stderr).as("nothing changed: no build, nothing said").isEmpty();

        everySourceChangeIsNoticed();
        classDataFollowsTheJarsAndTheJdk();
    }

    /**
     * The rebuild check sees a file edited in place (its directory's time unchanged), a file
     * added or removed (its directory's time changed) and a pom, and nothing else. Observed with
     * a Maven that fails at once: the launcher says it builds, then that the build failed.
     */
    private void everySourceChangeIsNoticed() throws Exception {
        Path stub = Files.createDirectories(copy.resolve("stub-bin")).resolve("mvn");
        Files.writeString(stub, "#!/bin/sh\necho 'stub maven: no build' >&2\nexit 3\n");
        stub.toFile().setExecutable(true);
        String path = stub.getParent() + ":" + System.getenv("PATH");
        FileTime built = Files.getLastModifiedTime(copy.resolve("pyro-cli/target/.built"));
        FileTime before = FileTime.fromMillis(built.toMillis() - 60_000);
        FileTime after = FileTime.fromMillis(built.toMillis() + 60_000);
        Path dir = copy.resolve("pyro-core/src/main/java/dev/pyro");
        Path source = dir.resolve("Pyro.java");
        FileTime dirTime = Files.getLastModifiedTime(dir);

        Files.setLastModifiedTime(source, after); // edited in place
        assertRebuildTried(path, "a source edited in place");
        Files.setLastModifiedTime(source, before);

        Path added = Files.writeString(dir.resolve("Added.java"), "class Added {}\n");
        Files.setLastModifiedTime(added, before); // only the directory tells
        assertRebuildTried(path, "a source added");
        Files.delete(added);
        assertRebuildTried(path, "a source removed");
        Files.setLastModifiedTime(dir, dirTime);

        Path pom = copy.resolve("pyro-core/pom.xml");
        FileTime pomTime = Files.getLastModifiedTime(pom);
        Files.setLastModifiedTime(pom, after);
        assertRebuildTried(path, "a pom edited");
        Files.setLastModifiedTime(pom, pomTime);

        // Outside the sources: a test, a doc, a file in target/
        for (Path other : List.of(copy.resolve("pyro-core/src/test/java/Other.java"), copy.resolve("docs/other.md"),
                copy.resolve("pyro-core/target/other"))) {
            Files.createDirectories(other.getParent());
            Files.writeString(other, "not a source\n");
        }
        Run unchanged = launch(Map.of("PATH", path), "--version");
        assertThat(unchanged.exit).as(unchanged.stderr).isZero();
        assertThat(unchanged.stderr).as("no source changed: no build").isEmpty();
    }

    private void assertRebuildTried(String path, String what) throws Exception {
        Run r = launch(Map.of("PATH", path), "--version");
        assertThat(r.exit).as(what + ": " + r.stderr).isEqualTo(1);
        assertThat(r.stderr).as(what).startsWith("pyro: building (mvn package -DskipTests)...\n")
                .contains("pyro: build failed", "stub maven: no build");
    }

    private static final String SERVER_JIT = "-XX:CompileThresholdScaling=0.05";

    private static final String RETRAINING =
            "pyro: training the class-data archives again (the JDK or the jars changed)...\n";

    /**
     * The class data only fits the jars and the JDK it was trained with: the launcher trains
     * it again when either changed, and starts quietly without it when the JVM cannot use it.
     * One set per entry point: the MCP server's archive, and the CLI's (an AOT cache from JDK 25).
     */
    private void classDataFollowsTheJarsAndTheJdk() throws Exception {
        Path target = copy.resolve("pyro-cli/target");
        Path archive = target.resolve("pyro-mcp.jsa");
        Path jdkFile = target.resolve("launcher-jdk");
        String jdk = Files.readString(jdkFile).strip();
        assertThat(Path.of(jdk, "bin", "java")).isExecutable();
        boolean aot = Runtime.version().feature() >= 25; // the tests run on the JDK the build found
        Path cli = target.resolve(aot ? "pyro-cli.aot" : "pyro-cli.jsa");
        assertThat(archive).as("trained by the build").isNotEmptyFile();
        assertThat(cli).as("trained by the build").isNotEmptyFile();
        assertThat(target.resolve(aot ? "pyro-cli.jsa" : "pyro-cli.aot")).doesNotExist();
        assertThat(target.resolve("pyro.jsa")).as("no single archive for every entry point").doesNotExist();
        assertThat(archivedClasses(jdk, "-XX:SharedArchiveFile=" + archive)).as("the MCP session, with its execs")
                .contains("dev.pyro.guest.RunningExec", "dev.pyro.cli.Main", "picocli.CommandLine",
                        "io.modelcontextprotocol.server.McpSyncServer",
                        "dev.pyro.json.ReflectiveCreators$Reflective"); // the record read through reflection
        assertThat(archivedClasses(jdk, (aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + cli))
                .as("one workspace exec, nothing of the MCP server")
                .contains("dev.pyro.guest.RunningExec", "dev.pyro.cli.Main", "picocli.CommandLine",
                        "dev.pyro.workspace.store.WorkspaceRecordJson") // the record read without data binding
                .doesNotContain("io.modelcontextprotocol", "dev.pyro.workspace.store.StateJson$Binding");
        picksTheClassDataOfItsEntryPoint(jdkFile, jdk, aot);

        // A jar rebuilt outside the launcher (mvn package): trained again, once.
        Path jar = Path.of(Files.readString(target.resolve("launcher-classpath")).strip().split(":")[0]);
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        Files.setLastModifiedTime(archive, old);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(old.toMillis() + 60_000));
        Run jarChanged = launch("--version");
        assertThat(jarChanged.exit).as(jarChanged.stderr).isZero();
        assertThat(jarChanged.stdout).startsWith("pyro ");
        assertThat(jarChanged.stderr).isEqualTo(RETRAINING);
        assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(Files.getLastModifiedTime(jar));
        assertThat(Files.getLastModifiedTime(cli)).isGreaterThan(Files.getLastModifiedTime(jar));
        assertThat(launch("--version").stderr).as("trained once").isEmpty();

        // The recorded JDK is gone: the launcher finds one again and trains for it.
        Files.writeString(jdkFile, copy.resolve("no-such-jdk") + "\n");
        Run jdkGone = launch("--version");
        assertThat(jdkGone.exit).as(jdkGone.stderr).isZero();
        assertThat(jdkGone.stderr).isEqualTo(RETRAINING);
        assertThat(Files.readString(jdkFile).strip()).isEqualTo(jdk);
        assertThat(archive).isNotEmptyFile();
        assertThat(cli).isNotEmptyFile();

        // Class data the JVM cannot use (cut short, with a newer time than the jars): no
        // failure, no JVM complaint, nothing trained, for either entry point.
        for (Path damagedFile : List.of(archive, cli)) {
            byte[] whole = Files.readAllBytes(damagedFile);
            Files.write(damagedFile, java.util.Arrays.copyOf(whole, 4096));
        }
        Run damaged = launch("--version");
        assertThat(damaged.exit).as(damaged.stderr).isZero();
        assertThat(damaged.stdout).startsWith("pyro ");
        assertThat(damaged.stderr).isEmpty();
        Run damagedServer = launch("mcp", "serve"); // no input: the session ends at once
        assertThat(damagedServer.exit).as(damagedServer.stderr).isZero();
        assertThat(damagedServer.stderr).isEmpty();
        assertThat(Files.size(archive)).isEqualTo(4096);
        assertThat(Files.size(cli)).isEqualTo(4096);

        aKilledTrainingLeavesNoAgentRunning(archive, jar);
    }

    /**
     * The training starts pyro's agent in development mode, which ignores SIGINT and outlives
     * the JVM that started it: a launcher killed while it trains must take that agent with it.
     */
    private void aKilledTrainingLeavesNoAgentRunning(Path archive, Path jar) throws Exception {
        Path tmp = Files.createDirectories(copy.resolve("tmp")); // the launcher's mktemp goes here
        Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        ProcessBuilder pb = launcher(List.of("--version"), copy.resolve("killed.out"), copy.resolve("killed.err"));
        pb.environment().put("TMPDIR", tmp.toString());
        Process launcher = pb.start();
        launcher.getOutputStream().close();
        // Wait for the event (the agent is up), then kill; the bound is for a launcher that never trains.
        ProcessHandle agent = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (agent == null && launcher.isAlive() && System.nanoTime() < deadline) {
            agent = ProcessHandle.allProcesses()
                    .filter(h -> h.info().commandLine().map(c -> c.contains("--dev") && c.contains(tmp.toString()))
                            .orElse(false))
                    .findFirst().orElse(null);
        }
        assertThat(agent).as("the training's agent was seen running").isNotNull();
        launcher.destroy(); // SIGTERM, as a kill or a closing terminal would
        assertThat(launcher.waitFor(1, TimeUnit.MINUTES)).isTrue();
        ProcessHandle seen = agent;
        try {
            seen.onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            seen.destroyForcibly();
        }
        assertThat(seen.isAlive()).as("the training's agent went with the launcher").isFalse();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("the scratch home removed").isEmpty();
        }

        Run after = launch("--version");
        assertThat(after.exit).as(after.stderr).isZero();
        assertThat(after.stdout).startsWith("pyro ");
    }

    /**
     * The launcher picks the class data by its first words: {@code mcp serve} the MCP
     * server's archive, anything else the CLI's; {@code PYRO_CDS=0} none. Seen through a stub
     * JDK (recorded as the launcher's) whose {@code java} writes down its arguments.
     */
    private void picksTheClassDataOfItsEntryPoint(Path jdkFile, String jdk, boolean aot) throws Exception {
        Path target = copy.resolve("pyro-cli/target");
        Path stub = copy.resolve("stub-jdk");
        Path record = copy.resolve("stub-args");
        Files.createDirectories(stub.resolve("bin"));
        Files.writeString(stub.resolve("bin/java"), "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + record + "\n");
        stub.resolve("bin/java").toFile().setExecutable(true);
        Files.writeString(jdkFile, stub + "\n");
        String cliOption = aot ? "-XX:AOTCache=" + target.resolve("pyro-cli.aot")
                : "-XX:SharedArchiveFile=" + target.resolve("pyro-cli.jsa");
        String mcpOption = "-XX:SharedArchiveFile=" + target.resolve("pyro-mcp.jsa");
        try {
            for (List<String> args : List.of(List.of("--version"), List.of("workspace", "exec", "ws-aaaaaaaaaaaa", "--",
                    "true"), List.of("mcp", "config"), List.of("mcp", "serve", "--profile", "workspace-full"))) {
                Run r = launchOnRecordedJdk(Map.of(), args);
                assertThat(r.exit).as(r.stderr).isZero();
                assertThat(r.stderr).as("nothing trained").isEmpty();
                List<String> javaArgs = Files.readAllLines(record);
                boolean server = args.get(0).equals("mcp") && args.get(1).equals("serve");
                assertThat(javaArgs).as(String.join(" ", args)).contains(server ? mcpOption : cliOption)
                        .doesNotContain(server ? cliOption : mcpOption);
                // The server's session compiles its calls early; a one-call command keeps the default.
                assertThat(javaArgs.contains(SERVER_JIT)).as(String.join(" ", args)).isEqualTo(server);
                assertThat(javaArgs.subList(javaArgs.indexOf("dev.pyro.cli.Main") + 1, javaArgs.size()))
                        .isEqualTo(args);
            }
            assertThat(launchOnRecordedJdk(Map.of("PYRO_CDS", "0"), List.of("workspace", "list")).exit).isZero();
            assertThat(Files.readAllLines(record)).noneMatch(a -> a.startsWith("-XX:AOTCache")
                    || a.startsWith("-XX:SharedArchiveFile"));
        } finally {
            Files.writeString(jdkFile, jdk + "\n");
        }
    }

    /** The launcher without JAVA_HOME (which would name another JDK than the recorded one). */
    private Run launchOnRecordedJdk(Map<String, String> env, List<String> args) throws Exception {
        Path out = copy.resolve("stub.out");
        Path err = copy.resolve("stub.err");
        ProcessBuilder pb = launcher(args, out, err);
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).as("the launcher finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** What {@code -XX:+PrintSharedArchiveAndExit} lists, with the launcher's class path and flags. */
    private String archivedClasses(String jdk, String classData) throws IOException, InterruptedException {
        Path out = copy.resolve("archive.txt");
        String cp = Files.readString(copy.resolve("pyro-cli/target/launcher-classpath")).strip();
        Process p = new ProcessBuilder(Path.of(jdk, "bin", "java").toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", classData, "-XX:+PrintSharedArchiveAndExit",
                "--enable-native-access=ALL-UNNAMED", "-cp", cp, "dev.pyro.cli.Main")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private record Run(int exit, String stdout, String stderr) {}

    private Run launch(String... args) throws IOException, InterruptedException {
        return launch(Map.of(), args);
    }

    private Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = copy.resolve("launcher.out");
        Path err = copy.resolve("launcher.err");
        ProcessBuilder pb = launcher(List.of(args), out, err);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(15, TimeUnit.MINUTES)).as("the launcher finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private ProcessBuilder launcher(List<String> args, Path out, Path err) {
        List<String> cmd = new java.util.ArrayList<>(List.of(copy.resolve("pyro").toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("MAVEN_OPTS");
        pb.environment().remove("PYRO_BACKEND");
        pb.environment().put("PYRO_HOME", copy.resolve("home").toString());
        return pb;
    }

    /** The checkout's sources, without build output or version control. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path rel = from.relativize(p);
                boolean skipped = false;
                for (Path part : rel) {
                    skipped |= SKIPPED.contains(part.toString());
                }
                if (skipped || rel.toString().isEmpty()) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }
}
