package io.incidentsdk.kafka.internal;

import io.incidentsdk.kafka.FleetIncident;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the aggregator keeps per fingerprint in its state store: the fleet incident as last written, and per
 * instance the book behind its count.
 *
 * @param incident the fleet incident as last written (or to be written)
 * @param books    per instance, sorted by instance
 * @param overflow events of instances beyond the bound of instances per fleet incident, not merged
 */
public record FleetState(FleetIncident incident, Map<String, Book> books, long overflow) {

    /**
     * Copies the books into a sorted map.
     *
     * @param incident the fleet incident
     * @param books    per instance
     * @param overflow events not merged
     */
    public FleetState {
        books = books == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(books));
    }

    /**
     * How one instance's count is kept exact whatever is replayed or sent twice: the highest count seen per
     * incident id of the instance (an instance's incident reports its running total, so a repeated or late
     * event can only confirm a count, never add to it), and the total of its oldest incidents folded once
     * there are more than {@link FleetMerge#INCIDENTS_PER_INSTANCE}.
     *
     * @param counts          the highest count per incident id
     * @param folded          the total of the incidents folded out of {@code counts}
     * @param lastHeardMillis when the aggregator last had an event of this instance (its clock)
     */
    public record Book(Map<String, Long> counts, long folded, long lastHeardMillis) {

        /**
         * Copies the counts into a sorted map.
         *
         * @param counts          the highest count per incident id
         * @param folded          the total folded
         * @param lastHeardMillis when last heard
         */
        public Book {
            counts = counts == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(counts));
        }

        /**
         * The instance's occurrences.
         *
         * @return the sum of its counts
         */
        public long total() {
            long total = folded;
            for (long c : counts.values()) {
                total += c;
            }
            return total;
        }
    }
}
