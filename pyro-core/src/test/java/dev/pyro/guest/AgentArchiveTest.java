package dev.pyro.guest;

import static dev.pyro.guest.AgentHarness.expectCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** archive_import / archive_export against the real agent, including every escape we know. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class AgentArchiveTest {
    private static final long BIG = 64L << 20;

    AgentHarness agent;
    AgentConnection client;
    Path base;
    /** A directory beside the workspace root: nothing may ever appear in it. */
    Path outside;

    @BeforeAll
    void start(@TempDir Path base) throws Exception {
        this.base = base.toRealPath();
        agent = AgentHarness.start(this.base);
        client = agent.client;
        outside = Files.createDirectories(this.base.resolve("outside"));
    }

    @AfterAll
    void stop() {
        agent.close();
    }

    @Test
    void roundTripKeepsModesLinksEmptyDirsLongNamesAndBigFiles(@TempDir Path scratch) throws Exception {
        String longDir = "d".repeat(90) + "/" + "e".repeat(60);
        String longName = "proj/" + longDir + "/file-with-a-long-name.txt";
        assertThat(longName.length()).isGreaterThan(150);
        Path tarFile = scratch.resolve("in.tar");
        String bigSha;
        try (OutputStream out = Files.newOutputStream(tarFile); TarBuilder t = new TarBuilder(out)) {
            t.dir("proj", 0755).file("proj/run.sh", 0755, "#!/bin/sh\necho hi\n")
                    .file("proj/secret", 0600, "s3cret").dir("proj/empty", 0700).symlink("proj/link", "run.sh")
                    .symlink("proj/dangling", "../nowhere/at/all").dir("proj/" + "d".repeat(90), 0755)
                    .dir("proj/" + longDir, 0755).file(longName, 0644, "long");
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            t.file("proj/big.bin", 0644, BIG, new DigestInputStream(new PatternStream(BIG), md));
            bigSha = HexFormat.of().formatHex(md.digest());
        }

        ImportResult imp;
        try (InputStream in = Files.newInputStream(tarFile)) {
            imp = client.archives().importTar("/workspace/dest", in);
        }
        assertThat(imp.entries()).isEqualTo(10);
        assertThat(imp.bytes()).isEqualTo(BIG + 18 + 6 + 4);

        Path proj = agent.root.resolve("dest/proj");
        assertThat(perms(proj.resolve("run.sh"))).isEqualTo("rwxr-xr-x");
        assertThat(perms(proj.resolve("secret"))).isEqualTo("rw-------");
        assertThat(Files.readString(proj.resolve("secret"))).isEqualTo("s3cret");
        assertThat(proj.resolve("empty")).isEmptyDirectory();
        assertThat(perms(proj.resolve("empty"))).isEqualTo("rwx------");
        assertThat(Files.isSymbolicLink(proj.resolve("link"))).isTrue();
        assertThat(Files.readSymbolicLink(proj.resolve("link")).toString()).isEqualTo("run.sh");
        assertThat(Files.readSymbolicLink(proj.resolve("dangling")).toString()).isEqualTo("../nowhere/at/all");
        assertThat(Files.readString(agent.root.resolve("dest/" + longName))).isEqualTo("long");
        assertThat(Files.size(proj.resolve("big.bin"))).isEqualTo(BIG);
        assertThat(sha256(proj.resolve("big.bin"))).isEqualTo(bigSha);

        Path exported = scratch.resolve("out.tar");
        ExportResult exp;
        try (OutputStream out = Files.newOutputStream(exported)) {
            exp = client.archives().exportTar("/workspace/dest/proj", out);
        }
        assertThat(exp.type()).isEqualTo(FileType.DIRECTORY);
        assertThat(exp.bytes()).isEqualTo(BIG + 18 + 6 + 4);

        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        Map<String, String> hashes = new LinkedHashMap<>();
        try (TarArchiveInputStream tin = new TarArchiveInputStream(Files.newInputStream(exported))) {
            TarArchiveEntry e;
            while ((e = tin.getNextEntry()) != null) {
                String name = e.getName().endsWith("/") ? e.getName().substring(0, e.getName().length() - 1)
                        : e.getName();
                entries.put(name, e);
                if (e.isFile()) {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = tin.read(buf)) > 0) {
                        md.update(buf, 0, n);
                    }
                    hashes.put(name, HexFormat.of().formatHex(md.digest()));
                }
            }
        }
        assertThat(exp.entries()).isEqualTo(entries.size());
        assertThat(entries.keySet()).containsExactlyInAnyOrder("proj", "proj/run.sh", "proj/secret", "proj/empty",
                "proj/link", "proj/dangling", "proj/" + "d".repeat(90), "proj/" + longDir, longName, "proj/big.bin");
        assertThat(entries.get("proj/run.sh").getMode() & 07777).isEqualTo(0755);
        assertThat(entries.get("proj/secret").getMode() & 07777).isEqualTo(0600);
        assertThat(entries.get("proj/empty").isDirectory()).isTrue();
        assertThat(entries.get("proj/link").isSymbolicLink()).isTrue();
        assertThat(entries.get("proj/link").getLinkName()).isEqualTo("run.sh");
        assertThat(entries.get("proj/dangling").getLinkName()).isEqualTo("../nowhere/at/all");
        assertThat(hashes.get("proj/big.bin")).isEqualTo(bigSha);
        assertThat(hashes.get(longName)).isEqualTo(sha256("long".getBytes()));

        // And the export imports again, somewhere else, identically.
        try (InputStream in = Files.newInputStream(exported)) {
            client.archives().importTar("copy", in);
        }
        assertThat(sha256(agent.root.resolve("copy/proj/big.bin"))).isEqualTo(bigSha);
        assertThat(perms(agent.root.resolve("copy/proj/secret"))).isEqualTo("rw-------");
        assertThat(Files.readSymbolicLink(agent.root.resolve("copy/proj/link")).toString()).isEqualTo("run.sh");
    }

    @Test
    void exportOfASingleFileAndOfTheRoot() throws Exception {
        Files.writeString(Files.createDirectories(agent.root.resolve("single")).resolve("a.txt"), "abc");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExportResult r = client.archives().exportTar("single/a.txt", out);
        assertThat(r).isEqualTo(new ExportResult(1, 3, FileType.FILE));
        try (TarArchiveInputStream tin = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry e = tin.getNextEntry();
            assertThat(e.getName()).isEqualTo("a.txt");
            assertThat(new String(tin.readAllBytes())).isEqualTo("abc");
            assertThat(tin.getNextEntry()).isNull();
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        client.archives().exportTar("/workspace", all);
        try (TarArchiveInputStream tin = new TarArchiveInputStream(new ByteArrayInputStream(all.toByteArray()))) {
            TarArchiveEntry e;
            boolean found = false;
            while ((e = tin.getNextEntry()) != null) {
                assertThat(e.getName()).startsWith("./").doesNotContain("..");
                found |= e.getName().equals("./single/a.txt");
            }
            assertThat(found).isTrue();
        }
    }

    @Test
    void exportOfAMissingPathIsNotFound() {
        expectCode(() -> client.archives().exportTar("no/such/thing", OutputStream.nullOutputStream()), ErrorCode.NOT_FOUND);
        expectCode(() -> client.archives().exportTar("/etc", OutputStream.nullOutputStream()),
                ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> client.archives().exportTar("../outside", OutputStream.nullOutputStream()),
                ErrorCode.PATH_OUTSIDE_WORKSPACE);
    }

    @Test
    void exportNeverFollowsASymlinkOutOfTheWorkspace() throws Exception {
        Files.writeString(outside.resolve("private.txt"), "host secret");
        Path d = Files.createDirectories(agent.root.resolve("exp-links"));
        Files.createSymbolicLink(d.resolve("out"), outside);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.archives().exportTar("exp-links", out);
        assertThat(out.toString(java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("host secret");
        expectCode(() -> client.archives().exportTar("exp-links/out/private.txt", OutputStream.nullOutputStream()),
                ErrorCode.PATH_OUTSIDE_WORKSPACE);
    }

    // ---------------------------------------------------------------- escapes

    @Test
    void dotDotEntryIsRefused() {
        refused(new TarBuilder().file("ok.txt", 0644, "fine").file("../evil", 0644, "x").bytes(), "dotdot");
        assertThat(outside.getParent().resolve("evil")).doesNotExist();
        assertThat(agent.root.resolve("dotdot/ok.txt")).hasContent("fine"); // entries before stay
    }

    @Test
    void atomicImportOfARefusedArchiveChangesNothing() throws Exception {
        client.archives().importTar("atomic", 0, true, new ByteArrayInputStream(new TarBuilder()
                .file("keep.txt", 0644, "old").bytes()));
        byte[] bad = new TarBuilder().file("keep.txt", 0644, "new").file("added.txt", 0644, "x")
                .file("../evil-atomic", 0644, "x").bytes();
        expectCode(() -> client.archives().importTar("atomic", 0, true, new ByteArrayInputStream(bad)),
                ErrorCode.UNSAFE_ARCHIVE_ENTRY);
        assertThat(agent.root.resolve("atomic/keep.txt")).hasContent("old");
        assertThat(agent.root.resolve("atomic/added.txt")).doesNotExist();
        assertThat(agent.root.resolve("evil-atomic")).doesNotExist();
        byte[] truncated = java.util.Arrays.copyOf(new TarBuilder().file("keep.txt", 0644, new byte[100_000]).bytes(),
                50_000);
        expectCode(() -> client.archives().importTar("atomic", 0, true, new ByteArrayInputStream(truncated)),
                ErrorCode.MALFORMED_ARCHIVE);
        assertThat(agent.root.resolve("atomic/keep.txt")).hasContent("old");
        ImportResult ok = client.archives().importTar("atomic", 0, true, new ByteArrayInputStream(new TarBuilder()
                .file("keep.txt", 0644, "new").bytes()));
        assertThat(ok.entries()).isEqualTo(1);
        assertThat(agent.root.resolve("atomic/keep.txt")).hasContent("new");
    }

    @Test
    void nestedDotDotEntryIsRefused() {
        refused(new TarBuilder().dir("a", 0755).file("a/../../evil2", 0644, "x").bytes(), "nested");
        assertThat(agent.root.resolve("evil2")).doesNotExist();
    }

    @Test
    void absoluteEntryIsRefused() {
        String name = "/etc/pyro-escape-" + UUID.randomUUID();
        try {
            refused(new TarBuilder().file(name, 0644, "x").bytes(), "abs");
            assertThat(Path.of(name)).doesNotExist();
            assertThat(agent.root.resolve("abs" + name)).doesNotExist();
        } finally {
            deleteQuietly(Path.of(name));
        }
    }

    @Test
    void entryThroughASymlinkToTheFilesystemRootIsRefused() {
        String unique = "pyro-escape-" + UUID.randomUUID();
        try {
            refused(new TarBuilder().symlink("link", "/").file("link/tmp/" + unique, 0644, "x").bytes(), "viaroot");
            assertThat(Path.of("/tmp", unique)).doesNotExist();
        } finally {
            deleteQuietly(Path.of("/tmp", unique));
        }
    }

    @Test
    void entryThroughASymlinkToDotDotIsRefused() {
        refused(new TarBuilder().symlink("link", "..").file("link/evil3", 0644, "x").bytes(), "viadotdot");
        assertThat(agent.root.resolve("evil3")).doesNotExist();
        refused(new TarBuilder().symlink("up", "../..").dir("up/outside/newdir", 0755).bytes(), "viadotdot2");
        assertThat(outside.resolve("newdir")).doesNotExist();
    }

    @Test
    void preExistingSymlinkOnDiskIsNotWrittenThrough() throws Exception {
        Path dest = Files.createDirectories(agent.root.resolve("pre"));
        Files.createSymbolicLink(dest.resolve("out"), outside);
        var e = expectCode(() -> client.archives().importTar("pre", new ByteArrayInputStream(
                new TarBuilder().file("out/evil4", 0644, "x").bytes())), ErrorCode.UNSAFE_ARCHIVE_ENTRY,
                ErrorCode.PATH_OUTSIDE_WORKSPACE);
        assertThat(e.getMessage()).contains("out");
        assertThat(outside.resolve("evil4")).doesNotExist();
        // A symlink as dest itself is refused as well.
        expectCode(() -> client.archives().importTar("pre/out", new ByteArrayInputStream(
                new TarBuilder().file("evil5", 0644, "x").bytes())), ErrorCode.PATH_OUTSIDE_WORKSPACE,
                ErrorCode.UNSAFE_ARCHIVE_ENTRY);
        assertThat(outside.resolve("evil5")).doesNotExist();
        assertThat(ping()).isTrue();
    }

    @Test
    void hardLinksOutsideTheDestinationAreRefused() throws Exception {
        Files.writeString(outside.resolve("target.txt"), "outside");
        refused(new TarBuilder().hardlink("h1", "../outside/target.txt").bytes(), "hard1");
        refused(new TarBuilder().hardlink("h2", "/etc/passwd").bytes(), "hard2");
        refused(new TarBuilder().hardlink("h3", "../../etc/passwd").bytes(), "hard3");
        for (String n : new String[] {"hard1/h1", "hard2/h2", "hard3/h3"}) {
            assertThat(agent.root.resolve(n)).doesNotExist();
        }
        Object passwdLinks = Files.getAttribute(Path.of("/etc/passwd"), "unix:nlink");
        assertThat(passwdLinks).isEqualTo(1);
        // A hard link to an earlier entry inside dest is fine.
        client.archives().importTar("hard4", new ByteArrayInputStream(
                new TarBuilder().file("a.txt", 0644, "same").hardlink("b.txt", "a.txt").bytes()));
        assertThat(agent.root.resolve("hard4/b.txt")).hasContent("same");
        assertThat(Files.getAttribute(agent.root.resolve("hard4/b.txt"), "unix:ino"))
                .isEqualTo(Files.getAttribute(agent.root.resolve("hard4/a.txt"), "unix:ino"));
    }

    @Test
    void devicesAndFifosAreRefused() {
        refused(new TarBuilder().charDevice("null", 1, 3).bytes(), "dev");
        assertThat(agent.root.resolve("dev/null")).doesNotExist();
        refused(new TarBuilder().fifo("pipe").bytes(), "fifo");
        assertThat(agent.root.resolve("fifo/pipe")).doesNotExist();
    }

    @Test
    void destinationOutsideTheWorkspaceIsRefused() {
        byte[] tar = new TarBuilder().file("x.txt", 0644, "x").bytes();
        expectCode(() -> client.archives().importTar("../outside", new ByteArrayInputStream(tar)),
                ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> client.archives().importTar("/etc", new ByteArrayInputStream(tar)), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> client.archives().importTar("/workspace/../outside", new ByteArrayInputStream(tar)),
                ErrorCode.PATH_OUTSIDE_WORKSPACE);
        assertThat(outside.resolve("x.txt")).doesNotExist();
        assertThat(Path.of("/etc/x.txt")).doesNotExist();
    }

    @Test
    void malformedArchivesAreRejected() {
        byte[] junk = new byte[4096];
        new Random(3).nextBytes(junk);
        expectCode(() -> client.archives().importTar("junk", new ByteArrayInputStream(junk)), ErrorCode.MALFORMED_ARCHIVE);
        byte[] good = new TarBuilder().file("f.bin", 0644, new byte[100_000]).bytes();
        byte[] truncated = java.util.Arrays.copyOf(good, 50_000);
        expectCode(() -> client.archives().importTar("trunc", new ByteArrayInputStream(truncated)),
                ErrorCode.MALFORMED_ARCHIVE);
        byte[] badSum = good.clone();
        badSum[148] ^= 0x01; // header checksum field
        expectCode(() -> client.archives().importTar("badsum", new ByteArrayInputStream(badSum)), ErrorCode.MALFORMED_ARCHIVE);
        assertThat(ping()).isTrue();
    }

    @Test
    void setuidBitsAreStripped() throws Exception {
        client.archives().importTar("suid", new ByteArrayInputStream(new TarBuilder().file("s", 04755, "x").bytes()));
        assertThat(perms(agent.root.resolve("suid/s"))).isEqualTo("rwxr-xr-x");
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(agent.root.resolve("suid/s"));
        assertThat(p).hasSize(7);
        assertThat(((Integer) Files.getAttribute(agent.root.resolve("suid/s"), "unix:mode")) & 07000).isZero();
    }

    private void refused(byte[] tar, String dest) {
        Set<String> before = besideTheWorkspace();
        var e = expectCode(() -> client.archives().importTar(dest, new ByteArrayInputStream(tar)),
                ErrorCode.UNSAFE_ARCHIVE_ENTRY, ErrorCode.PATH_OUTSIDE_WORKSPACE);
        assertThat(e.getMessage()).isNotBlank();
        assertThat(besideTheWorkspace()).as("nothing written beside the workspace").isEqualTo(before);
        assertThat(ping()).isTrue();
    }

    /** Every path under the test's base directory except the workspace root and the agent log. */
    private Set<String> besideTheWorkspace() {
        try (var walk = Files.walk(base)) {
            return walk.filter(p -> !p.startsWith(agent.root) && !p.equals(agent.log)).map(Path::toString)
                    .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private boolean ping() {
        client.ping();
        return true;
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(p), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort cleanup after a failed assertion
        }
    }

    /** A deterministic, non-repeating-looking byte stream of a given length. */
    static final class PatternStream extends InputStream {
        private final long size;
        private long pos;
        private final Random random = new Random(64);
        private final byte[] block = new byte[1 << 16];
        private int blockPos = block.length;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            if (blockPos == block.length) {
                random.nextBytes(block);
                blockPos = 0;
            }
            int n = (int) Math.min(Math.min(len, block.length - blockPos), size - pos);
            System.arraycopy(block, blockPos, b, off, n);
            blockPos += n;
            pos += n;
            return n;
        }
    }
}
