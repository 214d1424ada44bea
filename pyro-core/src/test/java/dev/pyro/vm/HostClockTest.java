package dev.pyro.vm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostClockTest {
    @Test
    void virtualisedHostsReportTheTscAsCpuMhz() {
        String cpuinfo = "processor\t: 0\ncpu MHz\t\t: 2596.136\nflags\t\t: fpu tsc hypervisor constant_tsc\n";
        assertThat(HostClock.tscKhz(cpuinfo)).hasValue(2_596_136);
    }

    @Test
    void withoutAReliableSignTheValueIsNotTrusted() {
        String cpuinfo = "processor\t: 0\ncpu MHz\t\t: 800.000\nflags\t\t: fpu tsc\n";
        assertThat(HostClock.tscKhz(cpuinfo)).isEmpty();
    }

    @Test
    void garbageGivesNothing() {
        assertThat(HostClock.tscKhz("nothing here")).isEmpty();
    }
}
