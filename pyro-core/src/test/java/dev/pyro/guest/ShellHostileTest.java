package dev.pyro.guest;

import static dev.pyro.guest.AgentHarness.expectCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every shell operation against bad ids, sizes, signals, cursors, floods and a full table. */
@Timeout(120)
class ShellHostileTest {
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

    private PyroException raw(String json, ErrorCode code) {
        return expectCode(() -> agent.client.rawRequest(json.getBytes(StandardCharsets.UTF_8)), code);
    }

    @Test
    void unknownIdsAreShellNotFoundForEveryOperation() {
        for (String id : List.of("00000000", "not-an-id", "../../etc", "x".repeat(5000), "")) {
            expectCode(() -> shells.read(id, ShellReadRequest.from(0)), ErrorCode.SHELL_NOT_FOUND);
            expectCode(() -> shells.write(id, "x"), ErrorCode.SHELL_NOT_FOUND);
            expectCode(() -> shells.signal(id, ShellSignal.INT), ErrorCode.SHELL_NOT_FOUND);
            expectCode(() -> shells.resize(id, 80, 24), ErrorCode.SHELL_NOT_FOUND);
            expectCode(() -> shells.close(id), ErrorCode.SHELL_NOT_FOUND);
            expectCode(() -> shells.attach(id, null, e -> { }).await(), ErrorCode.SHELL_NOT_FOUND);
        }
        var e = expectCode(() -> shells.close("x".repeat(5000)), ErrorCode.SHELL_NOT_FOUND);
        assertThat(e.getMessage().length()).as("a hostile id is not echoed whole").isLessThan(300);
    }

    @Test
    void badSizesLimitsSignalsAndCursorsAreInvalidArguments() {
        for (int[] size : new int[][] {{-1, 30}, {120, -1}, {1001, 30}, {120, 100_000}}) {
            expectCode(() -> shells.open(ShellOpenRequest.defaults().withSize(size[0], size[1])),
                    ErrorCode.INVALID_ARGUMENT);
        }
        assertThat(shells.list()).as("nothing opened by the refused requests").isEmpty();
        String id = shells.open(ShellOpenRequest.defaults()).shellId();
        expectCode(() -> shells.resize(id, 0, 24), ErrorCode.INVALID_ARGUMENT);
        expectCode(() -> shells.resize(id, 80, 65536), ErrorCode.INVALID_ARGUMENT);
        raw("{\"op\":\"shell_resize\",\"shell_id\":\"" + id + "\"}", ErrorCode.INVALID_ARGUMENT);
        raw("{\"op\":\"shell_signal\",\"shell_id\":\"" + id + "\",\"signal\":\"STOP\"}", ErrorCode.INVALID_ARGUMENT);
        raw("{\"op\":\"shell_signal\",\"shell_id\":\"" + id + "\",\"signal\":\"9\"}", ErrorCode.INVALID_ARGUMENT);
        raw("{\"op\":\"shell_signal\",\"shell_id\":\"" + id + "\",\"signal\":9}", ErrorCode.AGENT_PROTOCOL_ERROR);
        long end = shells.list().get(0).nextCursor();
        expectCode(() -> shells.read(id, ShellReadRequest.from(end + 1)), ErrorCode.INVALID_ARGUMENT);
        expectCode(() -> shells.read(id, ShellReadRequest.from(-1)), ErrorCode.INVALID_ARGUMENT);
        expectCode(() -> shells.read(id, ShellReadRequest.from(0).withMaxBytes(1)), ErrorCode.INVALID_ARGUMENT);
        expectCode(() -> shells.read(id, ShellReadRequest.from(0).withMaxBytes(10 << 20)), ErrorCode.INVALID_ARGUMENT);
        expectCode(() -> shells.read(id, ShellReadRequest.from(0).waitingForIdle(Duration.ofHours(1))),
                ErrorCode.INVALID_ARGUMENT);
        expectCode(() -> shells.attach(id, end + 10, e -> { }).await(), ErrorCode.INVALID_ARGUMENT);
        // the shell is unharmed by all of it
        assertThat(new ShellDriver(shells, id).run("echo ok")).contains("ok");
    }

    @Test
    void aWriteOverTheLimitWritesNothing() {
        ShellDriver sh = new ShellDriver(shells, shells.open(ShellOpenRequest.defaults()).shellId());
        sh.run("true");
        byte[] flood = ("echo FLOODED; " + "#".repeat(ShellClient.MAX_WRITE_BYTES)).getBytes(StandardCharsets.UTF_8);
        expectCode(() -> shells.write(sh.id, flood), ErrorCode.INVALID_ARGUMENT);
        assertThat(shells.write(sh.id, new byte[0])).isZero();
        String out = sh.run("echo after");
        assertThat(out).contains("after").doesNotContain("FLOODED");
        assertThat(shells.write(sh.id, "#".repeat(ShellClient.MAX_WRITE_BYTES - 1) + "\n"))
                .isEqualTo(ShellClient.MAX_WRITE_BYTES);
    }

    @Test
    void theShellTableIsBounded() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            ids.add(shells.open(ShellOpenRequest.defaults().withArgv("sleep", "300")).shellId());
        }
        assertThat(ids).doesNotHaveDuplicates();
        expectCode(() -> shells.open(ShellOpenRequest.defaults()), ErrorCode.TOO_MANY_SHELLS);
        shells.close(ids.get(3));
        String again = shells.open(ShellOpenRequest.defaults().withArgv("sleep", "300")).shellId();
        assertThat(again).isNotIn(ids);
        assertThat(shells.list()).hasSize(16);
    }

    @Test
    void badWorkingDirectoriesAndProgramsAreRefused() throws Exception {
        Files.writeString(agent.root.resolve("file"), "x");
        Files.createSymbolicLink(agent.root.resolve("escape"), Path.of("/etc"));
        expectCode(() -> shells.open(ShellOpenRequest.defaults().withCwd("../")), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> shells.open(ShellOpenRequest.defaults().withCwd("/etc")), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> shells.open(ShellOpenRequest.defaults().withCwd("escape")), ErrorCode.PATH_OUTSIDE_WORKSPACE);
        expectCode(() -> shells.open(ShellOpenRequest.defaults().withCwd("missing")), ErrorCode.NOT_FOUND);
        expectCode(() -> shells.open(ShellOpenRequest.defaults().withCwd("file")), ErrorCode.NOT_FOUND);
        expectCode(() -> shells.open(ShellOpenRequest.defaults().withArgv("/no/such/program")), ErrorCode.EXEC_FAILED);
        assertThat(shells.list()).isEmpty();
    }

    @Test
    void anExitedShellTakesNoInputButStaysReadable() {
        String id = shells.open(ShellOpenRequest.defaults().withArgv("sh", "-c", "echo done; exit 4")).shellId();
        ShellOutput out;
        do {
            out = shells.read(id, ShellReadRequest.from(0).waitingForIdle(Duration.ofMillis(100)));
        } while (out.status().running());
        assertThat(out.status()).isEqualTo(new ShellStatus(ShellState.EXITED, 4, null));
        assertThat(out.text()).contains("done");
        expectCode(() -> shells.write(id, "x"), ErrorCode.SHELL_CLOSED);
        expectCode(() -> shells.signal(id, ShellSignal.TERM), ErrorCode.SHELL_CLOSED);
        expectCode(() -> shells.resize(id, 80, 24), ErrorCode.SHELL_CLOSED);
        assertThat(shells.list()).singleElement().satisfies(i -> assertThat(i.status().exitCode()).isEqualTo(4));
        shells.close(id);
        expectCode(() -> shells.read(id, ShellReadRequest.from(0)), ErrorCode.SHELL_NOT_FOUND);
        expectCode(() -> shells.close(id), ErrorCode.SHELL_NOT_FOUND);
    }
}
