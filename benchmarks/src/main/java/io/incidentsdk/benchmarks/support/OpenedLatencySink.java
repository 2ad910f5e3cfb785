package io.incidentsdk.benchmarks.support;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.sink.IncidentSink;

/**
 * A sink that notes {@link System#nanoTime()} when it receives the OPENED event of a deadlock incident,
 * and counts them. It runs on the SDK's sink thread; the benchmark thread waits for the count to move.
 *
 * @since 0.1.0
 */
public final class OpenedLatencySink implements IncidentSink {

    private volatile long lastOpenedNanos;
    private volatile long opened;

    @Override
    public void publish(IncidentEvent event) {
        if (event.event() == IncidentEvent.Type.OPENED && event.incident().kind() == IncidentKind.DEADLOCK) {
            lastOpenedNanos = System.nanoTime();
            opened = opened + 1; // one writer: the sink thread
        }
    }

    /**
     * How many deadlock incidents were opened so far.
     *
     * @return the count
     */
    public long opened() {
        return opened;
    }

    /**
     * Waits (spinning, yielding now and then) until at least {@code count} deadlock incidents were opened.
     *
     * @param count         the count to wait for
     * @param deadlineNanos a {@link System#nanoTime()} after which to give up
     * @return the {@link System#nanoTime()} at which the sink received the latest OPENED event
     * @throws IllegalStateException when the deadline passed first (the incident was not recorded)
     */
    public long awaitOpened(long count, long deadlineNanos) {
        int spins = 0;
        while (opened < count) {
            if (++spins % 64 == 0) {
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw new IllegalStateException("no OPENED event for deadlock incident " + count
                            + " before the deadline; the SDK did not record it (bound of open incidents reached?)");
                }
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
        return lastOpenedNanos;
    }

    @Override
    public String name() {
        return "opened-latency";
    }
}
