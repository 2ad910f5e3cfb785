package io.incidentsdk.spring;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.Severity;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The latest event of each incident this application reported, for the {@code incidents} endpoint and the
 * health contributor: fed by {@code IncidentSdk.onEvent}, bounded ({@value #CAPACITY} incidents; the oldest
 * resolved one goes first, then the oldest). Thread-safe; the listener only updates a map.
 */
final class RecentIncidents implements Consumer<IncidentEvent> {

    static final int CAPACITY = 500;

    private final LinkedHashMap<String, IncidentEvent> byId = new LinkedHashMap<>();

    @Override
    public synchronized void accept(IncidentEvent event) {
        String id = event.incident().incidentId();
        byId.remove(id);
        byId.put(id, event);
        while (byId.size() > CAPACITY) {
            evictOne();
        }
    }

    private void evictOne() {
        for (Iterator<IncidentEvent> it = byId.values().iterator(); it.hasNext(); ) {
            if (it.next().incident().resolvedAt() != null) {
                it.remove();
                return;
            }
        }
        Iterator<IncidentEvent> eldest = byId.values().iterator();
        eldest.next();
        eldest.remove();
    }

    /** The open incidents, most recently updated first. */
    synchronized List<IncidentEvent> open() {
        List<IncidentEvent> open = new ArrayList<>();
        for (IncidentEvent event : byId.values()) {
            if (event.incident().resolvedAt() == null) {
                open.add(0, event);
            }
        }
        return open;
    }

    /** The most recently updated incidents, open or resolved, newest first. */
    synchronized List<IncidentEvent> recent(int limit) {
        List<IncidentEvent> all = new ArrayList<>(byId.values());
        List<IncidentEvent> recent = new ArrayList<>(Math.min(limit, all.size()));
        for (int i = all.size() - 1; i >= 0 && recent.size() < limit; i--) {
            recent.add(all.get(i));
        }
        return recent;
    }

    /** The latest event of one incident, or {@code null}. */
    synchronized IncidentEvent find(String incidentId) {
        return byId.get(incidentId);
    }

    /** Open incidents by severity, every severity present (0 when none). */
    synchronized Map<Severity, Integer> openBySeverity() {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            counts.put(severity, 0);
        }
        for (IncidentEvent event : byId.values()) {
            if (event.incident().resolvedAt() == null) {
                counts.merge(event.incident().severity(), 1, Integer::sum);
            }
        }
        return counts;
    }
}
