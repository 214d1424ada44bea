package dev.pyro.env.build;

import dev.pyro.ProgressUnit;
import dev.pyro.env.PullPhase;
import dev.pyro.env.store.BuildContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts packages in the output of {@code mmdebstrap --verbose}, which passes apt's and
 * dpkg's own lines through: apt announces each round's package count
 * ({@code 0 upgraded, 69 newly installed, …}), names every download
 * ({@code Get:3 URI SUITE/COMPONENT ARCH PACKAGE ARCH VERSION [SIZE]}), and dpkg says
 * {@code Unpacking PACKAGE (VERSION) ...} and {@code Setting up PACKAGE (VERSION) ...}.
 * These line forms have been stable across apt and dpkg releases for many years, and they
 * are English because the build runs with {@code LC_ALL=C.UTF-8}.
 *
 * <p>mmdebstrap works in two rounds (the essential packages, then the requested ones), so
 * amounts are cumulative over the whole root filesystem and the total grows when the
 * second round announces its packages. Packages apt finds in the download cache have no
 * {@code Get} line: when a round's downloads end they are counted as fetched, and the note
 * says how many came from the cache. While packages are still being unpacked, interleaved
 * {@code Setting up} lines are counted without switching phases, so a person sees
 * {@code unpack} then {@code configure} rather than a flicker between them. Unknown lines
 * are ignored: a changed format costs the counts, never the build. mmdebstrap's own steps
 * ({@code I: extracting archives...}) become the note of the count at hand.
 */
final class BootstrapProgress {
    private static final Pattern ANNOUNCED = Pattern.compile("^(\\d{1,9}) upgraded, (\\d{1,9}) newly installed\\b.*");
    private static final Pattern GET = Pattern.compile("^Get:\\d+ \\S+ \\S+ \\S+ (\\S+) \\S+ \\S+ \\[[^\\]]*\\]$");
    private static final Pattern UNPACKING = Pattern.compile("^Unpacking (\\S+) .*");
    private static final Pattern SETTING_UP = Pattern.compile("^Setting up (\\S+) .*");

    private final BuildContext.PhaseSink sink;
    private long packages;
    private long fetched;
    private long downloadedThisRound;
    private long roundStart;
    private long unpacked;
    private long configured;
    private boolean fetching;
    /** Whether dpkg unpacked or configured anything since the last announcement. */
    private boolean dpkgSinceAnnounced = true;
    private PullPhase shown;

    BootstrapProgress(BuildContext.PhaseSink sink) {
        this.sink = sink;
    }

    /** One line of the bootstrap tool's output. */
    void line(String line) {
        Matcher m;
        if ((m = ANNOUNCED.matcher(line)).matches()) {
            long round = Long.parseLong(m.group(1)) + Long.parseLong(m.group(2));
            if (!dpkgSinceAnnounced && round == packages - roundStart) {
                // apt runs a round twice (download only, then install) and announces it each
                // time: the same packages, not new ones.
                return;
            }
            dpkgSinceAnnounced = false;
            roundStart = packages;
            packages += round;
            fetching = true;
            downloadedThisRound = 0;
            report(PullPhase.FETCH, fetched, "");
        } else if (fetching && (m = GET.matcher(line)).matches()) {
            fetched = Math.min(packages, fetched + 1);
            downloadedThisRound++;
            report(PullPhase.FETCH, fetched, m.group(1));
        } else if (fetching && endsDownloads(line)) {
            fetching = false;
            long cached = packages - roundStart - downloadedThisRound;
            fetched = packages;
            report(PullPhase.FETCH, fetched, cached > 0 ? cached + " from the download cache" : "");
        }
        if (line.startsWith("I: ") && shown != null) {
            // mmdebstrap's own step ("extracting archives...") as the note of the current count,
            // so a long step between two counts still says what is going on.
            report(shown, doneOf(shown), stage(line));
        }
        if ((m = UNPACKING.matcher(line)).matches()) {
            dpkgSinceAnnounced = true;
            unpacked = bounded(unpacked + 1);
            report(PullPhase.UNPACK, unpacked, packageName(m.group(1)));
        } else if ((m = SETTING_UP.matcher(line)).matches()) {
            dpkgSinceAnnounced = true;
            configured = bounded(configured + 1);
            if (shown != PullPhase.UNPACK || unpacked >= packages) {
                report(PullPhase.CONFIGURE, configured, packageName(m.group(1)));
            }
        }
    }

    /** The first line after a round's downloads: apt's summary, dpkg at work, or mmdebstrap's next step. */
    private static boolean endsDownloads(String line) {
        return line.startsWith("Fetched ") || line.startsWith("I: ") || line.startsWith("Selecting previously")
                || line.startsWith("Preparing to unpack") || line.startsWith("Unpacking ");
    }

    private long doneOf(PullPhase phase) {
        return switch (phase) {
            case FETCH -> fetched;
            case UNPACK -> unpacked;
            default -> configured;
        };
    }

    /** {@code I: extracting archives...} is {@code extracting archives}; long ones are cut. */
    static String stage(String line) {
        String text = line.substring(3).strip();
        if (text.endsWith("...")) {
            text = text.substring(0, text.length() - 3);
        }
        return text.length() > 60 ? text.substring(0, 59) + "…" : text;
    }

    private long bounded(long n) {
        return packages > 0 ? Math.min(n, packages) : n;
    }

    private void report(PullPhase phase, long done, String note) {
        shown = phase;
        sink.amount(phase.wireName(), done, packages > 0 ? packages : -1, ProgressUnit.PACKAGES, note);
    }

    /** {@code libc6:amd64} is {@code libc6} to a person. */
    private static String packageName(String token) {
        int colon = token.indexOf(':');
        return colon > 0 ? token.substring(0, colon) : token;
    }
}
