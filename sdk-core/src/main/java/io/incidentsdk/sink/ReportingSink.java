package io.incidentsdk.sink;

/**
 * A sink that accepts events before it delivers them (into a queue or a disk spool of its own) and so can
 * lose some later: it gets a {@link SinkReporter} to tell the SDK what happened to them. The built-in remote
 * sinks implement it; a user sink may too.
 *
 * @since 0.2.0
 */
public interface ReportingSink extends IncidentSink {

    /**
     * Called by the SDK once, on the sink's SDK thread, before the first event. A sink that has work left
     * from an earlier run (a spool to replay) may start it here.
     *
     * @param reporter where to report drops and conditions, never {@code null}
     */
    void reportTo(SinkReporter reporter);
}
