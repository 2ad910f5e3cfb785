package io.incidentsdk.jdbc;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds how much retrying may add to the load: a token bucket shared by everything that retries with it
 * (by default the whole process, {@link #processDefault()}).
 *
 * <p>Every unit of work started deposits {@code ratio} tokens (0.2: retries may add at most 20 % to the
 * executed units) and the bucket refills by itself at {@code minRetriesPerSecond}, so a quiet service can
 * still retry its rare deadlock. Every retry takes one token. The bucket holds at most
 * {@code maxTokens}. When it is empty, retries are refused: units fail fast with their original exception
 * and a {@code RETRY_BUDGET_EXHAUSTED} incident opens, instead of a retry storm making an overloaded
 * database slower still. Thread-safe and lock-free; time comes from the given clock.
 *
 * @since 0.1.0
 */
public final class RetryBudget {

    private static final RetryBudget PROCESS = builder().build();

    /** Token amounts are kept in millionths of a token: exact sums, one atomic word. */
    private static final long ONE = 1_000_000L;

    private final double ratio;
    private final double minRetriesPerSecond;
    private final double maxTokens;
    private final long ratioMicros;
    private final long maxMicros;
    private final Clock clock;
    private final AtomicLong tokens;
    private final AtomicLong lastRefillMillis;
    private final LongAdder refused = new LongAdder();

    private RetryBudget(Builder b) {
        this.ratio = b.ratio;
        this.minRetriesPerSecond = b.minRetriesPerSecond;
        this.maxTokens = b.maxTokens;
        this.ratioMicros = Math.round(b.ratio * ONE);
        this.maxMicros = Math.round(b.maxTokens * ONE);
        this.clock = b.clock;
        this.tokens = new AtomicLong(maxMicros);
        this.lastRefillMillis = new AtomicLong(clock.millis());
    }

    /**
     * The budget shared by every runner and watched data source of the process that was not given one:
     * ratio 0.2, 10 retries per second, at most 100 tokens.
     *
     * @return the process-wide budget
     */
    public static RetryBudget processDefault() {
        return PROCESS;
    }

    /**
     * Starts configuring a budget.
     *
     * @return a builder with the defaults of {@link #processDefault()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Counts one unit of work started: deposits {@code ratio} tokens. Lock-free and without a clock reading
     * (the time-based refill happens when a retry asks for a token); while the bucket is full, as it is in a
     * service that does not retry, it is a single read.
     */
    public void unitStarted() {
        long ratioMicros = this.ratioMicros;
        if (ratioMicros == 0L) {
            return;
        }
        for (;;) {
            long current = tokens.get();
            if (current >= maxMicros) {
                return;
            }
            if (tokens.compareAndSet(current, Math.min(maxMicros, current + ratioMicros))) {
                return;
            }
        }
    }

    /**
     * Takes one token for a retry.
     *
     * @return {@code false} when the budget is spent: do not retry
     */
    public boolean tryAcquire() {
        refill();
        for (;;) {
            long current = tokens.get();
            if (current < ONE) {
                refused.increment();
                return false;
            }
            if (tokens.compareAndSet(current, current - ONE)) {
                return true;
            }
        }
    }

    /**
     * Tokens available now.
     *
     * @return the tokens, between 0 and {@code maxTokens}
     */
    public double available() {
        refill();
        return tokens.get() / (double) ONE;
    }

    /**
     * Retries refused so far.
     *
     * @return the count
     */
    public long refused() {
        return refused.sum();
    }

    /** Adds what the clock says was earned since the last refill (one thread wins each elapsed span). */
    private void refill() {
        long now = clock.millis();
        long last = lastRefillMillis.get();
        long elapsed = now - last;
        if (elapsed <= 0 || !lastRefillMillis.compareAndSet(last, now)) {
            return;
        }
        double earned = elapsed * minRetriesPerSecond * (ONE / 1000.0);
        long add = earned >= maxMicros ? maxMicros : Math.round(earned);
        if (add <= 0) {
            return;
        }
        for (;;) {
            long current = tokens.get();
            long next = Math.min(maxMicros, current + add);
            if (next == current || tokens.compareAndSet(current, next)) {
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "RetryBudget[ratio=" + ratio + ", minRetriesPerSecond=" + minRetriesPerSecond + ", maxTokens=" + maxTokens + "]";
    }

    /**
     * Configures a {@link RetryBudget}.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private double ratio = 0.2;
        private double minRetriesPerSecond = 10;
        private double maxTokens = 100;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Tokens deposited per unit of work: the share of retries allowed on top of the units.
         *
         * @param ratio between 0 and 10
         * @return this builder
         */
        public Builder ratio(double ratio) {
            if (!(ratio >= 0 && ratio <= 10)) {
                throw new IllegalArgumentException("ratio must be between 0 and 10, was " + ratio);
            }
            this.ratio = ratio;
            return this;
        }

        /**
         * Tokens added per second whatever the traffic (the floor).
         *
         * @param perSecond between 0 and 1,000,000
         * @return this builder
         */
        public Builder minRetriesPerSecond(double perSecond) {
            if (!(perSecond >= 0 && perSecond <= 1_000_000)) {
                throw new IllegalArgumentException("minRetriesPerSecond must be between 0 and 1000000, was " + perSecond);
            }
            this.minRetriesPerSecond = perSecond;
            return this;
        }

        /**
         * The most tokens the bucket holds (also its content at start).
         *
         * @param maxTokens between 1 and 1,000,000
         * @return this builder
         */
        public Builder maxTokens(double maxTokens) {
            if (!(maxTokens >= 1 && maxTokens <= 1_000_000)) {
                throw new IllegalArgumentException("maxTokens must be between 1 and 1000000, was " + maxTokens);
            }
            this.maxTokens = maxTokens;
            return this;
        }

        /**
         * The clock for the refill (tests inject one).
         *
         * @param clock not {@code null}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * Builds the budget, full.
         *
         * @return a new budget
         */
        public RetryBudget build() {
            return new RetryBudget(this);
        }
    }
}
