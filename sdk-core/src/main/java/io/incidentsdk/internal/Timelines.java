package io.incidentsdk.internal;

import io.incidentsdk.TimelineEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps an incident's timeline in order and free of repeats: entries sorted by time (stable for equal
 * times), and one entry per type where a type can happen only once in an incident. Of several
 * {@code first-failure}, {@code detected}, {@code spike-opened} and {@code retry-absorbed} entries the earliest
 * stays (the incident's true first failure, whichever thread reported it first); of several {@code peak} and
 * {@code resolved} entries the latest stays (the peak is the highest so far). Notes, severity changes and types
 * this version does not know may repeat.
 *
 * <p>Internal: not part of the public API.
 */
public final class Timelines {

    private static final Comparator<TimelineEntry> BY_TIME = Comparator.comparing(TimelineEntry::at);

    private Timelines() {
    }

    /** How an entry of a type that happens once is chosen. */
    private enum Once {
        EARLIEST, LATEST, REPEATS
    }

    private static Once once(String type) {
        return switch (type) {
            case TimelineEntry.FIRST_FAILURE, TimelineEntry.DETECTED, TimelineEntry.SPIKE_OPENED,
                 TimelineEntry.RETRY_ABSORBED -> Once.EARLIEST;
            case TimelineEntry.PEAK, TimelineEntry.RESOLVED -> Once.LATEST;
            default -> Once.REPEATS;
        };
    }

    /**
     * Whether an incident has at most one entry of this type.
     *
     * @param type an entry type
     * @return {@code true} for the types kept once
     */
    public static boolean isUnique(String type) {
        return once(type) != Once.REPEATS;
    }

    /**
     * Adds an entry in time order (after entries of the same time), replacing or dropping it against an entry
     * of the same unique type. Not thread-safe; the list must already be normalized.
     *
     * @param timeline a sorted timeline without repeats of unique types, modified
     * @param entry    the new entry
     * @return {@code true} when the timeline changed
     */
    public static boolean add(List<TimelineEntry> timeline, TimelineEntry entry) {
        Once rule = once(entry.type());
        if (rule != Once.REPEATS) {
            for (int i = 0; i < timeline.size(); i++) {
                TimelineEntry existing = timeline.get(i);
                if (existing.type().equals(entry.type())) {
                    boolean replace = rule == Once.EARLIEST ? entry.at().isBefore(existing.at())
                            : !entry.at().isBefore(existing.at());
                    if (!replace) {
                        return false;
                    }
                    timeline.remove(i);
                    break;
                }
            }
        }
        int at = timeline.size();
        while (at > 0 && timeline.get(at - 1).at().isAfter(entry.at())) {
            at--;
        }
        timeline.add(at, entry);
        return true;
    }

    /**
     * A sorted copy without repeats of unique types.
     *
     * @param entries entries in any order, none {@code null}
     * @return a new mutable list
     */
    public static List<TimelineEntry> normalize(List<TimelineEntry> entries) {
        List<TimelineEntry> sorted = new ArrayList<>(entries);
        sorted.sort(BY_TIME);
        List<TimelineEntry> out = new ArrayList<>(sorted.size());
        for (TimelineEntry entry : sorted) {
            add(out, entry);
        }
        return out;
    }
}
