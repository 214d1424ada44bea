package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentBinaryTest {

    @Test
    void theSystemPropertyWins() {
        String configured = System.getProperty(AgentBinary.PROPERTY);
        assertThat(configured).as("surefire sets " + AgentBinary.PROPERTY).isNotBlank();
        assertThat(AgentBinary.extract()).isEqualTo(Path.of(configured).toAbsolutePath());
    }

    @Test
    void thePackagedResourceIsExtractedOnceAndExecutable(@TempDir Path cache) throws Exception {
        if (AgentBinary.class.getResource(AgentBinary.RESOURCE) == null) {
            // Only a build that packaged the agent has the resource; the property path is tested above.
            org.junit.jupiter.api.Assumptions.abort("agent resource not on the test class path");
        }
        Path first = AgentBinary.extractResource(cache);
        assertThat(first).isExecutable().startsWith(cache);
        long mtime = Files.getLastModifiedTime(first).toMillis();
        Path second = AgentBinary.extractResource(cache);
        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(second).toMillis()).isEqualTo(mtime);
        Files.write(first, new byte[] {1, 2, 3}); // a damaged cache entry is replaced
        assertThat(Files.size(AgentBinary.extractResource(cache))).isGreaterThan(3);
        Process p = new ProcessBuilder(first.toString(), "--version").start();
        assertThat(new String(p.getInputStream().readAllBytes())).contains("protocol 1");
    }
}
