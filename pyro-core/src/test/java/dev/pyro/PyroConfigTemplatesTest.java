package dev.pyro;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The templates opt-out: {@code PYRO_TEMPLATES} decides when set; else the JVM property
 * {@code pyro.templates} (which the test runs set to 0); the SDK can say it directly.
 */
class PyroConfigTemplatesTest {
    private static PyroConfig from(Map<String, String> env) {
        return PyroConfig.fromEnvironment(env, Path.of("/home/u"));
    }

    @Test
    void theVariableDecidesWhenItIsSet() {
        for (String off : new String[] {"0", "false", "OFF", " no "}) {
            assertThat(from(Map.of("PYRO_TEMPLATES", off)).templates()).as(off).isFalse();
        }
        for (String on : new String[] {"1", "true", "on", "yes"}) {
            assertThat(from(Map.of("PYRO_TEMPLATES", on)).templates()).as(on).isTrue();
        }
    }

    @Test
    void withoutTheVariableTheJvmPropertyDecides() {
        String before = System.getProperty("pyro.templates");
        try {
            System.setProperty("pyro.templates", "0");
            assertThat(from(Map.of()).templates()).isFalse();
            assertThat(from(Map.of("PYRO_TEMPLATES", "")).templates()).isFalse();
            System.clearProperty("pyro.templates");
            assertThat(from(Map.of()).templates()).isTrue();
        } finally {
            if (before == null) {
                System.clearProperty("pyro.templates");
            } else {
                System.setProperty("pyro.templates", before);
            }
        }
    }

    @Test
    void theSdkSaysItAndCopiesKeepIt() {
        PyroConfig off = from(Map.of("PYRO_TEMPLATES", "1")).withTemplates(false);
        assertThat(off.templates()).isFalse();
        assertThat(off.withBackend(java.util.Optional.of("qemu")).templates()).isFalse();
        assertThat(off.withMemoryOvercommit(true).templates()).isFalse();
        assertThat(off.withSecretsDir(Path.of("/s")).templates()).isFalse();
        assertThat(off.withTemplates(true).templates()).isTrue();
    }
}
