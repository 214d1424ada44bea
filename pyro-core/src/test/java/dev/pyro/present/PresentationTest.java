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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The one presentation layer: each text written once, for both faces. */
class PresentationTest {
    private static final RunResult RUN = run(bytes("hi\n"), bytes("oops\n"), 3, false, false, 3, 5);

    private static RunResult run(byte[] out, byte[] err, int exit, boolean timedOut, boolean errCut, long outBytes,
            long errBytes) {
        return new RunResult("debian:12", out, err, exit, timedOut, false, errCut, outBytes, errBytes, 10, "qemu-tcg",
                "qemu", new RunResult.Timings(1, 2, 3, 4, 5));
    }

    private static WorkspaceExecResult exec(byte[] out, boolean outCut, long outBytes) {
        return new WorkspaceExecResult("ws-abc", 4, List.of("true"), "/workspace", 0, false, 12, out, new byte[0],
                outCut, false, outBytes, 0, "qemu-kvm");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void runPassesBothStreamsThroughAndExitsWithTheGuestStatus() {
        Outcome o = ExecText.run(RUN, 30, OutputEncoding.TEXT);

        JsonNode doc = (JsonNode) o.document();
        assertThat(doc.get("stdout").asString()).isEqualTo("hi\n");
        assertThat(doc.get("stdout_encoding").asString()).isEqualTo("utf-8");
        assertThat(doc.get("stderr").asString()).isEqualTo("oops\n");
        assertThat(doc.get("stderr_encoding").asString()).isEqualTo("utf-8");
        assertThat(doc.get("stdout_bytes").asLong()).isEqualTo(3);
        assertThat(doc.get("exit_code").asInt()).isEqualTo(3);
        assertThat(doc.get("timings").get("boot_ms").asLong()).isEqualTo(2);
        assertThat(o.stdout().bytes()).isEqualTo(bytes("hi\n"));
        assertThat(o.stderr().text()).isEqualTo("oops\n");
        assertThat(o.summary()).containsExactly(
                "[run] environment=debian:12 execution_mode=qemu-tcg exit_code=3 duration_ms=10");
        assertThat(o.exitStatus()).isEqualTo(3);
        assertThat(o.text()).isEqualTo("exit_code=3 duration_ms=10 execution_mode=qemu-tcg environment=debian:12\n"
                + "--- stdout ---\nhi\n--- stderr ---\noops\n");
    }

    @Test
    void modelTextLeadsWithTheExitCodeAndBoundsTheStreams() {
        byte[] big = bytes("x".repeat(ExecText.TEXT_HEAD_CHARS + 10));
        Outcome o = ExecText.run(run(big, bytes("oops"), 124, true, true, big.length, 9000), 7, OutputEncoding.TEXT);

        assertThat(o.text()).startsWith("exit_code=124 ").contains("timed out after 7 s")
                .contains("[… 10 more characters in the structured result]")
                .contains("--- stderr ---\noops\n[stderr was cut at max_output_bytes: 4 of 9000 bytes kept]");
        assertThat(o.text().length()).isLessThan(ExecText.TEXT_HEAD_CHARS + 500);
        assertThat(o.summary()).containsExactly("pyro: the command timed out after 7 s (exit 124)",
                "pyro: stderr truncated: showed 4 of 9000 bytes (--max-output-bytes raises the limit)",
                "[run] environment=debian:12 execution_mode=qemu-tcg exit_code=124 duration_ms=10");
        assertThat(o.stdout().bytes()).isEqualTo(big);
    }

    @Test
    void workspaceExecSummaryLine() {
        Outcome o = ExecText.workspaceExec(exec(new byte[0], false, 0), 30, OutputEncoding.TEXT);
        assertThat(o.summary()).containsExactly("[workspace-exec] workspace_id=ws-abc sequence=4 cwd=/workspace "
                + "execution_mode=qemu-kvm exit_code=0 duration_ms=12");
        assertThat(o.text()).isEqualTo("sequence=4 exit_code=0 duration_ms=12\n--- stdout: empty\n--- stderr: empty\n");
    }

    @Test
    void binaryOutputIsPrintedByteForByteAndLabelledInJson() {
        byte[] random = new byte[100_000];
        new java.util.Random(42).nextBytes(random);
        Outcome o = ExecText.workspaceExec(exec(random, false, random.length), 30, OutputEncoding.TEXT);

        assertThat(o.stdout().bytes()).as("the CLI writes the bytes themselves").isEqualTo(random);
        JsonNode doc = (JsonNode) o.document();
        assertThat(doc.get("stdout_encoding").asString()).isEqualTo("utf-8-replaced");
        assertThat(doc.get("stdout").asString()).isEqualTo(new String(random, StandardCharsets.UTF_8));
        assertThat(doc.get("stdout_bytes").asLong()).isEqualTo(100_000);
        assertThat(o.text()).contains("--- stdout (not valid UTF-8: undecodable bytes shown as U+FFFD; "
                + "output_encoding=base64 gives the exact bytes) ---\n");

        Outcome b64 = ExecText.workspaceExec(exec(random, false, random.length), 30, OutputEncoding.BASE64);
        JsonNode exact = (JsonNode) b64.document();
        assertThat(exact.get("stdout_encoding").asString()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(exact.get("stdout").asString())).isEqualTo(random);
        assertThat(exact.get("stderr").asString()).isEmpty();
        assertThat(exact.get("stderr_encoding").asString()).isEqualTo("base64");
        assertThat(b64.text()).contains("--- stdout (base64) ---\n"
                + Base64.getEncoder().encodeToString(random).substring(0, 100));
        List<String> names = new java.util.ArrayList<>();
        exact.propertyNames().forEach(names::add);
        assertThat(names).as("each label follows its stream").containsSubsequence("stdout", "stdout_encoding",
                "stderr", "stderr_encoding");
        assertThat(names).doesNotContain("stdout_text");
    }

    @Test
    void cutOutputSaysHowMuchWasShownOfHowMuch() {
        Outcome o = ExecText.workspaceExec(exec(bytes("abc"), true, 5_000_000), 30, OutputEncoding.TEXT);
        assertThat(o.summary()).containsExactly(
                "pyro: stdout truncated: showed 3 of 5000000 bytes (--max-output-bytes raises the limit)",
                "[workspace-exec] workspace_id=ws-abc sequence=4 cwd=/workspace execution_mode=qemu-kvm exit_code=0 "
                        + "duration_ms=12");
        JsonNode doc = (JsonNode) o.document();
        assertThat(doc.get("stdout_truncated").asBoolean()).isTrue();
        assertThat(doc.get("stdout_bytes").asLong()).isEqualTo(5_000_000);
        assertThat(o.text()).contains("[stdout was cut at max_output_bytes: 3 of 5000000 bytes kept]");
    }

    @Test
    void streamTextIsExactWhenItCanBe() {
        assertThat(StreamText.of(bytes("é\n"), OutputEncoding.TEXT)).isEqualTo(new StreamText("é\n", "utf-8"));
        assertThat(StreamText.of(new byte[] {'a', (byte) 0xff}, OutputEncoding.TEXT))
                .isEqualTo(new StreamText("a\ufffd", "utf-8-replaced"));
        assertThat(StreamText.of(new byte[] {'a', (byte) 0xff}, OutputEncoding.BASE64))
                .isEqualTo(new StreamText("Yf8=", "base64"));
        assertThat(StreamText.of(new byte[0], OutputEncoding.TEXT)).isEqualTo(new StreamText("", "utf-8"));
    }

    @Test
    void diffPrintsThePatchAndOneCountsLine() {
        WorkspaceDiff d = new WorkspaceDiff(true, new DiffSummary(1, 2, 0, 0, 1, 1), List.of(), "--- a/x\n+++ b/x\n");
        Outcome o = DiffText.diff("ws-1", d);
        assertThat(o.stdout().text()).isEqualTo("--- a/x\n+++ b/x\n");
        assertThat(o.summary()).containsExactly("[workspace-diff] workspace_id=ws-1 changed=true added=1 modified=2 "
                + "deleted=0 type_changed=0 binary=1 too_large=1");
        assertThat(o.text()).isEqualTo("changed=true added=1 modified=2 deleted=0 type_changed=0 binary=1 too_large=1\n"
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
        assertThat(exported.summary()).singleElement().asString().startsWith("[workspace-export] workspace_id=ws-1 ")
                .doesNotContain("skipped");
        Outcome skipping = DiffText.export("ws-1", new WorkspaceExportResult("/workspace/d", Path.of("/tmp/d"),
                ArtifactType.DIRECTORY, 2, 4, 1, List.of("/workspace/d/\u001b[31mpipe")));
        assertThat(skipping.summary()).singleElement().asString()
                .endsWith(" skipped=1 (special files: /workspace/d/\\x1b[31mpipe)");
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
