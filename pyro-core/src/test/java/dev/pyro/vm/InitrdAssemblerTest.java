package dev.pyro.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitrdAssemblerTest {
    @TempDir
    Path tmp;

    @Test
    void initrdPartsArePaddedToFourBytes() throws IOException {
        Path a = Files.write(tmp.resolve("a"), new byte[] {1, 2, 3});
        Path b = Files.write(tmp.resolve("b"), new byte[] {4, 5, 6, 7});
        Path out = tmp.resolve("initrd");
        assertThat(InitrdAssembler.concatenate(List.of(a, b), out)).isEqualTo(8);
        assertThat(Files.readAllBytes(out)).containsExactly(1, 2, 3, 0, 4, 5, 6, 7);
    }

    @Test
    void theAssembledFileIsTheCachedPartsFollowedByTheAgentArchive() throws IOException {
        Path part = Files.write(tmp.resolve("modules.cpio"), new byte[] {9, 9, 9, 9, 9});
        Path agent = Files.write(tmp.resolve("agent"), "AGENT-BINARY".getBytes());
        InitrdAssembler initrds = new InitrdAssembler(tmp.resolve("cache"));
        Path first = initrds.assemble(List.of(part), agent);
        byte[] bytes = Files.readAllBytes(first);
        assertThat(bytes).startsWith(9, 9, 9, 9, 9, 0, 0, 0);
        assertThat(new String(bytes, 8, 6)).as("a newc archive follows, aligned").isEqualTo("070701");
        assertThat(initrds.assemble(List.of(part), agent)).as("cached by content").isEqualTo(first);
    }
}
