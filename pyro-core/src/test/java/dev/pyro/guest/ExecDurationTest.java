package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The exec RESULT's duration: {@code duration_us} when the agent sends it, else {@code duration_ms}. */
class ExecDurationTest {
    private static JsonNode result(String members) {
        return Json.parseObject(("{\"exit_code\":0" + members + "}").getBytes(StandardCharsets.UTF_8), "test");
    }

    private static Duration duration(String members) {
        return RunningExec.duration(result(members), "exec RESULT");
    }

    @Test
    void microsecondsWhenTheAgentSendsThem() {
        assertThat(duration(",\"duration_ms\":16,\"duration_us\":16287")).isEqualTo(Duration.ofNanos(16_287_000));
        assertThat(duration(",\"duration_ms\":0,\"duration_us\":0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void wholeMillisecondsAreRoundedToTheNearest() {
        assertThat(result(16_499).durationMillis()).isEqualTo(16);
        assertThat(result(16_500).durationMillis()).isEqualTo(17);
        assertThat(result(16_999).durationMillis()).isEqualTo(17);
        assertThat(result(0).durationMillis()).isZero();
    }

    private static ExecResult result(long micros) {
        return new ExecResult(0, null, false, false, duration(",\"duration_ms\":16,\"duration_us\":" + micros),
                new byte[0], new byte[0], false, false, 0, 0);
    }

    @Test
    void wholeMillisecondsFromAnOlderAgent() {
        assertThat(duration(",\"duration_ms\":16")).isEqualTo(Duration.ofMillis(16));
        assertThat(duration(",\"duration_ms\":16,\"duration_us\":null")).isEqualTo(Duration.ofMillis(16));
    }

    @Test
    void theLargestMicrosecondCountDoesNotOverflow() {
        assertThat(duration(",\"duration_ms\":1,\"duration_us\":" + Long.MAX_VALUE))
                .isEqualTo(Duration.ofSeconds(Long.MAX_VALUE / 1_000_000, Long.MAX_VALUE % 1_000_000 * 1_000));
    }

    @Test
    void hostileValuesAreProtocolErrors() {
        for (String bad : new String[] {",\"duration_ms\":1,\"duration_us\":-1",
            ",\"duration_ms\":1,\"duration_us\":\"16287\"", ",\"duration_ms\":1,\"duration_us\":1.5",
            ",\"duration_ms\":1,\"duration_us\":99999999999999999999999", ",\"duration_us\":16287",
            ",\"duration_ms\":-1,\"duration_us\":16287"}) {
            assertThatThrownBy(() -> duration(bad)).as(bad).isInstanceOfSatisfying(PyroException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.AGENT_PROTOCOL_ERROR));
        }
    }
}
