package io.incidentsdk.internal.delivery;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.Severity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides which events go to a sink that pages or posts for people: OPENED and RESOLVED always, UPDATED only
 * when the severity rose above what was last sent for that fingerprint (a storm's throttled updates would
 * otherwise page or post every update interval). Remembers at most {@link #MAX_TRACKED} fingerprints (the
 * least recently used is forgotten; its next UPDATED is then sent once). Thread-safe.
 */
public final class EscalationFilter {

    /** Fingerprints remembered at most. */
    public static final int MAX_TRACKED = 10_000;

    private final Map<String, Severity> sent = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Severity> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    /**
     * Whether to send an event, remembering what was sent.
     *
     * @param event the event
     * @return {@code true} to send it
     */
    public synchronized boolean accept(IncidentEvent event) {
        String key = event.incident().fingerprint();
        Severity severity = event.incident().severity();
        switch (event.event()) {
            case OPENED:
                sent.put(key, severity);
                return true;
            case RESOLVED:
                sent.remove(key);
                return true;
            default:
                Severity before = sent.get(key);
                if (before != null && severity.ordinal() <= before.ordinal()) {
                    return false;
                }
                sent.put(key, severity);
                return true;
        }
    }
}
