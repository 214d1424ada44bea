package dev.pyro.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.contract.Contract;
import dev.pyro.contract.Operation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolArgumentsTest {
    private static final Operation RUN = Contract.operation("run");

    @Test
    void fillsRegistryDefaults() {
        ToolArguments args = ToolArguments.parse(RUN, Map.of("environment", "debian:12", "command", List.of("true")));

        assertThat(args.string("environment")).isEqualTo("debian:12");
        assertThat(args.stringList("command")).containsExactly("true");
        assertThat(args.integer("vcpu_count")).isEqualTo(1);
        assertThat(args.integer("mem_mib")).isEqualTo(1024);
        assertThat(args.integer("timeout_seconds")).isEqualTo(30);
        assertThat(args.integer("ttl_seconds")).isEqualTo(600);
        assertThat(args.bool("network")).isFalse();
    }

    @Test
    void givenValuesWinAndIntegralNumbersAreIntegers() {
        ToolArguments args = ToolArguments.parse(RUN, Map.of("environment", "e", "command", List.of("a", "b"),
                "mem_mib", 512L, "timeout_seconds", 5.0, "network", true));

        assertThat(args.integer("mem_mib")).isEqualTo(512);
        assertThat(args.integer("timeout_seconds")).isEqualTo(5);
        assertThat(args.bool("network")).isTrue();
    }

    @Test
    void nullArgumentsMeanNone() {
        assertThat(ToolArguments.parse(Contract.operation("env.list"), null).asMap()).isEmpty();
    }

    @Test
    void missingRequiredArgumentIsInvalid() {
        assertInvalid(Map.of("command", List.of("true")), "missing required argument 'environment'");
    }

    @Test
    void mistypedArgumentsAreInvalid() {
        assertInvalid(Map.of("environment", 12, "command", List.of("true")), "'environment' must be a string");
        assertInvalid(Map.of("environment", "e", "command", "echo hi"), "'command' must be an array of strings");
        assertInvalid(Map.of("environment", "e", "command", List.of("echo", 1)), "array of strings");
        assertInvalid(Map.of("environment", "e", "command", List.of("true"), "mem_mib", "512"),
                "'mem_mib' must be an integer");
        assertInvalid(Map.of("environment", "e", "command", List.of("true"), "mem_mib", 1.5),
                "'mem_mib' must be an integer");
        assertInvalid(Map.of("environment", "e", "command", List.of("true"), "network", "yes"),
                "'network' must be a boolean");
    }

    @Test
    void emptyCommandAndUnknownArgumentsAreInvalid() {
        assertInvalid(Map.of("environment", "e", "command", List.of()), "must not be empty");
        assertInvalid(Map.of("environment", "e", "command", List.of("true"), "memory", 5), "unknown argument 'memory'");
    }

    @Test
    void explicitNullCountsAsAbsent() {
        Map<String, Object> raw = new HashMap<>(Map.of("environment", "e", "command", List.of("true")));
        raw.put("mem_mib", null);
        assertThat(ToolArguments.parse(RUN, raw).integer("mem_mib")).isEqualTo(1024);
    }

    @Test
    void readingAnUndeclaredParameterIsABug() {
        ToolArguments args = ToolArguments.parse(RUN, Map.of("environment", "e", "command", List.of("true")));
        assertThatThrownBy(() -> args.string("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertInvalid(Map<String, Object> raw, String message) {
        assertThatThrownBy(() -> ToolArguments.parse(RUN, raw))
                .isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(message);
    }
}
