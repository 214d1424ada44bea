package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The 2.6.0 acceptance through the real CLI, one process per command, on one real guest:
 * an unchanged workspace diffs empty, a sync push and exec mutations show up in the diff
 * (exactly those entries, with a patch that {@code git apply}s onto the seed), export of a
 * file and a directory with their refusals, and neither diff nor export touches the journal.
 */
class WorkspaceDiffExportGuestTest extends WorkspaceCliFixture {

    private JsonNode ok(String... args) throws Exception {
        CliProcess.Result r = pyro(args);
        assertThat(r.exitCode()).as("pyro %s: %s", String.join(" ", args), r.stderr()).isZero();
        return json(r);
    }

    private String errorCode(String... args) throws Exception {
        CliProcess.Result r = pyro(args);
        assertThat(r.exitCode()).as("pyro %s: %s", String.join(" ", args), r.stdout()).isEqualTo(1);
        return json(r).get("error").get("code").asString();
    }

    @Test
    void createSyncExecDiffExport() throws Exception {
        Path seed = Files.createDirectories(host.resolve("seed"));
        Files.writeString(seed.resolve("keep.txt"), "unchanged\n");
        Files.writeString(seed.resolve("app.py"), "print('v1')\nprint('end')\n");
        Files.writeString(seed.resolve("gone.txt"), "to be deleted\n");
        Files.writeString(seed.resolve("run.sh"), "#!/bin/sh\necho run\n");
        Files.createDirectories(seed.resolve("src/pkg"));
        Files.writeString(seed.resolve("src/pkg/mod.txt"), "module\n");

        CliProcess.Result created = pyro("workspace", "create", "debian:12", "--seed-path", seed.toString(),
                "--id-only");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        String id = created.stdout().strip();
        assertThat(home.resolve("workspaces").resolve(id).resolve("baseline").resolve("baseline.json"))
                .isRegularFile();

        // (c) right after create nothing differs: changed false, an empty summary, no patch.
        JsonNode clean = ok("workspace", "diff", id, "--json");
        assertThat(clean.get("changed").asBoolean()).isFalse();
        assertThat(clean.get("entries")).isEmpty();
        assertThat(clean.get("patch").asString()).isEmpty();
        for (String k : List.of("added", "modified", "deleted", "type_changed", "binary")) {
            assertThat(clean.get("summary").get(k).asInt()).as(k).isZero();
        }
        CliProcess.Result cleanHuman = pyro("workspace", "diff", id);
        assertThat(cleanHuman.stdout()).isEmpty();
        assertThat(cleanHuman.stderr()).contains("[workspace-diff] workspace_id=" + id
                + " changed=false added=0 modified=0 deleted=0 type_changed=0 binary=0");

        // (b) a sync push after create is a change like any other.
        Path push = Files.createDirectories(host.resolve("push"));
        Files.writeString(push.resolve("pushed.txt"), "from sync\n");
        ok("workspace", "sync", "push", id, push.toString(), "--json");
        JsonNode pushed = ok("workspace", "diff", id, "--json");
        assertThat(pushed.get("changed").asBoolean()).isTrue();
        assertThat(paths(pushed)).containsExactly("pushed.txt:added");
        assertThat(pushed.get("patch").asString()).contains("+++ b/pushed.txt", "+from sync");

        // (a) mutate through exec: modify, add, delete, chmod.
        CliProcess.Result exec = pyro("workspace", "exec", id, "--", "sh", "-c",
                "printf \"print('v2')\\nprint('end')\\n\" > app.py && echo new > added.txt && rm gone.txt"
                        + " && chmod 755 run.sh");
        assertThat(exec.exitCode()).as(exec.stderr()).isZero();
        JsonNode before = ok("workspace", "status", id, "--json");
        assertThat(before.get("command_count").asLong()).isEqualTo(1);

        JsonNode diff = ok("workspace", "diff", id, "--json");
        assertThat(diff.get("changed").asBoolean()).isTrue();
        assertThat(paths(diff)).containsExactly("added.txt:added", "app.py:modified", "gone.txt:deleted",
                "pushed.txt:added", "run.sh:modified");
        JsonNode summary = diff.get("summary");
        assertThat(summary.get("added").asInt()).isEqualTo(2);
        assertThat(summary.get("modified").asInt()).isEqualTo(2);
        assertThat(summary.get("deleted").asInt()).isEqualTo(1);
        assertThat(summary.get("type_changed").asInt()).isZero();
        assertThat(summary.get("binary").asInt()).isZero();
        JsonNode runSh = diff.get("entries").get(4);
        assertThat(runSh.get("old_mode").asInt()).isEqualTo(0644);
        assertThat(runSh.get("new_mode").asInt()).isEqualTo(0755);
        String patch = diff.get("patch").asString();
        assertThat(patch).contains("-print('v1')", "+print('v2')", "deleted file mode 100644", "new mode 100755");

        CliProcess.Result human = pyro("workspace", "diff", id);
        assertThat(human.exitCode()).as(human.stderr()).isZero();
        assertThat(human.stdout()).isEqualTo(patch);
        assertThat(human.stderr()).contains("[workspace-diff] workspace_id=" + id
                + " changed=true added=2 modified=2 deleted=1 type_changed=0 binary=0");

        // Export the whole workspace and check that the patch turns the seed into it.
        Path current = host.resolve("current");
        JsonNode all = ok("workspace", "export", id, ".", "--output", current.toString(), "--json");
        assertThat(all.get("artifact_type").asString()).isEqualTo("directory");
        assertThat(all.get("workspace_path").asString()).isEqualTo("/workspace");
        Path applied = host.resolve("applied");
        copyTree(seed, applied);
        Path patchFile = Files.writeString(host.resolve("ws.patch"), patch);
        Process git = new ProcessBuilder("git", "apply", "--whitespace=nowarn", patchFile.toString())
                .directory(applied.toFile()).redirectErrorStream(true).start();
        String gitOut = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as("git apply: %s", gitOut).isZero();
        assertThat(tree(applied)).isEqualTo(tree(current));
        for (String f : tree(current)) {
            Path c = current.resolve(f);
            if (Files.isRegularFile(c)) {
                assertThat(Files.readString(applied.resolve(f))).as(f).isEqualTo(Files.readString(c));
                assertThat(Files.isExecutable(applied.resolve(f))).as(f + " executable")
                        .isEqualTo(Files.isExecutable(c));
            }
        }

        // Export one file: content and mode kept; human output names the path on stdout.
        Path runOut = host.resolve("run.sh");
        CliProcess.Result file = pyro("workspace", "export", id, "run.sh", "--output", runOut.toString());
        assertThat(file.exitCode()).as(file.stderr()).isZero();
        assertThat(file.stdout().strip()).isEqualTo(runOut.toString());
        assertThat(file.stderr()).contains("[workspace-export] workspace_id=" + id,
                "workspace_path=/workspace/run.sh", "artifact_type=file", "entry_count=1");
        assertThat(Files.readString(runOut)).isEqualTo("#!/bin/sh\necho run\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runOut))).isEqualTo("rwxr-xr-x");

        // Export a directory.
        Path srcOut = host.resolve("src-out");
        JsonNode dir = ok("workspace", "export", id, "/workspace/src", "--output", srcOut.toString(), "--json");
        assertThat(dir.get("artifact_type").asString()).isEqualTo("directory");
        assertThat(dir.get("entry_count").asLong()).isEqualTo(3);
        assertThat(dir.get("bytes_written").asLong()).isEqualTo(7);
        assertThat(dir.get("output_path").asString()).isEqualTo(srcOut.toString());
        assertThat(Files.readString(srcOut.resolve("pkg/mod.txt"))).isEqualTo("module\n");

        // Refusals: an existing output without --force, outside /workspace, missing path.
        assertThat(errorCode("workspace", "export", id, "app.py", "--output", runOut.toString(), "--json"))
                .isEqualTo("already_exists");
        assertThat(Files.readString(runOut)).isEqualTo("#!/bin/sh\necho run\n");
        JsonNode forced = ok("workspace", "export", id, "app.py", "--output", runOut.toString(), "--force", "--json");
        assertThat(forced.get("artifact_type").asString()).isEqualTo("file");
        assertThat(Files.readString(runOut)).isEqualTo("print('v2')\nprint('end')\n");
        assertThat(errorCode("workspace", "export", id, "/etc/passwd", "--output",
                host.resolve("passwd").toString(), "--json")).isEqualTo("path_outside_workspace");
        assertThat(errorCode("workspace", "export", id, "no/such/file", "--output",
                host.resolve("missing").toString(), "--json")).isEqualTo("not_found");
        assertThat(host.resolve("passwd")).doesNotExist();
        assertThat(host.resolve("missing")).doesNotExist();

        // Neither diff nor export is a command: journal and last command unchanged.
        JsonNode after = ok("workspace", "status", id, "--json");
        assertThat(after.get("command_count").asLong()).isEqualTo(1);
        assertThat(after.get("last_command")).isEqualTo(before.get("last_command"));
        assertThat(ok("workspace", "logs", id, "--json").get("entries")).hasSize(1);

        // A deleted workspace is gone for diff too.
        ok("workspace", "delete", id, "--json");
        assertThat(errorCode("workspace", "diff", id, "--json")).isEqualTo("workspace_not_found");
    }

    /**
     * Issue 10 in a real guest: a name that is not UTF-8 no longer denies diffs (listed with its
     * bytes, recreated by {@code git apply}, exported by its bytes), special files are refused as
     * an export target and reported when a directory export skips them, a destination through a
     * symlink works inside {@code /workspace} and is refused saying why outside it, and names the
     * file system cannot hold are {@code invalid_argument} with nothing changed. Issue 18: a large
     * text file is too large, not binary.
     */
    @Test
    void hostileNamesSpecialFilesAndArchiveErrors() throws Exception {
        Path seed = Files.createDirectories(host.resolve("seed2"));
        Files.writeString(seed.resolve("a.txt"), "one\n");
        Files.createDirectories(seed.resolve("sub"));
        CliProcess.Result created = pyro("workspace", "create", "debian:12", "--seed-path", seed.toString(),
                "--id-only");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        String id = created.stdout().strip();
        CliProcess.Result exec = pyro("workspace", "exec", id, "--", "sh", "-c",
                "echo two > a.txt && printf 'hello\\n' > \"$(printf 'bad\\377.txt')\" && mkdir sp"
                        + " && echo k > sp/keep.txt && mkfifo sp/pipe && ln -s /workspace/sub abs-link"
                        + " && ln -s /etc etc-link && yes text | head -c 1500000 > big.txt");
        assertThat(exec.exitCode()).as(exec.stderr()).isZero();

        JsonNode diff = ok("workspace", "diff", id, "--json");
        assertThat(paths(diff)).contains("\"bad\\377.txt\":added", "a.txt:modified", "big.txt:added");
        JsonNode bad = null;
        JsonNode big = null;
        for (JsonNode e : diff.get("entries")) {
            bad = e.get("path").asString().startsWith("\"bad") ? e : bad;
            big = e.get("path").asString().equals("big.txt") ? e : big;
        }
        assertThat(bad.get("path_bytes_b64").asString()).isEqualTo("YmFk/y50eHQ=");
        assertThat(big.get("too_large").asBoolean()).isTrue();
        assertThat(big.get("binary").asBoolean()).isFalse();
        assertThat(diff.get("summary").get("too_large").asInt()).isEqualTo(1);
        Path applied = host.resolve("applied2");
        copyTree(seed, applied);
        Path patchFile = Files.writeString(host.resolve("ws2.patch"), diff.get("patch").asString());
        Process git = new ProcessBuilder("git", "apply", patchFile.toString()).directory(applied.toFile())
                .redirectErrorStream(true).start();
        String gitOut = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as("git apply: %s", gitOut).isZero();
        Path badFile = dev.pyro.guest.BytePath.of("bad\u00ff.txt".getBytes(StandardCharsets.ISO_8859_1))
                .resolveUnder(applied);
        assertThat(Files.readString(badFile)).isEqualTo("hello\n");

        // export by bytes; a FIFO is refused as a target and reported when skipped
        Path all = host.resolve("all");
        JsonNode exported = ok("workspace", "export", id, ".", "--output", all.toString(), "--json");
        assertThat(Files.readString(dev.pyro.guest.BytePath.of("bad\u00ff.txt".getBytes(
                StandardCharsets.ISO_8859_1)).resolveUnder(all))).isEqualTo("hello\n");
        assertThat(exported.get("skipped_count").asInt()).isEqualTo(1);
        assertThat(exported.get("skipped").get(0).asString()).isEqualTo("/workspace/sp/pipe");
        assertThat(errorCode("workspace", "export", id, "sp/pipe", "--output", host.resolve("pipe").toString(),
                "--json")).isEqualTo("unsafe_archive_entry");

        // sync push destinations
        Path push = Files.createDirectories(host.resolve("push2"));
        Files.writeString(push.resolve("p.txt"), "p\n");
        ok("workspace", "sync", "push", id, push.toString(), "--dest", "abs-link/in", "--json");
        CliProcess.Result cat = pyro("workspace", "exec", id, "--", "cat", "/workspace/sub/in/p.txt");
        assertThat(cat.stdout()).isEqualTo("p\n");
        CliProcess.Result out = pyro("workspace", "sync", "push", id, push.toString(), "--dest", "etc-link/x",
                "--json");
        assertThat(json(out).get("error").get("code").asString()).isEqualTo("path_outside_workspace");
        assertThat(json(out).get("error").get("message").asString()).contains("etc-link points to /etc")
                .doesNotContainIgnoringCase("cross-device");
        assertThat(errorCode("workspace", "sync", "push", id, push.toString(), "--dest", "d/" + "n".repeat(300),
                "--json")).isEqualTo("invalid_argument");
        Path longTar = host.resolve("long.tar"); // no host file system takes such a name either
        try (var t = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                Files.newOutputStream(longTar))) {
            t.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
            var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("x".repeat(300) + ".txt");
            e.setSize(2);
            t.putArchiveEntry(e);
            t.write("l\n".getBytes(StandardCharsets.US_ASCII));
            t.closeArchiveEntry();
        }
        CliProcess.Result tooLong = pyro("workspace", "sync", "push", id, longTar.toString(), "--json");
        assertThat(tooLong.exitCode()).isEqualTo(1);
        assertThat(json(tooLong).get("error").get("code").asString()).isEqualTo("invalid_argument");
        assertThat(json(tooLong).get("error").get("message").asString()).contains("nothing was changed");
        ok("workspace", "delete", id, "--json");
    }

    private static List<String> paths(JsonNode diff) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : diff.get("entries")) {
            out.add(e.get("path").asString() + ":" + e.get("status").asString());
        }
        return out;
    }

    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
