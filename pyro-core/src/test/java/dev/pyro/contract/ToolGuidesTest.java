package dev.pyro.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Every chat tool has a guide for models, and its example is a valid call of that tool. */
class ToolGuidesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everyToolOfTheChatProfilesHasAGuide() {
        for (McpProfile profile : Set.of(McpProfile.VM_RUN, McpProfile.WORKSPACE_CORE)) {
            for (Operation op : Contract.tools(profile)) {
                assertThat(ToolGuides.guide(op)).as("guide of %s", op.mcpTool().orElseThrow()).isPresent();
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyExampleNamesOnlyTheToolsArgumentsAndAllRequiredOnes() {
        for (Operation op : Contract.OPERATIONS) {
            if (ToolGuides.guide(op).isEmpty()) {
                continue;
            }
            String tool = op.mcpTool().orElseThrow();
            String guide = ToolGuides.guide(op).orElseThrow();
            assertThat(guide).as("guide of %s", tool).contains(ToolGuides.EXAMPLE);
            assertThat(guide.substring(0, guide.indexOf(ToolGuides.EXAMPLE))).as("guide of %s: no CLI flags", tool)
                    .doesNotContainPattern("--[a-z]");
            Map<String, Object> example = JSON.readValue(ToolGuides.example(op).orElseThrow(), Map.class);
            Set<String> params = op.toolParams().stream().map(Param::name).collect(Collectors.toSet());
            Set<String> required = op.toolParams().stream().filter(Param::required).map(Param::name)
                    .collect(Collectors.toSet());
            assertThat(params).as("arguments of %s's example", tool).containsAll(example.keySet());
            assertThat(example.keySet()).as("required arguments in %s's example", tool).containsAll(required);
            // the example is a call the server accepts
            Arguments.fromJson(op, example);
            assertThat(ToolGuides.description(op)).isEqualTo(guide);
        }
    }

    @Test
    void operationsWithoutAGuideFallBackToTheirSummary() {
        assertThat(ToolGuides.guide(Contract.DOCTOR)).isEmpty();
        assertThat(ToolGuides.description(Contract.DOCTOR)).isEqualTo(Contract.DOCTOR.summary());
    }
}
