package io.incidentsdk.internal.delivery;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.internal.RateLimitedLogger;
import io.incidentsdk.internal.SinkChannel;
import io.incidentsdk.sink.DeliveryOptions;
import io.incidentsdk.sink.DeliveryStats;
import io.incidentsdk.sink.SinkReporter;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery machinery of the remote sinks: accepts events into a {@link Spool} (or a bounded queue in
 * memory), and sends them from a daemon thread of its own ({@code incident-sdk-delivery-<name>}), one at a
 * time, oldest first, with the JDK {@link HttpClient}.
 *
 * <p>Outcomes of one attempt: {@code 2xx} delivered (the record is acknowledged); a connection error, a
 * timeout, {@code 408}, {@code 429} or {@code 5xx} is retried after an exponential backoff with jitter, or
 * after the receiver's {@code Retry-After} when that is longer (bounded); any other status is final: the event
 * is written to the dead-letter file, counted and acknowledged. After {@code failureThreshold} consecutive
 * failures the circuit is open: nothing is sent for {@code openDuration}, then the head event probes the
 * receiver (half-open) and a success closes the circuit. The application never waits for any of this: it
 * happens on this thread, and {@link #offer} only appends.
 *
 * <p>Order: spooled events are older than those in memory (memory is used only while the spool cannot be
 * written, and the spool is tried again only once memory is empty), so one queue order holds throughout.
 */
public final class HttpDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(HttpDelivery.class);
    private static final long CLOSE_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /** Builds the request for one event: the sink's part of the work. */
    @FunctionalInterface
    public interface RequestFactory {
        /**
         * Builds the request.
         *
         * @param event     the event
         * @param request   a builder with the request timeout set
         * @param nowMillis the wall-clock time of this attempt (signatures are made per attempt)
         * @return the request, or {@code null} when there is nothing to send for this event
         */
        HttpRequest create(IncidentEvent event, HttpRequest.Builder request, long nowMillis);
    }

    private record Pending(Spool.Entry entry, IncidentEvent event, long writtenAtMillis) {
    }

    private enum Kind { DELIVERED, RETRY, REFUSED, ABANDONED }

    private record Attempt(Kind kind, int status, long retryAfterMillis, String reason) {
    }

    private final String name;
    private final DeliveryOptions options;
    private final RequestFactory factory;
    private final HttpClient client;
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
    private Spool spool;
    /** The spool as opened, closed on close even when reading it failed and {@link #spool} was let go. */
    private Spool openedSpool;
    private boolean spoolFailing;
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
     * @param factory builds each request
     */
    public HttpDelivery(String name, DeliveryOptions options, RequestFactory factory) {
        this.name = name;
        this.options = options;
        this.factory = factory;
        this.client = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
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

    private void openSpool() {
        try {
            spool = Spool.open(options.spoolDirectory(), options.spoolMaxBytes(), options.fsync(),
                    options.fsyncInterval().toNanos());
            openedSpool = spool;
            Spool.Recovery recovery = spool.recovery();
            if (recovery.pending() > 0) {
                LOG.info("Incident sink {}: {} events from an earlier run are pending in the spool; sending them first",
                        name, recovery.pending());
            }
            if (recovery.quarantinedSegments() > 0) {
                degraded("spool damage found at start: " + recovery.quarantinedSegments() + " segment tails ("
                        + recovery.quarantinedBytes() + " bytes) moved to quarantine/");
            }
        } catch (IOException | RuntimeException e) {
            spool = null;
            degraded("spool directory not usable (" + e.getClass().getSimpleName() + "): delivering from memory");
        }
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
                if (spool != null && memory.isEmpty()) {
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
        int failures = 0;
        try {
            Pending next;
            while ((next = next()) != null) {
                if (System.currentTimeMillis() - next.writtenAtMillis() > options.spoolMaxAge().toMillis()) {
                    complete(next);
                    dropped.incrementAndGet();
                    report(1, "older than the spool's age bound (" + options.spoolMaxAge() + ")");
                    continue;
                }
                Attempt attempt = attempt(next.event());
                switch (attempt.kind()) {
                    case DELIVERED:
                        complete(next);
                        delivered.incrementAndGet();
                        failures = 0;
                        circuitOpen = false;
                        break;
                    case REFUSED:
                        deadLetter(next, attempt);
                        complete(next);
                        failures = 0;
                        circuitOpen = false;
                        break;
                    case RETRY:
                        retried.incrementAndGet();
                        failures++;
                        long pause = backoffMillis(failures);
                        if (failures >= options.failureThreshold()) {
                            if (!circuitOpen) {
                                warnings.warn("Incident sink {}: {} consecutive delivery failures (latest: {}); "
                                        + "circuit open, next attempt in {}", null, name, failures, attempt.reason(),
                                        options.openDuration());
                            }
                            circuitOpen = true;
                            pause = Math.max(pause, options.openDuration().toMillis());
                        } else {
                            warnings.warn("Incident sink {}: delivery failed ({}); retrying", null, name,
                                    attempt.reason());
                        }
                        pause = Math.max(pause, Math.min(attempt.retryAfterMillis(),
                                options.maxRetryAfter().toMillis()));
                        if (!pause(pause)) {
                            return;
                        }
                        break;
                    default:
                        return;
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("Incident sink {}: the delivery thread stopped unexpectedly; pending events stay spooled",
                    name, e);
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

    /** Waits before the next attempt; {@code false} when closing does not leave time for it. */
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
                changed.awaitNanos(wait);
            }
            return false;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The next event to send; waits for one; {@code null} when the thread should end. */
    private Pending next() {
        lock.lock();
        try {
            while (!abandoned) {
                if (closing && System.nanoTime() - closeDeadlineNanos >= 0) {
                    return null;
                }
                Pending next = head();
                if (next != null) {
                    return next;
                }
                if (closing) {
                    return null;
                }
                if (spool != null && spool.unsynced()) {
                    changed.awaitNanos(options.fsyncInterval().toNanos());
                    syncSpool();
                } else {
                    changed.await();
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

    /** The oldest pending event: the spool's head first, then memory. Caller holds the lock. */
    private Pending head() {
        while (spool != null) {
            Spool.Entry entry;
            try {
                entry = spool.peek();
                long damaged = spool.takeDamaged();
                if (damaged > 0) {
                    dropped.addAndGet(damaged);
                    report(damaged, "spool segment damaged while running");
                }
            } catch (IOException e) {
                warnings.warn("Incident sink {}: reading the spool failed; delivering from memory", e, name);
                spool = null;
                break;
            }
            if (entry == null) {
                break;
            }
            try {
                IncidentEvent event = IncidentJson.fromJson(new String(entry.payload(), StandardCharsets.UTF_8));
                return new Pending(entry, event, entry.writtenAtMillis());
            } catch (IncidentJson.IncidentJsonException e) {
                // written by another version that this one cannot read back
                ackQuietly(entry);
                dropped.incrementAndGet();
                report(1, "spooled record not readable");
            }
        }
        return memory.peekFirst();
    }

    private void complete(Pending pending) {
        lock.lock();
        try {
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

    private Attempt attempt(IncidentEvent event) {
        HttpRequest request;
        try {
            request = factory.create(event, HttpRequest.newBuilder().timeout(options.requestTimeout())
                    .header("User-Agent", "incident-sdk"), System.currentTimeMillis());
        } catch (RuntimeException e) {
            return new Attempt(Kind.REFUSED, 0, 0, "request could not be built (" + e.getClass().getSimpleName() + ")");
        }
        if (request == null) {
            return new Attempt(Kind.DELIVERED, 0, 0, "nothing to send");
        }
        CompletableFuture<HttpResponse<Void>> response = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        long waitNanos = options.requestTimeout().toNanos() + options.connectTimeout().toNanos();
        try {
            HttpResponse<Void> answer = response.get(waitNanos, TimeUnit.NANOSECONDS);
            return classify(answer);
        } catch (TimeoutException e) {
            response.cancel(true);
            return new Attempt(Kind.RETRY, 0, 0, "no answer within the request timeout");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IOException) {
                return new Attempt(Kind.RETRY, 0, 0, cause.getClass().getSimpleName());
            }
            return new Attempt(Kind.REFUSED, 0, 0, "request failed (" + cause.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            response.cancel(true);
            return new Attempt(Kind.ABANDONED, 0, 0, "interrupted");
        }
    }

    static Attempt classify(HttpResponse<?> answer) {
        int status = answer.statusCode();
        if (status >= 200 && status < 300) {
            return new Attempt(Kind.DELIVERED, status, 0, "HTTP " + status);
        }
        if (status == 408 || status == 429 || status >= 500) {
            long retryAfter = RetryAfter.parseMillis(answer.headers().firstValue("Retry-After").orElse(null),
                    System.currentTimeMillis());
            return new Attempt(Kind.RETRY, status, retryAfter, "HTTP " + status);
        }
        return new Attempt(Kind.REFUSED, status, 0, "HTTP " + status);
    }

    private void deadLetter(Pending pending, Attempt attempt) {
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
        warnings.warn("Incident sink {}: the receiver refused event {} ({}), not retried{}", null, name,
                pending.event().eventId(), attempt.reason(), where);
        SinkReporter r = reporter;
        if (r != null) {
            r.dropped(1, "refused by the receiver (" + attempt.reason() + "): dead-lettered");
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
            spooling = spool != null && !spoolFailing && memory.isEmpty();
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
     * in memory are counted as dropped). Bounded by the close timeout plus a short grace.
     */
    public void close() {
        Thread sender;
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            closeDeadlineNanos = System.nanoTime() + options.closeTimeout().toNanos();
            changed.signalAll();
            sender = thread;
        } finally {
            lock.unlock();
        }
        if (sender != null && sender != Thread.currentThread()) {
            SinkChannel.joinUntil(sender, closeDeadlineNanos + CLOSE_GRACE_NANOS);
            if (sender.isAlive()) {
                abandoned = true;
                sender.interrupt();
                SinkChannel.joinUntil(sender, System.nanoTime() + CLOSE_GRACE_NANOS);
            }
        }
        long lost;
        lock.lock();
        try {
            lost = memory.size();
            memory.clear();
            if (openedSpool != null) {
                long left = openedSpool.pending();
                if (left > 0) {
                    LOG.info("Incident sink {}: {} events stay in the spool for the next start", name, left);
                }
                try {
                    openedSpool.close();
                } catch (IOException e) {
                    LOG.warn("Incident sink {}: closing the spool failed", name, e);
                }
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        if (lost > 0) {
            dropped.addAndGet(lost);
            LOG.warn("Incident sink {}: {} events held only in memory were not delivered before close", name, lost);
        }
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
