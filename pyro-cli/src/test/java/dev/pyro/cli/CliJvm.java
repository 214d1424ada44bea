package dev.pyro.cli;

import dev.pyro.cli.classdata.TrainingWorkspace;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The JVM that every test-started {@code pyro} runs in, the way the launcher starts it: pyro's
 * runtime class path (no test classes) with a class-data archive (dynamic CDS) trained the way
 * the launcher and the release train theirs. The suite starts hundreds of CLI JVMs; without
 * the archive each one loads and verifies the CLI, Jackson and the MCP SDK from scratch.
 *
 * <p>CDS cannot use a class directory, so the module's classes go on the class path as a jar
 * ({@code target/test-cli/pyro-cli-classes.jar}, made again when a class is newer). The archive
 * beside it is trained once per jar; when it cannot be trained, or the JVM finds it does not
 * fit, the CLI runs without it, quietly ({@code -Xlog:cds*=off}), as the launcher does.
 * Tests of the launcher and of the release archive train and check their own archives.
 */
final class CliJvm {
    private static final String SESSION_SCRIPT = "scripts/class-data-session";

    private static Resolved resolved;

    private CliJvm() {
    }

    /** The class path and the archive (null: none) of every child JVM of this test run. */
    private record Resolved(String classpath, Path archive) {}

    /**
     * {@code env --default-signal=INT,QUIT java <flags> [archive] <jvmOptions> -cp <pyro's class
     * path> dev.pyro.cli.Main args...}.
     *
     * <p>SIGINT and SIGQUIT as a terminal gives them: a shell without job control starts its
     * background commands with both ignored, the ignoring is inherited by everything they
     * start, and a JVM started so keeps ignoring SIGINT (as {@code nohup} wants). A suite
     * started that way would see pyro stay deaf to the Ctrl-C its tests send. {@code env} execs
     * the JVM: the process is the JVM, its pid the one a test signals.
     */
    static List<String> command(List<String> flags, List<String> jvmOptions, List<String> args) {
        Resolved r = resolved();
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT,QUIT"));
        cmd.add(java());
        cmd.addAll(flags);
        if (r.archive() != null) {
            cmd.add("-XX:SharedArchiveFile=" + r.archive());
            cmd.add("-Xlog:cds*=off");
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", r.classpath(), Main.class.getName()));
        cmd.addAll(args);
        return cmd;
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static synchronized Resolved resolved() {
        if (resolved == null) {
            resolved = resolve();
        }
        return resolved;
    }

    private static Resolved resolve() {
        Path classes = Path.of(required("pyro.test.classes"));
        Path cpFile = Path.of(required("pyro.test.runtimeClasspathFile"));
        Path dir = classes.resolveSibling("test-cli");
        try {
            Files.createDirectories(dir);
            Path jar = dir.resolve("pyro-cli-classes.jar");
            Path archive = dir.resolve("pyro-cli-test.jsa");
            if (jarOutOfDate(classes, jar)) {
                Files.deleteIfExists(archive); // trained on the old jar: the JVM would refuse it
                writeJar(classes, jar);
            }
            String classpath = jar + File.pathSeparator + Files.readString(cpFile).strip();
            if (Files.isRegularFile(archive) && newerThan(archive, classpath)) {
                // a jar (e.g. pyro-core's, repackaged) or the JDK is newer: the JVM would refuse it, quietly
                Files.delete(archive);
            }
            if (!Files.isRegularFile(archive)) {
                train(classpath, archive, classes);
            }
            return new Resolved(classpath, Files.isRegularFile(archive) ? archive : null);
        } catch (IOException e) {
            throw new UncheckedIOException("run the tests through Maven: " + cpFile + " is written by "
                    + "dependency:build-classpath", e);
        }
    }

    private static boolean jarOutOfDate(Path classes, Path jar) throws IOException {
        if (!Files.isRegularFile(jar)) {
            return true;
        }
        FileTime made = Files.getLastModifiedTime(jar);
        try (Stream<Path> all = Files.walk(classes)) {
            return all.anyMatch(p -> {
                try {
                    return Files.getLastModifiedTime(p).compareTo(made) > 0;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }

    /** Whether a class path entry or this JVM's {@code java} is newer than {@code archive}. */
    private static boolean newerThan(Path archive, String classpath) throws IOException {
        FileTime trained = Files.getLastModifiedTime(archive);
        List<Path> inputs = new ArrayList<>();
        inputs.add(Path.of(java()));
        for (String entry : classpath.split(File.pathSeparator)) {
            inputs.add(Path.of(entry));
        }
        for (Path p : inputs) {
            if (Files.exists(p) && Files.getLastModifiedTime(p).compareTo(trained) > 0) {
                return true;
            }
        }
        return false;
    }

    /** The class directory as a jar, written beside and then moved: a half-written jar is never used. */
    private static void writeJar(Path classes, Path jar) throws IOException {
        Path tmp = Files.createTempFile(jar.getParent(), "classes", ".jar.tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jos = new JarOutputStream(out);
                Stream<Path> all = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile).sorted(Comparator.naturalOrder())::iterator) {
                jos.putNextEntry(new JarEntry(classes.relativize(p).toString().replace(File.separatorChar, '/')));
                Files.copy(p, jos);
                jos.closeEntry();
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * What the launcher's {@code train_class_data} does, on this class path: one MCP session
     * ({@code scripts/class-data-session}) that also execs in a VM-less training workspace, in a
     * scratch home, into {@code -XX:ArchiveClassesAtExit}. A failure costs speed, not a test.
     */
    private static void train(String classpath, Path archive, Path classes) throws IOException {
        Path top = classes.getParent().getParent().getParent(); // <checkout>/pyro-cli/target/classes
        Path script = top.resolve(SESSION_SCRIPT);
        Path scratch = Files.createTempDirectory("pyro-cli-cds");
        Path tmp = archive.resolveSibling(archive.getFileName() + ".tmp");
        TrainingWorkspace.Started workspace = null;
        try {
            Path home = scratch.resolve("state");
            workspace = TrainingWorkspace.start(home);
            Path session = scratch.resolve("session.jsonl");
            Process s = new ProcessBuilder(script.toString(), workspace.workspaceId())
                    .redirectOutput(session.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!s.waitFor(1, TimeUnit.MINUTES) || s.exitValue() != 0) {
                s.destroyForcibly();
                throw new IOException(SESSION_SCRIPT + " failed");
            }
            List<String> cmd = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1",
                    "-XX:ArchiveClassesAtExit=" + tmp, "-Djdk.reflect.useNativeAccessorOnly=true",
                    "--enable-native-access=ALL-UNNAMED", "-cp", classpath, Main.class.getName(),
                    "mcp", "serve", "--profile", "workspace-full"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(session.toFile())
                    .redirectOutput(scratch.resolve("out").toFile()).redirectError(scratch.resolve("err").toFile());
            pb.environment().remove("PYRO_BACKEND");
            pb.environment().put("PYRO_HOME", home.toString());
            pb.environment().put("PYRO_ENVIRONMENT_CACHE_DIR", scratch.resolve("environments").toString());
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isRegularFile(tmp)) {
                p.destroyForcibly();
                throw new IOException("the training session failed: " + Files.readString(scratch.resolve("err")));
            }
            Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            System.err.println("[CliJvm] no class-data archive, the CLI starts slower: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (workspace != null) {
                workspace.agent().destroyForcibly(); // it outlives the session on purpose
                workspace.agent().onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> null).join();
            }
            Files.deleteIfExists(tmp);
            deleteTree(scratch);
        }
    }

    /** Best effort: a scratch directory left in /tmp costs nothing a test can see. */
    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("[CliJvm] scratch " + dir + " left behind: " + e.getMessage());
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run the tests through Maven");
        }
        return value;
    }
}
