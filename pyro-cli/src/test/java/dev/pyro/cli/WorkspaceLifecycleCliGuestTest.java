package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.testing.GuestProcesses;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Snapshots, reset, stop/start and the disk tools through the real CLI against real guests,
 * and crash safety: the CLI is killed with SIGKILL at each phase of snapshot create and reset
 * (it parks at a failpoint, so the kill lands exactly there), {@code status} explains what was
 * left, and the next call repairs it.
 */
class WorkspaceLifecycleCliGuestTest extends WorkspaceCliFixture {

    private String create() throws Exception {
        Path seed = Files.createDirectories(host.resolve("seed"));
        Files.writeString(seed.resolve("a.txt"), "A\n");
        CliProcess.Result r = pyro("workspace", "create", "debian:12", "--seed-path", seed.toString(), "--id-only");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout().strip();
    }

    /** {@code args} with {@code --json} before a command's {@code --}. */
    private static String[] withJson(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        int dashes = all.indexOf("--");
        all.add(dashes < 0 ? all.size() : dashes, "--json");
        return all.toArray(String[]::new);
    }

    private JsonNode ok(String... args) throws Exception {
        CliProcess.Result r = pyro(withJson(args));
        assertThat(r.exitCode()).as("pyro %s: %s", String.join(" ", args), r.stderr()).isZero();
        return json(r);
    }

    private String errorCode(String... args) throws Exception {
        CliProcess.Result r = pyro(withJson(args));
        assertThat(r.exitCode()).as("pyro %s should fail", String.join(" ", args)).isEqualTo(1);
        return json(r).get("error").get("code").asString();
    }

    private List<String> paths(JsonNode diff) {
        List<String> out = new ArrayList<>();
        diff.get("entries").forEach(e -> out.add(e.get("path").asString() + ":" + e.get("status").asString()));
        return out;
    }

    @Test
    void snapshotResetStopStartAndDiskToolsThroughTheCli() throws Exception {
        String id = create();
        ok("workspace", "exec", id, "--", "sh", "-c", "echo one >> a.txt; echo x > s1.txt");
        JsonNode s1 = ok("workspace", "snapshot", "create", id, "s1");
        assertThat(s1.get("workspace_id").asString()).isEqualTo(id);
        assertThat(s1.get("name").asString()).isEqualTo("s1");
        ok("workspace", "exec", id, "--", "sh", "-c", "rm a.txt; echo y > later.txt");
        JsonNode list = ok("workspace", "snapshot", "list", id);
        assertThat(list.get("snapshots").findValuesAsString("name")).containsExactly("baseline", "s1");

        JsonNode reset = ok("workspace", "reset", id, "--snapshot", "s1");
        assertThat(reset.get("state").asString()).isEqualTo("started");
        assertThat(reset.get("command_count").asLong()).isZero();
        assertThat(paths(ok("workspace", "diff", id))).containsExactly("a.txt:modified", "s1.txt:added");
        assertThat(ok("workspace", "logs", id).get("entries")).isEmpty();
        ok("workspace", "reset", id);
        assertThat(ok("workspace", "diff", id).get("changed").asBoolean()).isFalse();
        assertThat(errorCode("workspace", "reset", id, "--snapshot", "nope")).isEqualTo("snapshot_not_found");
        assertThat(errorCode("workspace", "snapshot", "delete", id, "baseline")).isEqualTo("invalid_argument");
        assertThat(errorCode("workspace", "snapshot", "create", id, "../x")).isEqualTo("invalid_argument");

        ok("workspace", "exec", id, "--", "sh", "-c", "mkdir -p d; printf 'r\\001\\n' > d/r.bin");
        assertThat(errorCode("workspace", "disk", "list", id)).isEqualTo("workspace_running");
        assertThat(errorCode("workspace", "start", id)).isEqualTo("workspace_running");
        assertThat(ok("workspace", "stop", id).get("state").asString()).isEqualTo("stopped");
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
        assertThat(errorCode("workspace", "exec", id, "--", "true")).isEqualTo("workspace_not_running");

        JsonNode listing = ok("workspace", "disk", "list", id, "--recursive");
        assertThat(listing.get("entries").findValuesAsString("path")).containsExactlyInAnyOrder("a.txt", "d", "d/r.bin");
        CliProcess.Result raw = pyro("workspace", "disk", "read", id, "d/r.bin", "--content-only");
        assertThat(raw.exitCode()).as(raw.stderr()).isZero();
        assertThat(raw.stdout()).isEqualTo("r\u0001\n");
        CliProcess.Result human = pyro("workspace", "disk", "read", id, "d/r.bin");
        assertThat(human.stdout()).isEqualTo("r\\x01\n"); // a terminal never sees the guest's control bytes
        JsonNode cut = ok("workspace", "disk", "read", id, "a.txt", "--max-bytes", "1");
        assertThat(cut.get("content").asString()).isEqualTo("A");
        assertThat(cut.get("truncated").asBoolean()).isTrue();
        assertThat(errorCode("workspace", "disk", "read", id, "../etc/passwd")).isEqualTo("path_outside_workspace");

        Path image = host.resolve("ws.img");
        CliProcess.Result exported = pyro("workspace", "disk", "export", id, "--output", image.toString());
        assertThat(exported.exitCode()).as(exported.stderr()).isZero();
        assertThat(exported.stdout().strip()).isEqualTo(image.toString());
        Process fsck = new ProcessBuilder(Files.exists(Path.of("/usr/sbin/e2fsck")) ? "/usr/sbin/e2fsck" : "e2fsck",
                "-fn", image.toString()).redirectErrorStream(true).start();
        String fsckOut = new String(fsck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(fsck.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(fsck.exitValue()).as(fsckOut).isZero();
        assertThat(errorCode("workspace", "disk", "export", id, "--output", image.toString())).isEqualTo("already_exists");

        assertThat(ok("workspace", "start", id).get("state").asString()).isEqualTo("started");
        assertThat(ok("workspace", "exec", id, "--", "cat", "d/r.bin").get("stdout").asString()).isEqualTo("r\u0001\n");
    }

    @Test
    void aCliKilledDuringSnapshotCreateOrResetLeavesAStateStatusExplainsAndTheNextCallRepairs() throws Exception {
        String id = create();
        ok("workspace", "exec", id, "--", "sh", "-c", "echo s1 > s1.txt");
        ok("workspace", "snapshot", "create", id, "s1");
        ok("workspace", "exec", id, "--", "sh", "-c", "echo later > later.txt");

        // Killed with the guest frozen, before the layer switch: the agent thaws when the
        // connection drops, and the snapshot never happened.
        killAt("workspace-snapshot-create:frozen", "workspace", "snapshot", "create", id, "k1");
        JsonNode op = ok("workspace", "status", id).get("operation");
        assertThat(op.get("kind").asString()).isEqualTo("snapshot_create");
        assertThat(op.get("snapshot").asString()).isEqualTo("k1");
        assertThat(op.get("interrupted").asBoolean()).isTrue();
        assertThat(ok("workspace", "exec", id, "--", "sh", "-c", "echo w > w.txt && cat w.txt").get("stdout")
                .asString()).as("the guest is not left frozen").isEqualTo("w\n");
        assertThat(ok("workspace", "snapshot", "list", id).get("snapshots").findValuesAsString("name"))
                .containsExactly("baseline", "s1");
        assertThat(ok("workspace", "status", id).get("operation").isNull()).isTrue();

        // Killed after the switch, still frozen: the VM writes to the new layer, so it is kept.
        killAt("workspace-snapshot-create:switched", "workspace", "snapshot", "create", id, "k2");
        assertThat(ok("workspace", "status", id).get("operation").get("interrupted").asBoolean()).isTrue();
        assertThat(ok("workspace", "snapshot", "list", id).get("snapshots").findValuesAsString("name"))
                .containsExactly("baseline", "s1", "k2");
        assertThat(ok("workspace", "exec", id, "--", "cat", "w.txt").get("stdout").asString()).isEqualTo("w\n");

        // Killed with the VM down and the layers not switched yet.
        killAt("workspace-reset:stopped", "workspace", "reset", id, "--snapshot", "s1");
        JsonNode stopped = ok("workspace", "status", id);
        assertThat(stopped.get("state").asString()).isEqualTo("stopped");
        assertThat(stopped.get("state_reason").asString()).isEqualTo("reset to s1 in progress");
        assertThat(stopped.get("operation").get("kind").asString()).isEqualTo("reset");
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
        assertThat(ok("workspace", "start", id).get("state").asString()).isEqualTo("started");
        assertThat(paths(ok("workspace", "diff", id))).containsExactly("s1.txt:added");
        assertThat(ok("workspace", "logs", id).get("entries")).isEmpty();

        // Killed once the new VM is up but before it was recorded: the next call stops that VM
        // (nothing may run unrecorded), finishes the reset and boots again.
        ok("workspace", "exec", id, "--", "sh", "-c", "echo again > again.txt");
        killAt("workspace-reset:booted", "workspace", "reset", id, "--snapshot", "k2");
        assertThat(ok("workspace", "status", id).get("operation").get("snapshot").asString()).isEqualTo("k2");
        JsonNode again = ok("workspace", "reset", id, "--snapshot", "k2");
        assertThat(again.get("state").asString()).isEqualTo("started");
        assertThat(again.get("operation").isNull()).isTrue();
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).hasSize(1);
        assertThat(paths(ok("workspace", "diff", id))).containsExactly("later.txt:added", "s1.txt:added",
                "w.txt:added");
    }

    /** Runs {@code pyro args} with {@code failpoint} armed, waits until it parks there, and kills it (SIGKILL). */
    private void killAt(String failpoint, String... args) throws Exception {
        ProcessBuilder pb = new CliProcess(home).builder(args).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PYRO_FAILPOINT", failpoint);
        Process p = pb.start();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = err.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.equals("pyro-failpoint: " + failpoint)) {
                    p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
                    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    return;
                }
            }
            throw new AssertionError("pyro " + String.join(" ", args) + " ended before " + failpoint + ":\n" + seen);
        } finally {
            p.destroyForcibly();
        }
    }
}
