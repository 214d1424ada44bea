package dev.pyro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.pyro.testing.GuestFixture;
import dev.pyro.testing.GuestHome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 3.2 file tools, patch apply and 3.3 discovery through the SDK, in process, on one real
 * guest: names and labels found and changed, writes that keep or set modes, reads cut at a
 * character boundary, a multi-file patch applied, and the refusals (a patch with one bad file
 * changes no file, escapes through {@code ..} and symlinks, an oversized write) leaving
 * {@code /workspace} as it was.
 */
class FileToolsSdkGuestTest {
    @TempDir
    Path home;

    @TempDir
    Path host;

    @BeforeAll
    static void environmentInstalled() {
        GuestFixture.debian12();
    }

    private static PyroException refused(Runnable call, ErrorCode code) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call::run);
        assertThat(t).isInstanceOf(PyroException.class);
        PyroException e = (PyroException) t;
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        return e;
    }

    private static String sh(Workspace ws, String script) {
        WorkspaceExecResult r = ws.exec(List.of("sh", "-c", script));
        assertThat(r.exitCode()).as("%s: %s", script, r.stderrText()).isZero();
        return r.stdoutText();
    }

    @Test
    void filesPatchesNamesAndLabelsThroughTheSdk() throws Exception {
        Path project = Files.createDirectories(host.resolve("project"));
        Files.writeString(project.resolve("a.txt"), "1\n2\n3\n");
        Files.writeString(project.resolve("b.txt"), "bee\n");
        PyroConfig config = GuestHome.config(home);
        try (Pyro pyro = Pyro.create(config);
                Workspace ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12").withSeedPath(project)
                        .withName("sdk files").withLabels(Map.of("task", "sdk", "run", "1")))) {
            String id = ws.id();

            // discovery
            assertThat(ws.status().name()).isEqualTo("sdk files");
            assertThat(pyro.listWorkspaces(Map.of("task", "sdk"))).extracting(WorkspaceStatus::workspaceId)
                    .containsExactly(id);
            assertThat(pyro.listWorkspaces(Map.of("task", "other"))).isEmpty();
            WorkspaceStatus updated = ws.update("renamed", Map.of("run", "2"), List.of("task"));
            assertThat(updated.name()).isEqualTo("renamed");
            assertThat(updated.labels()).isEqualTo(Map.of("run", "2"));
            assertThat(pyro.listWorkspaces(Map.of("task", "sdk"))).isEmpty();
            refused(() -> ws.update("bad\nname", Map.of(), List.of()), ErrorCode.INVALID_ARGUMENT);
            refused(() -> ws.update(null, Map.of("bad key", "v"), List.of()), ErrorCode.INVALID_ARGUMENT);
            assertThat(ws.status().name()).as("a refused update changes nothing").isEqualTo("renamed");

            // writes: a new file gets 0644 and its directories; an existing one keeps its mode
            WorkspaceFileWrite created = ws.writeFile("deep/dir/new.txt", "hello\n");
            assertThat(created).isEqualTo(new WorkspaceFileWrite(id, "/workspace/deep/dir/new.txt", 6, true, 0644));
            sh(ws, "chmod 600 b.txt");
            WorkspaceFileWrite kept = ws.writeFile("/workspace/b.txt", "BEE\n");
            assertThat(kept.created()).isFalse();
            assertThat(kept.mode()).isEqualTo(0600);
            assertThat(sh(ws, "stat -c %a b.txt; cat b.txt deep/dir/new.txt")).isEqualTo("600\nBEE\nhello\n");

            // reads: a cut inside a UTF-8 character leaves the character out whole
            ws.writeFile("utf8.txt", "aé");
            WorkspaceFileRead cut = ws.readFile("utf8.txt", 2);
            assertThat(cut.content()).isEqualTo("a");
            assertThat(cut.truncated()).isTrue();
            assertThat(cut.bytesRead()).isEqualTo(1);
            assertThat(cut.size()).isEqualTo(3);
            WorkspaceFileRead whole = ws.readFile("utf8.txt");
            assertThat(whole.content()).isEqualTo("aé");
            assertThat(whole.truncated()).isFalse();
            assertThat(whole.binary()).isFalse();

            WorkspaceFileList deep = ws.listFiles("deep", true);
            assertThat(deep.path()).isEqualTo("/workspace/deep");
            assertThat(deep.entries()).as("paths relative to the listed directory")
                    .extracting(e -> e.path() + ":" + e.kind()).containsExactly("dir:DIR", "dir/new.txt:FILE");

            // a patch of three files: modified, added, deleted
            PatchApplyResult applied = ws.applyPatch("""
                    --- a/a.txt
                    +++ b/a.txt
                    @@ -1,3 +1,3 @@
                     1
                    -2
                    +two
                     3
                    --- /dev/null
                    +++ b/c.txt
                    @@ -0,0 +1 @@
                    +sea
                    --- a/deep/dir/new.txt
                    +++ /dev/null
                    @@ -1 +0,0 @@
                    -hello
                    """);
            assertThat(applied.files()).extracting(f -> f.status() + " " + f.path()).containsExactly(
                    "modified /workspace/a.txt", "added /workspace/c.txt", "deleted /workspace/deep/dir/new.txt");
            assertThat(applied.linesAdded()).isEqualTo(2);
            assertThat(applied.linesRemoved()).isEqualTo(2);
            assertThat(sh(ws, "cat a.txt c.txt; test ! -e deep/dir/new.txt && echo gone"))
                    .isEqualTo("1\ntwo\n3\nsea\ngone\n");

            // all or nothing: the good first file is not written when the second is rejected
            PyroException rejected = refused(() -> ws.applyPatch("""
                    --- a/a.txt
                    +++ b/a.txt
                    @@ -2 +2 @@
                    -two
                    +TWO
                    --- a/c.txt
                    +++ b/c.txt
                    @@ -1 +1 @@
                    -ocean
                    +lake
                    """), ErrorCode.PATCH_REJECTED);
            assertThat(rejected.getMessage()).contains("c.txt hunk 1", "nothing was changed");
            assertThat(rejected.hint()).isNotBlank();
            assertThat(sh(ws, "cat a.txt c.txt")).isEqualTo("1\ntwo\n3\nsea\n");

            // escapes and limits
            sh(ws, "ln -s /etc out && ln -s .. parent");
            refused(() -> ws.readFile("out/passwd"), ErrorCode.PATH_OUTSIDE_WORKSPACE);
            refused(() -> ws.readFile("parent/etc/passwd"), ErrorCode.PATH_OUTSIDE_WORKSPACE);
            refused(() -> ws.writeFile("../tmp/escaped", "x"), ErrorCode.PATH_OUTSIDE_WORKSPACE);
            refused(() -> ws.writeFile("out/escaped", "x"), ErrorCode.PATH_OUTSIDE_WORKSPACE);
            refused(() -> ws.applyPatch("--- a/out/hostname\n+++ b/out/hostname\n@@ -1 +1 @@\n-x\n+y\n"),
                    ErrorCode.PATCH_REJECTED);
            refused(() -> ws.listFiles("/etc", false), ErrorCode.PATH_OUTSIDE_WORKSPACE);
            assertThat(sh(ws, "test ! -e /tmp/escaped && test ! -e /etc/escaped && echo clean")).isEqualTo("clean\n");
            String huge = "x".repeat((16 << 20) + 1);
            refused(() -> ws.writeFile("huge.txt", huge), ErrorCode.INVALID_ARGUMENT);
            refused(() -> ws.readFile("huge.txt"), ErrorCode.NOT_FOUND);
            refused(() -> ws.readFile("a.txt", 0), ErrorCode.INVALID_ARGUMENT);

            // a name that is not UTF-8 is listed quoted, with its exact bytes beside it
            sh(ws, "mkdir odd && printf x > \"odd/$(printf 'bad\\377.txt')\" && printf y > odd/fine.txt");
            assertThat(ws.listFiles("odd", false).entries())
                    .extracting(WorkspaceFileEntry::path, WorkspaceFileEntry::pathBytesB64)
                    .containsExactlyInAnyOrder(tuple("\"bad\\377.txt\"", "YmFk/y50eHQ="), tuple("fine.txt", null));

            // binary content round-trips through a host file, and is reported as binary
            byte[] blob = new byte[256];
            for (int i = 0; i < blob.length; i++) {
                blob[i] = (byte) i;
            }
            Path blobFile = Files.write(host.resolve("blob.bin"), blob);
            ws.writeFile("blob.bin", null, blobFile);
            WorkspaceFileRead bin = ws.readFile("blob.bin");
            assertThat(bin.binary()).isTrue();
            assertThat(bin.encoding()).isEqualTo(WorkspaceFileRead.BASE64);
            assertThat(bin.contentBytes()).isEqualTo(blob);
            assertThat(new String(whole.contentBytes(), StandardCharsets.UTF_8)).isEqualTo("aé");

            // listings: most recently active first; a file write is activity, an exec too
            try (Workspace other = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12").withName("other"))) {
                assertThat(pyro.listWorkspaces()).extracting(WorkspaceStatus::workspaceId)
                        .containsExactly(other.id(), id);
                ws.writeFile("touch.txt", "now\n");
                assertThat(pyro.listWorkspaces()).extracting(WorkspaceStatus::workspaceId)
                        .containsExactly(id, other.id());
                other.exec(List.of("true"));
                List<WorkspaceStatus> listed = pyro.listWorkspaces();
                assertThat(listed).extracting(WorkspaceStatus::workspaceId).containsExactly(other.id(), id);
                assertThat(listed.get(0).lastActivityAt()).isAfter(listed.get(1).lastActivityAt());
                assertThat(listed).extracting(WorkspaceStatus::name).containsExactly("other", "renamed");
            }
        }
        assertThatThrownBy(() -> {
            try (Pyro pyro = GuestHome.pyro(home)) {
                pyro.readWorkspaceFile("ws-000000000000", "a.txt");
            }
        }).isInstanceOfSatisfying(PyroException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.WORKSPACE_NOT_FOUND);
            assertThat(e.hint()).contains("List the workspaces");
        });
    }
}
