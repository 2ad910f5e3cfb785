package io.incidentsdk.sink;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the latest events in memory, in a ring of bounded size: for tests, and for an endpoint that shows
 * recent incidents. Thread-safe.
 *
 * @since 0.1.0
 */
public final class InMemorySink implements IncidentSink {

    private final int capacity;
    private final ArrayDeque<IncidentEvent> ring;
    private long evicted;

    /**
     * Creates a ring of the given capacity.
     *
     * @param capacity between 1 and 1,000,000 events
     */
    public InMemorySink(int capacity) {
        if (capacity < 1 || capacity > 1_000_000) {
            throw new IllegalArgumentException("capacity must be between 1 and 1000000, was " + capacity);
        }
        this.capacity = capacity;
        this.ring = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    @Override
    public synchronized void publish(IncidentEvent event) {
        if (ring.size() == capacity) {
            ring.pollFirst();
            evicted++;
        }
        ring.addLast(event);
    }

    /**
     * The events held, oldest first.
     *
     * @return a copy
     */
    public synchronized List<IncidentEvent> events() {
        return new ArrayList<>(ring);
    }

    /**
     * The latest state of each incident held, by incident id, in order of first appearance.
     *
     * @return a copy
     */
    public synchronized Map<String, Incident> incidents() {
        Map<String, Incident> latest = new LinkedHashMap<>();
        for (IncidentEvent event : ring) {
            latest.put(event.incident().incidentId(), event.incident());
        }
        return latest;
    }

    /**
     * How many events were pushed out of the ring.
     *
     * @return the count
     */
    public synchronized long evicted() {
        return evicted;
    }

    /** Removes every event. */
    public synchronized void clear() {
        ring.clear();
    }

    @Override
    public String name() {
        return "memory";
    }
}
