package dev.pyro.workspace.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkspaceIdTest {
    @Test
    void generatedIdsHaveTheDocumentedShapeAndDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = WorkspaceId.generate().value();
            assertThat(id).matches("ws-[a-z2-7]{12}");
            seen.add(id);
        }
        assertThat(seen).hasSize(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ws-", "../x", "a/b", "ws-ABCDEFGHIJKL", "ws-abcdefghijk", "ws-abcdefghijklm",
            "ws-abcdef/../ab", "ws-abcdefghij..", "WS-abcdefghijkl", "ws-abcdefghijk\n", " ws-abcdefghijkl"})
    void malformedIdsAreUnknownWorkspaces(String id) {
        assertThatThrownBy(() -> WorkspaceId.of(id))
                .isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKSPACE_NOT_FOUND))
                .hasMessageStartingWith("workspace ").hasMessageEndingWith(" does not exist")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void nullIsAnUnknownWorkspace() {
        assertThatThrownBy(() -> WorkspaceId.of(null)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKSPACE_NOT_FOUND));
    }

    @Test
    void acceptsWellFormedIds() {
        assertThat(WorkspaceId.of("ws-abcdefgh2345").value()).isEqualTo("ws-abcdefgh2345");
        assertThat(WorkspaceId.of("ws-0123456789ab").value()).isEqualTo("ws-0123456789ab");
    }
}
