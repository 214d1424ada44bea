package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.testing.GuestProcesses;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.InputFlag;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Attributes.OutputFlag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code pyro workspace shell attach} driven through a real pseudo-terminal on the host, as a
 * person would use it: keystrokes reach the shell, the window size is followed, Ctrl-] d
 * detaches and keeps the shell, the shell's exit ends the attach with its status, SIGINT to
 * pyro detaches, a dying VM ends it with an error, and after each the terminal is back in its
 * cooked settings.
 */
class ShellAttachGuestTest extends WorkspaceCliFixture {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private final java.util.List<Process> started = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void noAttachLeftBehind() {
        // Before the fixture deletes the workspace: an attach left running would hold a guest port.
        started.forEach(Process::destroyForcibly);
    }

    private Process attach(HostPty pty, String... args) throws Exception {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("workspace", "shell", "attach"));
        all.addAll(java.util.List.of(args));
        Process p = pty.spawn(CliProcess.command(all.toArray(String[]::new)), Map.of("PYRO_HOME", home.toString()));
        started.add(p);
        return p;
    }

    @Test
    void attachTypesResizesDetachesAndAlwaysRestoresTheTerminal() throws Exception {
        String id = pyro("workspace", "create", "debian:12", "--id-only").stdout().strip();
        String sh = pyro("workspace", "shell", "open", id, "--id-only").stdout().strip();
        assertThat(sh).matches("[0-9a-f]{8}");

        try (HostPty pty = HostPty.open(100, 30)) {
            Attributes cooked = pty.attributes();
            assertThat(cooked.getLocalFlag(LocalFlag.ICANON)).isTrue();
            Process pyro = attach(pty, id, sh);
            int at = pty.await("detach with Ctrl-] then d", 0, WAIT);
            // The view starts at the prompt of the current line.
            at = pty.await("# ", at, WAIT);
            Attributes raw = pty.attributes();
            assertThat(raw.getLocalFlag(LocalFlag.ICANON)).isFalse();
            assertThat(raw.getLocalFlag(LocalFlag.ECHO)).isFalse();
            assertThat(raw.getLocalFlag(LocalFlag.ISIG)).isFalse();

            pty.type("stty size; echo typed-$((6*7))\r");
            at = pty.await("typed-42", at, WAIT);
            assertThat(pty.screen().substring(0, at)).contains("30 100");

            pty.resize(120, 40); // SIGWINCH to pyro, which resizes the guest's terminal
            awaitSize(id, sh, 120, 40);
            pty.type("stty size; echo again-$((2+2))\r");
            at = pty.await("again-4", at, WAIT);
            assertThat(pty.screen().substring(0, at)).contains("40 120");

            // Ctrl-C is a key for the shell, not a signal for pyro.
            // One key at a time after the echo: a Ctrl-C flushes typed-ahead input, as on any terminal.
            pty.type("sleep 100\r");
            at = pty.await("sleep 100\r\n", at, WAIT);
            // The echo comes before bash has made sleep the foreground job; a Ctrl-C in between
            // would reach bash alone and sleep would run on. Wait for the event, then act.
            awaitForegroundJob(id, sh);
            pty.type("\u0003");
            at = pty.await("# ", at, WAIT);
            pty.type("echo rc=$?\r");
            at = pty.await("rc=130", at, WAIT);

            pty.type("\u001dd");
            assertThat(pyro.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(pyro.exitValue()).isZero();
            pty.await("[pyro] detached from shell " + sh, at, WAIT);
            assertRestored(pty, cooked);
        }
        assertThat(state(id, sh)).isEqualTo("running");

        // SIGINT to pyro detaches cleanly too.
        try (HostPty pty = HostPty.open(80, 24)) {
            Attributes cooked = pty.attributes();
            Process pyro = attach(pty, id, sh);
            pty.await("detach with Ctrl-] then d", 0, WAIT);
            awaitSize(id, sh, 80, 24); // attached and following this window
            new ProcessBuilder("kill", "-INT", Long.toString(javaPid(pyro))).start().waitFor();
            assertThat(pyro.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(pyro.exitValue()).isZero();
            assertRestored(pty, cooked);
        }
        assertThat(state(id, sh)).isEqualTo("running");

        // Without a shell id: a new shell of the window's size; its exit ends the attach with its
        // status and closes it.
        try (HostPty pty = HostPty.open(90, 20)) {
            Attributes cooked = pty.attributes();
            Process pyro = attach(pty, id);
            int at = pty.await("detach with Ctrl-] then d", 0, WAIT);
            at = pty.await("# ", at, WAIT);
            pty.type("stty size; exit 5\r");
            assertThat(pyro.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(pyro.exitValue()).isEqualTo(5);
            assertThat(pty.screen().substring(at)).contains("20 90");
            pty.await("exited with status 5; closed it", at, WAIT);
            assertRestored(pty, cooked);
        }
        JsonNode shells = json(pyro("workspace", "shell", "list", id, "--json")).get("shells");
        assertThat(shells).hasSize(1);
        assertThat(shells.get(0).get("shell_id").asString()).isEqualTo(sh);

        // The VM dies while attached: an error, the workspace failed, the terminal restored.
        try (HostPty pty = HostPty.open(80, 24)) {
            Attributes cooked = pty.attributes();
            Process pyro = attach(pty, id, sh);
            int at = pty.await("detach with Ctrl-] then d", 0, WAIT);
            awaitSize(id, sh, 80, 24);
            for (ProcessHandle vmm : GuestProcesses.vmmsMentioning(home.toString())) {
                vmm.destroyForcibly();
            }
            assertThat(pyro.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(pyro.exitValue()).isEqualTo(1);
            pty.await("[vm_died]", at, WAIT);
            assertRestored(pty, cooked);
        }
        assertThat(json(pyro("workspace", "status", id, "--json")).get("state").asString()).isEqualTo("failed");

        // Not a terminal: refused with a pointer to read and write.
        CliProcess.Result piped = pyro("workspace", "shell", "attach", id, sh, "--help");
        assertThat(piped.exitCode()).isZero();
        CliProcess.Result noTty = pyro("workspace", "shell", "attach", id, sh);
        assertThat(noTty.exitCode()).isEqualTo(1);
        assertThat(noTty.stderr()).contains("[invalid_argument]", "needs a terminal");
    }

    private static void assertRestored(HostPty pty, Attributes cooked) throws Exception {
        Attributes now = pty.attributes();
        for (LocalFlag f : new LocalFlag[] {LocalFlag.ICANON, LocalFlag.ECHO, LocalFlag.ISIG, LocalFlag.IEXTEN}) {
            assertThat(now.getLocalFlag(f)).as("local flag %s", f).isEqualTo(cooked.getLocalFlag(f));
        }
        assertThat(now.getInputFlag(InputFlag.ICRNL)).isEqualTo(cooked.getInputFlag(InputFlag.ICRNL));
        assertThat(now.getOutputFlag(OutputFlag.OPOST)).isEqualTo(cooked.getOutputFlag(OutputFlag.OPOST));
    }

    /** The pid of the JVM under {@code setsid -c} (setsid execs it, or forks it when it must). */
    private static long javaPid(Process setsid) {
        return setsid.toHandle().descendants().filter(p -> p.info().command().map(c -> c.endsWith("java"))
                .orElse(false)).findFirst().map(ProcessHandle::pid).orElse(setsid.pid());
    }

    private void awaitSize(String id, String sh, int cols, int rows) throws Exception {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            JsonNode s = shell(id, sh);
            if (s.get("cols").asInt() == cols && s.get("rows").asInt() == rows) {
                return;
            }
        }
        throw new AssertionError("shell " + sh + " never became " + cols + "x" + rows);
    }

    private void awaitForegroundJob(String id, String sh) throws Exception {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            JsonNode s = shell(id, sh);
            if (!s.get("foreground_pgid").equals(s.get("pid"))) {
                return;
            }
        }
        throw new AssertionError("shell " + sh + " never ran a foreground job");
    }

    private String state(String id, String sh) throws Exception {
        return shell(id, sh).get("state").asString();
    }

    private JsonNode shell(String id, String sh) throws Exception {
        CliProcess.Result list = pyro("workspace", "shell", "list", id, "--json");
        assertThat(list.exitCode()).as("shell list: %s", list.stderr()).isZero();
        for (JsonNode s : json(list).get("shells")) {
            if (s.get("shell_id").asString().equals(sh)) {
                return s;
            }
        }
        throw new AssertionError("no shell " + sh + " in " + id);
    }
}
