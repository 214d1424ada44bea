package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one exit-status rule of {@code pyro run} and {@code workspace exec}. */
class ExitStatusTest {
    private static ExecResult result(Integer exitCode, Integer signal, boolean timedOut) {
        return new ExecResult(exitCode, signal, timedOut, false, Duration.ofMillis(5), new byte[0], new byte[0], false,
                false, 0, 0);
    }

    @Test
    void theCommandsOwnStatusPassesThrough() {
        assertThat(ExitStatus.of(result(0, null, false))).isZero();
        assertThat(ExitStatus.of(result(3, null, false))).isEqualTo(3);
        assertThat(ExitStatus.of(result(255, null, false))).isEqualTo(255);
    }

    @Test
    void aTimeoutIs124WhateverKilledTheCommand() {
        assertThat(ExitStatus.of(result(null, 9, true))).isEqualTo(124);
        assertThat(ExitStatus.of(result(0, null, true))).isEqualTo(124);
        assertThat(ExitStatus.TIMEOUT).isEqualTo(124);
    }

    @Test
    void deathBySignalNIs128PlusN() {
        assertThat(ExitStatus.of(result(null, 15, false))).isEqualTo(143);
        assertThat(ExitStatus.of(result(null, 9, false))).isEqualTo(137);
        assertThat(ExitStatus.of(result(null, 2, false))).isEqualTo(130);
    }

    @Test
    void neitherStatusNorSignalIs255() {
        assertThat(ExitStatus.of(false, null, null)).isEqualTo(255);
    }

    @Test
    void signalsHaveTheirNames() {
        assertThat(ExitStatus.signalName(15)).isEqualTo("SIGTERM");
        assertThat(ExitStatus.signalName(9)).isEqualTo("SIGKILL");
        assertThat(ExitStatus.signalName(11)).isEqualTo("SIGSEGV");
        assertThat(ExitStatus.signalName(64)).isEqualTo("SIG64");
        assertThat(ExitStatus.signalName(null)).isNull();
    }
}
