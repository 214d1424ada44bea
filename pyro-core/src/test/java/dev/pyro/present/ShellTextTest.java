package dev.pyro.present;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ShellReadResult;
import dev.pyro.WorkspaceShell;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The human and model forms of shell results: truncation and more output are never silent. */
class ShellTextTest {
    private static ShellReadResult read(String output, long cursor, boolean truncated, boolean more) {
        return new ShellReadResult("ws-1", "3f9ac2e1", output, cursor, cursor + output.length(), truncated, more,
                true, "running", null, null);
    }

    @Test
    void aModelSeesWhereTheReadStandsLossesAndMoreOutput() {
        String text = ShellText.readForModel(read("xyz", 5000, true, true), 100);
        assertThat(text).startsWith("shell 3f9ac2e1 state=running cursor=5000 next_cursor=5003\n")
                .contains("[4900 bytes before cursor 5000 were lost", "--- output ---\nxyz\n",
                        "[more output is waiting: read again from next_cursor 5003]");
        assertThat(ShellText.readForModel(read("", 7, false, false), 7)).contains("--- no new output ---")
                .doesNotContain("lost", "more output");
        ShellReadResult exited = new ShellReadResult("ws-1", "3f9ac2e1", "bye\n", 0, 4, false, false, false,
                "exited", 3, null);
        assertThat(ShellText.readForModel(exited, 0)).startsWith("shell 3f9ac2e1 state=exited exit_code=3 ");
    }

    @Test
    void theCliSummaryLineCarriesTheCursorsAndTheLoss() {
        assertThat(ShellText.readSummary(read("ab", 900, true, false), 10)).isEqualTo(
                "[workspace-shell-read] workspace_id=ws-1 shell_id=3f9ac2e1 cursor=900 next_cursor=902 "
                        + "truncated=true lost_bytes=890 has_more=false state=running");
    }

    @Test
    void listsShowStateSizeAndWhetherACommandRunsWithTheProgramSanitised() {
        WorkspaceShell idle = new WorkspaceShell("ws-1", "3f9ac2e1", "running", null, null, 120, 30,
                List.of("bash", "-l"), 42, 42L, 0, 37);
        WorkspaceShell busy = new WorkspaceShell("ws-1", "0badc0de", "running", null, null, 80, 24,
                List.of("evil\u001b[2J"), 50, 57L, 0, 9);
        WorkspaceShell done = new WorkspaceShell("ws-1", "11111111", "exited", 3, null, 80, 24, List.of("sh"), 60,
                null, 0, 2);
        String table = ShellText.list("ws-1", List.of(idle, busy, done));
        assertThat(table.lines()).hasSize(4);
        assertThat(table.lines().toList().get(1)).startsWith("3f9ac2e1  running    120x30    no ").endsWith("bash -l");
        assertThat(table.lines().toList().get(2)).contains("yes").contains("\\x1b[2J").doesNotContain("\u001b");
        assertThat(table.lines().toList().get(3)).contains("exited (exit 3)");
        assertThat(ShellText.list("ws-1", List.of())).isEqualTo("No shells in ws-1.\n");
        assertThat(ShellText.shell(idle)).contains("Shell ID: 3f9ac2e1\n", "Command: bash -l\n", "Terminal: 120x30\n");
    }
}
