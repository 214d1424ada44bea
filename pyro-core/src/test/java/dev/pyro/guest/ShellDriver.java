package dev.pyro.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Drives a shell the way a program would: type a command, then read until its own output
 * shows. Commands end with a marker the shell computes ({@code $((n+1))}), so the echo of the
 * typed line never satisfies the wait: only the command having run does.
 */
final class ShellDriver {
    private static final AtomicInteger MARKERS = new AtomicInteger(100);

    final ShellClient shells;
    final String id;
    long cursor;

    ShellDriver(ShellClient shells, String id) {
        this.shells = shells;
        this.id = id;
    }

    /** Runs {@code command} and returns the output up to its marker (including the echo). */
    String run(String command) {
        int n = MARKERS.incrementAndGet();
        shells.write(id, command + "; echo \"@@$((" + n + "+1))@@\"\n");
        return readUntil("@@" + (n + 1) + "@@");
    }

    /** Reads on from the cursor until {@code marker} appears (or fails after 30 s); no byte may be lost. */
    String readUntil(String marker) {
        return readUntil(marker, false);
    }

    /** Like {@link #run}, for commands whose output may outgrow the shell's buffer before it is read. */
    String runLossy(String command) {
        int n = MARKERS.incrementAndGet();
        shells.write(id, command + "; echo \"@@$((" + n + "+1))@@\"\n");
        return readUntil("@@" + (n + 1) + "@@", true);
    }

    private String readUntil(String marker, boolean gapsAllowed) {
        StringBuilder text = new StringBuilder();
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < until) {
            ShellOutput out = shells.read(id, ShellReadRequest.from(cursor).waitingForIdle(Duration.ofMillis(50))
                    .withMaxWait(Duration.ofSeconds(2)));
            if (!gapsAllowed) {
                assertThat(out.cursor()).as("no gap in a shell read").isEqualTo(cursor);
                assertThat(out.truncated()).isFalse();
            }
            text.append(out.text());
            cursor = out.nextCursor();
            if (text.indexOf(marker) >= 0) {
                return text.toString();
            }
        }
        throw new AssertionError("no \"" + marker + "\" in the shell's output within 30 s; got: " + text);
    }

    /**
     * Waits until the terminal's foreground job is {@code program} itself (its group leader has
     * exec'd it, read from /proc: the agent runs on this host). The shell's forked child before
     * its exec still has the shell's signal handling, so a signal sent to it then could be lost.
     */
    void awaitForegroundJob(String program) {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < until) {
            ShellInfo info = info();
            Long pgid = info.foregroundPgid();
            if (pgid != null && pgid != info.pid() && program.equals(comm(pgid))) {
                return;
            }
            pause();
        }
        throw new AssertionError("no foreground job running " + program + " within 30 s");
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException e) {
            return null; // not there (yet, or any more)
        }
    }

    ShellInfo info() {
        return shells.list().stream().filter(s -> s.shellId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("shell " + id + " is not listed"));
    }

    /** A short pause between polls of state that has no event to wait for (/proc, listings). */
    static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Processes whose session is {@code sid} (the shell and everything it started), from /proc. */
    static List<Long> sessionMembers(long sid) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(f[3]) == sid) {
                        pids.add(Long.parseLong(name));
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc", e);
        }
        return pids;
    }

    /** Waits until no process of session {@code sid} is left (zombies included), or fails. */
    static void awaitSessionGone(long sid) {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Long> left = sessionMembers(sid);
        while (!left.isEmpty() && System.nanoTime() < until) {
            pause();
            left = sessionMembers(sid);
        }
        assertThat(left).as("processes left of shell session %d", sid).isEmpty();
    }
}
