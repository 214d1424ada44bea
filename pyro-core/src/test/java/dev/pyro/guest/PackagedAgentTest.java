package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent inside the pyro-core jar is what a guest can run: a static x86_64 executable. */
class PackagedAgentTest {
    @Test
    void packagedAgentIsAStaticX8664Executable(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("pyro-agent");
        try (InputStream in = AgentBinary.class.getResourceAsStream(AgentBinary.RESOURCE)) {
            assertThat(in).as("resource " + AgentBinary.RESOURCE + " in the build output").isNotNull();
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        Process p = new ProcessBuilder("file", "-b", copy.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out).contains("ELF 64-bit", "x86-64", "statically linked");
    }
}
