package dev.pyro.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import dev.pyro.WorkspaceExecRequest;
import dev.pyro.workspace.store.CommandState;
import dev.pyro.workspace.store.JournalEntry;
import dev.pyro.workspace.store.WorkspaceRecord;
import dev.pyro.workspace.store.WorkspaceState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one path into a started workspace and its one death rule, for every operation that
 * uses it (exec, sync push, diff, export), against a real agent standing in for the VM.
 */
class StartedWorkspaceTest {
    @TempDir
    Path tmp;

    private DevAgentVm vm;
    private WorkspaceContext ctx;
    private String id;

    @BeforeEach
    void startVm() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        vm = DevAgentVm.start(tmp.resolve("vm"), root.toRealPath());
        ctx = vm.context(tmp.resolve("home"), AgentConnections.none());
        id = vm.startedWorkspace(ctx);
    }

    @AfterEach
    void stopVm() throws Exception {
        vm.close();
    }

    @Test
    void anOperationRunsWithTheRecordAndAConnectedAgentAndMarksActivity() {
        WorkspaceRecord before = ctx.store().read(id);
        String answer = new StartedWorkspace(ctx).use(id, s -> {
            assertThat(s.id()).isEqualTo(id);
            assertThat(s.record().state()).isEqualTo(WorkspaceState.STARTED);
            assertThat(s.vm().pid()).isEqualTo(vm.pid());
            return s.agent().hello().mode();
        });
        assertThat(answer).isEqualTo("dev");
        assertThat(ctx.store().read(id).lastActivityAt()).isAfterOrEqualTo(before.lastActivityAt());
    }

    @Test
    void anUnknownIdIsNotFoundAndAWorkspaceInAnotherStateIsNotRunning() {
        expect(() -> new StartedWorkspace(ctx).use("ws-000000000000", s -> 1), ErrorCode.WORKSPACE_NOT_FOUND);
        ctx.store().update(id, r -> r.withState(WorkspaceState.FAILED, "broken on purpose"));
        PyroException e = expect(() -> new StartedWorkspace(ctx).use(id, s -> 1), ErrorCode.WORKSPACE_NOT_RUNNING);
        assertThat(e.getMessage()).contains("is failed (broken on purpose), not started");
    }

    @Test
    void whatIsNoWorkspaceDirectoryIsNotFoundAlsoOnceItsIdWasUsed() throws IOException {
        assertThat(new StartedWorkspace(ctx).<Integer>use(id, s -> 1)).isEqualTo(1); // its paths and lock file kept now
        expect(() -> new StartedWorkspace(ctx).use("../" + id, s -> 1), ErrorCode.WORKSPACE_NOT_FOUND);
        Path dir = ctx.store().paths(id).dir();
        Path moved = dir.resolveSibling("elsewhere");
        Files.move(dir, moved);
        Files.createSymbolicLink(dir, moved); // a link planted in its place
        PyroException e = expect(() -> new StartedWorkspace(ctx).use(id, s -> 1), ErrorCode.WORKSPACE_NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("workspace " + id + " does not exist");
        Files.delete(dir);
        Files.writeString(dir, "a file in its place");
        e = expect(() -> new StartedWorkspace(ctx).use(id, s -> 1), ErrorCode.WORKSPACE_NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("workspace " + id + " does not exist");
        Files.delete(dir);
        e = expect(() -> new WorkspaceExecutor(ctx).exec(id, WorkspaceExecRequest.of(List.of("true")),
                dev.pyro.ProgressListener.NONE), ErrorCode.WORKSPACE_NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("workspace " + id + " does not exist");
        Files.move(moved, dir); // back: found again, through the same kept paths
        assertThat(new StartedWorkspace(ctx).<Integer>use(id, s -> 2)).isEqualTo(2);
    }

    @Test
    void aVmThatDiesDuringAnyOperationIsVmDiedAndTheWorkspaceFailed() {
        PyroException e = expect(() -> new StartedWorkspace(ctx).use(id, s -> {
            kill();
            return s.agent().files().stat(".");
        }), ErrorCode.VM_DIED);
        assertDied(e);
    }

    @Test
    void aFailureOfALiveVmPassesThroughAndChangesNothing() {
        expect(() -> new StartedWorkspace(ctx).use(id, s -> s.agent().files().stat("missing")), ErrorCode.NOT_FOUND);
        assertThat(ctx.store().read(id).state()).isEqualTo(WorkspaceState.STARTED);
    }

    @Test
    void aDeadVmWithoutItsRecordIsRefusedAtTheDoor() throws IOException {
        Files.delete(ctx.store().paths(id).vmStateDir().resolve("vm.json"));
        kill();
        // The record still says started: the live check at the door finds the VMM gone first.
        PyroException e = expect(() -> new StartedWorkspace(ctx).use(id, s -> 1), ErrorCode.WORKSPACE_NOT_RUNNING);
        assertThat(e.getMessage()).contains("vm died");
    }

    @Test
    void execKilledWithItsVmIsVmDiedWithTheJournalEntryCompleted() {
        PyroException e = expect(() -> new WorkspaceExecutor(ctx).exec(id,
                WorkspaceExecRequest.of(List.of("kill", "-9", Long.toString(vm.pid()))).withTimeoutSeconds(10),
                p -> { }),
                ErrorCode.VM_DIED);
        assertDied(e);
        List<JournalEntry> journal = ctx.journal().entries(id);
        assertThat(journal).hasSize(1);
        assertThat(journal.get(0).state()).as("no entry stays running").isEqualTo(CommandState.COMPLETED);
        assertThat(journal.get(0).stderr()).startsWith("pyro: ");
    }

    @Test
    void workspaceExecMapsTimeoutTo124AndSignalNTo128PlusNAndJournalsWhatHappened() throws IOException {
        WorkspaceExecutor exec = new WorkspaceExecutor(ctx);
        WorkspaceExecutor.Outcome slow = exec.exec(id, WorkspaceExecRequest.of(List.of("sh", "-c",
                "echo started; sleep 600; echo finished")).withTimeoutSeconds(1), p -> { });
        assertThat(slow.exitCode()).isEqualTo(124);
        assertThat(slow.entry().timedOut()).isTrue();
        assertThat(slow.entry().exitCode()).as("a timed-out command has no exit code of its own").isNull();
        assertThat(slow.entry().stdout()).isEqualTo("started\n");

        WorkspaceExecutor.Outcome term = exec.exec(id, WorkspaceExecRequest.of(List.of("sh", "-c", "kill -TERM $$")),
                p -> { });
        assertThat(term.exitCode()).isEqualTo(128 + 15);
        assertThat(term.entry().signal()).isEqualTo("SIGTERM");
        assertThat(term.entry().exitCode()).isNull();
        assertThat(term.entry().timedOut()).isFalse();

        WorkspaceExecutor.Outcome three = exec.exec(id, WorkspaceExecRequest.of(List.of("sh", "-c", "pwd; exit 3")),
                p -> { });
        assertThat(three.exitCode()).isEqualTo(3);
        assertThat(three.entry().exitCode()).isEqualTo(3);
        assertThat(three.entry().signal()).isNull();
        assertThat(three.entry().stdout()).isEqualTo(tmp.resolve("root").toRealPath() + "\n");

        assertThat(ctx.journal().entries(id)).extracting(JournalEntry::sequence, JournalEntry::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, CommandState.COMPLETED),
                        org.assertj.core.groups.Tuple.tuple(2L, CommandState.COMPLETED),
                        org.assertj.core.groups.Tuple.tuple(3L, CommandState.COMPLETED));
        assertThat(ctx.store().read(id).state()).isEqualTo(WorkspaceState.STARTED);
    }

    @Test
    void syncPushDiffAndExportShareTheDeathRule() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a.txt"), "a\n");
        kill();
        // Dead before the call: refused at the door as not running, with the death recorded.
        for (ThrowingCallable call : List.<ThrowingCallable>of(
                () -> new WorkspaceSync(ctx).push(id, src.toString(), null),
                () -> new WorkspaceFiles(ctx).diff(id),
                () -> new WorkspaceFiles(ctx).export(id, "a.txt", tmp.resolve("out"), false))) {
            PyroException e = expect(call, ErrorCode.WORKSPACE_NOT_RUNNING);
            assertThat(e.getMessage()).contains("is failed (vm died: ");
        }
        assertThat(ctx.store().read(id).state()).isEqualTo(WorkspaceState.FAILED);
    }

    @Test
    void keptConnectionsAreReusedWhileOpenAndDroppedWhenTheVmDies() throws Exception {
        try (AgentConnections pool = AgentConnections.pooled()) {
            WorkspaceContext pooled = vm.context(tmp.resolve("home"), pool);
            AtomicReference<Object> first = new AtomicReference<>();
            new StartedWorkspace(pooled).use(id, s -> {
                first.set(s.agent());
                return 1;
            });
            Object second = new StartedWorkspace(pooled).use(id, s -> s.agent());
            assertThat(second).as("one connection per VM per instance").isSameAs(first.get());
            assertThat(((dev.pyro.guest.AgentConnection) second).isOpen()).isTrue();
            PyroException e = expect(() -> new StartedWorkspace(pooled).use(id, s -> {
                kill();
                return s.agent().files().stat(".");
            }), ErrorCode.VM_DIED);
            assertDied(e);
            assertThat(((dev.pyro.guest.AgentConnection) second).isOpen()).as("dropped and closed").isFalse();
        }
    }

    @Test
    void concurrentExecsShareOneKeptConnectionAndEachGetsItsOwnJournalEntry() throws Exception {
        try (AgentConnections pool = AgentConnections.pooled()) {
            WorkspaceContext pooled = vm.context(tmp.resolve("home"), pool);
            int n = 8;
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(n);
            java.util.Set<Object> agents = java.util.concurrent.ConcurrentHashMap.newKeySet();
            List<java.util.concurrent.Future<WorkspaceExecutor.Outcome>> results = new java.util.ArrayList<>();
            try (var threads = java.util.concurrent.Executors.newFixedThreadPool(n)) {
                for (int i = 0; i < n; i++) {
                    String word = "out-" + i;
                    results.add(threads.submit(() -> {
                        start.await(); // all at once, on the one connection
                        new StartedWorkspace(pooled).use(id, s -> agents.add(s.agent()));
                        return new WorkspaceExecutor(pooled).exec(id, WorkspaceExecRequest.of(List.of("sh", "-c",
                                "sleep 0.2; echo " + word)), p -> { });
                    }));
                }
                List<Long> sequences = new java.util.ArrayList<>();
                for (int i = 0; i < n; i++) {
                    WorkspaceExecutor.Outcome o = results.get(i).get();
                    assertThat(o.exitCode()).isZero();
                    assertThat(o.result().stdout()).asString(java.nio.charset.StandardCharsets.UTF_8)
                            .isEqualTo("out-" + i + "\n");
                    assertThat(o.entry().stdout()).isEqualTo("out-" + i + "\n");
                    sequences.add(o.entry().sequence());
                }
                assertThat(sequences).containsExactlyInAnyOrderElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, n).boxed().toList());
            }
            assertThat(agents).as("one connection for all").hasSize(1);
            assertThat(pooled.journal().entries(id)).hasSize(n)
                    .allSatisfy(e -> assertThat(e.state()).isEqualTo(CommandState.COMPLETED));
            WorkspaceRecord r = pooled.store().read(id);
            assertThat(r.commandCount()).isEqualTo(n);
            assertThat(r.state()).isEqualTo(WorkspaceState.STARTED);
        }
    }

    /**
     * The context of an exec: {@code pooled} keeps the connection, the attached VM and the
     * records it wrote between calls (as a {@code Pyro} instance does), else nothing.
     */
    private WorkspaceContext context(boolean pooled) {
        if (!pooled) {
            return ctx;
        }
        AgentConnections pool = AgentConnections.pooled();
        pools.add(pool);
        return vm.context(tmp.resolve("home"), pool);
    }

    private final List<AgentConnections> pools = new java.util.ArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(AgentConnections::close);
    }

    @ParameterizedTest(name = "kept between calls: {0}")
    @ValueSource(booleans = {false, true})
    void everyExecLooksAgainSoChangesByAnotherProcessAreSeenAtOnce(boolean pooled) throws Exception {
        WorkspaceContext ctx = context(pooled);
        WorkspaceExecutor exec = new WorkspaceExecutor(ctx);
        assertThat(exec.exec(id, WorkspaceExecRequest.of(List.of("true")), p -> { }).exitCode()).isZero();
        // This process's own status sees the command at once (its journal write is waited for).
        assertThat(new WorkspaceInspector(ctx).status(id).commandCount()).isEqualTo(1);
        // Another process (its own store) marks the workspace failed between two execs.
        var other = new dev.pyro.workspace.store.WorkspaceStore(tmp.resolve("home"));
        other.update(id, r -> r.withState(WorkspaceState.FAILED, "changed elsewhere"));
        PyroException e = expect(() -> exec.exec(id, WorkspaceExecRequest.of(List.of("true")), p -> { }),
                ErrorCode.WORKSPACE_NOT_RUNNING);
        assertThat(e.getMessage()).contains("is failed (changed elsewhere), not started");
        other.update(id, r -> r.withState(WorkspaceState.STARTED, null));
        assertThat(exec.exec(id, WorkspaceExecRequest.of(List.of("true")), p -> { }).entry().sequence())
                .as("the refused exec took no number").isEqualTo(2);
        // Its time to live runs out (set elsewhere): the next exec expires it instead of running.
        other.update(id, r -> r.withTtlFrom(java.time.Instant.now().minus(Duration.ofDays(1))));
        e = expect(() -> exec.exec(id, WorkspaceExecRequest.of(List.of("true")), p -> { }),
                ErrorCode.WORKSPACE_NOT_RUNNING);
        assertThat(e.getMessage()).contains("is expired");
        assertThat(ctx.store().read(id).state()).isEqualTo(WorkspaceState.EXPIRED);
        assertThat(ctx.journal().entries(id)).extracting(JournalEntry::sequence).containsExactly(1L, 2L);
    }

    @ParameterizedTest(name = "kept between calls: {0}")
    @ValueSource(booleans = {false, true})
    void aVmThatDiedBetweenTwoExecsGivesTheStableError(boolean pooled) {
        WorkspaceContext ctx = context(pooled);
        WorkspaceExecutor exec = new WorkspaceExecutor(ctx);
        assertThat(exec.exec(id, WorkspaceExecRequest.of(List.of("true")), p -> { }).exitCode()).isZero();
        kill();
        PyroException e = expect(() -> exec.exec(id, WorkspaceExecRequest.of(List.of("true")), p -> { }),
                ErrorCode.WORKSPACE_NOT_RUNNING);
        assertThat(e.getMessage()).contains("is failed (vm died: the dev agent exited");
        assertThat(ctx.store().read(id).vm()).isNull();
        assertThat(ctx.journal().entries(id)).hasSize(1);
        assertThat(ctx.store().read(id).commandCount()).isEqualTo(1);
    }

    @Test
    void aKeptVmIsAttachedOncePerRecordedVmAndAgainWhenTheRecordNamesAnother() {
        java.util.concurrent.atomic.AtomicInteger attaches = new java.util.concurrent.atomic.AtomicInteger();
        dev.pyro.vm.VmLocator counting = stateDir -> {
            attaches.incrementAndGet();
            return java.util.Optional.of(vm);
        };
        try (AgentConnections pool = AgentConnections.pooled()) {
            WorkspaceContext kept = vm.context(tmp.resolve("home"), pool, counting);
            WorkspaceExecutor exec = new WorkspaceExecutor(kept);
            for (int i = 0; i < 3; i++) {
                assertThat(exec.exec(id, WorkspaceExecRequest.of(List.of("true")), p -> { }).exitCode()).isZero();
            }
            assertThat(attaches).as("vm.json read once for three execs").hasValue(1);
            // Another process records another boot (a restart): the next exec attaches again.
            var other = new dev.pyro.workspace.store.WorkspaceStore(tmp.resolve("home"));
            other.update(id, r -> r.withVm(new dev.pyro.workspace.store.WorkspaceVm(r.vm().backend(),
                    r.vm().executionMode(), r.vm().vmStateDir(), r.vm().pid(), r.vm().startedAt().plusSeconds(1))));
            assertThat(exec.exec(id, WorkspaceExecRequest.of(List.of("true")), p -> { }).exitCode()).isZero();
            assertThat(attaches).hasValue(2);
            kept.journal().settleAll(); // its writes done before the directory is removed
        }
        // Nothing kept (the CLI): every exec attaches.
        WorkspaceContext none = vm.context(tmp.resolve("home"), AgentConnections.none(), counting);
        WorkspaceExecutor each = new WorkspaceExecutor(none);
        each.exec(id, WorkspaceExecRequest.of(List.of("true")), p -> { });
        each.exec(id, WorkspaceExecRequest.of(List.of("true")), p -> { });
        assertThat(attaches).hasValue(4);
        none.journal().settleAll();
    }

    private void kill() {
        try {
            vm.kill();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private void assertDied(PyroException e) {
        assertThat(e.getMessage()).contains("workspace " + id + ": the VM died (vm died: ")
                .contains("the workspace is now failed");
        WorkspaceRecord r = ctx.store().read(id);
        assertThat(r.state()).isEqualTo(WorkspaceState.FAILED);
        assertThat(r.stateReason()).startsWith("vm died: the dev agent exited");
        assertThat(r.vm()).isNull();
    }

    private static PyroException expect(ThrowingCallable call, ErrorCode code) {
        AtomicReference<PyroException> caught = new AtomicReference<>();
        assertThatThrownBy(call).isInstanceOfSatisfying(PyroException.class, e -> {
            assertThat(e.code()).as("code of: %s", e.getMessage()).isEqualTo(code);
            caught.set(e);
        });
        return caught.get();
    }
}
