package io.incidentsdk.internal;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.SinkStats;
import io.incidentsdk.sink.IncidentSink;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink with its own bounded queue and its own daemon thread, so a slow or failing sink delays nobody
 * else. Offering never blocks; what does not fit is counted as dropped.
 */
public final class SinkChannel {

    private static final Logger LOG = LoggerFactory.getLogger(SinkChannel.class);

    private final IncidentSink sink;
    private final String name;
    private final BlockingQueue<IncidentEvent> queue;
    private final int maxAttempts;
    private final long retryBackoffMillis;
    private final Thread thread;
    private final RateLimitedLogger warnings = new RateLimitedLogger(LOG, 10_000);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final DropListener dropListener;
    private volatile boolean stopping;

    /** Told when an event is dropped; must not throw and must not block. */
    @FunctionalInterface
    public interface DropListener {
        /**
         * Called after an event was dropped.
         *
         * @param channel the channel that dropped it
         * @param reason  why
         */
        void dropped(SinkChannel channel, String reason);
    }

    /**
     * Creates and starts a channel.
     *
     * @param sink               the sink
     * @param name               a unique name for the thread and the metrics
     * @param capacity           the queue capacity
     * @param maxAttempts        delivery attempts per event, at least 1
     * @param retryBackoffMillis the pause before the second attempt (doubled for each further one)
     * @param dropListener       told about drops
     */
    public SinkChannel(IncidentSink sink, String name, int capacity, int maxAttempts, long retryBackoffMillis,
                       DropListener dropListener) {
        this.sink = sink;
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxAttempts = maxAttempts;
        this.retryBackoffMillis = retryBackoffMillis;
        this.dropListener = dropListener;
        this.thread = new Thread(this::run, "incident-sdk-sink-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * The sink's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Hands an event to the sink's thread without blocking.
     *
     * @param event the event
     */
    public void offer(IncidentEvent event) {
        if (stopping || !queue.offer(event)) {
            dropped.incrementAndGet();
            dropListener.dropped(this, stopping ? "closed" : "queue full");
        }
    }

    private void run() {
        while (true) {
            IncidentEvent event;
            try {
                event = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (event == null) {
                if (stopping) {
                    break;
                }
                continue;
            }
            deliver(event);
        }
        // interrupted while closing: what is left is lost
        int left = queue.size();
        queue.clear();
        if (left > 0) {
            dropped.addAndGet(left);
            LOG.warn("Incident sink {} was closed with {} undelivered events", name, left);
        }
    }

    private void deliver(IncidentEvent event) {
        long backoff = retryBackoffMillis;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                sink.publish(event);
                delivered.incrementAndGet();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.incrementAndGet();
                break;
            } catch (Exception | LinkageError e) {
                failed.incrementAndGet();
                warnings.warn("Incident sink {} failed to publish event {} (attempt {} of {})", e, name,
                        event.eventId(), attempt, maxAttempts);
            }
            if (attempt < maxAttempts && !stopping) {
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff *= 2;
            } else if (stopping) {
                break;
            }
        }
        dropped.incrementAndGet();
        dropListener.dropped(this, "delivery failed");
        if (Thread.currentThread().isInterrupted()) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting events; the thread delivers what is queued, then ends. */
    public void stopAccepting() {
        stopping = true;
    }

    /**
     * Waits for the thread to deliver what is queued, until {@code deadlineNanos}; then interrupts it.
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @return whether everything was delivered in time
     */
    public boolean awaitDrained(long deadlineNanos) {
        stopping = true;
        try {
            long wait = deadlineNanos - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.timedJoin(thread, wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
        return true;
    }

    /** Closes the sink, logging (never throwing) what goes wrong. */
    public void closeSink() {
        try {
            sink.close();
        } catch (Exception | LinkageError e) {
            LOG.warn("Incident sink {} failed to close", name, e);
        }
    }

    /**
     * A snapshot of the counters.
     *
     * @return the stats
     */
    public SinkStats stats() {
        return new SinkStats(name, delivered.get(), failed.get(), dropped.get(), queue.size());
    }
}
