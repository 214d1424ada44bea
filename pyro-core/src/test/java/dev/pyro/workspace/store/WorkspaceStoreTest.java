package dev.pyro.workspace.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class WorkspaceStoreTest {
    private static final Instant T0 = Instant.parse("2025-01-02T03:04:05.678Z");
    private static final JsonMapper PLAIN = JsonMapper.builder().build();

    @TempDir
    Path home;
    MutableClock clock;
    WorkspaceStore store;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(T0);
        store = new WorkspaceStore(home, clock, Duration.ofSeconds(10));
    }

    private static NewWorkspace seeded() {
        return new NewWorkspace("debian:12", new WorkspaceResources(2, 2048), 600, true,
                new WorkspaceSeed(SeedMode.TAR_ARCHIVE, "/home/me/src.tgz", 12, 3456), "demo", Map.of("team", "a"));
    }

    @Test
    void createWritesACompleteSnakeCaseRecordThatReadsBack() throws IOException {
        WorkspaceRecord created = store.create(seeded());

        assertThat(created.workspaceId()).matches("ws-[a-z2-7]{12}");
        assertThat(created.state()).isEqualTo(WorkspaceState.CREATING);
        assertThat(created.createdAt()).isEqualTo(T0);
        assertThat(created.lastActivityAt()).isEqualTo(T0);
        assertThat(created.expiresAt()).isEqualTo(T0.plusSeconds(600));
        assertThat(store.read(created.workspaceId())).isEqualTo(created);

        WorkspacePaths p = store.paths(created.workspaceId());
        assertThat(p.dir()).isEqualTo(home.toAbsolutePath().resolve("workspaces").resolve(created.workspaceId()));
        assertThat(p.lockFile()).isRegularFile();
        assertThat(p.recordLockFile()).isRegularFile();
        assertThat(p.journalDir()).isDirectory();

        JsonNode json = PLAIN.readTree(Files.readAllBytes(p.recordFile()));
        assertThat(json.get("format").intValue()).isEqualTo(1);
        assertThat(json.get("workspace_id").stringValue()).isEqualTo(created.workspaceId());
        assertThat(json.get("state").stringValue()).isEqualTo("creating");
        assertThat(json.get("created_at").stringValue()).isEqualTo("2025-01-02T03:04:05.678Z");
        assertThat(json.get("expires_at").stringValue()).isEqualTo("2025-01-02T03:14:05.678Z");
        assertThat(json.get("resources").get("vcpu_count").intValue()).isEqualTo(2);
        assertThat(json.get("resources").get("mem_mib").intValue()).isEqualTo(2048);
        assertThat(json.get("workspace_seed").get("mode").stringValue()).isEqualTo("tar_archive");
        assertThat(json.get("workspace_seed").get("source").stringValue()).isEqualTo("/home/me/src.tgz");
        assertThat(json.get("network").booleanValue()).isTrue();
        assertThat(json.get("vm").isNull()).isTrue();
        assertThat(json.get("command_count").longValue()).isZero();
        assertThat(json.get("labels").get("team").stringValue()).isEqualTo("a");
        // Only the record and the store's own files: no temp or staging debris.
        try (Stream<Path> s = Files.list(store.root())) {
            assertThat(s.map(f -> f.getFileName().toString())).containsExactly(created.workspaceId());
        }
        try (Stream<Path> s = Files.list(p.dir())) {
            assertThat(s.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("workspace.json", ".lock", ".record.lock", "journal");
        }
    }

    @Test
    void updateRoundTripsEveryField() {
        String id = store.create(seeded()).workspaceId();
        WorkspaceVm vm = new WorkspaceVm("qemu", "guest_vsock", "/x/vm", 4242, T0.plusSeconds(1));
        WorkspaceRecord started = store.update(id, r -> r.withState(WorkspaceState.STARTED, null).withVm(vm)
                .withWorkspaceSeed(new WorkspaceSeed(SeedMode.DIRECTORY, "/src", 3, 4))
                .withCommandFinished(new CommandSummary(1, List.of("echo", "hi"), 0, T0.plusSeconds(5))));
        assertThat(store.read(id)).isEqualTo(started);
        assertThat(started.commandCount()).isEqualTo(1);
        assertThat(started.lastActivityAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void unknownFieldsFromANewerPyroAreIgnoredOnReadAndKeptOnRewrite() throws IOException {
        String id = store.create(seeded()).workspaceId();
        Path file = store.paths(id).recordFile();
        ObjectNode json = (ObjectNode) PLAIN.readTree(Files.readAllBytes(file));
        json.putObject("services").put("web", "ready");
        json.put("network_policy", "egress");
        Files.write(file, PLAIN.writeValueAsBytes(json));

        assertThat(store.read(id).environment()).isEqualTo("debian:12");
        store.update(id, r -> r.withName("renamed"));

        JsonNode after = PLAIN.readTree(Files.readAllBytes(file));
        assertThat(after.get("name").stringValue()).isEqualTo("renamed");
        assertThat(after.get("services").get("web").stringValue()).isEqualTo("ready");
        assertThat(after.get("network_policy").stringValue()).isEqualTo("egress");
    }

    @Test
    void aNewerFormatIsRefusedWithAClearError() throws IOException {
        String id = store.create(seeded()).workspaceId();
        Path file = store.paths(id).recordFile();
        ObjectNode json = (ObjectNode) PLAIN.readTree(Files.readAllBytes(file));
        json.put("format", 2);
        Files.write(file, PLAIN.writeValueAsBytes(json));

        assertThatThrownBy(() -> store.read(id)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR))
                .hasMessageContaining(id).hasMessageContaining("format 2 is newer than this pyro reads (1)");
    }

    @Test
    void aLeftoverTempFileNeverShadowsTheRecord() throws IOException {
        WorkspaceRecord created = store.create(seeded());
        String id = created.workspaceId();
        Path dir = store.paths(id).dir();
        // What a writer that died between write and rename leaves: a newer, complete record under a temp name.
        WorkspaceRecord newer = created.withState(WorkspaceState.STARTED, null);
        Files.write(dir.resolve(".workspace.json.0123456789abcdef0123456789abcdef.tmp"), StateJson.write(newer, null));
        Files.writeString(dir.resolve(".workspace.json.fedcba9876543210fedcba9876543210.tmp"), "{\"form");

        assertThat(store.read(id).state()).isEqualTo(WorkspaceState.CREATING);
        assertThat(store.list().workspaces()).extracting(WorkspaceRecord::state)
                .containsExactly(WorkspaceState.CREATING);
        assertThat(store.list().unreadable()).isEmpty();
        assertThat(store.update(id, r -> r.withName("x")).state()).isEqualTo(WorkspaceState.CREATING);
    }

    @Test
    void aFailingUpdateLeavesTheRecordAndNoDebris() throws IOException {
        WorkspaceRecord created = store.create(seeded());
        String id = created.workspaceId();
        assertThatThrownBy(() -> store.update(id, r -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(store.read(id)).isEqualTo(created);
        try (Stream<Path> s = Files.list(store.paths(id).dir())) {
            assertThat(s.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aTruncatedRecordGivesAClearErrorAndListSkipsIt() throws IOException {
        WorkspaceRecord good = store.create(seeded());
        WorkspaceRecord bad = store.create(seeded());
        Path file = store.paths(bad.workspaceId()).recordFile();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> store.read(bad.workspaceId())).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR))
                .hasMessageContaining("workspace " + bad.workspaceId() + " has an unreadable record")
                .hasMessageContaining("workspace.json")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> store.update(bad.workspaceId(), r -> r.withName("x")))
                .isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR));

        WorkspaceListing listing = store.list();
        assertThat(listing.workspaces()).extracting(WorkspaceRecord::workspaceId)
                .containsExactly(good.workspaceId());
        assertThat(listing.unreadable()).singleElement().satisfies(u -> {
            assertThat(u.workspaceId()).isEqualTo(bad.workspaceId());
            assertThat(u.problem()).contains("unreadable record");
        });
    }

    @Test
    void aMissingOrGarbageOrMismatchedRecordIsReportedNotFatal() throws IOException {
        WorkspaceRecord a = store.create(seeded());
        WorkspaceRecord b = store.create(seeded());
        WorkspaceRecord c = store.create(seeded());
        Files.delete(store.paths(a.workspaceId()).recordFile());
        Files.writeString(store.paths(b.workspaceId()).recordFile(), "[1,2,3]");
        WorkspaceRecord d = store.create(seeded());
        // c's directory now holds d's record: a copy by hand, say.
        Files.write(store.paths(c.workspaceId()).recordFile(),
                Files.readAllBytes(store.paths(d.workspaceId()).recordFile()));

        assertThatThrownBy(() -> store.read(a.workspaceId())).hasMessageContaining("has no record");
        assertThatThrownBy(() -> store.read(b.workspaceId())).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> store.read(c.workspaceId())).hasMessageContaining("it names workspace");
        assertThat(store.list().unreadable()).extracting(WorkspaceListing.Unreadable::workspaceId)
                .containsExactlyInAnyOrder(a.workspaceId(), b.workspaceId(), c.workspaceId());
        assertThat(store.list().workspaces()).extracting(WorkspaceRecord::workspaceId)
                .containsExactly(d.workspaceId());

        // Broken workspaces can always be deleted.
        store.delete(a.workspaceId());
        store.delete(b.workspaceId());
        store.delete(c.workspaceId());
        assertThat(store.list().unreadable()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "", "WS-ABCDEFGHIJKL", "ws-ABCDEFGHIJKL", "..", "ws-abcdefghijkl/..",
            "/etc/passwd"})
    void malformedIdsAreNotFoundEverywhere(String id) {
        store.create(seeded());
        for (Runnable op : List.<Runnable>of(() -> store.read(id), () -> store.paths(id), () -> store.delete(id),
                () -> store.update(id, r -> r), () -> store.lock(id, LockMode.SHARED), () -> store.touch(id))) {
            assertThatThrownBy(op::run).isInstanceOfSatisfying(PyroException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKSPACE_NOT_FOUND));
        }
    }

    @Test
    void anUnknownIdIsNotFoundWithTheDocumentedMessage() {
        assertThatThrownBy(() -> store.read("ws-aaaaaaaaaaaa"))
                .isInstanceOfSatisfying(PyroException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKSPACE_NOT_FOUND))
                .hasMessage("workspace ws-aaaaaaaaaaaa does not exist");
    }

    @Test
    void aSymlinkPlantedInPlaceOfAWorkspaceIsNotAWorkspace(@TempDir Path elsewhere) throws IOException {
        WorkspaceRecord real = store.create(seeded());
        Path fake = store.root().resolve("ws-bbbbbbbbbbbb");
        Files.createSymbolicLink(fake, store.paths(real.workspaceId()).dir());
        assertThatThrownBy(() -> store.read("ws-bbbbbbbbbbbb")).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKSPACE_NOT_FOUND));
    }

    @Test
    void listIsMostRecentlyActiveFirst() {
        String first = store.create(seeded()).workspaceId();
        clock.advance(Duration.ofSeconds(1));
        String second = store.create(seeded()).workspaceId();
        clock.advance(Duration.ofSeconds(1));
        String third = store.create(seeded()).workspaceId();
        assertThat(store.list().workspaces()).extracting(WorkspaceRecord::workspaceId)
                .containsExactly(third, second, first);

        clock.advance(Duration.ofSeconds(1));
        store.touch(first);
        assertThat(store.list().workspaces()).extracting(WorkspaceRecord::workspaceId)
                .containsExactly(first, third, second);

        // Activity never moves backwards.
        clock.set(T0);
        store.touch(first);
        assertThat(store.read(first).lastActivityAt()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void listOfAnEmptyHomeIsEmpty() {
        assertThat(store.list().workspaces()).isEmpty();
        assertThat(store.list().unreadable()).isEmpty();
    }

    @Test
    void deleteRemovesEverythingAndNeverFollowsLinks(@TempDir Path outside) throws IOException {
        Path secret = Files.writeString(outside.resolve("secret.txt"), "keep me");
        Path outsideDir = Files.createDirectory(outside.resolve("dir"));
        Files.writeString(outsideDir.resolve("inner.txt"), "keep me too");

        String id = store.create(seeded()).workspaceId();
        WorkspacePaths p = store.paths(id);
        Files.createDirectories(p.vmStateDir().resolve("deep/er"));
        Files.writeString(p.vmStateDir().resolve("deep/er/file"), "x");
        Files.createSymbolicLink(p.dir().resolve("link-to-dir"), outsideDir);
        Files.createSymbolicLink(p.vmStateDir().resolve("link-to-file"), secret);
        Files.createSymbolicLink(p.vmStateDir().resolve("deep/link-to-parent"), outside);
        Files.createSymbolicLink(p.journalDir().resolve("dangling"), outside.resolve("nope"));

        store.delete(id);

        assertThat(secret).hasContent("keep me");
        assertThat(outsideDir.resolve("inner.txt")).hasContent("keep me too");
        assertThat(p.dir()).doesNotExist();
        try (Stream<Path> s = Files.list(store.root())) {
            assertThat(s).as("no trash or staging left").isEmpty();
        }
        assertThatThrownBy(() -> store.read(id)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKSPACE_NOT_FOUND));
        assertThatThrownBy(() -> store.delete(id)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKSPACE_NOT_FOUND));
    }

    @Test
    void deleteRunsInsideTheCallersExclusiveLock() {
        // The lifecycle stops the VM and deletes without letting anyone in between.
        String id = store.create(seeded()).workspaceId();
        try (WorkspaceLock l = store.lock(id, LockMode.EXCLUSIVE)) {
            store.update(id, r -> r.withState(WorkspaceState.DELETING, null));
            store.delete(id);
        }
        assertThat(store.list().workspaces()).isEmpty();
        // And the id's lock bookkeeping is gone with it: a fresh workspace locks normally.
        String other = store.create(seeded()).workspaceId();
        store.lock(other, LockMode.EXCLUSIVE).close();
    }

    @Test
    void deleteWorksWhenTheLockFilesAreGone() throws IOException {
        String id = store.create(seeded()).workspaceId();
        Files.delete(store.paths(id).lockFile());
        Files.delete(store.paths(id).recordLockFile());
        store.delete(id);
        assertThat(store.root().resolve(id)).doesNotExist();
    }

    @Test
    void leftoversOfInterruptedDeletesAreSwept() throws IOException {
        Path trash = Files.createDirectories(store.root().resolve(".trash-ws-cccccccccccc-0123").resolve("vm"));
        Files.writeString(trash.resolve("f"), "x");
        String id = store.create(seeded()).workspaceId();
        assertThat(store.root().resolve(".trash-ws-cccccccccccc-0123")).doesNotExist();
        assertThat(store.list().workspaces()).extracting(WorkspaceRecord::workspaceId).containsExactly(id);
    }

    @Test
    void deleteWaitsForTheWorkspaceLockAndFailsBusy() {
        WorkspaceStore impatient = new WorkspaceStore(home, clock, Duration.ofMillis(200));
        String id = impatient.create(seeded()).workspaceId();
        try (HeldLock held = HeldLock.inAnotherThread(() -> impatient.lock(id, LockMode.SHARED))) {
            assertThatThrownBy(() -> impatient.delete(id)).isInstanceOfSatisfying(PyroException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.BUSY)).hasMessageContaining(id);
        }
        assertThat(impatient.read(id).workspaceId()).as("still there").isEqualTo(id);
    }

    @Test
    void updatesFromEightThreadsAreNeverLost() throws Exception {
        String id = store.create(seeded()).workspaceId();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 50; i++) {
                        StoreChild.increment(store, id);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.read(id).labels()).containsEntry("counter", "400");
    }

    @Test
    void expiredListsStartedWorkspacesPastTheirTimeToLive() {
        NewWorkspace shortLived = new NewWorkspace("debian:12", WorkspaceResources.defaults(), 60, false,
                WorkspaceSeed.empty(), null, Map.of());
        String startedShort = store.create(shortLived).workspaceId();
        String creatingShort = store.create(shortLived).workspaceId();
        String stoppedShort = store.create(shortLived).workspaceId();
        String startedLong = store.create(seeded()).workspaceId();
        store.update(startedShort, r -> r.withState(WorkspaceState.STARTED, null));
        store.update(stoppedShort, r -> r.withState(WorkspaceState.STOPPED, null));
        store.update(startedLong, r -> r.withState(WorkspaceState.STARTED, null));

        assertThat(store.expired(T0.plusSeconds(59))).isEmpty();
        assertThat(store.expired(T0.plusSeconds(60))).extracting(WorkspaceRecord::workspaceId)
                .containsExactly(startedShort);
        assertThat(store.expired(T0.plusSeconds(3600))).extracting(WorkspaceRecord::workspaceId)
                .containsExactlyInAnyOrder(startedShort, startedLong);
        assertThat(store.read(creatingShort).state()).as("not listed: still creating").isEqualTo(WorkspaceState.CREATING);

        WorkspaceRecord expired = store.update(startedShort, WorkspaceRecord::expire);
        assertThat(expired.state()).isEqualTo(WorkspaceState.EXPIRED);
        assertThat(expired.stateReason()).isEqualTo("time to live of 60 s ran out at 2025-01-02T03:05:05.678Z");
        assertThat(store.expired(T0.plusSeconds(3600))).extracting(WorkspaceRecord::workspaceId)
                .containsExactly(startedLong);
        assertThat(store.read(startedShort).state()).as("expiry never deletes").isEqualTo(WorkspaceState.EXPIRED);
    }

    @Test
    void labelsAreSortedAndRemovalsStick() {
        String id = store.create(seeded()).workspaceId();
        Map<String, String> labels = new HashMap<>(Map.of("z", "1", "a", "2", "m", "3"));
        store.update(id, r -> r.withLabels(labels));
        assertThat(store.read(id).labels().keySet()).containsExactly("a", "m", "z");
        store.update(id, r -> r.withLabels(Map.of("a", "2")));
        assertThat(store.read(id).labels()).containsExactly(Map.entry("a", "2"));
    }

    // ---- the record cache: a read is one stat while the file there is the inode this store wrote

    @Test
    void aRecordThisStoreWroteIsReadFromTheCacheUntilTheFileIsReplaced() throws IOException {
        String id = store.create(seeded()).workspaceId();
        store.update(id, r -> r.withLabels(Map.of("k", "mine")));
        WorkspaceRecord first = store.read(id);
        assertThat(first.labels()).containsExactly(Map.entry("k", "mine"));
        assertThat(store.read(id)).as("unchanged file: the cached value").isSameAs(first);

        // Another writer replaces the file (temp + rename, as every writer does) with the same
        // length and the same timestamps: only the inode tells them apart.
        Path file = store.paths(id).recordFile();
        byte[] bytes = Files.readAllBytes(file);
        var times = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        byte[] changed = new String(bytes, StandardCharsets.UTF_8).replace("\"mine\"", "\"ours\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(changed).hasSameSizeAs(bytes);
        Path tmp = file.resolveSibling(".workspace.json.other.tmp");
        Files.write(tmp, changed);
        Files.setLastModifiedTime(tmp, times.lastModifiedTime());
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThat(store.read(id).labels()).containsExactly(Map.entry("k", "ours"));
        // A read does not cache (it cannot tell which inode it opened): parsed again each time.
        assertThat(store.read(id)).isNotSameAs(store.read(id)).isEqualTo(store.read(id));
        // The next write of this store is cached again, and keeps what the other writer changed.
        store.update(id, r -> r.withActivityAt(T0.plusSeconds(5)));
        WorkspaceRecord next = store.read(id);
        assertThat(next.labels()).containsExactly(Map.entry("k", "ours"));
        assertThat(store.read(id)).isSameAs(next);
    }

    @Test
    void afterStopCachingWritesAreReadFromTheFileAndNothingStaleIsServed() {
        String id = store.create(seeded()).workspaceId();
        store.update(id, r -> r.withLabels(Map.of("k", "before")));
        WorkspaceRecord cached = store.read(id);
        assertThat(store.read(id)).as("cached before").isSameAs(cached);

        store.records().stopCaching(); // what the journal's close does
        store.update(id, r -> r.withLabels(Map.of("k", "after")));
        WorkspaceRecord read = store.read(id);
        assertThat(read.labels()).containsExactly(Map.entry("k", "after"));
        assertThat(store.read(id)).as("not cached: parsed again").isNotSameAs(read).isEqualTo(read);
    }

    @Test
    void aCachedRecordIsNotFoundOnceTheWorkspaceIsDeletedHereOrElsewhere() {
        String a = store.create(seeded()).workspaceId();
        String b = store.create(seeded()).workspaceId();
        store.update(a, r -> r.withLabels(Map.of("k", "a")));
        store.update(b, r -> r.withLabels(Map.of("k", "b")));
        assertThat(store.read(a).labels()).containsEntry("k", "a");
        assertThat(store.read(b).labels()).containsEntry("k", "b");

        store.delete(a);
        new WorkspaceStore(home, clock, Duration.ofSeconds(10)).delete(b); // another process' store

        for (String id : List.of(a, b)) {
            assertThatThrownBy(() -> store.read(id)).isInstanceOf(PyroException.class)
                    .extracting(e -> ((PyroException) e).code()).isEqualTo(ErrorCode.WORKSPACE_NOT_FOUND);
        }
    }

    @Test
    void aRecordReplacedByACorruptFileIsReportedNotServedFromTheCache() throws IOException {
        String id = store.create(seeded()).workspaceId();
        store.update(id, r -> r.withLabels(Map.of("k", "v")));
        assertThat(store.read(id).labels()).containsEntry("k", "v");
        Path file = store.paths(id).recordFile();
        Path tmp = file.resolveSibling(".workspace.json.bad.tmp");
        Files.writeString(tmp, "{\"format\": 1, \"workspace_id\": ");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> store.read(id)).isInstanceOf(PyroException.class)
                .extracting(e -> ((PyroException) e).code()).isEqualTo(ErrorCode.IO_ERROR);
    }
}
