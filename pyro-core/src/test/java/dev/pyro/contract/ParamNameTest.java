package dev.pyro.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A parameter's name is snake_case, checked by hand exactly as {@code [a-z][a-z0-9_]*} would. */
class ParamNameTest {
    private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9_]*");

    @Test
    void theHandCheckAgreesWithTheExpression() {
        List<String> samples = List.of("", "a", "z9", "workspace_id", "_a", "9a", "A", "aB", "a-b", "a b", "a_",
                "é", "a\u0000", "a\n", "ab\u0130", "\uD83D\uDE00", "mem_mib2", "a__b");
        for (String s : samples) {
            assertThat(Param.snakeCase(s)).as(s).isEqualTo(SNAKE.matcher(s).matches());
        }
        Random random = new Random(7);
        String alphabet = "az09_AZ-. é\u0000/";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(6); n > 0; n--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(Param.snakeCase(s.toString())).as(s.toString()).isEqualTo(SNAKE.matcher(s).matches());
        }
    }

    @Test
    void aParamWithAnotherNameIsRefused() {
        assertThatThrownBy(() -> new Param("Workspace-Id", new Param.CliForm.None(), ParamType.STRING,
                Optional.empty(), false, "d", List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("snake_case");
    }
}
