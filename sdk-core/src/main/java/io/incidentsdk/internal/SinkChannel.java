package io.incidentsdk.internal;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.SinkStats;
import io.incidentsdk.sink.IncidentSink;
import io.incidentsdk.sink.ReportingSink;
import io.incidentsdk.sink.SinkReporter;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink with its own bounded queue and its own daemon thread, so a slow or failing sink delays nobody
 * else. Offering never blocks; what does not fit is counted as dropped.
 *
 * <p>Only this channel's thread ever calls the sink, {@link IncidentSink#close()} included: it closes the
 * sink after its last event, so a sink whose {@code publish} and {@code close} share a lock can never hold
 * up the thread that closes the SDK. Closing is two steps: {@link #finish()} wakes the thread at once (no
 * polling) to deliver what is queued and close the sink; {@link #awaitFinished(long)} waits for that until a
 * deadline and, when the deadline passes first, gives up: what is still queued or being published is
 * counted as dropped, and the thread changes no counter from then on (an event offered later is
 * still counted as dropped).
 */
public final class SinkChannel {

    private static final Logger LOG = LoggerFactory.getLogger(SinkChannel.class);

    private final IncidentSink sink;
    private final String name;
    private final int capacity;
    private final int maxAttempts;
    private final long retryBackoffMillis;
    private final Thread thread;
    private final RateLimitedLogger warnings = new RateLimitedLogger(LOG, 10_000);
    /** Guards {@link #queue} and {@link #stopping}; held only for queue operations, never around the sink. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when an event is queued or the channel stops. */
    private final Condition changed = lock.newCondition();
    /** Signalled only when the channel stops: cuts a retry pause short. */
    private final Condition stopped = lock.newCondition();
    private final ArrayDeque<IncidentEvent> queue;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Set while an event is with the sink; whoever clears it counts the event (delivered or dropped). */
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final DropListener dropListener;
    private boolean stopping;
    /** The end of the SDK's close timeout, once a close began: the sink's {@code close()} runs within it. */
    private volatile long closeDeadlineNanos;
    private volatile boolean closeDeadlineSet;
    /** The close deadline passed: the thread delivers nothing more and changes no counter. */
    private volatile boolean abandoned;

    /** Told when an event is dropped; must not throw and must not block. */
    @FunctionalInterface
    public interface DropListener {
        /**
         * Called after an event was dropped, or when a sink reported a condition that puts delivery at risk.
         *
         * @param channel the channel
         * @param reason  why, or the condition
         * @param dropped {@code true} when events were dropped, {@code false} for a condition only
         */
        void dropped(SinkChannel channel, String reason, boolean dropped);
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
        this.capacity = capacity;
        this.queue = new ArrayDeque<>(Math.min(capacity, 1_024));
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
        String refused;
        lock.lock();
        try {
            if (stopping) {
                refused = "closed";
            } else if (queue.size() >= capacity) {
                refused = "queue full";
            } else {
                queue.addLast(event);
                changed.signal();
                return;
            }
        } finally {
            lock.unlock();
        }
        dropped.incrementAndGet();
        dropListener.dropped(this, refused, true);
    }

    private void run() {
        try {
            if (sink instanceof ReportingSink) {
                attachReporter((ReportingSink) sink);
            }
            IncidentEvent event;
            while ((event = next()) != null) {
                deliver(event);
            }
        } finally {
            // an interrupt of ours (the close deadline) must not disturb the sink's own close
            Thread.interrupted();
            closeSink();
        }
    }

    /** The next event; {@code null} once stopped and drained, or abandoned. */
    private IncidentEvent next() {
        lock.lock();
        try {
            while (!abandoned) {
                IncidentEvent event = queue.pollFirst();
                if (event != null) {
                    inFlight.set(true);
                    return event;
                }
                if (stopping) {
                    return null;
                }
                changed.await();
            }
            return null;
        } catch (InterruptedException e) {
            return null; // only the close deadline interrupts this thread
        } finally {
            lock.unlock();
        }
    }

    private void deliver(IncidentEvent event) {
        long backoff = retryBackoffMillis;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (abandoned) {
                return; // counted as dropped by the close that gave up
            }
            try {
                sink.publish(event);
                if (inFlight.compareAndSet(true, false)) {
                    delivered.incrementAndGet();
                }
                return;
            } catch (InterruptedException e) {
                countFailure();
                break;
            } catch (Exception | Error e) {
                // any Error too (an AssertionError, a StackOverflowError of the sink's own): the channel's thread
                // must outlive a broken sink, or its queue would fill and drop everything until close
                countFailure();
                if (!abandoned) {
                    warnings.warn("Incident sink {} failed to publish event {} (attempt {} of {})", e, name,
                            event.eventId(), attempt, maxAttempts);
                }
            }
            if (attempt == maxAttempts || !pauseBeforeRetry(backoff)) {
                break;
            }
            backoff *= 2;
        }
        if (inFlight.compareAndSet(true, false)) {
            dropped.incrementAndGet();
            dropListener.dropped(this, "delivery failed", true);
        }
    }

    private void countFailure() {
        if (!abandoned) {
            failed.incrementAndGet();
        }
    }

    /** Pauses before a retry; {@code false} when the channel stops meanwhile (then the event is given up). */
    private boolean pauseBeforeRetry(long millis) {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (!stopping && nanos > 0) {
                nanos = stopped.awaitNanos(nanos);
            }
            return !stopping;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets the deadline of the SDK's close before the channel is finished: the sink's {@code close()} then runs
     * with it as its {@link CloseDeadline}, so a sink whose own close timeout is longer still returns (and
     * releases what it holds) before the SDK's {@code close()} does.
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     */
    public void closeBy(long deadlineNanos) {
        if (!closeDeadlineSet) {
            closeDeadlineNanos = deadlineNanos;
            closeDeadlineSet = true;
        }
    }

    /**
     * Stops accepting events and wakes the thread at once: it delivers what is queued, closes the sink and
     * ends. Does not wait.
     */
    public void finish() {
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
            stopped.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the thread has delivered what was queued and closed the sink, at most until
     * {@code deadlineNanos}. When the deadline passes first, the channel gives up without waiting any longer:
     * the queued events and the one being published are counted as dropped, and the thread is interrupted;
     * a sink stuck in {@code publish} is closed by its own thread when (if ever) that call returns.
     *
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @return whether everything was delivered and the sink closed in time
     */
    public boolean awaitFinished(long deadlineNanos) {
        closeBy(deadlineNanos);
        finish();
        if (thread == Thread.currentThread()) {
            return true; // the sink closed the SDK from its publish: it gets the rest and its close after that
        }
        if (joinUntil(thread, deadlineNanos)) {
            return true;
        }
        abandon();
        return false;
    }

    /**
     * Waits for a thread to end, at most until a deadline. An interrupt of the waiting thread does not cut
     * the (bounded) wait short; it is passed on afterwards.
     *
     * @param thread        the thread
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @return whether the thread ended
     */
    public static boolean joinUntil(Thread thread, long deadlineNanos) {
        boolean interrupted = false;
        try {
            while (thread.isAlive()) {
                long wait = deadlineNanos - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedJoin(thread, wait);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return !thread.isAlive();
    }

    private void abandon() {
        int left;
        lock.lock();
        try {
            abandoned = true;
            left = queue.size();
            queue.clear();
            changed.signalAll();
            stopped.signalAll();
        } finally {
            lock.unlock();
        }
        if (inFlight.compareAndSet(true, false)) {
            left++;
        }
        dropped.addAndGet(left);
        thread.interrupt();
        LOG.warn("Incident sink {} did not finish within the close timeout; {} undelivered events were dropped",
                name, left);
    }

    private void attachReporter(ReportingSink reporting) {
        try {
            reporting.reportTo(new SinkReporter() {
                @Override
                public void dropped(long events, String reason) {
                    if (events > 0 && !abandoned) {
                        dropped.addAndGet(events);
                        dropListener.dropped(SinkChannel.this, Text.clean(String.valueOf(reason), 200), true);
                    }
                }

                @Override
                public void degraded(String condition) {
                    if (!abandoned) {
                        dropListener.dropped(SinkChannel.this, Text.clean(String.valueOf(condition), 200), false);
                    }
                }
            });
        } catch (Exception | Error e) {
            warnings.warn("Incident sink {} failed to start", e, name);
        }
    }

    private void closeSink() {
        try {
            if (closeDeadlineSet) {
                CloseDeadline.within(closeDeadlineNanos, sink::close);
            } else {
                sink.close();
            }
        } catch (Exception | Error e) {
            LOG.warn("Incident sink {} failed to close", name, e);
        }
    }

    /**
     * A snapshot of the counters.
     *
     * @return the stats
     */
    public SinkStats stats() {
        int queued;
        lock.lock();
        try {
            queued = queue.size();
        } finally {
            lock.unlock();
        }
        return new SinkStats(name, delivered.get(), failed.get(), dropped.get(), queued);
    }
}
