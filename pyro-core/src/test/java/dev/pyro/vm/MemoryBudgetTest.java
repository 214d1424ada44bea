package dev.pyro.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refusing guests the host cannot hold: the two 16000 MiB workspaces on a 24 GiB host. */
class MemoryBudgetTest {
    @TempDir
    Path tmp;

    private final List<Process> vmms = new ArrayList<>();

    @AfterEach
    void stop() {
        vmms.forEach(Process::destroyForcibly);
    }

    private static final HostMemory HOST_24G = HostMemory.parse("""
            MemTotal:       24683748 kB
            MemFree:        23079972 kB
            MemAvailable:   24244696 kB
            Buffers:           29872 kB
            SwapTotal:             0 kB
            SwapFree:              0 kB
            """).orElseThrow();

    @Test
    void meminfoIsReadInMib() {
        assertThat(HOST_24G).isEqualTo(new HostMemory(24105, 23676, 0, 0));
        assertThat(HostMemory.parse("MemTotal: 1024 kB\n")).as("no MemAvailable").isEmpty();
        assertThat(HostMemory.parse("garbage")).isEmpty();
        assertThat(HostMemory.read()).get().extracting(HostMemory::totalMib).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.LONG).isPositive();
    }

    @Test
    void theSecondBigGuestIsRefusedWithAStableCode() throws IOException {
        Path first = vmDir("ws-1", 16000);
        MemoryBudget empty = MemoryBudget.of(HOST_24G, List.of());
        empty.admit(16000);

        MemoryBudget withFirst = MemoryBudget.of(HOST_24G, List.of(first));
        assertThat(withFirst.promisedMib()).isEqualTo(16000);
        assertThat(withFirst.runningVms()).isEqualTo(1);
        assertThatThrownBy(() -> withFirst.admit(16000)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INSUFFICIENT_MEMORY))
                .hasMessageContaining("guest of 16000 MiB")
                .hasMessageContaining("promised 16000 MiB")
                .hasMessageContaining("PYRO_MEMORY_OVERCOMMIT=1");
        withFirst.admit(4096);
    }

    @Test
    void onlyRunningVmsCount() throws Exception {
        Path dead = tmp.resolve("dead");
        Files.createDirectories(dead);
        Process p = new ProcessBuilder("sleep", "600").start();
        ProcessIdentity gone = ProcessIdentity.of(p.pid()).orElseThrow();
        p.destroyForcibly().waitFor();
        record(dead, gone, 16000);
        Path none = Files.createDirectories(tmp.resolve("no-record"));

        MemoryBudget b = MemoryBudget.of(HOST_24G, List.of(dead, none, tmp.resolve("missing")));
        assertThat(b.promisedMib()).isZero();
        assertThat(b.runningVms()).isZero();
    }

    @Test
    void whatIsAvailableNowLimitsToo() {
        MemoryBudget busy = new MemoryBudget(new HostMemory(24105, 3000, 2048, 1024), 0, 0);
        assertThat(busy.reserveMib()).isEqualTo(2410);
        assertThat(busy.capacityMib()).isEqualTo(24105 + 2048 - 2410);
        busy.admit(1024);
        assertThatThrownBy(() -> busy.admit(2048)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INSUFFICIENT_MEMORY)).hasMessageContaining("available");
    }

    @Test
    void aSmallHostKeepsAtLeast512Mib() {
        assertThat(new MemoryBudget(new HostMemory(2048, 2000, 0, 0), 0, 0).reserveMib()).isEqualTo(512);
    }

    private Path vmDir(String name, int memMib) throws IOException {
        Process p = new ProcessBuilder("sleep", "600").start();
        vmms.add(p);
        Path dir = Files.createDirectories(tmp.resolve(name));
        record(dir, ProcessIdentity.of(p.pid()).orElseThrow(), memMib);
        return dir;
    }

    private static void record(Path dir, ProcessIdentity vmm, int memMib) {
        new VmRecord(dir.getFileName().toString(), vmm, Instant.now(), dir.resolve("console.log"), 1, memMib,
                new VmRecord.Qemu("kvm")).write(dir);
    }
}
