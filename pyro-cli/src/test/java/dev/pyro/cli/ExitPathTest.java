package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a CLI process ends, seen in the JVM's class-load log: a command that succeeds returns
 * from {@code main} instead of calling {@code System.exit}, whose logging check (JDK 21+)
 * looks for a logger provider in every class-path jar; a failing one still exits with its
 * status. And the class-data training property runs {@code --version} first, silently.
 */
class ExitPathTest {
    /** Loaded when the JDK looks for a logger provider (Runtime.exit's logging check does). */
    private static final String LOGGER_LOOKUP = "jdk.internal.logger.BootstrapLogger$DetectBackend";

    @TempDir
    Path home;

    @Test
    void aSuccessfulCommandEndsWithoutTheExitLoggingCheck() throws Exception {
        CliClassLoads.Run run = run(List.of(), "--version");
        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("pyro ");
        assertThat(run.classes()).doesNotContain(LOGGER_LOOKUP);
    }

    @Test
    void aFailingCommandStillExitsWithItsStatus() throws Exception {
        CliClassLoads.Run run = run(List.of(), "--no-such-option");
        assertThat(run.status()).isEqualTo(2);
        // System.exit: the same log shows the lookup, or the test above would pass for a log
        // that does not record it.
        assertThat(run.classes()).contains(LOGGER_LOOKUP);
    }

    @Test
    void theTrainingPropertyRunsVersionFirstWithItsOutputDropped() throws Exception {
        CliClassLoads.Run plain = run(List.of(), "workspace", "list");
        assertThat(plain.status()).isZero();
        assertThat(plain.classes()).doesNotContain("dev.pyro.contract.Milestones");

        CliClassLoads.Run training = run(List.of("-D" + Main.TRAINING_PROPERTY + "=true"), "workspace", "list");
        assertThat(training.status()).isZero();
        assertThat(training.out()).isEqualTo(plain.out()).doesNotContain("contract");
        assertThat(training.classes()).contains("dev.pyro.contract.Milestones");
    }

    private CliClassLoads.Run run(List<String> jvmOptions, String... args) throws Exception {
        return CliClassLoads.run(home, jvmOptions, args);
    }
}
