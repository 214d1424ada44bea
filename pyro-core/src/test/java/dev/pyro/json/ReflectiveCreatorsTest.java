package dev.pyro.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records built through reflection read exactly as through Jackson's own method handle: the
 * same values (primitives, nested records, absent fields), and the same error when the
 * record's constructor refuses its input.
 */
class ReflectiveCreatorsTest {
    /** Wide, with primitives, nested records, a map, an instant and validation: like a workspace record. */
    record Wide(int format, String id, String environment, Mode mode, String reason, Instant createdAt,
            long ttlSeconds, boolean network, Inner resources, Inner other, long count, String name,
            Map<String, String> labels, List<String> argv, double ratio, char flag, short small) {
        Wide {
            if (format < 1) {
                throw new IllegalArgumentException("format must be at least 1, got " + format);
            }
            if (id == null || !id.startsWith("ws-")) {
                throw new IllegalArgumentException("malformed id '" + id + "'");
            }
        }
    }

    record Inner(int vcpus, long memMib) {
    }

    enum Mode { STARTED, STOPPED }

    private static final JsonMapper PLAIN = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final JsonMapper REFLECTIVE = PLAIN.rebuild().addModule(new ReflectiveCreators()).build();

    private static final Wide VALUE = new Wide(1, "ws-abc", "debian:12", Mode.STOPPED, null,
            Instant.parse("2026-12-06T10:00:00.123456Z"), 600, true, new Inner(2, 1024), new Inner(1, 0), 42,
            "näme \u001b", Map.of("a", "b"), List.of("true", "--x"), 0.5, 'z', (short) -3);

    @Test
    void aWideRecordReadsBackEqualThroughEitherPath() {
        String json = PLAIN.writeValueAsString(VALUE);

        assertThat(REFLECTIVE.readValue(json, Wide.class)).isEqualTo(VALUE).isEqualTo(PLAIN.readValue(json, Wide.class));
        assertThat(PyroJson.compact().readValue(json, Wide.class)).isEqualTo(VALUE);
    }

    @Test
    void absentAndNullFieldsGetJacksonsDefaultsAsBefore() {
        String json = "{\"format\":3,\"id\":\"ws-x\",\"name\":null,\"unknown\":[1,2]}";

        Wide reflective = REFLECTIVE.readValue(json, Wide.class);

        assertThat(reflective).isEqualTo(PLAIN.readValue(json, Wide.class));
        assertThat(reflective.format()).isEqualTo(3);
        assertThat(reflective.ttlSeconds()).isZero();
        assertThat(reflective.network()).isFalse();
        assertThat(reflective.resources()).isNull();
    }

    @Test
    void aConstructorsRefusalIsTheSameErrorWithTheRecordsOwnMessage() {
        String json = "{\"format\":1,\"id\":\"../../etc\"}";

        Throwable viaHandle = catchThrowable(() -> PLAIN.readValue(json, Wide.class));
        Throwable viaReflection = catchThrowable(() -> REFLECTIVE.readValue(json, Wide.class));

        assertThat(viaReflection).isInstanceOf(DatabindException.class).hasSameClassAs(viaHandle)
                .hasMessage(viaHandle.getMessage())
                .hasMessageContaining("malformed id '../../etc'")
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .hasRootCauseMessage("malformed id '../../etc'");
    }

    @Test
    void wrongTypesFailBeforeTheConstructorAsBefore() {
        String json = "{\"format\":\"one\",\"id\":\"ws-a\"}";

        Throwable viaHandle = catchThrowable(() -> PLAIN.readValue(json, Wide.class));

        assertThatThrownBy(() -> REFLECTIVE.readValue(json, Wide.class)).hasSameClassAs(viaHandle)
                .hasMessage(viaHandle.getMessage());
    }

    @Test
    void hugeInputStillReadsThroughTheSameConstructor() {
        String longName = "x".repeat(1_000_000);
        Wide big = new Wide(1, "ws-big", "e", Mode.STARTED, null, Instant.EPOCH, 1, false, null, null,
                Long.MAX_VALUE, longName, Map.of(), List.of(), Double.MAX_VALUE, '\0', Short.MIN_VALUE);

        assertThat(REFLECTIVE.readValue(PLAIN.writeValueAsString(big), Wide.class)).isEqualTo(big);
    }

    @Test
    void valuesWithoutAPropertiesConstructorAreUntouched() {
        assertThat(REFLECTIVE.readValue("\"/a/b\"", Path.class)).isEqualTo(Path.of("/a/b"));
        assertThat(REFLECTIVE.readValue("\"2026-12-06T10:00:00Z\"", Instant.class))
                .isEqualTo(Instant.parse("2026-12-06T10:00:00Z"));
        assertThat(REFLECTIVE.readValue("{\"vcpus\":3}", Inner.class)).isEqualTo(new Inner(3, 0));
    }
}
