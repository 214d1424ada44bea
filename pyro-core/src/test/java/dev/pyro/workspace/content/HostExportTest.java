package dev.pyro.workspace.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ArtifactType;
import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.WorkspaceExportResult;
import dev.pyro.json.PyroJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Export to the host: round trips through the real agent, and hostile archives. */
@Timeout(60)
class HostExportTest {
    @TempDir
    Path base;
    DiffHarness agent;
    Path ws;
    Path host;

    @BeforeEach
    void start() throws IOException {
        base = base.toRealPath();
        agent = DiffHarness.start(base);
        ws = agent.root;
        host = Files.createDirectories(base.resolve("host"));
        Files.createDirectories(ws.resolve("proj/src/empty"));
        Files.writeString(ws.resolve("proj/src/main.c"), "int main() { return 0; }\n");
        Files.writeString(ws.resolve("proj/run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(ws.resolve("proj/run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(ws.resolve("proj/secret"), "s");
        Files.setPosixFilePermissions(ws.resolve("proj/secret"), PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(ws.resolve("proj/link"), Path.of("src/main.c"));
        Files.createSymbolicLink(ws.resolve("proj/escape"), Path.of("../../../../etc"));
        Files.createDirectories(ws.resolve("proj/ro"));
        Files.writeString(ws.resolve("proj/ro/f"), "r");
        Files.setPosixFilePermissions(ws.resolve("proj/ro"), PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.createDirectories(base.resolve("outside"));
        Files.createSymbolicLink(ws.resolve("out-link"), base.resolve("outside"));
    }

    @AfterEach
    void stop() throws IOException {
        Files.setPosixFilePermissions(ws.resolve("proj/ro"), PosixFilePermissions.fromString("rwxr-xr-x"));
        agent.close();
    }

    private WorkspaceExportResult export(String path, Path out, boolean force) {
        return WorkspaceExporter.export(agent.client, path, out, force);
    }

    @Test
    void aFileKeepsItsContentAndMode() throws Exception {
        WorkspaceExportResult r = export("proj/run.sh", host.resolve("run.sh"), false);
        assertThat(r).isEqualTo(new WorkspaceExportResult("/workspace/proj/run.sh", host.resolve("run.sh"),
                ArtifactType.FILE, 1, 10));
        assertThat(Files.readString(host.resolve("run.sh"))).isEqualTo("#!/bin/sh\n");
        assertThat(perms(host.resolve("run.sh"))).isEqualTo("rwxr-x---");
        assertThat(PyroJson.compact().writeValueAsString(r)).isEqualTo("{\"workspace_path\":\"/workspace/proj/run.sh\","
                + "\"output_path\":\"" + host.resolve("run.sh") + "\",\"artifact_type\":\"file\",\"entry_count\":1,"
                + "\"bytes_written\":10,\"skipped_count\":0,\"skipped\":[]}");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aDirectoryKeepsModesEmptyDirsAndSymlinksAsLinks() throws Exception {
        Path out = host.resolve("copy");
        WorkspaceExportResult r = export("/workspace/proj", out, false);
        assertThat(r.artifactType()).isEqualTo(ArtifactType.DIRECTORY);
        assertThat(r.entryCount()).isEqualTo(10); // proj, src, empty, main.c, run.sh, secret, link, escape, ro, ro/f
        assertThat(r.bytesWritten()).isEqualTo(25 + 10 + 1 + 1);
        assertThat(Files.readString(out.resolve("src/main.c"))).startsWith("int main");
        assertThat(Files.isDirectory(out.resolve("src/empty"))).isTrue();
        assertThat(perms(out.resolve("secret"))).isEqualTo("rw-------");
        assertThat(perms(out.resolve("ro"))).isEqualTo("r-xr-xr-x");
        assertThat(Files.readSymbolicLink(out.resolve("link")).toString()).isEqualTo("src/main.c");
        assertThat(Files.readSymbolicLink(out.resolve("escape")).toString()).isEqualTo("../../../../etc");
        Files.setPosixFilePermissions(out.resolve("ro"), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aSymlinkIsExportedAsALinkAndTheRootAsATree() throws Exception {
        WorkspaceExportResult r = export("proj/escape", host.resolve("esc"), false);
        assertThat(r.artifactType()).isEqualTo(ArtifactType.SYMLINK);
        assertThat(Files.isSymbolicLink(host.resolve("esc"))).isTrue();
        assertThat(Files.readSymbolicLink(host.resolve("esc")).toString()).isEqualTo("../../../../etc");

        // A link pointing out of the workspace is still just a link inside it: exported as is.
        WorkspaceExportResult out = export("out-link", host.resolve("out-link"), false);
        assertThat(out.artifactType()).isEqualTo(ArtifactType.SYMLINK);
        assertThat(Files.readSymbolicLink(host.resolve("out-link"))).isEqualTo(base.resolve("outside"));

        WorkspaceExportResult all = export("/workspace", host.resolve("all"), false);
        assertThat(all.artifactType()).isEqualTo(ArtifactType.DIRECTORY);
        assertThat(all.workspacePath()).isEqualTo("/workspace");
        assertThat(Files.readString(host.resolve("all/proj/src/main.c"))).startsWith("int main");
        assertThat(Files.isSymbolicLink(host.resolve("all/out-link"))).isTrue();
        Files.setPosixFilePermissions(host.resolve("all/proj/ro"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void refusals() throws Exception {
        expect(() -> export("/etc/passwd", host.resolve("x"), false), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expect(() -> export("../outside", host.resolve("x"), false), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expect(() -> export("out-link/anything", host.resolve("x"), false), ErrorCode.PATH_OUTSIDE_WORKSPACE,
                ErrorCode.NOT_FOUND);
        expect(() -> export("no/such/file", host.resolve("x"), false), ErrorCode.NOT_FOUND);
        expect(() -> export("proj/run.sh", host.resolve("missing-dir/x"), false), ErrorCode.NOT_FOUND);
        Files.writeString(host.resolve("taken"), "mine");
        expect(() -> export("proj/run.sh", host.resolve("taken"), false), ErrorCode.ALREADY_EXISTS);
        assertThat(Files.readString(host.resolve("taken"))).isEqualTo("mine");
        Files.createSymbolicLink(host.resolve("dangling"), Path.of("nowhere"));
        expect(() -> export("proj/run.sh", host.resolve("dangling"), false), ErrorCode.ALREADY_EXISTS);
        assertThat(Files.exists(host.resolve("x"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void specialFilesAreRefusedAsTheTargetAndReportedWhenSkipped() throws Exception {
        Files.createDirectories(ws.resolve("sp"));
        Files.writeString(ws.resolve("sp/keep.txt"), "k");
        DiffHarness.run(ws, "mkfifo", "sp/pipe");
        // was: MALFORMED_ARCHIVE "the exported archive is empty"
        expect(() -> export("sp/pipe", host.resolve("pipe"), false), ErrorCode.UNSAFE_ARCHIVE_ENTRY);
        assertThat(host.resolve("pipe")).doesNotExist();
        // was: silently dropped
        WorkspaceExportResult r = export("sp", host.resolve("sp"), false);
        assertThat(r.entryCount()).isEqualTo(2);
        assertThat(r.skippedCount()).isEqualTo(1);
        assertThat(r.skipped()).containsExactly("/workspace/sp/pipe");
        assertThat(host.resolve("sp/keep.txt")).hasContent("k");
        assertThat(host.resolve("sp/pipe")).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void forceReplacesFilesAndDirectoriesWithoutFollowingLinks() throws Exception {
        Files.writeString(host.resolve("f"), "old");
        export("proj/run.sh", host.resolve("f"), true);
        assertThat(Files.readString(host.resolve("f"))).isEqualTo("#!/bin/sh\n");

        Files.createDirectories(host.resolve("d/old-stuff"));
        export("proj/src", host.resolve("d"), true);
        assertThat(host.resolve("d/old-stuff")).doesNotExist();
        assertThat(host.resolve("d/main.c")).exists();

        export("proj/run.sh", host.resolve("d"), true); // a directory replaced by a file
        assertThat(Files.isRegularFile(host.resolve("d"))).isTrue();

        Path victim = Files.writeString(base.resolve("victim"), "keep");
        Files.createSymbolicLink(host.resolve("l"), victim);
        export("proj/secret", host.resolve("l"), true);
        assertThat(Files.isSymbolicLink(host.resolve("l"))).isFalse();
        assertThat(Files.readString(victim)).isEqualTo("keep");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void hostileArchivesAreRefusedAndLeaveNothing() throws Exception {
        Path outside = base.resolve("outside");
        expect(() -> extract(tar(dir("x/"), file("x/../../evil", "e"))), ErrorCode.UNSAFE_ARCHIVE_ENTRY);
        expect(() -> extract(tar(file("/abs", "e"))), ErrorCode.UNSAFE_ARCHIVE_ENTRY);
        expect(() -> extract(tar(dir("x/"), file("y/evil", "e"))), ErrorCode.UNSAFE_ARCHIVE_ENTRY);
        expect(() -> extract(tar(dir("x/"), link("x/l", outside.toString()), file("x/l/evil", "e"))),
                ErrorCode.UNSAFE_ARCHIVE_ENTRY);
        expect(() -> extract(tar(dir("x/"), file("x/a", "a"), hardLink("x/h", "x/a"))), ErrorCode.UNSAFE_ARCHIVE_ENTRY);
        expect(() -> extract(tar(dir("x/"), special("x/fifo", TarConstants.LF_FIFO))), ErrorCode.UNSAFE_ARCHIVE_ENTRY);
        expect(() -> extract(tar(file("a", "a"), file("a/b", "b"))), ErrorCode.UNSAFE_ARCHIVE_ENTRY);
        expect(() -> extract(new byte[0]), ErrorCode.MALFORMED_ARCHIVE);
        byte[] truncated = tar(file("big", "x".repeat(5000)));
        expect(() -> extract(java.util.Arrays.copyOf(truncated, 1024)), ErrorCode.MALFORMED_ARCHIVE);
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
        assertThat(host.resolve("out")).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void setuidAndStickyBitsAreDropped() throws Exception {
        TarArchiveEntry e = new TarArchiveEntry("suid");
        byte[] data = "x".getBytes(StandardCharsets.UTF_8);
        e.setSize(data.length);
        e.setMode(0104755);
        byte[] t = tar(new Item(e, data));
        WorkspaceExportResult r = HostExport.extract(new ByteArrayInputStream(t), "/workspace/suid", host.resolve("out"), false);
        assertThat(r.artifactType()).isEqualTo(ArtifactType.FILE);
        assertThat(perms(host.resolve("out"))).isEqualTo("rwxr-xr-x");
        assertThat((Integer) Files.getAttribute(host.resolve("out"), "unix:mode") & 07000).isZero();
    }

    // ------------------------------------------------------------------ helpers

    private void extract(byte[] tar) {
        HostExport.extract(new ByteArrayInputStream(tar), "/workspace/x", host.resolve("out"), false);
    }

    private record Item(TarArchiveEntry entry, byte[] data) {
    }

    private static Item file(String name, String content) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        byte[] d = content.getBytes(StandardCharsets.UTF_8);
        e.setSize(d.length);
        e.setMode(0100644);
        return new Item(e, d);
    }

    private static Item dir(String name) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setMode(040755);
        return new Item(e, new byte[0]);
    }

    private static Item link(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        return new Item(e, new byte[0]);
    }

    private static Item hardLink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        e.setLinkName(target);
        return new Item(e, new byte[0]);
    }

    private static Item special(String name, byte flag) {
        return new Item(new TarArchiveEntry(name, flag, true), new byte[0]);
    }

    private static byte[] tar(Item... items) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Item i : items) {
                out.putArchiveEntry(i.entry());
                out.write(i.data());
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Staging directories that were not cleaned up. */
    private java.util.List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(host)) {
            return s.filter(p -> p.getFileName().toString().contains(".pyro-export-")).toList();
        }
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static void expect(ThrowableAssert.ThrowingCallable call, ErrorCode... codes) {
        assertThatThrownBy(call).isInstanceOf(PyroException.class)
                .satisfies(t -> assertThat(((PyroException) t).code()).as(t.getMessage()).isIn((Object[]) codes));
    }
}
