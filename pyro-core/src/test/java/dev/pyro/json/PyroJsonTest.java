package dev.pyro.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** pyro's JSON: snake_case documents that never carry a raw terminal control character. */
class PyroJsonTest {
    @Test
    void everyControlCharacterIsEscapedAndReadsBackTheSame() {
        String guest = "a\u001b]0;pwned\u0007b\u009b2Jc\u007fd é€😀";
        String compact = PyroJson.compact().writeValueAsString(Map.of("name", guest));
        String pretty = PyroJson.pretty().writeValueAsString(Map.of("name", guest));

        assertThat(compact).isEqualTo("{\"name\":\"a\\u001B]0;pwned\\u0007b\\u009B2Jc\\u007Fd é€😀\"}");
        assertThat(pretty).contains("\\u001B]0;pwned\\u0007b\\u009B2Jc\\u007Fd é€😀");
        for (String doc : new String[] {compact, pretty}) {
            assertThat(doc.chars().filter(c -> c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f)).isEmpty();
            assertThat(PyroJson.compact().readTree(doc).get("name").asString()).isEqualTo(guest);
        }
    }
}
