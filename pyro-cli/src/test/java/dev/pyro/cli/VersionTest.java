package dev.pyro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.contract.Milestones;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code pyro --version} names the contract milestones implemented, in step with CHANGELOG.md. */
class VersionTest {
    @Test
    void versionReportsTheContractMilestonesAndTheBuild() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = PyroCli.commandLine(new Output(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))).execute("--version");
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");

        assertThat(exit).isZero();
        assertThat(lines[0]).isEqualTo("pyro 3.11.0 (contract 3.11.0)");
        assertThat(lines[1]).matches("build \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?, Java .+");
        assertThat(VersionProvider.build()).doesNotContain("${").isNotEqualTo("unknown");
    }

    @Test
    void theJavaVersionReadsAsRuntimeVersionWritesIt() {
        assertThat(VersionProvider.javaVersion()).isEqualTo(Runtime.version().toString());
    }

    @Test
    void theLinesReadAsTheyAlwaysHave() {
        String[] lines = new VersionProvider().getVersion();
        // The first line as it was built before the loops replaced the lambdas.
        StringBuilder contract = new StringBuilder("pyro " + Milestones.label() + " (contract "
                + Milestones.reached().version());
        Milestones.ahead().forEach(m -> contract.append(", also ").append(m.version()).append(' ').append(m.title()));
        Milestones.next().ifPresent(m -> contract.append("; next ").append(m.version()).append(' ').append(m.title()));
        contract.append(')');
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).isEqualTo(contract.toString());
        assertThat(lines[1]).isEqualTo("build " + VersionProvider.build() + ", Java " + Runtime.version() + " ("
                + System.getProperty("java.vendor") + "), " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch"));
    }

    @Test
    void theRoadmapListsEveryMilestoneWithItsStatus() throws IOException {
        String roadmap = Files.readString(Path.of("..", "docs", "roadmap.md"));
        for (Milestones.Milestone m : Milestones.ALL) {
            String heading = "## `" + m.version() + "` " + m.title() + "\n\nStatus: "
                    + (m.implemented() ? "Done" : "Planned") + "\n";
            assertThat(roadmap).as("docs/roadmap.md on %s", m.version()).contains(heading);
        }
        assertThat(Files.readString(Path.of("..", "README.md"))).contains("(docs/roadmap.md)", "(docs/vision.md)");
        assertThat(Files.readString(Path.of("..", "docs", "vision.md"))).contains("(roadmap.md)");
    }

    @Test
    void theChangelogHasAHeadingForEveryImplementedMilestoneAndNoOther() throws IOException {
        String changelog = Files.readString(Path.of("..", "CHANGELOG.md"));
        for (Milestones.Milestone m : Milestones.ALL) {
            if (m.version().equals("2.0.0")) {
                continue; // the foundation predates the milestone headings
            }
            boolean heading = changelog.lines().anyMatch(l -> l.startsWith("#") && l.contains("(" + m.version() + ")"));
            assertThat(heading).as("CHANGELOG.md heading for %s %s (implemented: %s)", m.version(), m.title(),
                    m.implemented()).isEqualTo(m.implemented());
        }
    }
}
