package io.incidentsdk.sink;

import io.incidentsdk.IncidentEvent;

/**
 * Receives incident events. The one extension point for delivery: implement {@link #publish} and pass the
 * sink to {@code IncidentSdk.builder().sink(...)}.
 *
 * <p>The SDK calls a sink from one thread of its own, never from an application thread, one event at a
 * time and in order. A sink may be slow or throw: the SDK counts the failure, retries a bounded number of
 * times, logs at a rate-limited WARN and goes on; neither the application nor another sink waits for it.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface IncidentSink {

    /**
     * Delivers one event.
     *
     * @param event the event, never {@code null}
     * @throws Exception when delivery failed; the SDK may call again with the same event
     */
    void publish(IncidentEvent event) throws Exception;

    /**
     * A short name for logs and metrics; by default the simple class name.
     *
     * @return the sink name
     */
    default String name() {
        String simple = getClass().getSimpleName();
        return simple.isEmpty() ? "sink" : simple;
    }

    /**
     * Releases resources; called once when the SDK closes, after the last event, on the same SDK thread as
     * {@link #publish} (never concurrently with it, so {@code publish} and {@code close} may share a lock).
     * When a {@code publish} is still running at the end of the SDK's close timeout, the SDK's
     * {@code close()} returns without waiting for it and this method is called when that {@code publish}
     * returns.
     *
     * @throws Exception when closing failed (logged, never propagated to the application)
     */
    default void close() throws Exception {
    }
}
