package io.incidentsdk;

/**
 * Connects incidents with the application's tracing (OpenTelemetry, Micrometer Tracing): the module
 * {@code incident-sdk-otel} implements it. The SDK asks it on the thread that records a signal (for a failed
 * JDBC call, the application thread that made the call), so a record carries the trace and span active at the
 * failing call, and the span can be marked with the incident's id.
 *
 * <p>Both methods run on the application's failure path: they must be fast, must not block and should not
 * throw (an exception is caught, counted out and ignored; the application's call is never affected).
 *
 * @since 0.2.0
 */
public interface TraceCorrelation {

    /**
     * The trace and span active on the calling thread.
     *
     * @return the ids, or {@code null} when no trace is active
     */
    TraceInfo current();

    /**
     * Called on the recording thread after a signal was counted in an open incident: a tracing
     * implementation marks the current span with the incident (for example an {@code incident.id} attribute).
     *
     * @param incidentId  the incident's id
     * @param fingerprint the incident's fingerprint
     */
    default void recorded(String incidentId, String fingerprint) {
    }
}
