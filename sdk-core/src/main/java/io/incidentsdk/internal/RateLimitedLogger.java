package io.incidentsdk.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a warning at most once per interval and counts what it left out, so a failing sink or a broken
 * hook cannot flood the application's log.
 */
public final class RateLimitedLogger {

    private final Logger logger;
    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong skipped = new AtomicLong();

    /**
     * Creates a rate-limited logger.
     *
     * @param logger         where to log
     * @param intervalMillis at most one message per this many milliseconds
     */
    public RateLimitedLogger(Logger logger, long intervalMillis) {
        this.logger = logger;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /**
     * Logs a warning unless one was logged within the interval.
     *
     * @param message the message, with SLF4J {@code {}} placeholders
     * @param error   the cause, may be {@code null}
     * @param args    the message arguments
     */
    public void warn(String message, Throwable error, Object... args) {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        if ((next != Long.MIN_VALUE && now - next < 0) || !nextAllowed.compareAndSet(next, now + intervalNanos)) {
            skipped.incrementAndGet();
            return;
        }
        long left = skipped.getAndSet(0);
        Object[] all = new Object[args.length + (error != null ? 1 : 0)];
        System.arraycopy(args, 0, all, 0, args.length);
        if (error != null) {
            all[args.length] = error;
        }
        logger.warn(left > 0 ? message + " (" + left + " similar messages suppressed)" : message, all);
    }
}
