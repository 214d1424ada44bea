package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.json.PyroJson;
import dev.pyro.testing.Await;
import dev.pyro.testing.GuestProcesses;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Guest tests of persistent workspaces through the real CLI, one process per command as a
 * user (or an agent) would run them: every exec attaches to a VM that a process which has
 * already exited created. Real microVMs (QEMU; TCG where KVM is unusable).
 */
class WorkspaceGuestTest extends WorkspaceCliFixture {

    private String create(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("workspace", "create", "debian:12", "--id-only"));
        args.addAll(List.of(extra));
        CliProcess.Result r = pyro(args.toArray(String[]::new));
        assertThat(r.exitCode()).as("create: %s", r.stderr()).isZero();
        String id = r.stdout().strip();
        assertThat(id).matches("ws-[a-z0-9]{12}");
        return id;
    }

    @Test
    void seededWorkspaceSyncExecStatusLogsDeleteAcrossProcesses() throws Exception {
        Path project = Files.createDirectories(host.resolve("project"));
        Files.writeString(project.resolve("seed.txt"), "from seed\n");
        Files.createDirectories(project.resolve("empty-dir"));
        Files.createSymbolicLink(project.resolve("outside-link"), Path.of("/etc/hostname"));

        String id = create("--seed-path", project.toString());
        // The creating process has exited; the VM must still be there for the next one.
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).hasSize(1);

        Path changes = Files.createDirectories(host.resolve("changes"));
        Files.writeString(changes.resolve("synced.txt"), "from sync\n");
        CliProcess.Result push = pyro("workspace", "sync", "push", id, changes.toString(), "--dest", "incoming",
                "--json");
        assertThat(push.exitCode()).as(push.stderr()).isZero();
        JsonNode pushed = json(push);
        assertThat(pushed.get("destination").asString()).isEqualTo("/workspace/incoming");
        assertThat(pushed.get("mode").asString()).isEqualTo("directory");
        assertThat(pushed.get("entries").asLong()).isEqualTo(1);

        CliProcess.Result exec = pyro("workspace", "exec", id, "--", "sh", "-c",
                "pwd; cat seed.txt incoming/synced.txt; test -d empty-dir && readlink outside-link; exit 5");
        assertThat(exec.exitCode()).as(exec.stderr()).isEqualTo(5);
        assertThat(exec.stdout()).isEqualTo("/workspace\nfrom seed\nfrom sync\n/etc/hostname\n");
        assertThat(exec.stderr()).containsPattern("\\[workspace-exec\\] workspace_id=" + id
                + " sequence=1 cwd=/workspace execution_mode=\\S+ exit_code=5 duration_ms=\\d+");

        CliProcess.Result second = pyro("workspace", "exec", id, "--", "sh", "-c", "echo again > note; cat note");
        assertThat(second.stdout()).isEqualTo("again\n");

        // A destination outside /workspace is refused before anything is sent.
        CliProcess.Result outside = pyro("workspace", "sync", "push", id, changes.toString(), "--dest", "../etc",
                "--json");
        assertThat(outside.exitCode()).isEqualTo(1);
        assertThat(json(outside).get("error").get("code").asString()).isEqualTo("path_outside_workspace");

        JsonNode status = json(pyro("workspace", "status", id, "--json"));
        assertThat(status.get("state").asString()).isEqualTo("started");
        assertThat(status.get("command_count").asLong()).isEqualTo(2);
        assertThat(status.get("last_command").get("sequence").asLong()).isEqualTo(2);
        assertThat(status.get("workspace_seed").get("mode").asString()).isEqualTo("directory");
        assertThat(status.get("workspace_seed").get("source").asString()).isEqualTo(project.toString());
        assertThat(status.get("workspace_seed").get("entries").asLong()).isEqualTo(3);
        CliProcess.Result human = pyro("workspace", "status", id);
        assertThat(human.stdout()).contains("Workspace ID: " + id, "State: started", "Workspace: /workspace",
                "Execution mode: qemu-", "Command count: 2");

        JsonNode logs = json(pyro("workspace", "logs", id, "--json")).get("entries");
        assertThat(logs).hasSize(2);
        assertThat(logs.get(0).get("sequence").asLong()).isEqualTo(1);
        assertThat(logs.get(0).get("exit_code").asInt()).isEqualTo(5);
        assertThat(logs.get(1).get("sequence").asLong()).isEqualTo(2);
        assertThat(logs.get(1).get("stdout").asString()).isEqualTo("again\n");

        CliProcess.Result delete = pyro("workspace", "delete", id);
        assertThat(delete.exitCode()).as(delete.stderr()).isZero();
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
        assertThat(home.resolve("workspaces").resolve(id)).doesNotExist();
        CliProcess.Result gone = pyro("workspace", "status", id, "--json");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(json(gone).get("error").get("code").asString()).isEqualTo("workspace_not_found");
        CliProcess.Result unknown = pyro("workspace", "exec", "ws-aaaaaaaaaaaa", "--", "true");
        assertThat(unknown.stderr()).contains("[workspace_not_found]");
    }

    @Test
    void tgzSeedAtomicRefusalOfAnEvilArchiveAndConcurrentExecs() throws Exception {
        Path tgz = host.resolve("seed.tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tgz));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            file(tar, "keep.txt", "original\n");
            file(tar, "dir/nested.txt", "nested\n");
        }
        String id = create("--seed-path", tgz.toString());
        JsonNode seed = json(pyro("workspace", "status", id, "--json")).get("workspace_seed");
        assertThat(seed.get("mode").asString()).isEqualTo("tar_archive");

        Path evil = host.resolve("evil.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(evil))) {
            file(tar, "keep.txt", "overwritten\n");
            file(tar, "added.txt", "added\n");
            file(tar, "../evil", "escaped\n");
        }
        CliProcess.Result refused = pyro("workspace", "sync", "push", id, evil.toString(), "--json");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(json(refused).get("error").get("code").asString()).isEqualTo("unsafe_archive_entry");
        Path junk = host.resolve("junk.tgz");
        Files.write(junk, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        CliProcess.Result malformed = pyro("workspace", "sync", "push", id, junk.toString(), "--json");
        assertThat(json(malformed).get("error").get("code").asString()).isEqualTo("malformed_archive");
        CliProcess.Result missing = pyro("workspace", "sync", "push", id, host.resolve("nope").toString(), "--json");
        assertThat(json(missing).get("error").get("code").asString()).isEqualTo("not_found");

        // Two processes exec into the one workspace at once: both succeed, distinct sequences, and
        // they overlap — proven by a rendezvous, not by timing: each command marks its start and
        // then waits for the other's mark, so neither can finish unless both ran at the same time.
        // (Own threads: the common pool has a single worker on a 2-core machine.)
        var twoThreads = java.util.concurrent.Executors.newFixedThreadPool(2);
        CompletableFuture<CliProcess.Result> a = CompletableFuture.supplyAsync(() -> rendezvous(id, "a", "b"),
                twoThreads);
        CompletableFuture<CliProcess.Result> b = CompletableFuture.supplyAsync(() -> rendezvous(id, "b", "a"),
                twoThreads);
        CliProcess.Result ra = a.join();
        CliProcess.Result rb = b.join();
        twoThreads.shutdown();
        assertThat(ra.exitCode()).as("a met b: %s", ra.stderr()).isZero();
        assertThat(rb.exitCode()).as("b met a: %s", rb.stderr()).isZero();
        assertThat(ra.stdout()).isEqualTo("a met b\n");
        assertThat(rb.stdout()).isEqualTo("b met a\n");
        long sa = sequence(ra.stderr());
        long sb = sequence(rb.stderr());
        assertThat(sa).isNotEqualTo(sb);
        JsonNode entries = json(pyro("workspace", "logs", id, "--json")).get("entries");
        assertThat(entries).hasSize(2);
        java.time.Instant firstEnd = java.time.Instant.parse(entries.get(0).get("finished_at").asString());
        java.time.Instant secondStart = java.time.Instant.parse(entries.get(1).get("started_at").asString());
        assertThat(secondStart).as("the second command started before the first ended").isBefore(firstEnd);
        pyro("workspace", "exec", id, "--", "rm", "-f", ".started-a", ".started-b");

        CliProcess.Result check = pyro("workspace", "exec", id, "--", "sh", "-c",
                "cat keep.txt dir/nested.txt; ls; test ! -e /evil && test ! -e /run/pyro/wsdisk/evil && echo clean");
        assertThat(check.stdout()).isEqualTo("original\nnested\ndir\nkeep.txt\nclean\n");
    }

    @Test
    void killingTheVmmMidExecIsExplainedAndDeleteCleansUp() throws Exception {
        String id = create("--ttl-seconds", "300");
        Process exec = new CliProcess(home).builder("workspace", "exec", id, "--json", "--", "sh", "-c",
                "touch started-marker; echo started; sleep 60").redirectErrorStream(false).start();
        Path vmJson = home.resolve("workspaces").resolve(id).resolve("vm/vm.json");
        long pid = PyroJson.compact().readTree(Files.readString(vmJson)).get("process").get("pid").asLong();
        // Kill the VMM outright once the command is seen running in the guest (its marker exists).
        Await.until("the command's marker in the guest", java.time.Duration.ofMinutes(3), () -> {
            assertThat(exec.isAlive()).as("exec still running").isTrue();
            try {
                return pyro("workspace", "exec", id, "--", "test", "-e", "started-marker").exitCode() == 0;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        assertThat(exec.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(exec.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exec.exitValue()).isEqualTo(1);
        assertThat(PyroJson.compact().readTree(out).get("error").get("code").asString()).isEqualTo("vm_died");

        JsonNode status = json(pyro("workspace", "status", id, "--json"));
        assertThat(status.get("state").asString()).isEqualTo("failed");
        // What pyro knows (the VMM was killed), and no boot console line posing as the cause.
        assertThat(status.get("state_reason").asString()).startsWith("vm died: ").contains("was killed")
                .doesNotContain("console");
        CliProcess.Result again = pyro("workspace", "exec", id, "--json", "--", "true");
        assertThat(json(again).get("error").get("code").asString()).isEqualTo("workspace_not_running");

        assertThat(pyro("workspace", "delete", id).exitCode()).isZero();
        assertThat(home.resolve("workspaces").resolve(id)).doesNotExist();
        assertThat(GuestProcesses.vmmsMentioning(home.toString())).isEmpty();
    }

    /** Marks {@code me} started, then waits (up to 60 s, else exit 1) for {@code other} to have started. */
    private CliProcess.Result rendezvous(String id, String me, String other) {
        try {
            return pyro("workspace", "exec", id, "--timeout-seconds", "90", "--", "sh", "-c",
                    "touch .started-" + me + "; i=0; while [ ! -e .started-" + other + " ]; do"
                            + " i=$((i+1)); [ $i -gt 600 ] && exit 1; sleep 0.1; done; echo " + me + " met " + other);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long sequence(String stderr) {
        return Long.parseLong(stderr.replaceAll("(?s).*sequence=(\\d+).*", "$1"));
    }

    private static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        e.setMode(0644);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
