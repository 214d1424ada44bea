package dev.pyro.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Operations and parameters hash by their id and name (cheap, and no generated record
 * {@code hashCode} on a CLI call) while equality stays the records' own, whole-value one.
 */
class OperationEqualityTest {
    private static Param copyOf(Param p) {
        return new Param(p.name(), p.cli(), p.type(), p.defaultValue(), p.required(), p.description(), p.choices());
    }

    @Test
    void equalParametersHashAlikeAndSameNamedOthersAreNotEqual() {
        Param json = copyOf(Params.JSON);
        assertThat(json).isNotSameAs(Params.JSON).isEqualTo(Params.JSON).hasSameHashCodeAs(Params.JSON);
        Param other = new Param(json.name(), json.cli(), json.type(), json.defaultValue(), json.required(),
                "another description", json.choices());
        assertThat(other).isNotEqualTo(json).hasSameHashCodeAs(json);

        Map<Param, Object> byParam = new java.util.HashMap<>(Map.of(Params.JSON, true));
        assertThat(byParam).containsEntry(json, true).doesNotContainKey(other);
    }

    @Test
    void takesAParameterByValueAndNothingElseOfTheSameName() {
        Operation exec = Contract.WORKSPACE_EXEC;
        assertThat(exec.takes(Params.JSON)).isTrue();
        assertThat(exec.takes(copyOf(Params.JSON))).as("an equal copy").isTrue();
        Param sameName = new Param(Params.JSON.name(), Params.JSON.cli(), Params.JSON.type(),
                Params.JSON.defaultValue(), Params.JSON.required(), "another description", Params.JSON.choices());
        assertThat(exec.takes(sameName)).as("same name, other content").isFalse();
        Operation noParams = new Operation("x.y", Optional.empty(), Optional.of("xY"), Optional.empty(), "1",
                "nothing", List.of(), java.util.Set.of());
        assertThat(noParams.takes(Params.JSON)).isFalse();
        assertThat(new Operation(exec.id(), exec.cli(), exec.sdkMethod(), exec.mcpTool(), exec.milestone(),
                exec.summary(), new ArrayList<>(exec.params()), exec.profiles())).isEqualTo(exec)
                .hasSameHashCodeAs(exec);
    }
}
