package dev.pyro.present;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ArtifactType;
import dev.pyro.DiffSummary;
import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.RunResult;
import dev.pyro.WorkspaceDiff;
import dev.pyro.WorkspaceDeleteResult;
import dev.pyro.WorkspaceExecResult;
import dev.pyro.WorkspaceExportResult;
import dev.pyro.WorkspaceSyncResult;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one presentation layer: each text written once, for both faces. */
class PresentationTest {
    private static final RunResult RUN = new RunResult("debian:12", "hi\n", "oops\n", 3, false, false, false, 10,
            "qemu-tcg", "qemu", new RunResult.Timings(1, 2, 3, 4, 5));

    @Test
    void runPassesBothStreamsThroughAndExitsWithTheGuestStatus() {
        Outcome o = ExecText.run(RUN, 30);

        assertThat(o.document()).isSameAs(RUN);
        assertThat(o.stdout().bytes()).isEqualTo("hi\n".getBytes(StandardCharsets.UTF_8));
        assertThat(o.stderr().text()).isEqualTo("oops\n");
        assertThat(o.summary()).containsExactly(
                "[run] environment=debian:12 execution_mode=qemu-tcg exit_code=3 duration_ms=10");
        assertThat(o.exitStatus()).isEqualTo(3);
        assertThat(o.text()).isEqualTo("exit_code=3 duration_ms=10 execution_mode=qemu-tcg environment=debian:12\n"
                + "--- stdout ---\nhi\n--- stderr ---\noops\n");
    }

    @Test
    void modelTextLeadsWithTheExitCodeAndBoundsTheStreams() {
        String big = "x".repeat(ExecText.TEXT_HEAD_CHARS + 10);
        RunResult run = new RunResult("debian:12", big, "oops", 124, true, false, true, 10, "qemu-tcg", "qemu",
                new RunResult.Timings(1, 2, 3, 4, 5));

        Outcome o = ExecText.run(run, 7);

        assertThat(o.text()).startsWith("exit_code=124 ").contains("timed out after 7 s")
                .contains("[… 10 more characters in the structured result]")
                .contains("--- stderr ---\noops\n[stderr was cut at pyro's output cap]");
        assertThat(o.text().length()).isLessThan(ExecText.TEXT_HEAD_CHARS + 500);
        assertThat(o.summary()).first().isEqualTo("pyro: the command timed out after 7 s (exit 124)");
        assertThat(o.stdout().text()).isEqualTo(big);
    }

    @Test
    void workspaceExecSummaryLine() {
        WorkspaceExecResult r = new WorkspaceExecResult("ws-abc", 4, List.of("true"), "/workspace", 0, false, 12,
                "", "", false, false, "qemu-kvm");
        Outcome o = ExecText.workspaceExec(r, 30);
        assertThat(o.summary()).containsExactly("[workspace-exec] workspace_id=ws-abc sequence=4 cwd=/workspace "
                + "execution_mode=qemu-kvm exit_code=0 duration_ms=12");
        assertThat(o.text()).isEqualTo("sequence=4 exit_code=0 duration_ms=12\n--- stdout: empty\n--- stderr: empty\n");
    }

    @Test
    void diffPrintsThePatchAndOneCountsLine() {
        WorkspaceDiff d = new WorkspaceDiff(true, new DiffSummary(1, 2, 0, 0, 1), List.of(), "--- a/x\n+++ b/x\n");
        Outcome o = DiffText.diff("ws-1", d);
        assertThat(o.stdout().text()).isEqualTo("--- a/x\n+++ b/x\n");
        assertThat(o.summary()).containsExactly("[workspace-diff] workspace_id=ws-1 changed=true added=1 modified=2 "
                + "deleted=0 type_changed=0 binary=1");
        assertThat(o.text()).isEqualTo("changed=true added=1 modified=2 deleted=0 type_changed=0 binary=1\n"
                + "--- a/x\n+++ b/x\n");
    }

    @Test
    void summariesGoToStderrAndStdoutCarriesOnlyPayload() {
        Outcome pushed = WorkspaceHandlers.pushed(new WorkspaceSyncResult("ws-1", "src", "/workspace", "directory", 3,
                10));
        assertThat(pushed.stdout().isEmpty()).as("sync push has no payload").isTrue();
        assertThat(pushed.summary()).containsExactly("Pushed src (directory) to /workspace in ws-1: 3 entries, 10 bytes");
        Outcome deleted = WorkspaceHandlers.deleted(new WorkspaceDeleteResult("ws-1", true));
        assertThat(deleted.stdout().isEmpty()).as("delete has no payload").isTrue();
        assertThat(deleted.summary()).containsExactly("Deleted workspace ws-1");
        assertThat(deleted.text()).isEqualTo("Deleted workspace ws-1\n");
        Outcome exported = DiffText.export("ws-1", new WorkspaceExportResult("/workspace/a", Path.of("/tmp/a"),
                ArtifactType.FILE, 1, 4));
        assertThat(exported.stdout().text()).as("the output path, for scripts").isEqualTo("/tmp/a\n");
        assertThat(exported.summary()).singleElement().asString().startsWith("[workspace-export] workspace_id=ws-1 ");
    }

    @Test
    void errorsHaveOneDocumentAndSanitisedLines() {
        PyroException e = new PyroException(ErrorCode.NOT_FOUND, "no such file \u001b]0;owned\u0007x\nnext");
        assertThat(ErrorDocument.of(e)).isEqualTo(Map.of("error", Map.of("code", "not_found", "message",
                "no such file \u001b]0;owned\u0007x\nnext", "hint", "List the directory to see what is there.")));
        assertThat(ErrorDocument.line(e)).isEqualTo("pyro: error: no such file \\x1b]0;owned\\x07x\\nnext [not_found]");
        assertThat(ErrorDocument.hintLine(e)).isEqualTo("pyro: hint: List the directory to see what is there.");
        assertThat(ErrorDocument.modelText(e)).isEqualTo("error [not_found]: no such file \\x1b]0;owned\\x07x\nnext"
                + "\nhint: List the directory to see what is there.");
    }

    @Test
    void aHintGivenWhereTheErrorAroseWinsAndSomeCodesHaveNone() {
        PyroException stopped = new PyroException(ErrorCode.WORKSPACE_NOT_RUNNING, "workspace ws-1 is stopped",
                "Start the workspace, then retry.", null);
        assertThat(ErrorDocument.of(stopped)).isEqualTo(Map.of("error", Map.of("code", "workspace_not_running",
                "message", "workspace ws-1 is stopped", "hint", "Start the workspace, then retry.")));
        PyroException bad = new PyroException(ErrorCode.INVALID_ARGUMENT, "max_bytes must be between 1 and 16777216");
        assertThat(ErrorDocument.of(bad)).isEqualTo(Map.of("error", Map.of("code", "invalid_argument", "message",
                "max_bytes must be between 1 and 16777216")));
        assertThat(ErrorDocument.hintLine(bad)).isNull();
        assertThat(ErrorDocument.modelText(bad)).isEqualTo("error [invalid_argument]: max_bytes must be between 1 and "
                + "16777216");
        for (ErrorCode c : ErrorCode.values()) {
            String hint = c.hint();
            if (hint != null) {
                assertThat(hint).as("hint of %s: one sentence, no CLI syntax", c).endsWith(".")
                        .doesNotContainPattern("--[a-z]").doesNotContain("pyro ");
            }
        }
    }

    @Test
    void guestTextKeepsPrintableTextAndEscapesControls() {
        assertThat(GuestText.sanitize("plain\ttext\nüñí")).isEqualTo("plain\ttext\nüñí");
        assertThat(GuestText.sanitize("a\u001b[31mred\u009b")).isEqualTo("a\\x1b[31mred\\x9b");
        assertThat(GuestText.oneLine("a\nb\rc")).isEqualTo("a\\nb\\x0dc");
    }

    @Test
    void bytePayloadsPassThroughUnchanged() {
        byte[] raw = {(byte) 0xff, 0, 0x1b, '\n'};
        Payload p = Payload.bytes(raw);
        assertThat(p.bytes()).isEqualTo(raw);
        assertThat(p.isEmpty()).isFalse();
        assertThat(Payload.EMPTY.isEmpty()).isTrue();
    }

    @Test
    void theDefaultModelTextIsSummaryThenStdoutElseJson() {
        assertThat(Outcome.of(Map.of("a", 1)).text()).isEqualTo("{\"a\":1}");
        assertThat(Outcome.of(Map.of()).stdout("body\n").summary("[x] y").text()).isEqualTo("[x] y\nbody\n");
    }
}
