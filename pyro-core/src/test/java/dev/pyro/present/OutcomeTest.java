package dev.pyro.present;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A deferred document is built on first use, once, and never for an outcome shown as text. */
class OutcomeTest {
    @Test
    void aDeferredDocumentIsBuiltOnFirstUseOnlyAndOnce() {
        AtomicInteger built = new AtomicInteger();
        Outcome o = Outcome.deferred(() -> Map.of("n", built.incrementAndGet()))
                .stdout("out").summary("[x] done").exitStatus(3).modelText("model");

        assertThat(built).hasValue(0);
        assertThat(o.stdout().text()).isEqualTo("out");
        assertThat(o.summary()).containsExactly("[x] done");
        assertThat(o.exitStatus()).isEqualTo(3);
        assertThat(o.text()).isEqualTo("model");
        assertThat(built).hasValue(0);

        assertThat(o.document()).isEqualTo(Map.of("n", 1));
        assertThat(o.document()).isSameAs(o.document());
        assertThat(built).hasValue(1);
    }

    @Test
    void theDefaultModelTextOfAnEmptyOutcomeIsItsDocumentsJson() {
        assertThat(Outcome.deferred(() -> Map.of("a", "b\u001b")).text()).isEqualTo("{\"a\":\"b\\u001B\"}");
    }

    @Test
    void aDocumentThatCannotBeBuiltFailsWhenAskedForNotBefore() {
        Outcome o = Outcome.deferred(() -> {
            throw new IllegalStateException("no document");
        }).stdout("payload");

        assertThat(o.stdout().text()).isEqualTo("payload");
        assertThatThrownBy(o::document).isInstanceOf(IllegalStateException.class).hasMessage("no document");
        assertThatThrownBy(() -> Outcome.deferred(() -> null).document()).isInstanceOf(NullPointerException.class);
    }
}
