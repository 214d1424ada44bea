package dev.pyro.env.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyro.ProgressUnit;
import dev.pyro.env.store.BuildContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The package counts of a real {@code mmdebstrap --verbose} run (Debian 12 minbase plus git and
 * ca-certificates: 69 essential packages, then 48 more), recorded once and replayed here.
 */
class BootstrapProgressTest {
    record Amount(String phase, long done, long total, String note) {
    }

    /** Collects amounts; phase marks do not come from the parser. */
    static final class Sink implements BuildContext.PhaseSink {
        final List<Amount> amounts = new ArrayList<>();

        @Override
        public void phase(String phase, String message) {
            throw new AssertionError("the parser reports amounts only");
        }

        @Override
        public void amount(String phase, long done, long total, ProgressUnit unit, String message) {
            assertThat(unit).isEqualTo(ProgressUnit.PACKAGES);
            amounts.add(new Amount(phase, done, total, message));
        }

        /** The phases in order, consecutive repeats collapsed. */
        List<String> phases() {
            List<String> out = new ArrayList<>();
            for (Amount a : amounts) {
                if (out.isEmpty() || !out.getLast().equals(a.phase())) {
                    out.add(a.phase());
                }
            }
            return out;
        }

        List<Amount> of(String phase) {
            return amounts.stream().filter(a -> a.phase().equals(phase)).toList();
        }
    }

    static List<String> recorded() throws IOException {
        try (InputStream in = BootstrapProgressTest.class.getResourceAsStream("mmdebstrap-verbose.log")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    static Sink replay(List<String> lines) {
        Sink sink = new Sink();
        BootstrapProgress parser = new BootstrapProgress(sink);
        lines.forEach(parser::line);
        return sink;
    }

    @Test
    void aColdBuildCountsEveryPackageFetchedUnpackedAndConfigured() throws IOException {
        Sink sink = replay(recorded());

        // Two rounds: essential packages, then the requested ones; no flicker inside a round.
        assertThat(sink.phases()).containsExactly("fetch", "unpack", "configure", "fetch", "unpack", "configure");
        assertThat(sink.of("fetch").getFirst()).isEqualTo(new Amount("fetch", 0, 69, ""));
        assertThat(sink.of("fetch")).filteredOn(a -> a.total() == 69).extracting(Amount::done).isSorted()
                .endsWith(69L);
        assertThat(sink.of("fetch")).extracting(Amount::note).contains("libc6", "git");
        assertThat(sink.of("unpack").getLast()).isEqualTo(new Amount("unpack", 117, 117, "git"));
        assertThat(sink.of("configure").getLast()).extracting(Amount::done, Amount::total)
                .containsExactly(117L, 117L);
        for (String phase : List.of("fetch", "unpack", "configure")) {
            assertThat(sink.of(phase)).as(phase).extracting(Amount::done).isSorted();
            assertThat(sink.of(phase)).as(phase).allSatisfy(a -> assertThat(a.done()).isLessThanOrEqualTo(a.total()));
        }
        // Every package was downloaded (nothing was cached), so no note claims the cache.
        assertThat(sink.amounts).noneMatch(a -> a.note().contains("from the download cache"));
        // mmdebstrap's steps between counts are notes of the count at hand.
        assertThat(sink.amounts).contains(new Amount("fetch", 69, 69, "extracting archives"),
                new Amount("fetch", 69, 69, "installing essential packages"),
                new Amount("configure", 117, 117, "creating tarball"));
    }

    @Test
    void packagesFromTheDownloadCacheCountAsFetchedWhenTheRoundsDownloadsEnd() throws IOException {
        // A warm cache: apt names no download and prints no "Fetched" summary.
        Sink sink = replay(recorded().stream().filter(l -> !l.startsWith("Get:") && !l.startsWith("Fetched ")).toList());

        assertThat(sink.of("fetch")).filteredOn(a -> !STAGES.contains(a.note()))
                .extracting(Amount::done, Amount::total, Amount::note).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0L, 69L, ""),
                org.assertj.core.groups.Tuple.tuple(69L, 69L, "69 from the download cache"),
                org.assertj.core.groups.Tuple.tuple(69L, 117L, ""),
                org.assertj.core.groups.Tuple.tuple(117L, 117L, "48 from the download cache"));
        assertThat(sink.of("unpack").getLast().done()).isEqualTo(117);
    }

    @Test
    void aRoundAnnouncedTwiceCountsItsPackagesOnce() throws IOException {
        // apt-get install with Download-Only first, then for real: the second round's summary
        // appears twice before dpkg unpacks anything (seen with a warm download cache).
        List<String> lines = new ArrayList<>();
        for (String l : recorded()) {
            if (l.startsWith("Get:") || l.startsWith("Fetched ")) {
                continue;
            }
            lines.add(l);
            if (l.matches("^48 upgraded, .*|^0 upgraded, 48 newly installed.*")) {
                lines.add(l);
            }
        }
        assertThat(lines.stream().filter(l -> l.contains(" newly installed")).count()).isEqualTo(3);

        Sink sink = replay(lines);

        for (String phase : List.of("fetch", "unpack", "configure")) {
            assertThat(sink.of(phase).getLast()).as(phase).extracting(Amount::done, Amount::total)
                    .containsExactly(117L, 117L);
        }
    }

    static final java.util.Set<String> STAGES = java.util.Set.of("extracting archives",
            "installing essential packages", "installing remaining packages inside the chroot");

    @Test
    void indexDownloadsOfAptUpdateAreNotPackages() {
        Sink sink = replay(List.of("I: running apt-get update...",
                "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]",
                "Get:2 http://deb.debian.org/debian bookworm/main amd64 Packages [8790 kB]",
                "Fetched 8941 kB in 6s (1529 kB/s)"));

        assertThat(sink.amounts).isEmpty();
    }

    @Test
    void unknownTotalsStillCountAndHostileLinesAreIgnored() {
        Sink sink = replay(List.of("Unpacking libc6:amd64 (2.36-9) ...", "\u001b[2JUnpacking",
                "Unpacking", "Get:1 x y z evil\u0007 amd64 1 [1 kB]", "Setting up libc6:amd64 (2.36-9) ...",
                "9".repeat(40) + " upgraded, 1 newly installed, 0 to remove and 0 not upgraded."));

        assertThat(sink.amounts).containsExactly(new Amount("unpack", 1, -1, "libc6"),
                new Amount("configure", 1, -1, "libc6"));
    }
}
