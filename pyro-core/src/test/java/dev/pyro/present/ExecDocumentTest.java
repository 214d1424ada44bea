package dev.pyro.present;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.CommandOutput;
import dev.pyro.WorkspaceExecResult;
import dev.pyro.json.PyroJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ExecDocumentTest {
    /**
     * A warm exec's document is built field by field; it must stay the document the mapper
     * makes of the record (every field, its name, its place, its value), whatever the
     * result holds. A field added to the record and not here fails this.
     */
    @Test
    void aWorkspaceExecDocumentIsTheRecordsOwnJsonWithTheStreamsReplaced() {
        byte[] random = new byte[70_000];
        new Random(7).nextBytes(random);
        byte[] hostile = ("\"}\n{\"x\":1}\u0000\u001b[2J\u0085\u2028\uD83D\uDE00" + "y".repeat(100_000))
                .getBytes(StandardCharsets.UTF_8);
        List<WorkspaceExecResult> results = List.of(
                exec(List.of("true"), "/workspace", new byte[0], new byte[0], false, false, "guest_vsock"),
                exec(List.of("sh", "-c", "echo \"$HOME\" ü\u0007"), null, hostile, random, true, true, null),
                exec(List.of(), "/w/\u001b]0;t\u0007", random, hostile, false, true, "qemu-tcg"));
        for (WorkspaceExecResult r : results) {
            for (OutputEncoding encoding : OutputEncoding.values()) {
                String fast = PyroJson.compact().writeValueAsString(ExecDocument.of(r, encoding));
                String reference = PyroJson.compact().writeValueAsString(reference(r, encoding));
                assertThat(fast).as("%s, %s", r, encoding).isEqualTo(reference);
            }
        }
        JsonNode doc = ExecDocument.of(results.get(1), OutputEncoding.TEXT);
        assertThat(doc.get("cwd").isNull()).isTrue();
        assertThat(doc.get("stdout").asString()).isEqualTo(new String(hostile, StandardCharsets.UTF_8));
        assertThat(doc.get("stderr_encoding").asString()).isEqualTo(StreamText.UTF8_REPLACED);
        assertThat(doc.get("exit_code").asInt()).isEqualTo(124);
    }

    /** The ExecText forms decode each stream once and hand the same text to the document. */
    @Test
    void theModelTextAndTheDocumentShowTheSameStreams() {
        WorkspaceExecResult r = exec(List.of("printf", "x"), "/workspace", "out\u001b[31m".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xff, 'e'}, false, false, "guest_vsock");
        Outcome o = ExecText.workspaceExec(r, 30, OutputEncoding.TEXT);
        JsonNode doc = (JsonNode) o.document();
        assertThat(doc.get("stdout").asString()).isEqualTo("out\u001b[31m");
        assertThat(doc.get("stderr").asString()).isEqualTo("\uFFFDe");
        assertThat(doc.get("stderr_encoding").asString()).isEqualTo(StreamText.UTF8_REPLACED);
        assertThat(o.text()).contains("--- stdout ---\nout\u001b[31m\n").contains("--- stderr (not valid UTF-8");
    }

    /** The document as it was made before the field-by-field form: through the record's JSON tree. */
    private static ObjectNode reference(CommandOutput result, OutputEncoding encoding) {
        ObjectNode fields = PyroJson.compact().valueToTree(result);
        ObjectNode doc = fields.objectNode();
        for (Map.Entry<String, JsonNode> f : fields.properties()) {
            switch (f.getKey()) {
                case "stdout", "stderr" -> {
                    StreamText text = StreamText.of(f.getKey().equals("stdout") ? result.stdout() : result.stderr(),
                            encoding);
                    doc.put(f.getKey(), text.text());
                    doc.put(f.getKey() + "_encoding", text.encoding());
                }
                default -> doc.set(f.getKey(), f.getValue());
            }
        }
        return doc;
    }

    private static WorkspaceExecResult exec(List<String> argv, String cwd, byte[] out, byte[] err, boolean timedOut,
            boolean cut, String mode) {
        return new WorkspaceExecResult("ws-" + argv.size(), 9_000_000_000L + argv.size(), argv, cwd,
                timedOut ? 124 : 0, timedOut, 1234, out, err, cut, !cut, out.length + (cut ? 5L : 0L),
                err.length, mode);
    }
}
