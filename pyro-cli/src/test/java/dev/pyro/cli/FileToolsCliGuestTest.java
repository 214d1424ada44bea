package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The 3.2 file tools and patch apply and the 3.3 discovery through the real CLI, one process
 * per command, on one real guest: names and labels, file write/read/list with their forms, a
 * patch from {@code workspace diff} and one from {@code git diff} applied back, and hostile
 * input for each operation (paths out through {@code ..} and symlinks, a huge write, binary and
 * malformed patches, patches to missing files, bad names and labels) leaving the workspace as it
 * was.
 */
class FileToolsCliGuestTest extends WorkspaceCliFixture {

    private JsonNode ok(String... args) throws Exception {
        CliProcess.Result r = pyro(args);
        assertThat(r.exitCode()).as("pyro %s: %s", String.join(" ", args), r.stderr()).isZero();
        return json(r);
    }

    private JsonNode error(String code, String... args) throws Exception {
        CliProcess.Result r = pyro(args);
        assertThat(r.exitCode()).as("pyro %s: %s", String.join(" ", args), r.stdout()).isEqualTo(1);
        JsonNode e = json(r).get("error");
        assertThat(e.get("code").asString()).as("pyro %s: %s", String.join(" ", args), r.stdout()).isEqualTo(code);
        return e;
    }

    private String sh(String id, String script) throws Exception {
        execs++;
        CliProcess.Result r = pyro("workspace", "exec", id, "--", "sh", "-c", script);
        assertThat(r.exitCode()).as("%s: %s", script, r.stderr()).isZero();
        return r.stdout();
    }

    private String content(String id, String path) throws Exception {
        CliProcess.Result r = pyro("workspace", "file", "read", id, path, "--content-only");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).as("--content-only prints nothing else").isEmpty();
        return r.stdout();
    }

    @Test
    void namesLabelsFilesAndPatchesOnOneGuest() throws Exception {
        Path seed = Files.createDirectories(host.resolve("seed"));
        Files.writeString(seed.resolve("calc.sh"), "#!/bin/sh\necho $(( $1 - $2 ))\n");
        Files.writeString(seed.resolve("gone.txt"), "bye\n");
        Files.writeString(seed.resolve("notes.txt"), "one\ntwo\n");

        // discovery: refused names and labels cost no VM; a good one is kept and shown
        assertThat(error("invalid_argument", "workspace", "create", "debian:12", "--name", "bad\u001bname", "--json")
                .get("message").asString()).contains("U+001B");
        error("invalid_argument", "workspace", "create", "debian:12", "--label", "no-equals", "--json");
        error("invalid_argument", "workspace", "create", "debian:12", "--label", "bad key=v", "--json");
        assertThat(ok("workspace", "list", "--json").get("workspaces")).isEmpty();
        JsonNode created = ok("workspace", "create", "debian:12", "--seed-path", seed.toString(), "--name",
                "calc fix", "--label", "task=calc", "--label", "owner=ci", "--json");
        String id = created.get("workspace_id").asString();
        assertThat(created.get("name").asString()).isEqualTo("calc fix");
        assertThat(created.get("labels").toString()).isEqualTo("{\"owner\":\"ci\",\"task\":\"calc\"}");
        assertThat(ok("workspace", "list", "--label", "task=calc", "--json").get("workspaces")).hasSize(1);
        assertThat(ok("workspace", "list", "--label", "task=calc", "--label", "owner=me", "--json")
                .get("workspaces")).isEmpty();
        JsonNode updated = ok("workspace", "update", id, "--name", "calc done", "--label", "status=ok",
                "--clear-label", "owner", "--json");
        assertThat(updated.get("name").asString()).isEqualTo("calc done");
        assertThat(updated.get("labels").toString()).isEqualTo("{\"status\":\"ok\",\"task\":\"calc\"}");
        error("invalid_argument", "workspace", "update", id, "--json");
        error("invalid_argument", "workspace", "update", id, "--label", "k=v", "--clear-label", "k", "--json");
        error("workspace_not_found", "workspace", "update", "ws-000000000000", "--name", "x", "--json");
        CliProcess.Result human = pyro("workspace", "list");
        assertThat(human.stdout()).contains(id, "calc done", "status=ok task=calc");

        // file write, read, list
        JsonNode wrote = ok("workspace", "file", "write", id, "src/lib/util.sh", "--text", "util() { :; }\n",
                "--json");
        assertThat(wrote.get("path").asString()).isEqualTo("/workspace/src/lib/util.sh");
        assertThat(wrote.get("created").asBoolean()).isTrue();
        assertThat(wrote.get("mode").asInt()).isEqualTo(0644);
        Path bytes = host.resolve("blob.bin");
        byte[] blob = new byte[300];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) i;
        }
        Files.write(bytes, blob);
        ok("workspace", "file", "write", id, "blob.bin", "--text-file", bytes.toString(), "--json");
        JsonNode bin = ok("workspace", "file", "read", id, "blob.bin", "--json");
        assertThat(bin.get("binary").asBoolean()).isTrue();
        assertThat(bin.get("encoding").asString()).isEqualTo("base64");
        assertThat(java.util.Base64.getDecoder().decode(bin.get("content").asString())).isEqualTo(blob);
        CliProcess.Result binHuman = pyro("workspace", "file", "read", id, "blob.bin");
        assertThat(binHuman.stdout()).as("binary content is not printed to a terminal").isEmpty();
        assertThat(binHuman.stderr()).contains("binary=true", "binary content not printed");
        assertThat(sh(id, "sha256sum blob.bin | cut -c1-64")).isEqualTo(sha256(blob) + "\n");

        JsonNode cut = ok("workspace", "file", "read", id, "notes.txt", "--max-bytes", "5", "--json");
        assertThat(cut.get("content").asString()).isEqualTo("one\nt");
        assertThat(cut.get("truncated").asBoolean()).isTrue();
        assertThat(cut.get("size").asLong()).isEqualTo(8);
        assertThat(content(id, "notes.txt")).isEqualTo("one\ntwo\n");
        CliProcess.Result read = pyro("workspace", "file", "read", id, "notes.txt");
        assertThat(read.stdout()).isEqualTo("one\ntwo\n");
        assertThat(read.stderr()).contains("[file-read] workspace_id=" + id + " path=/workspace/notes.txt size=8 "
                + "bytes_read=8 truncated=false binary=false");

        sh(id, "ln -s /etc/passwd leak && ln -s ../../.. up && ln -s /workspace/notes.txt abs && mkdir -p d/e "
                + "&& printf 'x\\033]0;t\\007' > \"$(printf 'd/e/evil\\033[31mname')\"");
        JsonNode list = ok("workspace", "file", "list", id, "--recursive", "--json");
        List<String> listed = new ArrayList<>();
        list.get("entries").forEach(e -> listed.add(e.get("path").asString() + ":" + e.get("kind").asString()));
        assertThat(listed).contains("abs:symlink", "blob.bin:file", "calc.sh:file", "d:dir", "d/e:dir",
                "leak:symlink", "src/lib/util.sh:file", "up:symlink");
        assertThat(list.get("truncated").asBoolean()).isFalse();
        CliProcess.Result listHuman = pyro("workspace", "file", "list", id, "d", "--recursive");
        assertThat(listHuman.stdout()).as("guest names never reach the terminal raw").doesNotContain("\u001b")
                .isEqualTo("dir              - 0755 e/\nfile             7 0644 \"e/evil\\033[31mname\"\n");
        assertThat(content(id, "abs")).as("an absolute symlink inside /workspace is followed").isEqualTo("one\ntwo\n");

        // hostile paths: nothing outside /workspace is read or written
        error("path_outside_workspace", "workspace", "file", "read", id, "leak", "--json");
        error("path_outside_workspace", "workspace", "file", "read", id, "up/etc/passwd", "--json");
        error("path_outside_workspace", "workspace", "file", "read", id, "../etc/passwd", "--json");
        error("path_outside_workspace", "workspace", "file", "read", id, "/etc/passwd", "--json");
        error("path_outside_workspace", "workspace", "file", "write", id, "leak", "--text", "pwned", "--json");
        error("path_outside_workspace", "workspace", "file", "write", id, "up/tmp/x", "--text", "pwned", "--json");
        error("path_outside_workspace", "workspace", "file", "list", id, "../", "--json");
        assertThat(sh(id, "head -c 5 /etc/passwd; test ! -e /tmp/x && echo ' clean'")).isEqualTo("root: clean\n");
        JsonNode notFile = error("invalid_argument", "workspace", "file", "read", id, "src", "--json");
        assertThat(notFile.get("message").asString()).contains("is a directory");
        error("not_found", "workspace", "file", "read", id, "missing.txt", "--json");
        error("invalid_argument", "workspace", "file", "write", id, "x.txt", "--json");
        error("invalid_argument", "workspace", "file", "write", id, "x.txt", "--text", "a", "--text-file",
                bytes.toString(), "--json");
        error("invalid_argument", "workspace", "file", "read", id, "notes.txt", "--max-bytes", "0", "--json");
        Path huge = host.resolve("huge.bin");
        try (var out = Files.newOutputStream(huge)) {
            out.write(new byte[(16 << 20) + 1]);
        }
        JsonNode tooBig = error("invalid_argument", "workspace", "file", "write", id, "huge.bin", "--text-file",
                huge.toString(), "--json");
        assertThat(tooBig.get("message").asString()).contains("larger than 16777216 bytes");
        error("not_found", "workspace", "file", "read", id, "huge.bin", "--json");

        // a patch from workspace diff applies back onto the seed
        sh(id, "printf '#!/bin/sh\\necho $(( $1 + $2 ))\\n' > calc.sh && rm gone.txt && printf 'added\\n' > "
                + "new.txt && rm -r leak up abs d blob.bin src");
        String patch = ok("workspace", "diff", id, "--json").get("patch").asString();
        assertThat(patch).contains("--- a/calc.sh", "+++ b/new.txt", "+++ /dev/null");
        ok("workspace", "file", "write", id, "calc.sh", "--text", "#!/bin/sh\necho $(( $1 - $2 ))\n", "--json");
        ok("workspace", "file", "write", id, "gone.txt", "--text", "bye\n", "--json");
        sh(id, "rm new.txt");
        Path patchFile = host.resolve("diff.patch");
        Files.writeString(patchFile, patch);
        JsonNode applied = ok("workspace", "patch", "apply", id, "--patch-file", patchFile.toString(), "--json");
        List<String> files = new ArrayList<>();
        applied.get("files").forEach(f -> files.add(f.get("status").asString() + " " + f.get("path").asString()));
        // in the patch's order, which is the diff's
        assertThat(files).containsExactlyInAnyOrder("modified /workspace/calc.sh", "deleted /workspace/gone.txt",
                "added /workspace/new.txt");
        assertThat(files).isSortedAccordingTo(java.util.Comparator.comparingInt(f -> patch.indexOf(
                f.substring(f.lastIndexOf('/')) + "\n")));
        assertThat(sh(id, "sh calc.sh 2 3; cat new.txt; test ! -e gone.txt && echo gone")).isEqualTo("5\nadded\ngone\n");
        assertThat(ok("workspace", "diff", id, "--json").get("patch").asString()).isEqualTo(patch);

        // a patch from git diff (rename, mode change, no newline at the end) reproduces that diff
        sh(id, "git init -q . && printf 'a\\nb\\nc' > t.txt && printf 'k\\n' > was.txt && git add t.txt was.txt "
                + "&& git -c user.name=t -c user.email=t@t commit -qm base && printf 'a\\nB\\nc\\n' > t.txt "
                + "&& git mv was.txt now.txt && chmod 755 now.txt && git diff -M HEAD > /tmp/git.patch "
                + "&& git reset -q --hard");
        String gitPatch = sh(id, "cat /tmp/git.patch");
        assertThat(gitPatch).contains("rename from was.txt", "\\ No newline at end of file", "new mode 100755");
        JsonNode fromGit = ok("workspace", "patch", "apply", id, "--patch", gitPatch, "--json");
        List<String> gitFiles = new ArrayList<>();
        fromGit.get("files").forEach(f -> gitFiles.add(f.get("status").asString() + " " + f.get("path").asString()));
        assertThat(gitFiles).containsExactlyInAnyOrder("modified /workspace/t.txt", "renamed /workspace/now.txt");
        assertThat(sh(id, "git add -A -- t.txt was.txt now.txt && git diff --cached -M HEAD")).isEqualTo(gitPatch);

        // refused patches change nothing, and say which file, hunk and line
        String before = content(id, "calc.sh");
        String twoFiles = "--- a/notes.txt\n+++ b/notes.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n"
                + "--- a/calc.sh\n+++ b/calc.sh\n@@ -2 +2 @@\n-echo $(( $1 * $2 ))\n+echo nope\n";
        JsonNode rejected = error("patch_rejected", "workspace", "patch", "apply", id, "--patch", twoFiles, "--json");
        assertThat(rejected.get("message").asString()).contains("nothing was changed", "calc.sh hunk 1 (@@ -2 +2 @@)",
                "line 2: the patch expects 'echo $(( $1 * $2 ))'");
        assertThat(rejected.get("hint").asString()).contains("Read the file again");
        assertThat(content(id, "notes.txt")).isEqualTo("one\ntwo\n");
        assertThat(content(id, "calc.sh")).isEqualTo(before);
        assertThat(error("patch_rejected", "workspace", "patch", "apply", id, "--patch",
                "--- a/nothing.txt\n+++ b/nothing.txt\n@@ -1 +1 @@\n-a\n+b\n", "--json").get("message").asString())
                .contains("nothing.txt: it does not exist");
        assertThat(error("patch_rejected", "workspace", "patch", "apply", id, "--patch",
                "--- /dev/null\n+++ b/notes.txt\n@@ -0,0 +1 @@\n+x\n", "--json").get("message").asString())
                .contains("notes.txt: the patch creates it, but it already exists");
        assertThat(error("patch_rejected", "workspace", "patch", "apply", id, "--patch",
                "diff --git a/logo.png b/logo.png\nindex 1..2 100644\nBinary files a/logo.png and b/logo.png differ\n",
                "--json").get("message").asString()).contains("logo.png: a binary change cannot be applied");
        assertThat(error("malformed_patch", "workspace", "patch", "apply", id, "--patch", "just words\n", "--json")
                .get("message").asString()).contains("no file changes found");
        error("malformed_patch", "workspace", "patch", "apply", id, "--patch",
                "--- a/notes.txt\n+++ b/notes.txt\n@@ -1,5 +1,5 @@\n one\n", "--json");
        error("path_outside_workspace", "workspace", "patch", "apply", id, "--patch",
                "--- a/../etc/passwd\n+++ b/../etc/passwd\n@@ -1 +1 @@\n-root\n+pwned\n", "--json");
        String hostname = sh(id, "ln -s /etc/hostname host-link && cat /etc/hostname");
        assertThat(error("patch_rejected", "workspace", "patch", "apply", id, "--patch",
                "--- a/host-link\n+++ b/host-link\n@@ -1 +1 @@\n-" + hostname + "+pwned\n", "--json").get("message").asString())
                .contains("host-link: it leads outside /workspace through a symlink");
        assertThat(sh(id, "cat /etc/hostname")).isEqualTo(hostname);
        assertThat(content(id, "notes.txt")).isEqualTo("one\ntwo\n");

        CliProcess.Result humanPatch = pyro("workspace", "patch", "apply", id, "--patch",
                "--- a/notes.txt\n+++ b/notes.txt\n@@ -2 +2 @@\n-two\n+2\n");
        assertThat(humanPatch.exitCode()).isZero();
        assertThat(humanPatch.stdout()).isEqualTo("modified /workspace/notes.txt: 1 hunk, +1 -1\n");
        assertThat(humanPatch.stderr()).contains("Applied the patch to 1 file in " + id + ": +1 -1");
        assertThat(ok("workspace", "logs", id, "--json").get("entries").size()).as("file tools are not commands")
                .isEqualTo(execs);
    }

    /** Commands this test ran in the guest: the journal holds exactly these. */
    private int execs;

    private static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }
}
