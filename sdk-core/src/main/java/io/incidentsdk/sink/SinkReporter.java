package io.incidentsdk.sink;

/**
 * How a {@link ReportingSink} tells the SDK about trouble it met after it accepted events: events it had to
 * give up, and conditions that put delivery at risk. The SDK counts the dropped events in the sink's
 * {@code SinkStats} and reports both as a {@code SINK_DEGRADED} incident (one per sink, aggregated, so a
 * long outage is one incident, not a storm). Thread-safe, never blocks, never throws; calls after the SDK
 * was closed are ignored.
 *
 * @since 0.2.0
 */
public interface SinkReporter {

    /**
     * Reports events given up for good.
     *
     * @param events how many, at least 1
     * @param reason why, in a few words without data values (for example "spool full: oldest segment dropped")
     */
    void dropped(long events, String reason);

    /**
     * Reports a condition that puts delivery at risk while nothing was lost yet (for example "spool not
     * writable, delivering from memory").
     *
     * @param condition the condition, in a few words without data values or secrets
     */
    void degraded(String condition);
}
