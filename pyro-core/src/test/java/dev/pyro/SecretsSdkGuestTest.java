package dev.pyro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pyro.testing.GuestFixture;
import dev.pyro.testing.HostFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets through the SDK on one real guest (issue 15): a command sees a secret only through
 * secret_env; exec output, shell reads (one character per read, a value across the agent's
 * read buffer), service logs (a value across a log record), the journal, errors and status
 * show names or {@code [REDACTED]}, never a value (also for values that are prefixes of one
 * another); reset delivers them again; the values sit in an owner-only file outside
 * {@code PYRO_HOME}, and nothing under {@code PYRO_HOME} holds one; delete removes them.
 */
class SecretsSdkGuestTest {
    private static final Duration LIMIT = Duration.ofSeconds(90);
    /** Random, so a hit can only come from this test. */
    private static final String VALUE = "tok_" + UUID.randomUUID().toString().replace("-", "");
    /** A prefix of VALUE, as its own secret: the longer one must still be redacted whole. */
    private static final String PREFIX = VALUE.substring(0, 12);
    private static final String FILED = "filed_" + UUID.randomUUID().toString().replace("-", "");
    private static final String MARK = "[REDACTED]";

    @TempDir
    static Path home;
    @TempDir
    static Path vault;
    @TempDir
    static Path host;

    static Pyro pyro;
    static Workspace ws;
    /** Everything the SDK returned, to search for the values at the end. */
    static final List<String> returned = new ArrayList<>();

    @BeforeAll
    static void workspace() throws IOException {
        GuestFixture.debian12();
        Path file = Files.writeString(host.resolve("filed.txt"), FILED + "\n");
        pyro = Pyro.create(PyroConfig.fromEnvironment(Map.of("PYRO_HOME", home.toString(),
                "PYRO_SECRETS_DIR", vault.resolve("secrets").toString()), Path.of(System.getProperty("user.home"))));
        ws = pyro.openWorkspace(CreateWorkspaceRequest.of("debian:12").withSecret("TOKEN", VALUE)
                .withSecret("PREFIX", PREFIX).withSecretFile("FILED", file));
    }

    @AfterAll
    static void delete() {
        if (pyro != null) {
            pyro.close();
        }
    }

    @Test
    void secretsAreSeenOnlyWhenAskedForAndNeverComeBack() throws Exception {
        WorkspaceStatus st = ws.status();
        assertThat(st.secretNames()).containsExactly("TOKEN", "PREFIX", "FILED");
        returned.add(st.toString());
        Path stored = vault.resolve("secrets").resolve(ws.id() + ".json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored.getParent())))
                .isEqualTo("rwx------");

        // Without secret_env a command cannot see it: not in its environment.
        WorkspaceExecResult blind = ws.exec(List.of("sh", "-c", "echo \"[${TOKEN:-unset}]\"; env"));
        returned.add(blind.stdoutText());
        assertThat(blind.stdoutText()).startsWith("[unset]\n").doesNotContain(VALUE, "TOKEN=");

        // With it: seen, and redacted in what comes back (longest value first).
        WorkspaceExecResult seen = ws.exec(WorkspaceExecRequest.of(List.of("sh", "-c",
                "printf '%s\\n' \"$GH_TOKEN\" \"$PREFIX\" \"$FILED\" >&2; printf %s \"$GH_TOKEN\" | sha256sum; "
                        + "printf %s \"$GH_TOKEN\" | cut -c1-5"))
                .withSecretEnv("TOKEN", "GH_TOKEN").withSecretEnv("PREFIX", "").withSecretEnv("FILED", ""));
        returned.add(seen.stdoutText() + seen.stderrText());
        assertThat(seen.exitCode()).isZero();
        assertThat(seen.stderrText()).isEqualTo(MARK + "\n" + MARK + "\n" + MARK + "\n");
        assertThat(seen.stdoutText()).startsWith(sha256(VALUE) + "  -\n").endsWith(VALUE.substring(0, 5) + "\n");

        // A shell: one character per write, read one character per read.
        try (Shell sh = ws.openShell(null, 120, 30, Map.of("TOKEN", "T"))) {
            sh.write("for i in $(seq 0 $((${#T}-1))); do printf %s \"${T:$i:1}\"; sleep 0.02; done; echo; echo one-done");
            String slow = readUntil(sh, "one-done", 1);
            returned.add(slow);
            assertThat(slow).contains(MARK).doesNotContain(VALUE, PREFIX);
            // Across the agent's 64 KiB read buffer: the value starts 3 bytes before its end.
            sh.write("head -c 65533 /dev/zero | tr '\\0' x; printf %s \"$T\"; echo; echo two-done");
            String big = readUntil(sh, "two-done", 65536);
            returned.add(big);
            assertThat(big).contains("x" + MARK).doesNotContain(VALUE, PREFIX);
            ShellReadResult raw = sh.read(262144, false, 0);
            returned.add(raw.output());
            assertThat(ws.readShell(sh.id(), 0, 262144, false, 0).output()).doesNotContain(VALUE, PREFIX);
        }

        // A service: across a log record (16 KiB) and one character at a time.
        ServiceStatus svc = ws.startService(ServiceStartRequest.of("leak", List.of("bash", "-c",
                "head -c 16381 /dev/zero | tr '\\0' y; printf %s \"$S\"; echo; "
                        + "for i in $(seq 0 $((${#S}-1))); do printf %s \"${S:$i:1}\" >&2; sleep 0.01; done; "
                        + "echo >&2; touch /tmp/ready; exec sleep 1000"))
                .withReadyFile("/tmp/ready").withSecretEnv("TOKEN", "S"));
        returned.add(svc.toString());
        ServiceLogs logs = ws.logsService("leak");
        returned.add(logs.output());
        assertThat(logs.output()).contains("y" + MARK + "\n", "\n" + MARK + "\n").doesNotContain(VALUE, PREFIX);
        ws.stopService("leak");

        // Errors: stable codes, no value.
        PyroException unknown = catchThrowableOfType(PyroException.class, () -> ws.exec(
                WorkspaceExecRequest.of(List.of("true")).withSecretEnv("NOPE", "")));
        assertThat(unknown.code()).isEqualTo(ErrorCode.SECRET_NOT_FOUND);
        assertThat(unknown.getMessage()).contains("NOPE", "TOKEN").doesNotContain(VALUE);
        PyroException badName = catchThrowableOfType(PyroException.class, () -> ws.exec(
                WorkspaceExecRequest.of(List.of("true")).withSecretEnv("no-such", "")));
        assertThat(badName.code()).isEqualTo(ErrorCode.INVALID_SECRET_NAME);
        PyroException twice = catchThrowableOfType(PyroException.class, () -> ws.exec(
                WorkspaceExecRequest.of(List.of("true")).withSecretEnv("TOKEN", "X").withSecretEnv("PREFIX", "X")));
        assertThat(twice.code()).isEqualTo(ErrorCode.DUPLICATE_NAME);
        PyroException typed = catchThrowableOfType(PyroException.class, () -> ws.startService(
                ServiceStartRequest.of("typed", List.of("sh", "-c", "echo " + VALUE + "; exit 3"))
                        .withReadyFile("/never")));
        assertThat(typed.code()).isEqualTo(ErrorCode.SERVICE_FAILED);
        assertThat(typed.getMessage()).contains(MARK).doesNotContain(VALUE);
        returned.add(unknown.getMessage() + badName.getMessage() + twice.getMessage() + typed.getMessage());

        // A value typed into a command is kept out of the journal and the result too.
        WorkspaceExecResult echoed = ws.exec(List.of("echo", "typed:" + VALUE));
        assertThat(echoed.stdoutText()).isEqualTo("typed:" + MARK + "\n");
        WorkspaceLogs journal = ws.logs();
        returned.add(journal.toString());
        assertThat(journal.toString()).contains(MARK).doesNotContain(VALUE, PREFIX);
        returned.add(ws.diff().toString());
        returned.add(pyro.listWorkspaces().toString());
        returned.add(ws.createSnapshot("with-secrets").toString());

        // Reset boots a fresh guest: the secrets are delivered again.
        returned.add(ws.reset().toString());
        WorkspaceExecResult again = ws.exec(WorkspaceExecRequest.of(List.of("sh", "-c",
                "printf %s \"$GH_TOKEN\" | sha256sum; ls -ld /run/pyro-secrets | cut -c1-10"))
                .withSecretEnv("TOKEN", "GH_TOKEN"));
        returned.add(again.stdoutText());
        assertThat(again.stdoutText()).isEqualTo(sha256(VALUE) + "  -\ndrwx------\n");

        // Nothing pyro returned, and nothing under PYRO_HOME, holds a value.
        for (String r : returned) {
            assertThat(r).doesNotContain(VALUE, PREFIX, FILED);
        }
        assertThat(HostFiles.holding(home, PREFIX)).isEmpty();
        assertThat(HostFiles.holding(home, FILED)).isEmpty();

        String id = ws.id();
        ws.delete();
        assertThat(stored).doesNotExist();
        assertThat(home.resolve("workspaces").resolve(id)).doesNotExist();
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** Reads (raw, {@code chunk} characters at a time) until {@code needle} is on a line of its own. */
    private static String readUntil(Shell sh, String needle, int chunk) {
        StringBuilder text = new StringBuilder();
        Instant deadline = Instant.now().plus(LIMIT);
        while (!text.toString().contains("\n" + needle) && Instant.now().isBefore(deadline)) {
            // waits for quiet, or answers as soon as chunk characters are there
            ShellReadResult r = sh.read(chunk, false, 200);
            assertThat(r.truncated()).isFalse();
            text.append(r.output());
        }
        assertThat(text.toString()).contains("\n" + needle);
        return text.toString();
    }
}
