package dev.pyro.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Naming a process by pid and start time: pid reuse, zombies, signals. */
class ProcessIdentityTest {
    @Test
    void procStatIsParsedFromTheLastParenthesis() {
        String stat = "4242 (fire cracker) (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 3 0 987654 "
                + "123456 789 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 17 1 0 0 0 0 0";
        assertThat(ProcessIdentity.Stat.parse(stat)).contains(new ProcessIdentity.Stat('S', 987654));
        assertThat(ProcessIdentity.Stat.parse("garbage")).isEmpty();
        assertThat(ProcessIdentity.Stat.parse("1 (x) S 1 2")).isEmpty();
    }

    @Test
    void identitiesAreEqualExactlyWhenPidAndStartAreAndHashAlike() {
        ProcessIdentity a = new ProcessIdentity(42, 1000);
        assertThat(a).isEqualTo(new ProcessIdentity(42, 1000)).hasSameHashCodeAs(new ProcessIdentity(42, 1000));
        assertThat(a).isNotEqualTo(new ProcessIdentity(42, 1001)).isNotEqualTo(new ProcessIdentity(43, 1000))
                .isNotEqualTo(null).isNotEqualTo("42");
        assertThat(new ProcessIdentity(42, -1)).isNotEqualTo(new ProcessIdentity(42, 1000));
        java.util.Map<ProcessIdentity, String> byIdentity = new java.util.HashMap<>();
        byIdentity.put(a, "vmm");
        assertThat(byIdentity).containsEntry(new ProcessIdentity(42, 1000), "vmm")
                .doesNotContainKey(new ProcessIdentity(1000, 42));
    }

    @Test
    void procStatBytesAreScannedWhateverTheCommandNameHolds() {
        // A command name is any bytes but NUL (16 at most): invalid UTF-8, blanks, ')' and digits.
        byte[] line = ("77 (\u00ff\u00fe) 1 2) Z 1 77 77 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 3 0 4242 1 2\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(ProcessIdentity.Stat.scan(line, line.length)).isEqualTo(new ProcessIdentity.Stat('Z', 4242));
        assertThat(ProcessIdentity.Stat.scan(line, line.length - 10)).as("cut before the start time").isNull();
        byte[] noParen = "77 x S 1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(ProcessIdentity.Stat.scan(noParen, noParen.length)).isNull();
        assertThat(ProcessIdentity.Stat.parse("1 (x) SS 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"))
                .as("a state of two letters").isEmpty();
        assertThat(ProcessIdentity.Stat.parse("1 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 1x9 20"))
                .as("start ticks that are not a number").isEmpty();
        assertThat(ProcessIdentity.Stat.parse("1 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 "
                + "99999999999999999999999 20")).as("start ticks that overflow").isEmpty();
    }

    @Test
    void concurrentChecksThroughOneKeptFileAllSeeALiveProcess() throws Exception {
        Process p = new ProcessBuilder("sleep", "600").start();
        try {
            ProcessIdentity id = ProcessIdentity.of(p.pid()).orElseThrow();
            assertThat(id.isAlive()).isTrue();
            Object kept = KeptProcStat.keptFor(id);
            assertThat(kept).isNotNull();
            // Each check moves the kept file's offset: without the monitor a check would read at
            // another's offset, get nothing, and drop the kept file (or answer dead).
            java.util.List<java.util.concurrent.Future<Boolean>> all = new java.util.ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
                for (int i = 0; i < 8; i++) {
                    all.add(pool.submit(() -> {
                        boolean alive = true;
                        for (int k = 0; k < 500; k++) {
                            alive &= id.isAlive();
                        }
                        return alive;
                    }));
                }
                for (var f : all) {
                    assertThat(f.get()).isTrue();
                }
            }
            assertThat(KeptProcStat.keptFor(id)).as("the one kept file stayed, never dropped").isSameAs(kept);
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void identityDetectsPidReuse() {
        ProcessIdentity me = ProcessIdentity.of(ProcessHandle.current().pid()).orElseThrow();
        assertThat(me).isEqualTo(ProcessIdentity.current());
        assertThat(me.isAlive()).isTrue();
        assertThat(new ProcessIdentity(me.pid(), me.startTicks() + 1).isAlive()).as("same pid, other start").isFalse();
        assertThat(new ProcessIdentity(me.pid(), me.startTicks() + 1).handle()).isEmpty();
        assertThat(new ProcessIdentity(me.pid(), me.startTicks() + 1).signal(true)).as("never signals a stranger")
                .isFalse();
        assertThat(ProcessIdentity.of(Integer.MAX_VALUE)).isEmpty();
    }

    @Test
    void terminateStopsTheProcessAndAnExitedOneIsGone() throws Exception {
        Process p = new ProcessBuilder("sleep", "600").start();
        ProcessIdentity id = ProcessIdentity.of(p.pid()).orElseThrow();
        assertThat(id.isAlive()).isTrue();
        assertThat(id.terminate(Duration.ofSeconds(10))).isTrue();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("SIGTERM came first").isEqualTo(128 + 15);
        assertThat(id.isAlive()).isFalse();
        assertThat(id.terminate(Duration.ofSeconds(1))).as("nothing left to stop").isTrue();
    }

    @Test
    void aKeptStatFileSeesAKilledProcessGoneAndIsDropped() throws Exception {
        Process p = new ProcessBuilder("sleep", "600").start();
        ProcessIdentity id = ProcessIdentity.of(p.pid()).orElseThrow();
        int before = KeptProcStat.kept();
        assertThat(id.isAlive()).isTrue();
        assertThat(id.isAlive()).as("again, through the kept file").isTrue();
        assertThat(KeptProcStat.kept()).isEqualTo(before + 1);
        p.destroyForcibly();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue(); // reaped: the kept file now fails to read
        assertThat(id.isAlive()).isFalse();
        assertThat(KeptProcStat.kept()).isEqualTo(before);
        assertThat(new ProcessIdentity(id.pid(), id.startTicks()).isAlive()).isFalse();
    }

    @Test
    void aKeptStatFileSeesAZombieGone() throws Exception {
        // The background sleep's parent becomes the outer sleep, which never reaps it.
        Process outer = new ProcessBuilder("sh", "-c", "sleep 600 & echo $!; exec sleep 600").start();
        try {
            long pid = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(outer.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine().trim());
            ProcessIdentity id = ProcessIdentity.of(pid).orElseThrow();
            assertThat(id.isAlive()).isTrue();
            assertThat(id.isAlive()).isTrue();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            // Wait for the event (the zombie), then ask.
            assertThat(ProcessIdentity.awaitGone(() -> ProcessIdentity.Stat.read(java.nio.file.Path.of("/proc"), pid)
                    .filter(s -> s.state() != 'Z').isPresent(), Duration.ofSeconds(30))).isTrue();
            assertThat(id.isAlive()).as("a zombie is gone").isFalse();
        } finally {
            outer.destroyForcibly(); // the zombie goes with its parent
        }
    }

    @Test
    void aLegacyStartInstantMatchesOnlyTheProcessThatStartedThen() {
        ProcessHandle me = ProcessHandle.current();
        Instant started = me.info().startInstant().orElseThrow();
        assertThat(ProcessIdentity.ofStartInstant(me.pid(), started)).isEqualTo(ProcessIdentity.current());
        ProcessIdentity other = ProcessIdentity.ofStartInstant(me.pid(), started.minusSeconds(5));
        assertThat(other.isAlive()).as("same pid, started at another time: a recycled pid").isFalse();
        assertThat(ProcessIdentity.ofStartInstant(Integer.MAX_VALUE, started).isAlive()).isFalse();
    }
}
