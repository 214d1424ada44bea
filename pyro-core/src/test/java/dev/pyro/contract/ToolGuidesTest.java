package dev.pyro.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Every MCP tool has a guide for models, and its example is a valid call of that tool. */
class ToolGuidesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Words shaped like a tool or parameter name: a tool area, an underscore and more. */
    private static final Pattern TOOL_NAME = Pattern.compile(
            "\\b(?:vm|workspace|shell|service|snapshot)_[a-z_]+\\b");

    @Test
    void everyToolOfEveryProfileHasAGuide() {
        for (McpProfile profile : McpProfile.values()) {
            for (Operation op : Contract.tools(profile)) {
                assertThat(ToolGuides.guide(op)).as("guide of %s in %s", op.mcpTool().orElseThrow(),
                        profile.wireName()).isPresent();
            }
        }
    }

    @Test
    void onlyToolsHaveGuides() {
        Set<String> withGuides = Contract.OPERATIONS.stream().filter(op -> ToolGuides.guide(op).isPresent())
                .map(Operation::id).collect(Collectors.toSet());
        Set<String> tools = Contract.OPERATIONS.stream().filter(op -> op.mcpTool().isPresent()).map(Operation::id)
                .collect(Collectors.toSet());
        assertThat(withGuides).isEqualTo(tools);
    }

    @Test
    void aGuideNamesOnlyToolsAndParametersThatExist() {
        Set<String> names = new HashSet<>();
        for (Operation op : Contract.OPERATIONS) {
            op.mcpTool().ifPresent(names::add);
            op.toolParams().forEach(p -> names.add(p.name()));
        }
        for (Operation op : tools()) {
            String guide = ToolGuides.guide(op).orElseThrow();
            Matcher m = TOOL_NAME.matcher(guide.substring(0, guide.indexOf(ToolGuides.EXAMPLE)));
            while (m.find()) {
                assertThat(names).as("name in the guide of %s", op.mcpTool().orElseThrow()).contains(m.group());
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyExampleNamesOnlyTheToolsArgumentsAndAllRequiredOnes() {
        for (Operation op : tools()) {
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

    private static List<Operation> tools() {
        return Contract.OPERATIONS.stream().filter(op -> op.mcpTool().isPresent()).toList();
    }
}
