package dev.pyro.guest;

import static dev.pyro.guest.AgentHarness.expectCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Services belong to the agent: they outlive the connection that started them, serve every
 * connection, and a stop, a restart of their name or the agent's shutdown leaves no process
 * of them behind (checked in /proc: no orphan, no zombie).
 */
class ServiceLifetimeTest extends ServiceAgentFixture {
    /** Background jobs: one ignoring TERM, one in a process group of its own. */
    private static final String FAMILY = "sleep 1000 & (trap '' TERM; sleep 1001) & "
            + "perl -e 'setpgrp(0, 0); sleep 1003' & exec sleep 1002";

    @Test
    void startedOnOneConnectionSeenAndStoppedOnAnother() {
        long pid;
        try (AgentConnection first = agent.connect()) {
            pid = first.services().start(ServiceSpec.of("web", "sh", "-c", "echo up; exec sleep 1000")).pid();
        }
        assertThat(ShellDriver.sessionMembers(pid)).as("still running with nobody connected").contains(pid);
        try (AgentConnection second = agent.connect()) {
            ServiceInfo info = second.services().status("web");
            assertThat(info.pid()).isEqualTo(pid);
            assertThat(info.state()).isEqualTo(ServiceState.RUNNING);
            ServiceDriver.awaitLog(second.services(), "web", "up\n");
            ServiceInfo stopped = second.services().stop("web", Duration.ofSeconds(5));
            assertThat(stopped.state()).isEqualTo(ServiceState.STOPPED);
            assertThat(stopped.signal()).isEqualTo(15);
            assertThat(stopped.reason()).isEqualTo("stopped");
        }
        assertThat(ShellDriver.sessionMembers(pid)).isEmpty();
    }

    @Test
    void stopTermsTheWholeSessionThenKillsWhatIgnoresItAndReapsEverything() {
        try (AgentConnection c = agent.connect()) {
            ServiceInfo s = c.services().start(ServiceSpec.of("family", "sh", "-c", FAMILY));
            List<Long> members = awaitFamily(s.pid());
            assertThat(members).as("the leader and three jobs (and a subshell)").hasSizeGreaterThanOrEqualTo(4);
            assertThat(groups(members)).as("one job has a process group of its own").isGreaterThan(1);
            List<Long> ignoring = members.stream().filter(ServiceLifetimeTest::ignoresTerm).toList();
            assertThat(ignoring).as("the subshell's sleep ignores TERM").isNotEmpty();
            ServiceInfo stopped = c.services().stop("family", Duration.ofMillis(300));
            assertThat(stopped.state()).isEqualTo(ServiceState.STOPPED);
            assertThat(stopped.settled()).isTrue();
            // The order of events: TERM first (the leader died of it), then KILL for what ignored it.
            assertThat(stopped.signal()).as("the leader's end").isEqualTo(15);
            ignoring.forEach(p -> assertThat(Path.of("/proc/" + p)).as("TERM-ignoring %d killed", p).doesNotExist());
            // settled means: every process of the session is gone and reaped, at the answer already
            assertThat(ShellDriver.sessionMembers(s.pid())).isEmpty();
            members.forEach(p -> assertThat(Path.of("/proc/" + p)).as("process %d", p).doesNotExist());
        }
    }

    /** Whether {@code pid} ignores SIGTERM (bit 15 of SigIgn in its status). */
    private static boolean ignoresTerm(long pid) {
        try {
            return java.nio.file.Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("SigIgn:"))
                    .anyMatch(l -> (Long.parseUnsignedLong(l.substring(7).trim(), 16) & (1L << 14)) != 0);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The session's processes once all of FAMILY runs (perl has moved to its own group), at most 20 s. */
    private static List<Long> awaitFamily(long sid) {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Long> members = ShellDriver.sessionMembers(sid);
        while ((members.size() < 4 || groups(members) < 2) && System.nanoTime() < until) {
            ShellDriver.pause();
            members = ShellDriver.sessionMembers(sid);
        }
        return members;
    }

    private static long groups(List<Long> pids) {
        return pids.stream().map(ServiceLifetimeTest::group).distinct().count();
    }

    private static long group(long pid) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
        } catch (java.io.IOException e) {
            return -pid; // gone meanwhile: counts as its own
        }
    }

    @Test
    void aStopWithoutGraceKillsAtOnce() {
        try (AgentConnection c = agent.connect()) {
            ServiceInfo s = c.services().start(ServiceSpec.of("stubborn", "sh", "-c", "trap '' TERM; exec sleep 1000"));
            ServiceInfo stopped = c.services().stop("stubborn", Duration.ZERO);
            assertThat(stopped.signal()).isEqualTo(9);
            assertThat(ShellDriver.sessionMembers(s.pid())).isEmpty();
            ServiceInfo again = c.services().stop("stubborn", Duration.ofSeconds(1));
            assertThat(again).as("stopping an ended service changes nothing").isEqualTo(stopped);
        }
    }

    @Test
    void aLeaderThatExitsTakesWhatItLeftBehindWithIt() {
        try (AgentConnection c = agent.connect()) {
            ServiceInfo s = c.services().start(ServiceSpec.of("leaver", "sh", "-c",
                    "(trap '' TERM; sleep 1004) & sleep 1005 & sleep 0.2; exit 0"));
            ServiceInfo ended = ServiceDriver.awaitSettled(c.services(), "leaver");
            assertThat(ended.state()).isEqualTo(ServiceState.EXITED);
            assertThat(ShellDriver.sessionMembers(s.pid())).isEmpty();
        }
    }

    @Test
    void restartingAnEndedNameDoesNotTouchOtherServices() {
        try (AgentConnection c = agent.connect()) {
            long keep = c.services().start(ServiceSpec.of("keep", "sleep", "1000")).pid();
            c.services().start(ServiceSpec.of("flip", "true"));
            ServiceDriver.awaitSettled(c.services(), "flip");
            c.services().start(ServiceSpec.of("flip", "sleep", "1000"));
            assertThat(c.services().status("keep").pid()).isEqualTo(keep);
            assertThat(c.services().list()).extracting(ServiceInfo::name).containsExactly("keep", "flip");
        }
    }

    @Test
    void shutdownEndsEveryServiceAndItsProcesses() throws Exception {
        long a;
        long b;
        try (AgentConnection c = agent.connect()) {
            a = c.services().start(ServiceSpec.of("a", "sh", "-c", FAMILY)).pid();
            b = c.services().start(ServiceSpec.of("b", "sh", "-c", "trap '' TERM; exec sleep 1006")).pid();
            c.shutdown(ShutdownAction.POWEROFF);
        }
        assertThat(agent.process.waitFor(20, TimeUnit.SECONDS)).as("the agent exits").isTrue();
        // At once, no waiting: the agent reaps every process of the sessions before it exits.
        // What it left would go to init, which need not reap soon (this sandbox's does not):
        // zombies then stay in /proc, counted here.
        assertThat(ShellDriver.sessionMembers(a)).as("left of service a at the agent's exit").isEmpty();
        assertThat(ShellDriver.sessionMembers(b)).as("left of service b at the agent's exit").isEmpty();
    }

    @Test
    void aServiceWhoseHostStopsReadingNeverBlocks() {
        try (AgentConnection c = agent.connect()) {
            // 8 MiB through a 2 MiB log with nobody reading: the service runs to its end
            c.services().start(ServiceSpec.of("flood", "sh", "-c",
                    "head -c 8388608 /dev/zero | tr '\\0' 'x'; echo; echo done >&2"));
            ServiceInfo ended = ServiceDriver.awaitSettled(c.services(), "flood");
            assertThat(ended.state()).isEqualTo(ServiceState.EXITED);
            assertThat(ended.stdoutBytes()).isEqualTo(8388609);
            assertThat(ended.nextCursor() - ended.oldestCursor()).isLessThanOrEqualTo(2L << 20);
            ServiceLogChunk tail = c.services().logs("flood", ServiceLogRequest.tail(ServiceLogStream.STDERR, 5));
            assertThat(tail.text()).isEqualTo("done\n");
            expectCode(() -> c.services().status("nobody"), ErrorCode.SERVICE_NOT_FOUND);
        }
    }
}
