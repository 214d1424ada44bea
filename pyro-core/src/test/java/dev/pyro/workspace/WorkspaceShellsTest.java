package dev.pyro.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.guest.ShellSignal;
import org.junit.jupiter.api.Test;

/** The host-side checks of shell operations: nothing malformed travels to the guest. */
class WorkspaceShellsTest {

    @Test
    void signalsByNameWithOrWithoutPrefixAndAnythingElseRefused() {
        assertThat(WorkspaceShells.signal("INT")).isEqualTo(ShellSignal.INT);
        assertThat(WorkspaceShells.signal("sigkill")).isEqualTo(ShellSignal.KILL);
        assertThat(WorkspaceShells.signal("SIGHUP")).isEqualTo(ShellSignal.HUP);
        for (String bad : new String[] {"STOP", "", "SIG", "9", "INT ", "\u001b[2JINT", "X".repeat(100_000)}) {
            assertThatThrownBy(() -> WorkspaceShells.signal(bad)).isInstanceOfSatisfying(PyroException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                assertThat(e.getMessage()).contains("HUP, INT, QUIT, TERM, KILL").doesNotContain("\u001b")
                        .hasSizeLessThan(120);
            });
        }
        assertThatThrownBy(() -> WorkspaceShells.signal(null)).isInstanceOf(PyroException.class);
    }

    @Test
    void onlyShellIdsPassAndOthersAreNotFoundWithABoundedPrintableMessage() {
        assertThatCode(() -> WorkspaceShells.checkId("ws-1", "3f9ac2e1")).doesNotThrowAnyException();
        for (String bad : new String[] {"3F9AC2E1", "3f9ac2e", "3f9ac2e12", "../../etc", "3f9ac2e\n",
                "\u001b]0;pwned\u0007", "a".repeat(1 << 20)}) {
            assertThatThrownBy(() -> WorkspaceShells.checkId("ws-1", bad)).isInstanceOfSatisfying(PyroException.class,
                    e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.SHELL_NOT_FOUND);
                        assertThat(e.getMessage()).startsWith("ws-1 has no shell ").doesNotContain("\u001b", "\n")
                                .hasSizeLessThan(160);
                    });
        }
    }

    @Test
    void terminalSizesAndReadLimitsAreRanges() {
        assertThatCode(() -> WorkspaceShells.checkSize(1, 1000)).doesNotThrowAnyException();
        for (int[] bad : new int[][] {{0, 30}, {120, 0}, {1001, 30}, {120, -1}, {Integer.MAX_VALUE, 1}}) {
            assertThatThrownBy(() -> WorkspaceShells.checkSize(bad[0], bad[1]))
                    .isInstanceOfSatisfying(PyroException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
        assertThatCode(() -> ShellReads.check(0, 1, 0)).doesNotThrowAnyException();
        assertThatCode(() -> ShellReads.check(Long.MAX_VALUE, WorkspaceShells.MAX_CHARS,
                WorkspaceShells.MAX_WAIT_FOR_IDLE_MS)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ShellReads.check(-1, 10, 0)).hasMessageContaining("cursor");
        assertThatThrownBy(() -> ShellReads.check(0, 0, 0)).hasMessageContaining("max_chars");
        assertThatThrownBy(() -> ShellReads.check(0, WorkspaceShells.MAX_CHARS + 1, 0)).hasMessageContaining("max_chars");
        assertThatThrownBy(() -> ShellReads.check(0, 10, -1)).hasMessageContaining("wait_for_idle_ms");
        assertThatThrownBy(() -> ShellReads.check(0, 10, WorkspaceShells.MAX_WAIT_FOR_IDLE_MS + 1))
                .hasMessageContaining("wait_for_idle_ms");
    }

    @Test
    void guestErrorsGetTheWorkspaceAndWhatToDo() {
        PyroException closed = WorkspaceShells.explained("ws-1", "3f9ac2e1",
                new PyroException(ErrorCode.SHELL_CLOSED, "shell_write: shell has exited"));
        assertThat(closed.code()).isEqualTo(ErrorCode.SHELL_CLOSED);
        assertThat(closed.getMessage()).contains("3f9ac2e1", "ws-1", "exited", "close it");
        PyroException full = WorkspaceShells.explained("ws-1", null,
                new PyroException(ErrorCode.TOO_MANY_SHELLS, "too many"));
        assertThat(full.getMessage()).contains("16", "close one first");
        PyroException other = new PyroException(ErrorCode.IO_ERROR, "disk");
        assertThat(WorkspaceShells.explained("ws-1", "3f9ac2e1", other)).isSameAs(other);
    }
}
