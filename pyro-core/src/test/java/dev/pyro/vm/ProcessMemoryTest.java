package dev.pyro.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading a process's host memory from {@code smaps_rollup}. */
class ProcessMemoryTest {
    private static final String ROLLUP = """
            564e73503000-7ffda054f000 ---p 00000000 00:00 0                          [rollup]
            Rss:              985088 kB
            Pss:              984064 kB
            Pss_Dirty:        980000 kB
            Pss_Anon:         979000 kB
            Shared_Clean:       1536 kB
            """;

    @Test
    void rssAndPssAreReadNotTheirPrefixedNeighbours() {
        ProcessMemory m = ProcessMemory.parse(ROLLUP).orElseThrow();
        assertThat(m).isEqualTo(new ProcessMemory(985088, 984064));
        assertThat(m.rssMib()).isEqualTo(962.0);
        assertThat(m.pssMib()).isEqualTo(961.0);
    }

    @Test
    void missingOrMalformedFieldsGiveNothing() {
        assertThat(ProcessMemory.parse("Rss: 10 kB\n")).isEmpty();
        assertThat(ProcessMemory.parse("Rss: 10 kB\nPss: ten kB\n")).isEmpty();
        assertThat(ProcessMemory.parse("Rss: 10 MB\nPss: 10 kB\n")).isEmpty();
        assertThat(ProcessMemory.parse("Rss: -10 kB\nPss: 10 kB\n")).isEmpty();
        assertThat(ProcessMemory.parse("Rss: 99999999999999999999999 kB\nPss: 1 kB\n")).isEmpty();
        assertThat(ProcessMemory.parse("")).isEmpty();
    }

    @Test
    void thisProcessHasResidentMemoryAndAGoneOneHasNone() {
        ProcessMemory self = ProcessMemory.of(ProcessHandle.current().pid()).orElseThrow();
        assertThat(self.rssKib()).isGreaterThan(1024);
        assertThat(self.pssKib()).isBetween(1L, self.rssKib());
        assertThat(ProcessMemory.of(Long.MAX_VALUE)).isEqualTo(Optional.empty());
    }
}
