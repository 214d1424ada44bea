package dev.pyro.vm.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.env.store.EnvironmentLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's states and their transitions: a build is all or nothing (a killed or failed one
 * leaves no template that is ever used), one build per key at a time, unusable templates are
 * never present again until rebuilt, pruning keeps what is asked for.
 */
class TemplateStoreTest {
    @TempDir
    Path dir;

    private final TemplateInputs inputs = TemplateManifestTest.inputs();

    private static void fill(Path into) throws IOException {
        Files.writeString(into.resolve("state.bin"), "state");
        Files.writeString(into.resolve("root.layer"), "root");
    }

    @Test
    void aBuiltTemplateIsPresentWithItsManifest() {
        TemplateStore store = new TemplateStore(dir);
        assertThat(store.status(inputs)).isEqualTo(new TemplateStatus.Missing());
        Template t = store.build(inputs, TemplateStoreTest::fill).orElseThrow();
        assertThat(t.dir()).isEqualTo(dir.resolve(inputs.key()));
        assertThat(t.manifest().stateBytes()).isEqualTo(5);
        assertThat(t.manifest().inputs()).isEqualTo(inputs);
        assertThat(store.status(inputs)).isEqualTo(new TemplateStatus.Present(t));
        // a second build finds it and builds nothing
        assertThat(store.build(inputs, into -> {
            throw new AssertionError("built twice");
        })).contains(t);
    }

    @Test
    void aBuildThatFailsHalfwayLeavesNothing() {
        TemplateStore store = new TemplateStore(dir);
        assertThatThrownBy(() -> store.build(inputs, into -> {
            Files.writeString(into.resolve("state.bin"), "half");
            throw new IOException("killed");
        })).hasMessageContaining("killed");
        assertThat(store.status(inputs)).isEqualTo(new TemplateStatus.Missing());
        assertThat(store.list()).isEmpty();
        assertThat(dir.toFile().list((d, n) -> n.startsWith(".build-"))).isEmpty();
    }

    @Test
    void whatAKilledBuilderLeftIsNeverUsedAndTheNextBuildClearsIt() throws Exception {
        TemplateStore store = new TemplateStore(dir);
        // a process killed before its rename: a build directory, no lock held any more
        Path leftover = Files.createDirectories(dir.resolve(".build-" + inputs.key() + "-dead0001"));
        fill(leftover);
        assertThat(store.status(inputs)).isEqualTo(new TemplateStatus.Missing());
        // a key directory without a valid manifest (copied in by hand, damaged): unusable, not present
        Files.createDirectories(dir.resolve(inputs.key()));
        fill(dir.resolve(inputs.key()));
        assertThat(store.status(inputs)).isInstanceOf(TemplateStatus.Unusable.class);
        Template t = store.build(inputs, TemplateStoreTest::fill).orElseThrow();
        assertThat(store.status(inputs)).isEqualTo(new TemplateStatus.Present(t));
        assertThat(leftover).doesNotExist();
    }

    @Test
    void aTemplateOfAnotherAgentIsNeverTakenForThisOne() throws Exception {
        TemplateStore store = new TemplateStore(dir);
        TemplateInputs otherAgent = new TemplateInputs(inputs.backend(), inputs.shape(), inputs.vcpus(),
                inputs.memMib(), inputs.machineArgv(), inputs.vmmVersion(), "e".repeat(64),
                inputs.environmentDigest(), inputs.kernelVersion());
        Template other = store.build(otherAgent, TemplateStoreTest::fill).orElseThrow();
        assertThat(otherAgent.key()).isNotEqualTo(inputs.key());
        assertThat(store.status(inputs)).isEqualTo(new TemplateStatus.Missing());
        // even moved under this agent's key, its manifest gives it away
        Files.move(other.dir(), dir.resolve(inputs.key()));
        assertThat(store.status(inputs)).isInstanceOf(TemplateStatus.Unusable.class);
        // and the next build replaces it with this agent's
        Template mine = store.build(inputs, TemplateStoreTest::fill).orElseThrow();
        assertThat(mine.manifest().inputs().agentSha256()).isEqualTo(inputs.agentSha256());
    }

    @Test
    void whileOneProcessBuildsTheKeyIsBuildingAndNobodyElseBuildsIt() throws Exception {
        TemplateStore store = new TemplateStore(dir);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Optional<Template>> built = new AtomicReference<>();
        Thread builder = new Thread(() -> built.set(store.build(inputs, into -> {
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            fill(into);
        })));
        builder.start();
        inside.await();
        assertThat(store.status(inputs)).isEqualTo(new TemplateStatus.Building());
        assertThat(store.build(inputs, into -> {
            throw new AssertionError("built concurrently");
        })).isEmpty();
        release.countDown();
        builder.join();
        assertThat(built.get()).isPresent();
        assertThat(store.status(inputs)).isInstanceOf(TemplateStatus.Present.class);
    }

    @Test
    void aLockHeldByAnotherHolderIsBuilding() {
        TemplateStore store = new TemplateStore(dir);
        try (EnvironmentLock held = EnvironmentLock.tryAcquire(store.lockFile(inputs.key())).orElseThrow()) {
            assertThat(store.status(inputs)).isEqualTo(new TemplateStatus.Building());
        }
        assertThat(store.status(inputs)).isEqualTo(new TemplateStatus.Missing());
    }

    @Test
    void anUnusableTemplateStaysUnusableUntilRebuilt() {
        TemplateStore store = new TemplateStore(dir);
        Template t = store.build(inputs, TemplateStoreTest::fill).orElseThrow();
        store.markUnusable(t, "a restore failed: QEMU exited\u001b[31m");
        assertThat(store.status(inputs)).isInstanceOfSatisfying(TemplateStatus.Unusable.class,
                u -> assertThat(u.reason()).startsWith("a restore failed: QEMU exited"));
        Template again = store.build(inputs, TemplateStoreTest::fill).orElseThrow();
        assertThat(store.status(inputs)).isEqualTo(new TemplateStatus.Present(again));
    }

    @Test
    void pruneRemovesWhatIsNotKeptAndWhatIsUnusable() throws IOException {
        TemplateStore store = new TemplateStore(dir);
        TemplateInputs other = new TemplateInputs("qemu", TemplateShape.RUN, 1, 1024, inputs.machineArgv(),
                inputs.vmmVersion(), "f".repeat(64), inputs.environmentDigest(), inputs.kernelVersion());
        Template kept = store.build(inputs, TemplateStoreTest::fill).orElseThrow();
        Template stale = store.build(other, TemplateStoreTest::fill).orElseThrow();
        // A backend's files beside each (Firecracker's drive links), kept and removed with their template.
        for (Template t : List.of(kept, stale)) {
            Path links = Files.createDirectories(dir.resolve(".drives-" + t.manifest().key()));
            Files.createSymbolicLink(links.resolve("overlay.ext4"), dir.resolve("elsewhere"));
            Files.writeString(dir.resolve(".drives-" + t.manifest().key() + ".lock"), "");
        }
        List<Path> removed = store.prune(m -> m.inputs().agentSha256().equals(inputs.agentSha256()));
        assertThat(removed).containsExactly(stale.dir());
        assertThat(kept.dir()).isDirectory();
        assertThat(dir.resolve(".drives-" + stale.manifest().key())).doesNotExist();
        assertThat(dir.resolve(".drives-" + stale.manifest().key() + ".lock")).doesNotExist();
        assertThat(dir.resolve(".drives-" + kept.manifest().key())).isDirectory();
        assertThat(store.list()).extracting(TemplateStore.Listed::key).containsExactly(kept.manifest().key());
        store.markUnusable(kept, "bad");
        assertThat(store.prune(m -> true)).containsExactly(kept.dir());
        assertThat(store.list()).isEmpty();
        // and the lock files their builds left
        assertThat(dir.toFile().list()).isEmpty();
    }
}
