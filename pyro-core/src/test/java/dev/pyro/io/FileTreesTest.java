package dev.pyro.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one recursive delete every layer uses: links are never followed, locked-down trees still go. */
class FileTreesTest {
    @TempDir
    Path tmp;

    @Test
    void aTreeGoesButWhatItsLinksPointToStays() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path precious = Files.writeString(outside.resolve("precious.txt"), "keep me");
        Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
        Files.writeString(tree.resolve("f"), "x");
        Files.createSymbolicLink(tmp.resolve("tree/a/dir-link"), outside);
        Files.createSymbolicLink(tmp.resolve("tree/file-link"), precious);
        Files.createSymbolicLink(tmp.resolve("tree/dangling"), tmp.resolve("nowhere"));

        FileTrees.deleteTree(tmp.resolve("tree"));

        assertThat(tmp.resolve("tree")).doesNotExist();
        assertThat(precious).hasContent("keep me");
        assertThat(outside).isDirectory();
    }

    @Test
    void aLinkGivenAsTheRootIsRemovedNotItsTarget() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("target"));
        Files.writeString(target.resolve("inside"), "x");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        FileTrees.deleteTree(link);
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(target.resolve("inside")).exists();
    }

    @Test
    void readOnlyAndUnsearchableDirectoriesAreOpenedUpFirst() throws IOException {
        Path tree = Files.createDirectories(tmp.resolve("ro/inner"));
        Files.writeString(tree.resolve("file"), "x");
        Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("r-x------"));
        Files.setPosixFilePermissions(tmp.resolve("ro"), PosixFilePermissions.fromString("---------"));
        FileTrees.deleteTree(tmp.resolve("ro"));
        assertThat(tmp.resolve("ro")).doesNotExist();
    }

    @Test
    void missingRootsAndSingleFilesAreFine() throws IOException {
        FileTrees.deleteTree(tmp.resolve("never-there"));
        assertThat(FileTrees.deleteTreeQuietly(tmp.resolve("never-there"))).isTrue();
        Path file = Files.writeString(tmp.resolve("single"), "x");
        assertThat(FileTrees.deleteTreeQuietly(file)).isTrue();
        assertThat(file).doesNotExist();
    }

    @Test
    void digestsAndSyncs() throws IOException {
        Path f = Files.writeString(tmp.resolve("f"), "abc", StandardCharsets.UTF_8);
        assertThat(FileTrees.sha256(f)).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        FileTrees.fsync(f);
        FileTrees.fsync(tmp);
    }

    @Test
    void atomicWritesReplaceWholeFilesAndLeaveNoTempFile() throws IOException {
        Path target = tmp.resolve("record.json");
        AtomicFiles.write(target, "one".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(target, "two".getBytes(StandardCharsets.UTF_8));
        assertThat(target).hasContent("two");
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).isEqualTo(List.of("record.json"));
        }
    }
}
