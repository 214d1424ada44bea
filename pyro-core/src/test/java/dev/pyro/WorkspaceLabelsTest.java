package dev.pyro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Names and labels are bounded and printable; hostile ones are refused with a reason. */
class WorkspaceLabelsTest {

    @Test
    void acceptsOrdinaryNamesAndLabels() {
        assertThat(WorkspaceLabels.checkName("fix login bug – ü")).isEqualTo("fix login bug – ü");
        assertThat(WorkspaceLabels.checkName("x".repeat(64))).hasSize(64);
        assertThat(WorkspaceLabels.parse(List.of("team=core", "ci/run=1234", "empty=", "eq=a=b")))
                .containsExactly(Map.entry("team", "core"), Map.entry("ci/run", "1234"), Map.entry("empty", ""),
                        Map.entry("eq", "a=b"));
    }

    @Test
    void refusesHostileNames() {
        invalid(() -> WorkspaceLabels.checkName(""), "1 to 64 characters");
        invalid(() -> WorkspaceLabels.checkName("x".repeat(65)), "this one 65");
        invalid(() -> WorkspaceLabels.checkName(" padded"), "whitespace");
        invalid(() -> WorkspaceLabels.checkName("two\nlines"), "U+000A");
        invalid(() -> WorkspaceLabels.checkName("bell\u0007"), "U+0007");
        invalid(() -> WorkspaceLabels.checkName("esc\u001b[31mred"), "U+001B");
        invalid(() -> WorkspaceLabels.checkName("evil\u202egnp.exe"), "U+202E");   // right-to-left override
        invalid(() -> WorkspaceLabels.checkName("zero\u200bwidth"), "U+200B");
        invalid(() -> WorkspaceLabels.checkName("half\ud800"), "U+D800");
        invalid(() -> WorkspaceLabels.checkName("line\u2028sep"), "U+2028");
    }

    @Test
    void refusesHostileLabels() {
        invalid(() -> WorkspaceLabels.parse(List.of("novalue")), "KEY=VALUE");
        invalid(() -> WorkspaceLabels.parse(List.of("=v")), "label key ''");
        invalid(() -> WorkspaceLabels.parse(List.of("-lead=v")), "starting with a letter or digit");
        invalid(() -> WorkspaceLabels.parse(List.of("sp ace=v")), "label key 'sp ace'");
        invalid(() -> WorkspaceLabels.parse(List.of("k\u001b=v")), "k\\x1b");
        invalid(() -> WorkspaceLabels.parse(List.of("k".repeat(64) + "=v")), "1 to 63");
        invalid(() -> WorkspaceLabels.parse(List.of("k=v", "k=w")), "label k is given twice");
        invalid(() -> WorkspaceLabels.parse(List.of("k=" + "v".repeat(129))), "129 characters");
        invalid(() -> WorkspaceLabels.parse(List.of("k=a\nb")), "U+000A");
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 33; i++) {
            many.put("k" + i, "v");
        }
        invalid(() -> WorkspaceLabels.checkLabels(many), "at most 32 labels, not 33");
    }

    @Test
    void createRequestsCheckThemToo() {
        invalid(() -> CreateWorkspaceRequest.of("debian:12").withName("bad\u0000"), "U+0000");
        invalid(() -> CreateWorkspaceRequest.of("debian:12").withLabels(Map.of("bad key", "v")), "label key");
        CreateWorkspaceRequest ok = new CreateWorkspaceRequest("debian:12", Optional.empty(), 1, 512, 60, false,
                NetworkPolicy.OFF, java.util.List.of(), "n", Map.of("a", "b"));
        assertThat(ok.labels()).containsExactly(Map.entry("a", "b"));
        assertThat(CreateWorkspaceRequest.of("debian:12").labels()).isEmpty();
    }

    private static void invalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT)).hasMessageContaining(message);
    }
}
