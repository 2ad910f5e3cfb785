package io.incidentsdk;

/**
 * A handle on an incident the application opened with {@link IncidentSdk#open}. Use it to add timeline
 * notes (for example "escalated to the database team"), to change the severity and to resolve the
 * incident. Thread-safe. Every method is a no-op once the incident has been resolved (by this handle, by
 * another handle on the same fingerprint, or after the quiet period).
 *
 * <p>{@link #close()} resolves the incident if it is still open, so a try-with-resources block bounds an
 * incident to the code that handles it.
 *
 * @since 0.1.0
 */
public interface OpenIncident extends AutoCloseable {

    /**
     * The id of the incident.
     *
     * @return the incident id
     */
    String incidentId();

    /**
     * The fingerprint of the incident.
     *
     * @return the fingerprint
     */
    String fingerprint();

    /**
     * Adds a note to the timeline (for example "acknowledged by alice", "escalated to the database team").
     *
     * @param text the note, not {@code null}; cleaned and bounded like every string in a record
     * @return this handle
     */
    OpenIncident note(String text);

    /**
     * Changes the severity and records the change on the timeline.
     *
     * @param severity the new severity, not {@code null}
     * @return this handle
     */
    OpenIncident severity(Severity severity);

    /**
     * Adds or replaces a user attribute.
     *
     * @param key   not {@code null}
     * @param value not {@code null}
     * @return this handle
     */
    OpenIncident attribute(String key, String value);

    /**
     * Resolves the incident: a RESOLVED event is emitted with {@code detail} on the timeline.
     *
     * @param detail how it was resolved, may be {@code null}
     */
    void resolve(String detail);

    /**
     * Whether the incident is still open.
     *
     * @return {@code true} while open
     */
    boolean isOpen();

    /** Resolves the incident if it is still open. */
    @Override
    void close();
}
