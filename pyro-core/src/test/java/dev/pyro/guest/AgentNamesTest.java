package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.workspace.content.TarNames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names as bytes (protocol §5 "Names") and the manifest's text class, against the real agent:
 * a name that is not UTF-8 is reported with its exact bytes, can be asked for by them, and
 * survives tar in both directions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class AgentNamesTest {
    static final BytePath BAD = BytePath.of(latin1("bad\u00ff.txt"));
    static final BytePath LONG_BAD = BytePath.of(latin1("d\u00fe/" + "n".repeat(120) + "\u00ff"));

    AgentHarness agent;
    AgentConnection client;

    @BeforeAll
    void start(@TempDir Path base) throws Exception {
        agent = AgentHarness.start(base.toRealPath());
        client = agent.client;
        Path r = agent.root;
        Files.writeString(BAD.resolveUnder(r), "hello\n");
        Files.createDirectories(LONG_BAD.split()[0].resolveUnder(r));
        Files.writeString(LONG_BAD.resolveUnder(r), "long\n");
        Files.createSymbolicLink(r.resolve("ln"), BAD.toHostPath());
        Files.writeString(r.resolve("text.txt"), "caf\u00e9 \u65e5\u672c\n");
        Files.write(r.resolve("latin1.txt"), latin1("caf\u00e9\n"));
        Files.write(r.resolve("nul.bin"), new byte[] {'a', 0, 'b'});
        byte[] lateNul = "x".repeat(9000).getBytes(StandardCharsets.US_ASCII);
        lateNul[8500] = 0;
        Files.write(r.resolve("late-nul.txt"), lateNul);
        Files.writeString(r.resolve("empty.txt"), "");
    }

    @AfterAll
    void stop() {
        agent.close();
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theManifestCarriesExactNamesAndTheTextClass() {
        Map<BytePath, ManifestEntry> m = new LinkedHashMap<>();
        client.files().manifest("/workspace", true, e -> m.put(e.path(), e));
        assertThat(m.keySet()).containsExactly(BAD, BytePath.of(latin1("d\u00fe")), LONG_BAD,
                BytePath.of("empty.txt"), BytePath.of("late-nul.txt"), BytePath.of("latin1.txt"), BytePath.of("ln"),
                BytePath.of("nul.bin"), BytePath.of("text.txt"));
        assertThat(m.get(BAD).size()).isEqualTo(6);
        assertThat(m.get(BytePath.of("ln")).linkTarget()).isEqualTo(BAD);
        assertThat(m.get(BAD).text()).isTrue();
        assertThat(m.get(BytePath.of("text.txt")).text()).isTrue();
        assertThat(m.get(BytePath.of("empty.txt")).text()).isTrue();
        assertThat(m.get(BytePath.of("late-nul.txt")).text()).as("a NUL after 8 KiB is still text").isTrue();
        assertThat(m.get(BytePath.of("latin1.txt")).text()).isFalse();
        assertThat(m.get(BytePath.of("nul.bin")).text()).isFalse();
        assertThat(m.get(BytePath.of("ln")).text()).isNull();
        assertThat(client.files().manifest("/workspace", false)).allSatisfy(e -> assertThat(e.text()).isNull());
    }

    @Test
    void statAndListNameTheBytes() {
        StatResult s = client.files().stat(BAD);
        assertThat(s.size()).isEqualTo(6);
        assertThat(s.path()).isEqualTo(BAD);
        assertThat(client.files().stat("ln").linkTarget()).isEqualTo(BAD);
        List<BytePath> names = new ArrayList<>();
        client.files().list("/workspace", false, e -> names.add(e.path()));
        assertThat(names).contains(BAD, BytePath.of(latin1("d\u00fe")));
    }

    @Test
    void selectedExportTakesAndReportsNamesAsBytes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BytePath gone = BytePath.of(latin1("gone\u00fe"));
        ExportResult r = client.archives().exportTar("/workspace", List.of(BAD, LONG_BAD, gone), out);
        assertThat(r.missing()).containsExactly(gone);
        Map<BytePath, String> content = read(out.toByteArray());
        assertThat(content).containsExactly(Map.entry(BAD.prefixed("./"), "hello\n"),
                Map.entry(LONG_BAD.prefixed("./"), "long\n"));
    }

    @Test
    void aFullExportKeepsNamesAndLinkTargetsExact() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.archives().exportTar("/workspace", out);
        Map<BytePath, String> content = read(out.toByteArray());
        assertThat(content).containsEntry(BAD.prefixed("./"), "hello\n").containsEntry(LONG_BAD.prefixed("./"),
                "long\n");
        try (TarArchiveInputStream tin = TarNames.reader(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = tin.getNextEntry()) != null) {
                if (e.getName().equals("./ln")) {
                    assertThat(TarNames.linkName(e)).isEqualTo(BAD);
                    return;
                }
            }
        }
        throw new AssertionError("no ./ln in the export");
    }

    @Test
    void anImportCreatesNamesByTheirBytes() throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        BytePath deep = BytePath.of(latin1("in\u00fe/" + "z".repeat(110) + "\u00e9\u00ff.txt"));
        try (TarArchiveOutputStream t = TarNames.writer(tar)) {
            TarArchiveEntry f = new TarArchiveEntry(deep.latin1(), TarConstants.LF_NORMAL, true);
            f.setSize(2);
            f.setMode(0644);
            t.putArchiveEntry(f);
            t.write("ok".getBytes(StandardCharsets.US_ASCII));
            t.closeArchiveEntry();
            TarArchiveEntry l = new TarArchiveEntry("imp-link", TarConstants.LF_SYMLINK, true);
            l.setLinkName(deep.latin1());
            t.putArchiveEntry(l);
            t.closeArchiveEntry();
        }
        client.archives().importTar("/workspace/imported", 0, true, new ByteArrayInputStream(tar.toByteArray()));
        Path imported = agent.root.resolve("imported");
        assertThat(Files.readString(deep.resolveUnder(imported))).isEqualTo("ok");
        assertThat(BytePath.ofHostPath(Files.readSymbolicLink(imported.resolve("imp-link")))).isEqualTo(deep);
    }

    private static Map<BytePath, String> read(byte[] tar) throws Exception {
        Map<BytePath, String> content = new LinkedHashMap<>();
        try (TarArchiveInputStream tin = TarNames.reader(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = tin.getNextEntry()) != null) {
                if (e.isFile() && !e.isSymbolicLink()) {
                    content.put(TarNames.name(e), new String(tin.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return content;
    }
}
