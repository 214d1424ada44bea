package dev.pyro.workspace.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.ErrorCode;
import dev.pyro.PyroException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Batches, order, urgency and failures of the journal's write behind, without a disk. */
@Timeout(60) // a hang guard: a wait that is never cut short must fail, not stall the build
class JournalWriteBehindTest {
    private static final Path A = Path.of("/ws/a");
    private static final Path B = Path.of("/ws/b");
    /** Longer than any test: a drain that is not told to hurry never gets to write. */
    private static final Duration FOREVER = Duration.ofDays(1);

    /** Every batch written, in order, as "dir: items". */
    private final List<String> written = Collections.synchronizedList(new ArrayList<>());

    private JournalWriteBehind<String> behind(Executor executor, Duration linger) {
        return new JournalWriteBehind<>(executor, linger, batch -> {
            if (batch.contains("fail")) {
                throw new PyroException(ErrorCode.IO_ERROR, "disk full");
            }
            written.add(String.join(",", batch));
        });
    }

    @Test
    void writesQueuedBeforeTheDrainTakesThemAreOneBatchPerWorkspaceInOrder() {
        HeldExecutor held = new HeldExecutor();
        JournalWriteBehind<String> behind = behind(held, Duration.ZERO);
        behind.submit(A, "a1");
        behind.submit(B, "b1");
        behind.submit(A, "a2");
        behind.submit(A, "a3");
        assertThat(held.tasks).as("one drain for everything queued").hasSize(1);
        held.runAll();
        assertThat(written).containsExactly("a1,a2,a3", "b1");
        // The next write starts a new drain and a new batch.
        behind.submit(A, "a4");
        held.runAll();
        assertThat(written).containsExactly("a1,a2,a3", "b1", "a4");
    }

    @Test
    void aReaderCutsTheLingerShortAndSeesEveryWriteQueuedBeforeIt() {
        JournalWriteBehind<String> behind = behind(JournalThreads.POOL, FOREVER);
        behind.submit(A, "a1");
        behind.submit(A, "a2");
        behind.await(A); // would wait a day for the linger
        assertThat(written).containsExactly("a1,a2");
        behind.submit(B, "b1");
        behind.awaitAll();
        assertThat(written).containsExactly("a1,a2", "b1");
    }

    @Test
    void theBacklogOfOneWorkspaceIsBoundedByMakingTheCallerWait() {
        JournalWriteBehind<String> behind = behind(JournalThreads.POOL, FOREVER);
        List<String> all = new ArrayList<>();
        for (int i = 1; i <= JournalWriteBehind.MAX_BATCH; i++) {
            behind.submit(A, "w" + i); // the last one waits for the batch (a day, unless it hurries)
            all.add("w" + i);
        }
        assertThat(written).containsExactly(String.join(",", all));
    }

    @Test
    void aFailedBatchIsReportedOnceToItsOwnWorkspaceOnly() {
        HeldExecutor held = new HeldExecutor();
        JournalWriteBehind<String> behind = behind(held, Duration.ZERO);
        behind.submit(A, "a1");
        behind.submit(A, "fail");
        behind.submit(B, "b1");
        held.runAll();
        assertThat(written).containsExactly("b1");
        behind.checkFailed(B);
        assertThatThrownBy(() -> behind.checkFailed(A)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR))
                .hasMessage("the journal of an earlier command could not be written: disk full");
        behind.checkFailed(A); // once
        // The workspace goes on: the next batch is written.
        behind.submit(A, "a2");
        held.runAll();
        assertThat(written).containsExactly("b1", "a2");
    }

    @Test
    void aWriterThatThrowsSomethingElseIsAnInternalFailureAndTheDrainGoesOn() {
        HeldExecutor held = new HeldExecutor();
        JournalWriteBehind<String> behind = new JournalWriteBehind<>(held, Duration.ZERO, batch -> {
            if (batch.contains("boom")) {
                throw new IllegalStateException("boom");
            }
            written.add(String.join(",", batch));
        });
        behind.submit(A, "boom");
        behind.submit(B, "b1");
        held.runAll();
        behind.await(A); // a failed batch still counts as done: no reader waits forever
        assertThat(written).containsExactly("b1");
        assertThatThrownBy(() -> behind.checkFailed(A)).isInstanceOfSatisfying(PyroException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL));
    }
}
