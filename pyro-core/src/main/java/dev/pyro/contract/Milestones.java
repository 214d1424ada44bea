package dev.pyro.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * The milestones of the public contract ({@code CONTRACT.md}) and which of them this build
 * implements. {@code pyro --version} reports them, {@code docs/roadmap.md} lists them, and a
 * test keeps {@code CHANGELOG.md} in step (a heading for each implemented milestone, none
 * for the others). Mark a milestone done here when its last operation lands.
 */
public final class Milestones {
    /**
     * One milestone.
     *
     * @param version     e.g. {@code 2.6.0}
     * @param title       what it brings
     * @param implemented whether this build has all of it
     */
    public record Milestone(String version, String title, boolean implemented) {}

    /** Every milestone through 3.11.0 (3.2.0 to 3.11.0 as one), in order. */
    public static final List<Milestone> ALL = List.of(
            new Milestone("2.0.0", "Host and environments, one-shot runs", true),
            new Milestone("2.4.0", "Workspace contract", true),
            new Milestone("2.5.0", "PTY shells", true),
            new Milestone("2.6.0", "Export and baseline diff", true),
            new Milestone("2.7.0", "Services", true),
            new Milestone("2.8.0", "Named snapshots and reset", true),
            new Milestone("2.9.0", "Secrets", true),
            new Milestone("2.10.0", "Network policy and published ports", true),
            new Milestone("3.0.0", "Stable", true),
            new Milestone("3.1.0", "Stop, start and disk tools", true),
            new Milestone("3.11.0", "Chat surface: file tools, patches, discovery, profiles, recipes", true));

    private Milestones() {
    }

    /** The last milestone reached with every one before it: what this build fully implements. */
    public static Milestone reached() {
        Milestone last = ALL.get(0);
        for (Milestone m : ALL) {
            if (!m.implemented()) {
                break;
            }
            last = m;
        }
        return last;
    }

    /** Milestones implemented beyond {@link #reached()} (ahead of a gap). */
    public static List<Milestone> ahead() {
        List<Milestone> ahead = new ArrayList<>();
        boolean gap = false;
        for (Milestone m : ALL) {
            gap |= !m.implemented();
            if (gap && m.implemented()) {
                ahead.add(m);
            }
        }
        return ahead;
    }

    /** The first milestone not implemented, if any. */
    public static java.util.Optional<Milestone> next() {
        return ALL.stream().filter(m -> !m.implemented()).findFirst();
    }

    /** The contract version in one word: {@code 2.4.0}, or {@code 2.4.0+2.6.0} with milestones ahead. */
    public static String label() {
        StringBuilder label = new StringBuilder(reached().version());
        ahead().forEach(m -> label.append('+').append(m.version()));
        return label.toString();
    }
}
