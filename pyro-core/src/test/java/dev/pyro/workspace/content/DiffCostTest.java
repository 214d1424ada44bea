package dev.pyro.workspace.content;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.DiffEntry;
import dev.pyro.DiffStatus;
import dev.pyro.DiffSummary;
import dev.pyro.WorkspaceDiff;
import dev.pyro.json.PyroJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A diff fetches only what changed; large files are entries only; random edits round-trip. */
@Timeout(180)
class DiffCostTest {
    @TempDir
    Path base;
    DiffHarness agent;
    Path ws;

    @BeforeEach
    void start() throws IOException {
        base = base.toRealPath();
        agent = DiffHarness.start(base);
        ws = agent.root;
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void tenChangesInTwoThousandFilesFetchOnlyThoseFiles() throws Exception {
        for (int i = 0; i < 2000; i++) {
            write(String.format("d%02d/sub%d/f%04d.txt", i % 40, i % 3, i), "file " + i + "\n".repeat(1 + i % 5));
        }
        Baseline b = BaselineStore.capture(base.resolve("baseline"), agent.manifest(), agent.content());
        assertThat(b.info().files()).isEqualTo(2000);
        assertThat(agent.fetched).hasSize((int) b.info().objects()); // each distinct content once

        agent.resetCounts();
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String p = String.format("d%02d/sub%d/f%04d.txt", (i * 97) % 40, (i * 97) % 3, i * 97);
            write(p, "changed " + i + "\n");
            changed.add(p);
        }
        write("new/added.txt", "brand new\n");
        changed.add("new/added.txt");
        Files.delete(ws.resolve("d00/sub0/f0000.txt".replace("f0000", "f1200")));
        write("d05/sub2/copy-of-baseline.txt", "file 5" + "\n"); // content the baseline store has

        WorkspaceDiff d = WorkspaceDiffer.diff(b, agent.manifest(), agent.content());
        assertThat(d.summary()).isEqualTo(new DiffSummary(3, 8, 1, 0, 0)); // dir new/, its file, the copy
        assertThat(agent.fetched).as("only the new contents travel").containsExactlyInAnyOrderElementsOf(changed);
        assertThat(agent.fetchedBytes.get()).as("tar bytes fetched").isLessThan(20 * 1024);
    }

    @Test
    void filesOverTheTextLimitAreEntriesAndAreNotFetched() throws Exception {
        write("big.txt", "x\n".repeat(1000));
        Files.write(ws.resolve("big.bin"), binary(3000));
        write("small.txt", "a\n");
        Baseline b = BaselineStore.capture(base.resolve("baseline"), agent.manifest(), agent.content());
        write("big.txt", "y\n".repeat(1000));
        byte[] bin = binary(3000);
        bin[2999] = 1;
        Files.write(ws.resolve("big.bin"), bin);
        write("small.txt", "b\n");
        write("grown.txt", "z\n".repeat(600)); // a new text file over the limit
        agent.resetCounts();
        WorkspaceDiff d = WorkspaceDiffer.diff(b, agent.manifest(), agent.content(), 1000);
        assertThat(agent.fetched).containsExactly("small.txt");
        Map<String, DiffEntry> e = d.entries().stream().collect(Collectors.toMap(DiffEntry::path, x -> x));
        // issue 18: a text file that is merely large is not binary
        assertThat(e.get("big.txt").binary()).isFalse();
        assertThat(e.get("big.txt").tooLarge()).isTrue();
        assertThat(e.get("big.txt").oldSize()).isEqualTo(2000);
        assertThat(e.get("grown.txt").tooLarge()).isTrue();
        assertThat(e.get("grown.txt").binary()).isFalse();
        assertThat(e.get("big.bin").binary()).isTrue();
        assertThat(e.get("big.bin").tooLarge()).isFalse();
        assertThat(d.summary()).isEqualTo(new DiffSummary(1, 3, 0, 0, 1, 2));
        assertThat(d.patch()).doesNotContain("big.txt").doesNotContain("grown.txt").contains("-a\n+b\n");
        assertThat(PyroJson.compact().writeValueAsString(e.get("big.txt"))).isEqualTo("{\"path\":\"big.txt\","
                + "\"path_bytes_b64\":null,\"status\":\"modified\",\"kind\":\"file\",\"old_kind\":null,"
                + "\"binary\":false,\"too_large\":true,\"old_size\":2000,\"new_size\":2000,\"old_mode\":420,"
                + "\"new_mode\":420,\"old_link_target\":null,\"new_link_target\":null}");
    }

    @Test
    void aBaselineWithoutTextClassesIsClassifiedFromItsStore() throws Exception {
        write("big.txt", "x\n".repeat(1000));
        Baseline b = BaselineStore.capture(base.resolve("baseline"), agent.manifest(), agent.content());
        // a baseline captured before the agent classified content: no "text" members
        Path manifest = b.dir().resolve(Baseline.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replace(",\"text\":true", ""));
        Files.delete(ws.resolve("big.txt"));
        WorkspaceDiff d = WorkspaceDiffer.diff(b, agent.manifest(), agent.content(), 1000);
        assertThat(d.entries()).singleElement().satisfies(x -> {
            assertThat(x.status()).isEqualTo(DiffStatus.DELETED);
            assertThat(x.tooLarge()).isTrue();
            assertThat(x.binary()).isFalse();
        });
    }

    private static byte[] binary(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 7 == 0 ? 0 : 'a' + i % 26);
        }
        return b;
    }

    @Test
    void randomEditsRoundTripThroughGitApply() throws Exception {
        Random rnd = new Random(42);
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String p = "r/" + (i % 7) + "/file" + i + ".txt";
            files.add(p);
            write(p, randomText(rnd, rnd.nextInt(60)));
        }
        Baseline b = BaselineStore.capture(base.resolve("baseline"), agent.manifest(), agent.content());
        Path copy = base.resolve("copy");
        DiffHarness.run(base, "cp", "-a", ws.toString(), copy.toString());
        for (String p : files) {
            if (rnd.nextInt(3) == 0) {
                continue;
            }
            List<String> lines = new ArrayList<>(List.of(Files.readString(ws.resolve(p)).split("(?<=\n)")));
            if (lines.size() == 1 && lines.getFirst().isEmpty()) {
                lines.clear();
            }
            int edits = 1 + rnd.nextInt(6);
            for (int e = 0; e < edits; e++) {
                int at = lines.isEmpty() ? 0 : rnd.nextInt(lines.size() + 1);
                switch (rnd.nextInt(3)) {
                    case 0 -> lines.add(at, "inserted " + rnd.nextInt(1000) + "\n");
                    case 1 -> {
                        if (at < lines.size()) {
                            lines.remove(at);
                        }
                    }
                    default -> {
                        if (at < lines.size()) {
                            lines.set(at, "replaced " + rnd.nextInt(1000) + "\n");
                        }
                    }
                }
            }
            String text = String.join("", lines);
            if (rnd.nextInt(5) == 0 && text.endsWith("\n")) {
                text = text.substring(0, text.length() - 1);
            }
            Files.writeString(ws.resolve(p), text);
        }
        WorkspaceDiff d = WorkspaceDiffer.diff(b, agent.manifest(), agent.content());
        Path patch = Files.writeString(base.resolve("random.diff"), d.patch());
        DiffHarness.run(copy, "git", "apply", "-p1", patch.toString());
        for (String p : files) {
            assertThat(Files.readString(copy.resolve(p))).as(p).isEqualTo(Files.readString(ws.resolve(p)));
        }
        // and diff(1) agrees the trees are now equal
        DiffHarness.run(base, "diff", "-r", "--no-dereference", ws.toString(), copy.toString());
    }

    private static String randomText(Random rnd, int lines) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            s.append(rnd.nextInt(4) == 0 ? "same\n" : "line " + rnd.nextInt(50) + "\n");
        }
        return s.toString();
    }

    private void write(String rel, String content) throws IOException {
        Path p = ws.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
