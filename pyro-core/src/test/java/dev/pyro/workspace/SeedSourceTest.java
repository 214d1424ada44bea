package dev.pyro.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.BytePath;
import dev.pyro.workspace.content.TarNames;
import dev.pyro.workspace.store.SeedMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host sources become tar streams: modes, links as links, empty directories, no escapes. */
class SeedSourceTest {
    @TempDir
    Path tmp;

    @Test
    void directoryStreamsModesLinksAndEmptyDirsWithoutFollowingLinks() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(dir.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createDirectories(dir.resolve("empty"));
        Files.createDirectories(dir.resolve("deep/er"));
        Files.write(dir.resolve("deep/er/big.bin"), new byte[3 * 1024 * 1024 + 7]);
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "host secret");
        Files.createSymbolicLink(dir.resolve("escape"), secret);
        Files.createSymbolicLink(dir.resolve("escape-dir"), tmp);

        SeedSource source = SeedSource.of(dir.toString());
        assertThat(source.mode()).isEqualTo(SeedMode.DIRECTORY);
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        StringBuilder contents = new StringBuilder();
        try (InputStream in = source.openTar(); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries.put(e.getName(), e);
                contents.append(new String(tar.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(entries).containsKeys("run.sh", "empty/", "deep/", "deep/er/", "deep/er/big.bin", "escape",
                "escape-dir");
        assertThat(entries.get("run.sh").getMode() & 0777).isEqualTo(0750);
        assertThat(entries.get("deep/er/big.bin").getSize()).isEqualTo(3 * 1024 * 1024 + 7);
        assertThat(entries.get("escape").isSymbolicLink()).isTrue();
        assertThat(entries.get("escape").getLinkName()).isEqualTo(secret.toString());
        assertThat(entries.get("escape-dir").isSymbolicLink()).isTrue();
        assertThat(entries.keySet()).noneMatch(n -> n.startsWith("escape-dir/"));
        assertThat(contents.toString()).doesNotContain("host secret");
    }

    @Test
    void hostNamesThatAreNotUtf8KeepTheirBytes() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bytes"));
        BytePath bad = BytePath.of("bad\u00ff.txt".getBytes(StandardCharsets.ISO_8859_1));
        BytePath longBad = BytePath.of(("d\u00fe/" + "x".repeat(120) + "\u00e9").getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(bad.resolveUnder(dir), "b");
        Files.createDirectories(longBad.split()[0].resolveUnder(dir));
        Files.writeString(longBad.resolveUnder(dir), "l");
        Files.createSymbolicLink(dir.resolve("ln"), bad.toHostPath());
        Map<BytePath, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (InputStream in = SeedSource.of(dir.toString()).openTar(); TarArchiveInputStream tar = TarNames.reader(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries.put(TarNames.name(e), e);
            }
        }
        assertThat(entries).containsKeys(bad, longBad, BytePath.of("ln"));
        assertThat(TarNames.linkName(entries.get(BytePath.of("ln")))).isEqualTo(bad);
    }

    @Test
    void archivesByExtensionAndClearErrors() throws IOException {
        Files.write(tmp.resolve("a.tar"), new byte[1024]);
        Files.write(tmp.resolve("b.tgz"), new byte[] {1, 2, 3});
        assertThat(SeedSource.of(tmp.resolve("a.tar").toString())).isInstanceOf(SeedSource.TarArchive.class);
        SeedSource gz = SeedSource.of(tmp.resolve("b.tgz").toString());
        assertThat(gz.mode()).isEqualTo(SeedMode.TAR_ARCHIVE);
        assertThatThrownBy(gz::openTar).isInstanceOf(MalformedArchiveException.class);
        Files.writeString(tmp.resolve("notes.txt"), "x");
        code(() -> SeedSource.of(tmp.resolve("notes.txt").toString()), ErrorCode.INVALID_ARGUMENT);
        code(() -> SeedSource.of(tmp.resolve("missing").toString()), ErrorCode.NOT_FOUND);
    }

    private static void code(Runnable r, ErrorCode expected) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(expected));
    }
}
