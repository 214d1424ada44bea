package dev.pyro.workspace.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The warm-up goes through the real codec with samples the records accept: if a record's
 * validation or shape changes so that a sample no longer fits, this fails (the CLI drops
 * the warm-up's errors, so nothing else would notice that it stopped building anything).
 */
class StateWarmUpTest {

    @Test
    void theSampleRecordComesBackRewrittenWithTheFinishedCommand() {
        WorkspaceRecord back = StateJson.read(StateWarmUp.run(), WorkspaceRecord.class, WorkspaceRecord.FORMAT).value();

        WorkspaceRecord sample = StateWarmUp.record();
        assertThat(back.workspaceId()).isEqualTo("ws-aaaaaaaaaaaa");
        assertThat(back.state()).isEqualTo(WorkspaceState.STARTED);
        assertThat(back.vm()).isEqualTo(sample.vm());
        assertThat(back.labels()).isEqualTo(Map.of("warm", "up"));
        assertThat(back.commandCount()).isEqualTo(sample.commandCount() + 1);
        assertThat(back.lastCommand()).isEqualTo(new CommandSummary(2, List.of("true"), 0, Instant.EPOCH));
    }

    @Test
    void theSamplesReadBackEqual() {
        assertThat(StateJson.read(StateJson.write(StateWarmUp.record(), null), WorkspaceRecord.class,
                WorkspaceRecord.FORMAT).value()).isEqualTo(StateWarmUp.record());
        assertThat(StateJson.read(StateJson.write(StateWarmUp.runningEntry(), null), JournalEntry.class,
                JournalEntry.FORMAT).value()).isEqualTo(StateWarmUp.runningEntry());
    }
}
