package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Shells on real PTYs of the development-mode agent: terminal, signals, reads by cursor, attach. */
@Timeout(120)
class ShellClientTest {
    @TempDir
    Path base;
    AgentHarness agent;
    ShellClient shells;

    @BeforeEach
    void start() throws Exception {
        agent = AgentHarness.start(base);
        shells = agent.client.shells();
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    private ShellDriver open(ShellOpenRequest request) {
        ShellInfo info = shells.open(request);
        assertThat(info.status().state()).isEqualTo(ShellState.RUNNING);
        return new ShellDriver(shells, info.shellId());
    }

    @Test
    void theShellHasARealTerminalOfTheRequestedSize() throws Exception {
        assertThat(agent.client.hello().capabilities()).contains("shells");
        ShellInfo info = shells.open(ShellOpenRequest.defaults());
        assertThat(info.shellId()).matches("[0-9a-f]{8}");
        assertThat(info.cols()).isEqualTo(120);
        assertThat(info.rows()).isEqualTo(30);
        assertThat(info.argv()).isIn(List.of("bash", "-l"), List.of("sh"));
        assertThat(info.pid()).isPositive();
        ShellDriver sh = new ShellDriver(shells, info.shellId());
        String out = sh.run("stty size; tty; echo \"term=$TERM\"; echo \"sid=$(cut -d' ' -f6 /proc/$$/stat)\"");
        assertThat(out).contains("30 120").contains("/dev/pts/").contains("term=xterm-256color");
        assertThat(out).as("the shell leads its own session").contains("sid=" + info.pid());

        Files.createDirectories(agent.root.resolve("sub"));
        ShellDriver small = open(ShellOpenRequest.defaults().withSize(80, 24).withCwd("sub")
                .withEnv("GREETING", "hello there"));
        assertThat(small.run("stty size; pwd; echo \"$GREETING\"")).contains("24 80")
                .contains(agent.root.resolve("sub").toString()).contains("hello there");
    }

    @Test
    void resizeChangesWhatTheTerminalReports() {
        ShellDriver sh = open(ShellOpenRequest.defaults());
        sh.run("true");
        shells.resize(sh.id, 100, 40);
        assertThat(sh.run("stty size")).contains("40 100");
        assertThat(sh.info().cols()).isEqualTo(100);
        assertThat(sh.info().rows()).isEqualTo(40);
    }

    @Test
    void interruptStopsTheForegroundCommandNotTheShell() {
        ShellDriver sh = open(ShellOpenRequest.defaults());
        sh.run("true"); // the shell is at its prompt
        shells.write(sh.id, "sleep 100\n");
        sh.awaitForegroundJob("sleep");
        long pgid = shells.signal(sh.id, ShellSignal.INT);
        assertThat(pgid).isNotEqualTo(sh.info().pid());
        assertThat(sh.run("echo \"status=$?\"")).contains("status=130");
        assertThat(sh.info().status().state()).isEqualTo(ShellState.RUNNING);
    }

    @Test
    void readsNeverSplitACharacter() throws Exception {
        ShellDriver sh = open(ShellOpenRequest.defaults());
        sh.run("true");
        long from = sh.cursor;
        String unit = "é€😀";
        sh.run("for i in $(seq 40); do printf '%s' '" + unit + "'; done; echo");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        long cursor = from;
        while (cursor < sh.cursor) {
            // 5 bytes never hold a whole "é€": every answer must still be whole characters
            ShellOutput out = shells.read(sh.id, ShellReadRequest.from(cursor).withMaxBytes(5));
            assertThat(out.output().length).isPositive();
            strictUtf8(out.output());
            all.write(out.output());
            cursor = out.nextCursor();
        }
        assertThat(all.toString(StandardCharsets.UTF_8)).contains(unit.repeat(40));
    }

    private static void strictUtf8(byte[] bytes) throws CharacterCodingException {
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
    }

    @Test
    void outputBeyondTheBufferIsReportedAsTruncatedWithConsistentCursors() {
        ShellDriver sh = open(ShellOpenRequest.defaults());
        sh.runLossy("head -c 1500000 /dev/zero | tr '\\0' x; echo");
        ShellInfo info = sh.info();
        assertThat(info.nextCursor()).isGreaterThan(1_500_000);
        assertThat(info.nextCursor() - info.oldestCursor()).isEqualTo(1 << 20);

        ShellOutput lost = shells.read(sh.id, ShellReadRequest.from(0).withMaxBytes(4096));
        assertThat(lost.truncated()).isTrue();
        assertThat(lost.cursor()).isEqualTo(info.oldestCursor());
        assertThat(lost.nextCursor()).isEqualTo(lost.cursor() + lost.output().length);
        assertThat(lost.output()).hasSize(4096);

        ShellOutput kept = shells.read(sh.id, ShellReadRequest.from(info.oldestCursor()).withMaxBytes(4096));
        assertThat(kept.truncated()).isFalse();
        assertThat(kept.output()).isEqualTo(lost.output());

        ShellOutput end = shells.read(sh.id, ShellReadRequest.from(info.nextCursor()));
        assertThat(end.output()).isEmpty();
        assertThat(end.nextCursor()).isEqualTo(info.nextCursor());
    }

    @Test
    void waitingForIdleReturnsTheWholeAnswer() {
        ShellDriver sh = open(ShellOpenRequest.defaults());
        sh.run("true");
        long from = sh.cursor;
        shells.write(sh.id, "for i in 1 2 3 4; do echo \"part-$i\"; sleep 0.2; done; echo \"end-$((1+1))\"\n");
        ShellOutput out = shells.read(sh.id, ShellReadRequest.from(from).waitingForIdle(Duration.ofMillis(1500))
                .withMaxWait(Duration.ofSeconds(60)));
        assertThat(out.text()).contains("part-1").contains("part-4").contains("end-2");
    }

    @Test
    void anAttachFollowsOutputTakesInputAndDetachesWithoutEndingTheShell() throws Exception {
        ShellDriver sh = open(ShellOpenRequest.defaults());
        sh.run("true");
        // Without a cursor the attach starts at the shell's end at that moment: the prompt after
        // the marker may or may not be out yet (it was not under ASan on a loaded host), so the
        // end is bounded by what the shell reports before and after, not by the driver's cursor.
        long endBefore = sh.info().nextCursor();
        List<ShellEvent> events = new CopyOnWriteArrayList<>();
        ShellAttachEnd end;
        try (AgentSubscription<ShellEvent, ShellAttachEnd> sub = shells.attach(sh.id, null, events::add)) {
            sub.input().write("echo \"typed-$((20+1))\"\n".getBytes(StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            byte[] buf = new byte[4096];
            while (seen.indexOf("typed-21") < 0) {
                int n = sub.output().read(buf);
                assertThat(n).isPositive();
                seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            end = sub.detach();
        }
        assertThat(events.get(0)).isInstanceOfSatisfying(ShellEvent.Attached.class,
                a -> assertThat(a.cursor()).isGreaterThanOrEqualTo(endBefore).isLessThan(end.nextCursor()));
        assertThat(end.detached()).isTrue();
        assertThat(end.status().state()).isEqualTo(ShellState.RUNNING);
        assertThat(end.nextCursor()).isGreaterThan(sh.cursor);
        // the shell runs on, and reads continue where the attach left off
        sh.cursor = end.nextCursor();
        assertThat(sh.run("echo still-here")).contains("still-here");
    }

    @Test
    void anAttachEndsWithTheShellAndReportsItsExit() throws Exception {
        ShellDriver sh = open(ShellOpenRequest.defaults());
        sh.run("true");
        List<ShellEvent> events = new CopyOnWriteArrayList<>();
        AgentSubscription<ShellEvent, ShellAttachEnd> sub = shells.attach(sh.id, sh.cursor, events::add);
        shells.write(sh.id, "echo bye; exit 3\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sub.output().transferTo(out);
        ShellAttachEnd end = sub.await();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("bye");
        assertThat(end.detached()).isFalse();
        assertThat(end.status()).isEqualTo(new ShellStatus(ShellState.EXITED, 3, null));
        assertThat(events).anySatisfy(e -> assertThat(e).isEqualTo(new ShellEvent.Exited(end.status())));
        // an exited shell stays readable until closed
        ShellOutput last = shells.read(sh.id, ShellReadRequest.from(sh.cursor));
        assertThat(last.text()).contains("bye");
        assertThat(last.status()).isEqualTo(end.status());
        assertThat(shells.close(sh.id)).isEqualTo(new ShellStatus(ShellState.CLOSED, 3, null));
        assertThat(shells.list()).isEmpty();
    }

    @Test
    void aChosenProgramRunsInsteadOfTheDefaultShell() {
        ShellInfo info = shells.open(ShellOpenRequest.defaults().withArgv("sh", "-c", "printf 'from %s' \"$0\"; exit 7"));
        assertThat(info.argv()).containsExactly("sh", "-c", "printf 'from %s' \"$0\"; exit 7");
        ShellOutput out;
        do {
            out = shells.read(info.shellId(), ShellReadRequest.from(0).waitingForIdle(Duration.ofMillis(100)));
        } while (out.status().running());
        assertThat(out.text()).isEqualTo("from sh");
        assertThat(out.status().exitCode()).isEqualTo(7);
    }
}
