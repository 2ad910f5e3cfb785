package io.incidentsdk.internal.delivery;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.internal.CloseDeadline;
import io.incidentsdk.internal.RateLimitedLogger;
import io.incidentsdk.sink.DeliveryOptions;
import io.incidentsdk.sink.DeliveryStats;
import io.incidentsdk.sink.SinkReporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery machinery of the remote sinks, whatever carries the events: accepts events into a {@link Spool}
 * (or a bounded queue in memory), and hands them to a {@link Sender} from a daemon thread of its own
 * ({@code incident-sdk-delivery-<name>}), oldest first, one batch at a time (a batch of one for HTTP; several
 * for senders that pipeline, such as a Kafka producer).
 *
 * <p>Outcomes per event: delivered (the record is acknowledged); retry (the event and every later one of the
 * batch stay pending and are sent again after an exponential backoff with jitter, or after the receiver's
 * {@code Retry-After} when that is longer, bounded); refused (final: the event is written to the dead-letter
 * file, counted and acknowledged). After {@code failureThreshold} consecutive failures the circuit is open:
 * nothing is sent for {@code openDuration}, then the head batch probes the receiver (half-open) and a success
 * closes the circuit. The application never waits for any of this: it happens on this thread, and
 * {@link #offer} only appends.
 *
 * <p>Order: spooled events are older than those in memory (memory is used only while the spool cannot be
 * written, and the spool is tried again only once memory is empty), so one queue order holds throughout, and
 * an event is acknowledged only after every event before it. Events after a failed one of the same batch may
 * have reached the receiver already; they are sent again (at least once; {@code eventId} is the receiver's
 * idempotency key).
 *
 * <p>Trouble with the spool is reported ({@code SINK_DEGRADED}) and never permanent: when the spool directory
 * cannot be opened, or reading the spool fails, events are delivered from memory meanwhile and the spool is
 * tried again after a backoff (the delivery backoff, doubling up to its maximum), until it works. While reading
 * fails, the spooled events wait (they are older than those in memory, which then go first: the one exception to
 * the queue order). When the delivery loop itself fails (an {@code Error} or an unexpected exception, from the
 * sender or our own code), that is reported and the loop starts again after a backoff; an event that the loop
 * failed on {@value #MAX_LOOP_FAILURES_PER_EVENT} times in a row is dead-lettered, so one poisonous event cannot
 * hold up the rest.
 *
 * <p>Closing ({@link #close()}) is bounded by the delivery's close timeout and, when the SDK closes the sink, by
 * the SDK's own deadline ({@link CloseDeadline}), whichever ends first: the spool is closed (its lock released)
 * before {@code close()} returns, even when a send is still hanging.
 */
public final class SpooledDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(SpooledDelivery.class);
    private static final long CLOSE_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Left of the SDK's close deadline for closing the spool (a force and a cursor write), at most a fifth. */
    private static final long SPOOL_CLOSE_RESERVE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Consecutive failures of the delivery loop on one event before that event is dead-lettered. */
    static final int MAX_LOOP_FAILURES_PER_EVENT = 3;
    /** The most bytes of spooled records one batch reads. */
    private static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;

    /** What carries the events: the sink's part of the work. Called only from the delivery thread. */
    public interface Sender {
        /**
         * How many events one {@link #send} call may take.
         *
         * @return at least 1 (the default: one at a time)
         */
        default int maxBatch() {
            return 1;
        }

        /**
         * Sends events, in order.
         *
         * @param events at least one event, at most {@link #maxBatch()}
         * @return one outcome per event in order; a shorter list means the events after it were not attempted
         *         (they stay pending); an event after a {@link Kind#RETRY} outcome is sent again either way
         * @throws InterruptedException when the delivery thread was interrupted (closing): nothing is acknowledged
         */
        List<Outcome> send(List<IncidentEvent> events) throws InterruptedException;
    }

    /** What happened to one event. */
    public enum Kind {
        /** The receiver has it. */
        DELIVERED,
        /** Not delivered this time; try again later. */
        RETRY,
        /** The receiver will never take it: dead-lettered. */
        REFUSED
    }

    /**
     * The outcome for one event.
     *
     * @param kind             what happened
     * @param status           a status code where the carrier has one (HTTP), else 0
     * @param retryAfterMillis how long the receiver asked to wait before the next attempt, 0 when it did not
     * @param reason           a few words without data values or secrets
     */
    public record Outcome(Kind kind, int status, long retryAfterMillis, String reason) {

        /**
         * The event was delivered.
         *
         * @param reason a few words
         * @return the outcome
         */
        public static Outcome delivered(String reason) {
            return new Outcome(Kind.DELIVERED, 0, 0, reason);
        }

        /**
         * The event should be sent again later.
         *
         * @param reason a few words
         * @return the outcome
         */
        public static Outcome retry(String reason) {
            return new Outcome(Kind.RETRY, 0, 0, reason);
        }

        /**
         * The receiver will never take the event.
         *
         * @param reason a few words
         * @return the outcome
         */
        public static Outcome refused(String reason) {
            return new Outcome(Kind.REFUSED, 0, 0, reason);
        }
    }

    private record Pending(Spool.Entry entry, IncidentEvent event, long writtenAtMillis) {
    }

    private final String name;
    private final DeliveryOptions options;
    private final Sender sender;
    private final DeadLetterFile deadLetters;
    private final RateLimitedLogger warnings = new RateLimitedLogger(LOG, 10_000);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Pending> memory = new ArrayDeque<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile SinkReporter reporter;
    private volatile boolean circuitOpen;
    /** The open spool; {@code null} without one, or while the directory cannot be opened. */
    private Spool spool;
    /** Appending failed: events wait in memory; the spool is tried again once memory is empty. */
    private boolean spoolFailing;
    /** Reading the spool failed: spooled events wait and new ones go to memory until {@link #spoolRetryAtNanos}. */
    private boolean readSuspended;
    /** Consecutive failures to open or read the spool (the backoff of the next try). */
    private int spoolFailures;
    private long spoolRetryAtNanos;
    private boolean spoolReleased;
    /** The event being sent, for the delivery loop's failure handling (delivery thread only). */
    private Pending sending;
    private String lastLoopFailureEventId;
    private int loopFailures;
    private int failuresOnEvent;
    private Thread thread;
    private boolean started;
    private boolean closing;
    private long closeDeadlineNanos;
    private volatile boolean abandoned;
    private volatile boolean closed;

    /**
     * Creates the machinery; nothing starts before {@link #start()} or the first {@link #offer}.
     *
     * @param name    the sink's name (thread name, logs)
     * @param options the options
     * @param sender  carries the events
     */
    public SpooledDelivery(String name, DeliveryOptions options, Sender sender) {
        this.name = name;
        this.options = options;
        this.sender = sender;
        this.deadLetters = options.deadLetterFile() != null ? new DeadLetterFile(options.deadLetterFile()) : null;
    }

    /**
     * Sets where drops and conditions are reported, and starts (replaying the spool).
     *
     * @param reporter the reporter
     */
    public void reportTo(SinkReporter reporter) {
        this.reporter = reporter;
        start();
    }

    /** Opens the spool (replaying what an earlier run left) and starts the sending thread; idempotent. */
    public void start() {
        lock.lock();
        try {
            if (started || closing) {
                return;
            }
            started = true;
            if (options.spoolDirectory() != null) {
                openSpool();
            }
            thread = new Thread(this::run, "incident-sdk-delivery-" + name);
            thread.setDaemon(true);
            thread.start();
        } finally {
            lock.unlock();
        }
    }

    /** Opens the spool at start. Caller holds the lock. */
    private void openSpool() {
        try {
            installSpool(Spool.open(options.spoolDirectory(), options.spoolMaxBytes(), options.fsync(),
                    options.fsyncInterval().toNanos()));
        } catch (IOException | RuntimeException e) {
            spoolOpenFailed(e);
        }
    }

    /** Tries the spool directory again (delivery thread, without the lock: recovery reads every segment). */
    private void reopenSpool() {
        Spool opened;
        try {
            opened = Spool.open(options.spoolDirectory(), options.spoolMaxBytes(), options.fsync(),
                    options.fsyncInterval().toNanos());
        } catch (IOException | RuntimeException e) {
            lock.lock();
            try {
                spoolOpenFailed(e);
            } finally {
                lock.unlock();
            }
            return;
        }
        lock.lock();
        try {
            if (closing || abandoned) {
                closeQuietly(opened);
                return;
            }
            installSpool(opened);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds the lock. */
    private void installSpool(Spool opened) {
        boolean retried = spoolFailures > 0;
        spool = opened;
        spoolFailures = 0;
        readSuspended = false;
        Spool.Recovery recovery = opened.recovery();
        if (retried) {
            LOG.info("Incident sink {}: the spool directory is usable again; new events are spooled", name);
        }
        if (recovery.pending() > 0) {
            LOG.info("Incident sink {}: {} events from an earlier run are pending in the spool; sending them first",
                    name, recovery.pending());
        }
        if (recovery.quarantinedSegments() > 0) {
            degraded("spool damage found at start: " + recovery.quarantinedSegments() + " segment tails ("
                    + recovery.quarantinedBytes() + " bytes) moved to quarantine/");
        }
        if (recovery.quarantineRemovedFiles() > 0) {
            degraded("spool quarantine/ over its bound: the " + recovery.quarantineRemovedFiles()
                    + " oldest damaged tails (" + recovery.quarantineRemovedBytes() + " bytes) removed");
        }
    }

    /** Caller holds the lock. */
    private void spoolOpenFailed(Exception e) {
        spool = null;
        long retryIn = scheduleSpoolRetry();
        if (spoolFailures == 1) {
            degraded("spool directory not usable (" + e.getClass().getSimpleName() + "): delivering from memory; "
                    + "trying it again in " + retryIn + " ms");
        } else {
            warnings.warn("Incident sink {}: the spool directory is still not usable ({}); next try in {} ms", null,
                    name, e.getClass().getSimpleName(), retryIn);
        }
    }

    /** Counts a failure to open or read the spool and sets the time of the next try; returns the wait in ms. */
    private long scheduleSpoolRetry() {
        spoolFailures++;
        long retryIn = backoffMillis(spoolFailures);
        spoolRetryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryIn);
        return retryIn;
    }

    /** Whether the spool should be opened again now, or reading it tried again. Caller holds the lock. */
    private boolean spoolRetryDue(long now) {
        return (spool == null ? spoolFailures > 0 && options.spoolDirectory() != null : readSuspended)
                && !closing && now - spoolRetryAtNanos >= 0;
    }

    private boolean spoolRetryWaiting() {
        return spool == null ? spoolFailures > 0 && options.spoolDirectory() != null && !spoolReleased
                : readSuspended;
    }

    /**
     * Accepts an event: appends it to the spool, or queues it in memory. Never waits for the network.
     *
     * @param event the event
     * @return {@code false} when it was dropped (counted and reported)
     */
    public boolean offer(IncidentEvent event) {
        start();
        long now = System.currentTimeMillis();
        String dropReason = null;
        long spoolDropped = 0;
        String condition = null;
        lock.lock();
        try {
            if (closing) {
                dropReason = "sink closed";
            } else {
                if (spool != null && !readSuspended && memory.isEmpty()) {
                    try {
                        spoolDropped = spool.append(IncidentJson.toJson(event).getBytes(StandardCharsets.UTF_8), now);
                        spoolFailing = false;
                        accepted.incrementAndGet();
                        changed.signalAll();
                        return true;
                    } catch (IOException e) {
                        if (!spoolFailing) {
                            spoolFailing = true;
                            condition = "spool not writable (" + e.getClass().getSimpleName()
                                    + "): delivering from memory";
                        }
                    } finally {
                        if (spoolDropped > 0) {
                            dropped.addAndGet(spoolDropped);
                        }
                    }
                }
                if (memory.size() >= options.memoryCapacity()) {
                    dropReason = "memory queue full (" + options.memoryCapacity() + " events)";
                } else {
                    memory.addLast(new Pending(null, event, now));
                    accepted.incrementAndGet();
                    changed.signalAll();
                }
            }
        } finally {
            lock.unlock();
            if (spoolDropped > 0) {
                report(spoolDropped, "spool full: the oldest segment was dropped");
            }
            if (condition != null) {
                degraded(condition);
            }
        }
        if (dropReason != null) {
            dropped.incrementAndGet();
            report(1, dropReason);
            return false;
        }
        return true;
    }

    private void run() {
        try {
            while (true) {
                try {
                    deliverAll();
                    return;
                } catch (RuntimeException | Error e) {
                    boolean again;
                    try {
                        again = !abandoned && loopFailed(e);
                    } catch (RuntimeException | Error handling) {
                        again = !abandoned && pause(options.maxBackoff().toMillis());
                    }
                    if (!again) {
                        return;
                    }
                }
            }
        } finally {
            if (abandoned) {
                // close() could not take the lock while this thread held it: the spool is released here
                releaseSpool();
            }
        }
    }

    /**
     * The delivery loop failed: reports it, dead-letters an event it failed on too often, and waits before the
     * loop starts again. Returns {@code false} when the thread should end (closing leaves no time).
     */
    private boolean loopFailed(Throwable e) {
        loopFailures++;
        Pending failedOn = sending;
        sending = null;
        String eventId = failedOn != null ? failedOn.event().eventId() : null;
        failuresOnEvent = eventId != null && eventId.equals(lastLoopFailureEventId) ? failuresOnEvent + 1 : 1;
        int onThisEvent = failuresOnEvent;
        lastLoopFailureEventId = eventId;
        long pause = backoffMillis(loopFailures);
        String what = e.getClass().getSimpleName();
        LOG.error("Incident sink {}: the delivery loop failed ({}); it starts again in {} ms", name, what, pause, e);
        if (failedOn != null && onThisEvent >= MAX_LOOP_FAILURES_PER_EVENT) {
            deadLetter(failedOn, Outcome.refused("delivery failed " + onThisEvent + " times on it (" + what + ")"),
                    "the delivery failed " + onThisEvent + " times on it (" + what + "): dead-lettered");
            complete(failedOn);
            lastLoopFailureEventId = null;
        }
        degraded("the delivery loop failed (" + what + "); restarted, pending events are kept");
        return pause(pause);
    }

    private void deliverAll() {
        int failures = 0;
        List<Pending> batch;
        while ((batch = nextBatch()) != null) {
            Pending head = batch.get(0);
            if (System.currentTimeMillis() - head.writtenAtMillis() > options.spoolMaxAge().toMillis()) {
                complete(head);
                dropped.incrementAndGet();
                report(1, "older than the spool's age bound (" + options.spoolMaxAge() + ")");
                continue;
            }
            List<IncidentEvent> events = new ArrayList<>(batch.size());
            for (Pending pending : batch) {
                events.add(pending.event());
            }
            List<Outcome> outcomes;
            sending = head;
            try {
                outcomes = sender.send(events);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                outcomes = List.of(Outcome.retry("sending failed (" + e.getClass().getSimpleName() + ")"));
            }
            if (abandoned) {
                return;
            }
            Outcome failed = null;
            for (int i = 0; i < batch.size() && i < outcomes.size() && failed == null; i++) {
                Outcome outcome = outcomes.get(i);
                switch (outcome.kind()) {
                    case DELIVERED:
                        complete(batch.get(i));
                        delivered.incrementAndGet();
                        failures = 0;
                        circuitOpen = false;
                        break;
                    case REFUSED:
                        deadLetter(batch.get(i), outcome, null);
                        complete(batch.get(i));
                        failures = 0;
                        circuitOpen = false;
                        break;
                    default:
                        failed = outcome;
                }
            }
            sending = null;
            loopFailures = 0;
            lastLoopFailureEventId = null;
            if (failed == null) {
                continue;
            }
            retried.incrementAndGet();
            failures++;
            long pause = backoffMillis(failures);
            if (failures >= options.failureThreshold()) {
                if (!circuitOpen) {
                    warnings.warn("Incident sink {}: {} consecutive delivery failures (latest: {}); "
                            + "circuit open, next attempt in {}", null, name, failures, failed.reason(),
                            options.openDuration());
                }
                circuitOpen = true;
                pause = Math.max(pause, options.openDuration().toMillis());
            } else {
                warnings.warn("Incident sink {}: delivery failed ({}); retrying", null, name, failed.reason());
            }
            pause = Math.max(pause, Math.min(failed.retryAfterMillis(), options.maxRetryAfter().toMillis()));
            if (!pause(pause)) {
                return;
            }
        }
    }

    private long backoffMillis(int failures) {
        long initial = options.initialBackoff().toMillis();
        long max = options.maxBackoff().toMillis();
        long delay = initial;
        for (int i = 1; i < failures && delay < max; i++) {
            delay *= 2;
        }
        delay = Math.min(delay, max);
        long half = delay / 2;
        return half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0) + (delay & 1);
    }

    /**
     * Waits before the next attempt; {@code false} when closing does not leave time for it. Under the batched
     * fsync policy the spool is forced meanwhile when due: a receiver that is down must not stretch the policy's
     * interval (no append and no idle moment would force it).
     */
    private boolean pause(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (!abandoned) {
                if (closing && end - closeDeadlineNanos > 0) {
                    return false; // the next attempt would come after the close deadline: the rest stays spooled
                }
                long wait = end - System.nanoTime();
                if (wait <= 0) {
                    return true;
                }
                if (spool != null && spool.unsynced()) {
                    wait = Math.min(wait, options.fsyncInterval().toNanos());
                }
                changed.awaitNanos(wait);
                if (!abandoned && spool != null) {
                    syncSpool();
                }
            }
            return false;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The next events to send, oldest first; waits for one; {@code null} when the thread should end. */
    private List<Pending> nextBatch() {
        lock.lock();
        try {
            while (!abandoned) {
                long now = System.nanoTime();
                if (closing && now - closeDeadlineNanos >= 0) {
                    return null;
                }
                if (spool == null && spoolRetryDue(now)) {
                    lock.unlock();
                    try {
                        reopenSpool();
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                List<Pending> next = head(Math.max(1, sender.maxBatch()));
                if (!next.isEmpty()) {
                    if (spool != null) {
                        syncSpool(); // when due: a steady flow of sends never leaves this thread idle
                    }
                    return next;
                }
                if (closing) {
                    return null;
                }
                long wait = Long.MAX_VALUE;
                if (spool != null && spool.unsynced()) {
                    wait = options.fsyncInterval().toNanos();
                }
                if (spoolRetryWaiting()) {
                    wait = Math.min(wait, Math.max(1, spoolRetryAtNanos - System.nanoTime()));
                }
                if (wait == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    changed.awaitNanos(wait);
                }
                if (!abandoned && spool != null) {
                    syncSpool();
                }
            }
            return null;
        } catch (InterruptedException e) {
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void syncSpool() {
        try {
            spool.syncIfDue();
        } catch (IOException e) {
            warnings.warn("Incident sink {}: forcing the spool to disk failed", e, name);
        }
    }

    /**
     * The oldest pending events, at most {@code max}: from the spool while it has any, else from memory. Caller
     * holds the lock.
     */
    private List<Pending> head(int max) {
        while (spool != null && (!readSuspended || spoolRetryDue(System.nanoTime()))) {
            List<Spool.Entry> entries;
            try {
                entries = spool.peek(max, MAX_BATCH_BYTES);
                long damaged = spool.takeDamaged();
                if (damaged > 0) {
                    dropped.addAndGet(damaged);
                    report(damaged, "spool segment damaged while running");
                }
            } catch (IOException e) {
                long retryIn = scheduleSpoolRetry();
                readSuspended = true;
                if (spoolFailures == 1) {
                    LOG.warn("Incident sink {}: reading the spool failed", name, e);
                    degraded("reading the spool failed (" + e.getClass().getSimpleName() + "): delivering from "
                            + "memory; trying the spool again in " + retryIn + " ms");
                } else {
                    warnings.warn("Incident sink {}: reading the spool failed again ({}); next try in {} ms", null,
                            name, e.getClass().getSimpleName(), retryIn);
                }
                break;
            }
            if (readSuspended) {
                readSuspended = false;
                spoolFailures = 0;
                LOG.info("Incident sink {}: reading the spool works again; new events are spooled", name);
            }
            if (entries.isEmpty()) {
                break;
            }
            List<Pending> batch = new ArrayList<>(entries.size());
            for (Spool.Entry entry : entries) {
                try {
                    IncidentEvent event = IncidentJson.fromJson(new String(entry.payload(), StandardCharsets.UTF_8));
                    batch.add(new Pending(entry, event, entry.writtenAtMillis()));
                } catch (RuntimeException e) {
                    if (!batch.isEmpty()) {
                        break; // sent up to here; the unreadable record is handled when it is the head
                    }
                    // written by another version that this one cannot read back
                    ackQuietly(entry);
                    dropped.incrementAndGet();
                    report(1, "spooled record not readable");
                    break;
                }
            }
            if (!batch.isEmpty()) {
                return batch;
            }
        }
        List<Pending> batch = new ArrayList<>(Math.min(max, memory.size()));
        Iterator<Pending> it = memory.iterator();
        while (batch.size() < max && it.hasNext()) {
            batch.add(it.next());
        }
        return batch;
    }

    private void complete(Pending pending) {
        lock.lock();
        try {
            if (abandoned) {
                return; // close() is closing the spool: a file operation now could meet its interrupt
            }
            if (pending.entry() != null) {
                if (spool != null) {
                    ackQuietly(pending.entry());
                }
            } else if (memory.peekFirst() == pending) {
                memory.pollFirst();
            }
        } finally {
            lock.unlock();
        }
    }

    private void ackQuietly(Spool.Entry entry) {
        try {
            spool.ack(entry);
        } catch (IOException e) {
            // the record is sent again after a restart: a duplicate, never a loss
            warnings.warn("Incident sink {}: marking a spooled event done failed", e, name);
        }
    }

    /** Writes the event to the dead-letter file, counts and reports it ({@code report} null: refused). */
    private void deadLetter(Pending pending, Outcome attempt, String report) {
        deadLettered.incrementAndGet();
        String where = "";
        if (deadLetters != null) {
            try {
                deadLetters.write(name, attempt.status(), attempt.reason(), pending.event());
                where = "; written to " + deadLetters.file();
            } catch (IOException | RuntimeException e) {
                where = "; the dead-letter file could not be written (" + e.getClass().getSimpleName() + ")";
            }
        }
        String reason = report != null ? report : "refused by the receiver (" + attempt.reason() + "): dead-lettered";
        warnings.warn("Incident sink {}: event {} given up, not retried: {}{}", null, name,
                pending.event().eventId(), reason, where);
        SinkReporter r = reporter;
        if (r != null) {
            r.dropped(1, reason);
        }
    }

    private void report(long events, String reason) {
        warnings.warn("Incident sink {}: {} events dropped: {}", null, name, events, reason);
        SinkReporter r = reporter;
        if (r != null) {
            r.dropped(events, reason);
        }
    }

    private void degraded(String condition) {
        LOG.warn("Incident sink {}: {}", name, condition);
        SinkReporter r = reporter;
        if (r != null) {
            r.degraded(condition);
        }
    }

    /** Whether spooled events wait for a batched force (tests). */
    boolean spoolUnsynced() {
        lock.lock();
        try {
            return spool != null && spool.unsynced();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A snapshot of the counters.
     *
     * @return the stats
     */
    public DeliveryStats stats() {
        long pending;
        long bytes = 0;
        boolean spooling;
        lock.lock();
        try {
            pending = memory.size();
            spooling = spool != null && !spoolFailing && !readSuspended && memory.isEmpty();
            if (spool != null) {
                pending += spool.pending();
                bytes = spool.bytes();
            }
        } finally {
            lock.unlock();
        }
        return new DeliveryStats(name, accepted.get(), delivered.get(), retried.get(), deadLettered.get(),
                dropped.get(), pending, bytes, circuitOpen, spooling);
    }

    /**
     * Sends what it can within the close timeout, then stops; what is left stays in the spool (events only
     * in memory are counted as dropped). Bounded by the delivery's close timeout plus a short grace and, when
     * the SDK closes the sink, by the SDK's close deadline ({@link CloseDeadline}; the earlier of the two wins,
     * keeping a little of the SDK's time for closing the spool). An interrupt of the calling thread means the
     * caller has no time left: sending stops at once. Whenever this returns, the spool is closed and its
     * directory's lock released (a send still hanging is abandoned: its event stays spooled); the interrupt
     * status of the calling thread is kept.
     */
    public void close() {
        boolean interrupted = Thread.interrupted();
        try {
            closeWithin(interrupted);
        } finally {
            if (interrupted || Thread.interrupted()) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeWithin(boolean interrupted) {
        long now = System.nanoTime();
        long own = now + options.closeTimeout().toNanos();
        long abandonAt = own + CLOSE_GRACE_NANOS;
        long joinEnd = abandonAt + CLOSE_GRACE_NANOS;
        long lockBy = joinEnd + CLOSE_GRACE_NANOS;
        long stopSending = own;
        OptionalLong sdk = CloseDeadline.current();
        if (sdk.isPresent()) {
            long left = Math.max(0, sdk.getAsLong() - now);
            long reserve = Math.min(SPOOL_CLOSE_RESERVE_NANOS, left / 5);
            long end = now + left - reserve;
            lockBy = Math.min(lockBy, end + reserve / 2);
            if (joinEnd - end > 0) {
                long grace = Math.min(CLOSE_GRACE_NANOS, Math.max(0, end - now) / 4);
                joinEnd = end;
                abandonAt = end - grace;
                if (stopSending - (abandonAt - grace) > 0) {
                    stopSending = abandonAt - grace;
                    LOG.info("Incident sink {}: the SDK's close timeout ends before the delivery's close timeout "
                            + "({}): sending stops after {} ms, what is not sent stays spooled", name,
                            options.closeTimeout(), TimeUnit.NANOSECONDS.toMillis(Math.max(0, stopSending - now)));
                }
            }
        }
        if (interrupted) {
            stopSending = now;
            abandonAt = now;
            joinEnd = now;
            lockBy = Math.min(lockBy, now + CLOSE_GRACE_NANOS);
        }
        Thread sender;
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            closeDeadlineNanos = stopSending;
            changed.signalAll();
            sender = thread;
        } finally {
            lock.unlock();
        }
        if (sender != null && sender != Thread.currentThread()) {
            boolean ended = joinUntil(sender, abandonAt);
            if (!ended) {
                lock.lock();
                try {
                    abandoned = true; // from now on the delivery thread touches neither the spool nor a counter
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                sender.interrupt();
                joinUntil(sender, joinEnd);
            }
        }
        long lost;
        boolean released;
        boolean locked;
        try {
            // the delivery thread holds the lock only for one file operation; it never waits for the network
            locked = lock.tryLock(Math.max(0, lockBy - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = lock.tryLock();
        }
        if (!locked) {
            // the delivery thread is stuck inside a spool operation: it releases the spool when that returns
            abandoned = true;
            LOG.warn("Incident sink {}: the delivery thread is stuck in a spool operation; the spool is closed "
                    + "when it returns", name);
            closed = true;
            return;
        }
        try {
            lost = memory.size();
            memory.clear();
            released = releaseSpoolLocked();
            closed = true;
        } finally {
            lock.unlock();
        }
        if (lost > 0) {
            dropped.addAndGet(lost);
            LOG.warn("Incident sink {}: {} events held only in memory were not delivered before close", name, lost);
        }
        if (!released) {
            LOG.debug("Incident sink {}: no spool to close", name);
        }
    }

    /** Closes the spool once (delivery thread, when close() could not). */
    private void releaseSpool() {
        lock.lock();
        try {
            releaseSpoolLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the spool once; caller holds the lock. Returns whether there was one to close. */
    private boolean releaseSpoolLocked() {
        if (spoolReleased) {
            return false;
        }
        spoolReleased = true;
        if (spool == null) {
            return false;
        }
        long left = spool.pending();
        if (left > 0) {
            LOG.info("Incident sink {}: {} events stay in the spool for the next start", name, left);
        }
        closeQuietly(spool);
        return true;
    }

    private void closeQuietly(Spool toClose) {
        try {
            toClose.close();
        } catch (IOException e) {
            LOG.warn("Incident sink {}: closing the spool failed (its directory is released)", name, e);
        }
    }

    /**
     * Waits for a thread to end, at most until a deadline; an interrupt of the waiting thread ends the wait at
     * once (the caller has no time left) and is kept.
     */
    private static boolean joinUntil(Thread thread, long deadlineNanos) {
        while (thread.isAlive()) {
            long wait = deadlineNanos - System.nanoTime();
            if (wait <= 0) {
                break;
            }
            try {
                TimeUnit.NANOSECONDS.timedJoin(thread, wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return !thread.isAlive();
    }

    /**
     * Whether {@link #close()} finished.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return closed;
    }
}
