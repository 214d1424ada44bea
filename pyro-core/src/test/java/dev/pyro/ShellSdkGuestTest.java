package dev.pyro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.testing.GuestFixture;
import dev.pyro.testing.GuestHome;
import dev.pyro.testing.GuestProcesses;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shells through the SDK, in process, on one real guest: the {@link Shell} handle (size, tty,
 * Ctrl-C → 130, plain reads, resize), a live {@link ShellAttachment} (keystrokes in, output
 * out, detach keeps the shell), the shell's processes gone after close, and a workspace whose
 * VM died refusing shells as not running.
 */
class ShellSdkGuestTest {
    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path home;

    @BeforeAll
    static void environmentInstalled() {
        GuestFixture.debian12();
    }

    @Test
    void shellHandleAttachCloseAndADeadVm() throws Exception {
        PyroConfig config = GuestHome.config(home);
        try (Pyro pyro = Pyro.create(config);
                Workspace ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12"))) {
            try (Shell sh = ws.openShell()) {
                sh.write("stty size; tty; echo a-$((20+1))");
                String first = readUntil(sh, "a-21");
                assertThat(first).contains("30 120").containsPattern("/dev/pts/\\d+");

                sh.write("sleep 100");
                awaitBusy(ws, sh, true);
                assertThat(sh.signal("SIGINT").signal()).isEqualTo("INT");
                awaitBusy(ws, sh, false);
                sh.write("echo rc=$?");
                assertThat(readUntil(sh, "rc=")).contains("rc=130");

                assertThat(sh.resize(90, 20).cols()).isEqualTo(90);
                sh.write("stty size");
                assertThat(readUntil(sh, "20 90")).contains("20 90");
                assertThat(ws.status().shellCount()).isEqualTo(1);

                // A second process (here: a second handle on the same id) reads where it wants.
                Shell other = ws.shell(sh.id(), 0);
                ShellReadResult all = other.read(100_000, true, 0);
                assertThat(all.output()).contains("a-21", "rc=130");
                assertThat(all.cursor()).isZero();

                attachTypesAndDetaches(pyro, ws, sh);

                // The shell's processes are in the guest until it is closed, then none is left.
                sh.write("sleep 1234 & echo bg-$!");
                String bg = readUntil(sh, "bg-");
                String pid = bg.substring(bg.lastIndexOf("bg-") + 3).strip().split("\\s")[0];
                assertThat(ws.exec(List.of("sh", "-c", "kill -0 " + pid)).exitCode()).isZero();
                ShellCloseResult closed = sh.closeShell();
                assertThat(closed.closed()).isTrue();
                assertThat(ws.exec(List.of("sh", "-c", "grep -al 'slee[p].1234' /proc/[0-9]*/cmdline | wc -l"))
                        .stdoutText()).isEqualTo("0\n");
                assertThatThrownBy(() -> sh.write("true")).isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SHELL_NOT_FOUND));
            }
            assertThat(ws.listShells()).isEmpty();
            assertThat(ws.status().shellCount()).isZero();

            Shell exiting = ws.openShell("/workspace", 40, 10);
            exiting.write("exit 7");
            Instant deadline = Instant.now().plus(LIMIT);
            while (exiting.info().state().equals("running") && Instant.now().isBefore(deadline)) {
                exiting.read(10, false, 200);
            }
            assertThat(exiting.info().exitCode()).isEqualTo(7);
            assertThatThrownBy(() -> exiting.write("true")).isInstanceOfSatisfying(PyroException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.SHELL_CLOSED));
            assertThatThrownBy(() -> ws.signalShell(exiting.id(), "USR1")).isInstanceOfSatisfying(
                    PyroException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));

            // A workspace whose VM is gone has no shells to offer: not running.
            for (ProcessHandle vmm : GuestProcesses.vmmsMentioning(home.toString())) {
                vmm.destroyForcibly();
                vmm.onExit().get(30, TimeUnit.SECONDS);
            }
            assertThatThrownBy(() -> ws.readShell(exiting.id(), 0, 10, false, 0))
                    .isInstanceOfSatisfying(PyroException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKSPACE_NOT_RUNNING));
            assertThat(ws.status().shellCount()).isZero();
            assertThat(ws.status().state()).isEqualTo("failed");
        }
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
    }

    private static void attachTypesAndDetaches(Pyro pyro, Workspace ws, Shell sh) throws Exception {
        long before = sh.info().nextCursor();
        try (ShellAttachment view = pyro.attachShell(ws.id(), sh.id())) {
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> copy(view.output(), seen));
            view.input().write("echo typed-$((5*5))\r".getBytes(StandardCharsets.UTF_8));
            view.input().flush();
            Instant deadline = Instant.now().plus(LIMIT);
            while (!seen.toString(StandardCharsets.UTF_8).contains("typed-25") && Instant.now().isBefore(deadline)) {
                ws.readShell(sh.id(), sh.info().nextCursor(), 1, false, 100); // waits on the shell
            }
            assertThat(seen.toString(StandardCharsets.UTF_8)).contains("typed-25");
            view.resize(100, 25);
            ShellAttachResult end = view.detach();
            assertThat(end.ending()).isEqualTo(ShellAttachResult.DETACHED);
            assertThat(end.nextCursor()).isGreaterThan(before);
            reader.get(30, TimeUnit.SECONDS);
        }
        assertThat(sh.info().state()).isEqualTo("running");
        assertThat(sh.info().cols()).isEqualTo(100);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (java.io.IOException e) {
            // detached
        }
    }

    private static String readUntil(Shell sh, String needle) {
        StringBuilder text = new StringBuilder();
        Instant deadline = Instant.now().plus(LIMIT);
        while (!text.toString().contains(needle) && Instant.now().isBefore(deadline)) {
            ShellReadResult r = sh.read(65536, true, 300);
            assertThat(r.truncated()).isFalse();
            text.append(r.output());
        }
        assertThat(text.toString()).contains(needle);
        // What follows the needle up to the end of its line belongs to it.
        while (!text.substring(text.indexOf(needle)).contains("\n") && Instant.now().isBefore(deadline)) {
            text.append(sh.read(65536, true, 300).output());
        }
        return text.toString();
    }

    private static void awaitBusy(Workspace ws, Shell sh, boolean busy) {
        Instant deadline = Instant.now().plus(LIMIT);
        while (Instant.now().isBefore(deadline)) {
            WorkspaceShell s = sh.info();
            if ((s.foregroundPgid() != null && s.foregroundPgid() != s.pid()) == busy) {
                return;
            }
            ws.readShell(sh.id(), s.nextCursor(), 1, false, 100); // waits on the shell, not on a clock
        }
        throw new AssertionError(sh + " never became " + (busy ? "busy" : "idle"));
    }
}
