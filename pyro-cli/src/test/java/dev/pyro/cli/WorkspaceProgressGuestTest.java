package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code workspace create --seed-path} and {@code workspace sync push} in a real guest, as a
 * person sees them on a terminal (a live bar with byte counts, then one line per phase and a
 * clean screen) and as a pipe gets them (phase lines only).
 */
class WorkspaceProgressGuestTest extends WorkspaceCliFixture {
    static final Pattern BAR_WITH_BYTES = Pattern.compile("\\[[=> ]{10,}\\] \\d+\\.\\d/\\d+\\.\\d MiB");
    static final Pattern ANY_BAR = Pattern.compile("\\[[=> ]{10,}\\]");
    static final Pattern PHASE_LINE = Pattern.compile("\\[workspace-[a-z]+\\] phase=[a-z]+ workspace_id=\\S+( .*)?"
            + "|\\[pull\\] phase=[a-z]+ environment=debian:12( .*)?");
    static final Pattern CREATED = Pattern.compile("\\[workspace-create (ws-[0-9a-z]+)] started  \\(.+ in all\\)");

    @Test
    void onATerminalSeedAndSyncPushDrawByteBarsAndLeaveACleanScreen() throws Exception {
        Path seed = tree("seed", 12);
        PtyRun.Result created = PtyRun.run(state(), LIMIT, "workspace", "create", "debian:12", "--seed-path",
                seed.toString());

        assertThat(created.exitCode()).as(created.output()).isZero();
        assertThat(BAR_WITH_BYTES.matcher(created.output()).find()).as(created.output()).isTrue();
        List<String> text = created.screen().text();
        assertThat(text).noneMatch(row -> ANY_BAR.matcher(row).find());
        assertThat(text).anyMatch(row -> row.matches("\\[workspace-create ws-\\S+] boot  \\S+"))
                .anyMatch(row -> row.matches("\\[workspace-create ws-\\S+] seed  12\\.0/12\\.0 MiB  \\S+"))
                .anyMatch(row -> row.matches("\\[workspace-create ws-\\S+] baseline  \\S+"));
        assertThat(created.screen().cursorColumn()).isZero();
        String id = text.stream().map(CREATED::matcher).filter(Matcher::matches).map(m -> m.group(1)).findFirst()
                .orElseThrow(() -> new AssertionError("no started line:\n" + created.screen()));

        PtyRun.Result pushed = PtyRun.run(state(), LIMIT, "workspace", "sync", "push", id,
                tree("push", 20).toString());

        assertThat(pushed.exitCode()).as(pushed.output()).isZero();
        assertThat(BAR_WITH_BYTES.matcher(pushed.output()).find()).as(pushed.output()).isTrue();
        List<String> after = pushed.screen().text();
        assertThat(after).noneMatch(row -> ANY_BAR.matcher(row).find());
        assertThat(after.getFirst()).matches("\\[workspace-sync " + id + "] push  20\\.0/20\\.0 MiB  \\S+");
        assertThat(String.join("", after.subList(1, after.size()))).startsWith("Pushed ").contains("in " + id);
        assertThat(pushed.screen().cursorColumn()).isZero();
    }

    @Test
    void throughAPipeOnlyPhaseLinesAppear() throws Exception {
        CliProcess.Result created = pyro("workspace", "create", "debian:12", "--seed-path", tree("seed", 2).toString(),
                "--id-only");

        assertThat(created.exitCode()).as(created.stderr()).isZero();
        String id = created.stdout().strip();
        assertThat(created.stderr().lines().toList()).allMatch(l -> PHASE_LINE.matcher(l).matches(), "a phase line")
                .filteredOn(l -> l.startsWith("[workspace-create]")).extracting(l -> l.split(" ")[1])
                .containsExactly("phase=allocated", "phase=disk", "phase=boot", "phase=ready", "phase=seed",
                        "phase=baseline", "phase=frozen", "phase=snapshotted", "phase=started");
        assertThat(created.stderr()).doesNotContain("\r", "\u001b");

        CliProcess.Result pushed = pyro("workspace", "sync", "push", id, tree("push", 3).toString());

        assertThat(pushed.exitCode()).as(pushed.stderr()).isZero();
        assertThat(pushed.stderr().lines().toList()).containsExactly(
                "[workspace-sync] phase=push workspace_id=" + id,
                pushed.stderr().lines().toList().getLast());
        assertThat(pushed.stderr().lines().toList().getLast()).startsWith("Pushed ");
        assertThat(pushed.stderr()).doesNotContain("\r", "\u001b");
    }

    private Map<String, String> state() {
        return Map.of("PYRO_HOME", home.toString());
    }

    /** A directory of {@code mib} MiB in files of 1 MiB and a few small ones. */
    private Path tree(String name, int mib) throws IOException {
        Path dir = Files.createDirectories(host.resolve(name));
        Random random = new Random(mib);
        byte[] buf = new byte[1 << 20];
        for (int i = 0; i < mib; i++) {
            random.nextBytes(buf);
            try (OutputStream out = Files.newOutputStream(Files.createDirectories(dir.resolve("d" + i % 3))
                    .resolve("f" + i + ".bin"))) {
                out.write(buf);
            }
        }
        Files.createDirectories(dir.resolve("empty"));
        return dir;
    }
}
