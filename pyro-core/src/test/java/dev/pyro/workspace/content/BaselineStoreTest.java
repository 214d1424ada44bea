package dev.pyro.workspace.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.DiffSummary;
import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.WorkspaceDiff;
import dev.pyro.guest.BytePath;
import dev.pyro.guest.FileType;
import dev.pyro.guest.ManifestEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The baseline's on-disk form: complete or absent, deduplicated, read-only, immutable. */
@Timeout(60)
class BaselineStoreTest {
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
    void captureStoresEachContentOnceReadOnlyAndReopens() throws Exception {
        Files.writeString(ws.resolve("a.txt"), "same\n");
        Files.createDirectories(ws.resolve("d"));
        Files.writeString(ws.resolve("d/b.txt"), "same\n");
        Files.writeString(ws.resolve("e"), "");
        Files.createSymbolicLink(ws.resolve("ln"), Path.of("a.txt"));
        Path dir = base.resolve("state/baseline");
        Baseline b = BaselineStore.capture(dir, agent.manifest(), agent.content());
        assertThat(b.info()).extracting(BaselineInfo::entries, BaselineInfo::files, BaselineInfo::objects,
                BaselineInfo::bytes).containsExactly(5L, 3L, 2L, 5L);
        assertThat(agent.fetched).hasSize(2); // "same\n" once, "" once

        List<ManifestEntry> entries = new ArrayList<>();
        BaselineStore.open(dir).forEachEntry(entries::add);
        assertThat(entries).extracting(e -> e.path().text()).containsExactly("a.txt", "d", "d/b.txt", "e", "ln");
        ManifestEntry a = entries.getFirst();
        assertThat(a.type()).isEqualTo(FileType.FILE);
        try (InputStream in = b.openObject(a.sha256())) {
            assertThat(new String(in.readAllBytes())).isEqualTo("same\n");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(b.objectPath(a.sha256()))))
                .isEqualTo("r--r--r--");
        assertThat(entries.get(4).linkTarget()).isEqualTo(BytePath.of("a.txt"));
        assertThat(a.text()).as("classified by the agent").isTrue();
        assertThat(BaselineStore.open(dir).info()).isEqualTo(b.info());
        try (Stream<Path> s = Files.list(dir.getParent())) {
            assertThat(s).containsExactly(dir); // no temporary leftovers
        }
    }

    @Test
    void aBaselineIsImmutableAndAFailedCaptureLeavesNothing() throws Exception {
        Files.writeString(ws.resolve("a.txt"), "x");
        Path dir = base.resolve("baseline");
        BaselineStore.capture(dir, agent.manifest(), agent.content());
        assertThatThrownBy(() -> BaselineStore.capture(dir, agent.manifest(), agent.content()))
                .isInstanceOf(PyroException.class).extracting(e -> ((PyroException) e).code())
                .isEqualTo(ErrorCode.ALREADY_EXISTS);

        Path other = base.resolve("other");
        ManifestSource broken = sink -> {
            sink.accept(new ManifestEntry(BytePath.of("b"), FileType.DIRECTORY, 0, 0755, Instant.EPOCH, null, null, null));
            sink.accept(new ManifestEntry(BytePath.of("a"), FileType.DIRECTORY, 0, 0755, Instant.EPOCH, null, null, null));
        };
        assertThatThrownBy(() -> BaselineStore.capture(other, broken, agent.content()))
                .isInstanceOf(PyroException.class).extracting(e -> ((PyroException) e).code())
                .isEqualTo(ErrorCode.AGENT_PROTOCOL_ERROR);
        try (Stream<Path> s = Files.list(base)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".pyro-staging-ws")))
                    .as("the agent's own staging directory aside").containsExactlyInAnyOrder("ws", "baseline");
        }
        assertThatThrownBy(() -> BaselineStore.open(other)).isInstanceOf(PyroException.class)
                .extracting(e -> ((PyroException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void anEmptyWorkspaceHasAnEmptyBaselineAndDiffsAgainstIt() throws Exception {
        Baseline b = BaselineStore.capture(base.resolve("baseline"), agent.manifest(), agent.content());
        assertThat(b.info().entries()).isZero();
        assertThat(WorkspaceDiffer.diff(b, agent.manifest(), agent.content()).changed()).isFalse();
        Files.writeString(ws.resolve("new.txt"), "hi\n");
        WorkspaceDiff d = WorkspaceDiffer.diff(b, agent.manifest(), agent.content());
        assertThat(d.summary()).isEqualTo(new DiffSummary(1, 0, 0, 0, 0));
        assertThat(d.patch()).isEqualTo("diff --git a/new.txt b/new.txt\nnew file mode 100644\n--- /dev/null\n"
                + "+++ b/new.txt\n@@ -0,0 +1 @@\n+hi\n");
    }

    @Test
    void theBaselineAsTarRecreatesTheWorkspaceExactly() throws Exception {
        Files.createDirectories(ws.resolve("src/empty"));
        Files.writeString(ws.resolve("src/main.c"), "int main;\n");
        Files.writeString(ws.resolve("run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(ws.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.write(ws.resolve("bin"), new byte[] {0, 1, 2});
        Files.createSymbolicLink(ws.resolve("ln"), Path.of("../elsewhere"));
        Files.writeString(ws.resolve("x".repeat(120) + ".txt"), "long name\n");
        Baseline b = BaselineStore.capture(base.resolve("baseline"), agent.manifest(), agent.content());
        Path tar = base.resolve("baseline.tar");
        try (var out = Files.newOutputStream(tar)) {
            b.writeTar(out);
        }
        // Reset-like: wipe the workspace, import the baseline tar, diff: nothing changed.
        DiffHarness.run(ws, "sh", "-c", "rm -rf ./* ./.[!.]* 2>/dev/null; true");
        try (InputStream in = Files.newInputStream(tar)) {
            agent.client.archives().importTar("/workspace", in);
        }
        WorkspaceDiff d = WorkspaceDiffer.diff(b, agent.manifest(), agent.content());
        assertThat(d.entries()).isEmpty();
        assertThat(d.changed()).isFalse();
    }

    @Test
    void aDamagedBaselineIsAnIoErrorWithoutJavaClassNames() throws Exception {
        Files.writeString(ws.resolve("a.txt"), "x\n");
        Baseline b = BaselineStore.capture(base.resolve("baseline"), agent.manifest(), agent.content());
        Files.delete(b.dir().resolve(Baseline.MANIFEST));
        PyroException e = (PyroException) org.assertj.core.api.Assertions.catchThrowable(
                () -> WorkspaceDiffer.diff(b, agent.manifest(), agent.content()));
        assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
        assertThat(e.getMessage()).isEqualTo("cannot read the baseline manifest: no such file or directory: "
                + b.dir().resolve(Baseline.MANIFEST)).doesNotContain("java.").doesNotContain("Exception");
    }

    @Test
    void pathOrderIsByteOrderNotUtf16Order() {
        assertThat(BytePath.of("a").compareTo(BytePath.of("a-c"))).isNegative();
        assertThat(BytePath.of("a.txt").compareTo(BytePath.of("a/b"))).isNegative();
        assertThat(BytePath.of("a/b").compareTo(BytePath.of("a0"))).isNegative();
        // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F389 (F0 9F 8E 89) in bytes,
        // but after its UTF-16 surrogate D83C.
        assertThat(BytePath.of("\uff5e").compareTo(BytePath.of("\ud83c\udf89"))).isNegative();
        assertThat("\uff5e".compareTo("\ud83c\udf89")).isPositive();
        // bytes that are not UTF-8 sort by their unsigned value
        assertThat(BytePath.of(new byte[] {'a', (byte) 0xff}).compareTo(BytePath.of("a\u00e9"))).isPositive();
    }
}
