package dev.pyro;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * Counts of the entries of a diff per status, plus how many of them are binary or too
 * large for hunks.
 *
 * @param added       {@link DiffStatus#ADDED} entries
 * @param modified    {@link DiffStatus#MODIFIED} entries
 * @param deleted     {@link DiffStatus#DELETED} entries
 * @param typeChanged {@link DiffStatus#TYPE_CHANGED} entries
 * @param binary      entries whose {@link DiffEntry#binary()} is set (counted in a status too)
 * @param tooLarge    entries whose {@link DiffEntry#tooLarge()} is set (counted in a status too)
 */
public record DiffSummary(int added, int modified, int deleted, int typeChanged, int binary, int tooLarge) {
    /** The summary of an unchanged workspace. */
    public static final DiffSummary EMPTY = new DiffSummary(0, 0, 0, 0, 0, 0);

    /** A summary without text files too large for hunks. */
    public DiffSummary(int added, int modified, int deleted, int typeChanged, int binary) {
        this(added, modified, deleted, typeChanged, binary, 0);
    }

    /** Counts {@code entries}. */
    public static DiffSummary of(List<DiffEntry> entries) {
        int a = 0;
        int m = 0;
        int d = 0;
        int t = 0;
        int b = 0;
        int large = 0;
        for (DiffEntry e : entries) {
            switch (e.status()) {
                case ADDED -> a++;
                case MODIFIED -> m++;
                case DELETED -> d++;
                case TYPE_CHANGED -> t++;
            }
            if (e.binary()) {
                b++;
            }
            if (e.tooLarge()) {
                large++;
            }
        }
        return new DiffSummary(a, m, d, t, b, large);
    }

    /** True when nothing differs (not a JSON member). */
    @JsonIgnore
    public boolean isEmpty() {
        return equals(EMPTY);
    }
}
