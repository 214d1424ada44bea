package dev.pyro.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ProgressListener;
import dev.pyro.Pyro;
import dev.pyro.Workspace;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The SDK takes what the registry says, under the same names (camelCase ⇔ snake_case): for
 * every operation with an SDK method, {@link Pyro} has that method with parameters (or a
 * request record's components) that are exactly the tool's parameters, and the
 * {@link Workspace} handle has the same method with the id filled in. A progress listener
 * is the SDK's form of MCP progress notifications and is not a parameter.
 */
class SdkSignatureTest {

    @Test
    void everySdkMethodTakesExactlyTheRegistrysParameters() {
        for (Operation op : Contract.OPERATIONS) {
            if (op.sdkMethod().isEmpty()) {
                continue;
            }
            Set<String> expected = op.sdkParams().stream().map(Param::name).collect(Collectors.toCollection(TreeSet::new));
            List<Set<String>> offered = overloads(Pyro.class, op.sdkMethod().get());
            assertThat(offered).as("Pyro.%s for %s", op.sdkMethod().get(), op.id()).isNotEmpty();
            assertThat(offered).as("Pyro.%s parameters for %s (overloads by parameter names)",
                    op.sdkMethod().get(), op.id()).contains(expected);
            // Every overload takes a subset: none invents a parameter the registry lacks.
            offered.forEach(o -> assertThat(expected).as("Pyro.%s%s", op.sdkMethod().get(), o).containsAll(o));
        }
    }

    @Test
    void theWorkspaceHandleOffersEveryWorkspaceOperationWithItsId() {
        for (Operation op : Contract.OPERATIONS) {
            if (op.sdkMethod().isEmpty() || !op.takes(Params.WORKSPACE_ID)) {
                continue;
            }
            String method = op.sdkMethod().get().replace("Workspace", "");
            Set<String> expected = op.sdkParams().stream().map(Param::name)
                    .filter(n -> !n.equals("workspace_id")).collect(Collectors.toCollection(TreeSet::new));
            assertThat(overloads(Workspace.class, method)).as("Workspace.%s for %s", method, op.id())
                    .contains(expected);
        }
    }

    @Test
    void namesMapBothWays() {
        assertThat(snake("timeoutSeconds")).isEqualTo("timeout_seconds");
        assertThat(snake("workspaceId")).isEqualTo("workspace_id");
        assertThat(snake("from")).isEqualTo("from");
    }

    /** The snake_case parameter names of each public overload. */
    private static List<Set<String>> overloads(Class<?> type, String name) {
        List<Set<String>> all = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && Modifier.isPublic(m.getModifiers())) {
                all.add(names(m));
            }
        }
        return all;
    }

    private static Set<String> names(Method m) {
        Set<String> names = new TreeSet<>();
        for (Parameter p : m.getParameters()) {
            assertThat(p.isNamePresent()).as("compiled with -parameters: %s", m).isTrue();
            if (p.getType() == ProgressListener.class) {
                continue;
            }
            if (p.getType().isRecord() && p.getType().getPackageName().equals("dev.pyro")) {
                Arrays.stream(p.getType().getRecordComponents()).map(RecordComponent::getName)
                        .forEach(c -> names.add(snake(c)));
            } else {
                names.add(snake(p.getName()));
            }
        }
        return names;
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
