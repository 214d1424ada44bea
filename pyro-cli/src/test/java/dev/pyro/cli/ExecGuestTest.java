package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code pyro workspace exec} through the real CLI and a real guest, as the hostile-input
 * probes of issue 10 found it: output byte for byte, cut output said, missing programs
 * exiting like in a shell, host stdin forwarded, and guest-chosen text never reaching the
 * terminal raw.
 */
class ExecGuestTest extends WorkspaceCliFixture {
    private static final String ESC_NAME = "\u001b]0;pwned\u0007";
    private static final String ESC_SHOWN = "\\x1b]0;pwned\\x07";

    private String create() throws Exception {
        CliProcess.Result r = pyro("workspace", "create", "debian:12", "--id-only");
        assertThat(r.exitCode()).as("create: %s", r.stderr()).isZero();
        return r.stdout().strip();
    }

    private CliProcess.RawResult raw(CliProcess.Stdin stdin, String... args) throws Exception {
        return new CliProcess(home).runRaw(LIMIT, stdin, List.of(), args);
    }

    private CliProcess.RawResult raw(String... args) throws Exception {
        return raw(new CliProcess.Stdin.From(Path.of("/dev/null")), args);
    }

    @Test
    void outputIsByteExactCutOutputIsSaidAndMissingProgramsExitLikeInAShell() throws Exception {
        String id = create();

        // Random bytes: what reaches our stdout is what the guest's sha256sum hashed.
        CliProcess.RawResult random = raw("workspace", "exec", id, "--", "sh", "-c",
                "head -c 100000 /dev/urandom > r.bin; cat r.bin");
        assertThat(random.exitCode()).as(random.stderr()).isZero();
        assertThat(random.stdout()).hasSize(100_000);
        assertThat(random.stderr()).doesNotContain("truncated");
        CliProcess.Result guestSum = pyro("workspace", "exec", id, "--", "sha256sum", "r.bin");
        assertThat(guestSum.stdout()).isEqualTo(sha256(random.stdout()) + "  r.bin\n");

        // JSON says the text is not the bytes, or gives them exactly in base64.
        JsonNode text = json(pyro("workspace", "exec", id, "--json", "--", "cat", "r.bin"));
        assertThat(text.get("stdout_encoding").asString()).isEqualTo("utf-8-replaced");
        assertThat(text.get("stdout_bytes").asLong()).isEqualTo(100_000);
        assertThat(text.get("stderr_encoding").asString()).isEqualTo("utf-8");
        JsonNode exact = json(pyro("workspace", "exec", id, "--json", "--output-encoding", "base64", "--", "cat",
                "r.bin"));
        assertThat(exact.get("stdout_encoding").asString()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(exact.get("stdout").asString())).isEqualTo(random.stdout());

        // Past the cap: the head, and a line that says how much of how much.
        CliProcess.RawResult cut = raw("workspace", "exec", id, "--", "head", "-c", "3000000", "/dev/zero");
        assertThat(cut.exitCode()).isZero();
        assertThat(cut.stdout()).hasSize(1 << 20);
        assertThat(cut.stderr()).contains("pyro: stdout truncated: showed 1048576 of 3000000 bytes");
        CliProcess.RawResult whole = raw("workspace", "exec", id, "--max-output-bytes", "3000000", "--", "head", "-c",
                "3000000", "/dev/zero");
        assertThat(whole.stdout()).hasSize(3_000_000);
        assertThat(whole.stderr()).doesNotContain("truncated");

        // A missing program is 127, an unusable one 126: not 1, not an error, and journalled.
        CliProcess.Result missing = pyro("workspace", "exec", id, "--", "no-such-program", "x");
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.stdout()).isEmpty();
        assertThat(missing.stderr()).startsWith("pyro: no-such-program: command not found\n").contains("exit_code=127")
                .doesNotContain("error");
        CliProcess.Result denied = pyro("workspace", "exec", id, "--", "./r.bin");
        assertThat(denied.exitCode()).isEqualTo(126);
        assertThat(denied.stderr()).startsWith("pyro: ./r.bin: Permission denied\n");
        CliProcess.Result directory = pyro("workspace", "exec", id, "--", "/workspace");
        assertThat(directory.exitCode()).isEqualTo(126);
        assertThat(directory.stderr()).startsWith("pyro: /workspace: Is a directory\n");
        assertThat(pyro("workspace", "exec", id, "--", "sh", "-c", "exit 1").exitCode()).isEqualTo(1);
        CliProcess.Result runMissing = pyro("workspace", "exec", id, "--json", "--", "/no/such/program");
        assertThat(json(runMissing).get("exit_code").asInt()).isEqualTo(127);
        assertThat(json(runMissing).get("stderr").asString())
                .isEqualTo("pyro: /no/such/program: No such file or directory\n");

        JsonNode entries = json(pyro("workspace", "logs", id, "--json")).get("entries");
        List<Integer> codes = new ArrayList<>();
        entries.forEach(e -> codes.add(e.get("exit_code").asInt()));
        assertThat(codes).containsExactly(0, 0, 0, 0, 0, 0, 127, 126, 126, 1, 127);
        assertThat(entries.get(0).get("stdout_bytes").asLong()).isEqualTo(100_000);
        assertThat(entries.get(0).get("stdout_truncated").asBoolean()).as("the journal keeps 64 KiB").isTrue();
        assertThat(entries.get(4).get("stdout_bytes").asLong()).isEqualTo(3_000_000);
        assertThat(entries.get(6).get("stderr").asString()).isEqualTo("pyro: no-such-program: command not found\n");
        assertThat(entries.get(6).get("stderr_bytes").asLong()).isEqualTo(41);
    }

    @Test
    void hostStdinIsForwardedStreamedInBoundedMemoryAndAClosedOneReadsEndOfFile() throws Exception {
        String id = create();

        Path hi = Files.writeString(host.resolve("hi.txt"), "hi\n");
        CliProcess.RawResult echoed = raw(new CliProcess.Stdin.From(hi), "workspace", "exec", id, "--", "cat");
        assertThat(new String(echoed.stdout(), StandardCharsets.UTF_8)).as(echoed.stderr()).isEqualTo("hi\n");

        byte[] random = new byte[1 << 20];
        new Random(11).nextBytes(random);
        Path input = Files.write(host.resolve("random.bin"), random);
        CliProcess.RawResult summed = raw(new CliProcess.Stdin.From(input), "workspace", "exec", id, "--",
                "sha256sum");
        assertThat(new String(summed.stdout(), StandardCharsets.UTF_8)).isEqualTo(sha256(random) + "  -\n");

        // 200 MiB through a CLI whose heap is a quarter of that: it streams, it is never held.
        Path huge = host.resolve("huge.bin");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(200L << 20); // sparse: zeros on read, no disk
        }
        CliProcess.RawResult counted = new CliProcess(home).runRaw(Duration.ofMinutes(10),
                new CliProcess.Stdin.From(huge), List.of("-Xmx48m"), "workspace", "exec", id, "--timeout-seconds",
                "540", "--", "wc", "-c");
        assertThat(counted.exitCode()).as(counted.stderr()).isZero();
        assertThat(new String(counted.stdout(), StandardCharsets.UTF_8)).isEqualTo((200L << 20) + "\n");

        // No stdin at all, or an empty one: the command reads end of file and finishes.
        CliProcess.RawResult closed = raw(new CliProcess.Stdin.Closed(), "workspace", "exec", id, "--", "cat");
        assertThat(closed.exitCode()).as(closed.stderr()).isZero();
        assertThat(closed.stdout()).isEmpty();
        CliProcess.RawResult empty = raw("workspace", "exec", id, "--", "wc", "-c");
        assertThat(new String(empty.stdout(), StandardCharsets.UTF_8)).isEqualTo("0\n");
        // The host's /dev/null is not forwarded: the command gets the guest's (a forwarded one was a pipe).
        CliProcess.RawResult nul = raw("workspace", "exec", id, "--", "readlink", "/proc/self/fd/0");
        assertThat(new String(nul.stdout(), StandardCharsets.UTF_8)).as(nul.stderr()).isEqualTo("/dev/null\n");
        CliProcess.RawResult piped = raw(new CliProcess.Stdin.From(hi), "workspace", "exec", id, "--", "readlink",
                "/proc/self/fd/0");
        assertThat(new String(piped.stdout(), StandardCharsets.UTF_8)).startsWith("pipe:[");
        // A stdin that stays open and silent does not hold up a command that never reads it.
        assertThat(pyro("workspace", "exec", id, "--", "echo", "done").stdout()).isEqualTo("done\n");
    }

    @Test
    void guestChosenNamesAndTextNeverReachTheTerminalRaw() throws Exception {
        String id = create();

        // Exec payload is the command's output: raw, as asked. Pyro's own lines: never.
        CliProcess.Result made = pyro("workspace", "exec", id, "--", "sh", "-c",
                "printf x > \"$(printf '\\033]0;pwned\\007')\"; ls");
        assertThat(made.exitCode()).as(made.stderr()).isZero();
        assertThat(made.stdout()).isEqualTo(ESC_NAME + "\n");
        assertThat(made.stderr()).contains("[workspace-exec]").doesNotContain("\u001b", "\u0007");
        CliProcess.Result touched = pyro("workspace", "exec", id, "--", "touch", ESC_NAME + "2");
        assertThat(touched.stderr()).doesNotContain("\u001b", "\u0007");

        CliProcess.Result diff = pyro("workspace", "diff", id);
        assertThat(diff.exitCode()).as(diff.stderr()).isZero();
        assertThat(diff.stdout()).contains("+++ \"b/\\033]0;pwned\\a\"\n").doesNotContain("\u001b", "\u0007");
        assertThat(diff.stderr()).doesNotContain("\u001b", "\u0007");

        CliProcess.Result export = pyro("workspace", "export", id, ESC_NAME + "/nested", "--output",
                host.resolve("out").toString());
        assertThat(export.exitCode()).isEqualTo(1);
        assertThat(export.stderr()).contains(ESC_SHOWN).doesNotContain("\u001b", "\u0007");

        CliProcess.Result status = pyro("workspace", "status", id);
        assertThat(status.stdout()).contains("Last command: #2 touch '" + ESC_SHOWN + "2' -> exit 0")
                .doesNotContain("\u001b", "\u0007");
        CliProcess.Result logs = pyro("workspace", "logs", id);
        assertThat(logs.stdout()).contains("    " + ESC_SHOWN).doesNotContain("\u001b", "\u0007");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
