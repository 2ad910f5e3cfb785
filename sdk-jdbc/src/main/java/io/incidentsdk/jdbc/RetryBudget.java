package io.incidentsdk.jdbc;

import java.time.Clock;
import java.util.Objects;

/**
 * Bounds how much retrying may add to the load: a token bucket shared by everything that retries with it
 * (by default the whole process, {@link #processDefault()}).
 *
 * <p>Every unit of work started deposits {@code ratio} tokens (0.2: retries may add at most 20 % to the
 * executed units) and the bucket refills by itself at {@code minRetriesPerSecond}, so a quiet service can
 * still retry its rare deadlock. Every retry takes one token. The bucket holds at most
 * {@code maxTokens}. When it is empty, retries are refused: units fail fast with their original exception
 * and a {@code RETRY_BUDGET_EXHAUSTED} incident opens, instead of a retry storm making an overloaded
 * database slower still. Thread-safe; time comes from the given clock.
 *
 * @since 0.1.0
 */
public final class RetryBudget {

    private static final RetryBudget PROCESS = builder().build();

    private final double ratio;
    private final double minRetriesPerSecond;
    private final double maxTokens;
    private final Clock clock;
    private double tokens;
    private long lastRefillMillis;
    private long refused;

    private RetryBudget(Builder b) {
        this.ratio = b.ratio;
        this.minRetriesPerSecond = b.minRetriesPerSecond;
        this.maxTokens = b.maxTokens;
        this.clock = b.clock;
        this.tokens = b.maxTokens;
        this.lastRefillMillis = clock.millis();
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

    /** Counts one unit of work started: deposits {@code ratio} tokens. */
    public synchronized void unitStarted() {
        refill();
        tokens = Math.min(maxTokens, tokens + ratio);
    }

    /**
     * Takes one token for a retry.
     *
     * @return {@code false} when the budget is spent: do not retry
     */
    public synchronized boolean tryAcquire() {
        refill();
        if (tokens >= 1.0 - 1e-9) { // 10 deposits of 0.1 make one token despite binary fractions
            tokens = Math.max(0.0, tokens - 1.0);
            return true;
        }
        refused++;
        return false;
    }

    /**
     * The tokens available now.
     *
     * @return the tokens, between 0 and {@code maxTokens}
     */
    public synchronized double available() {
        refill();
        return tokens;
    }

    /**
     * Retries refused so far.
     *
     * @return the count
     */
    public synchronized long refused() {
        return refused;
    }

    private void refill() {
        long now = clock.millis();
        long elapsed = now - lastRefillMillis;
        if (elapsed > 0) {
            tokens = Math.min(maxTokens, tokens + elapsed * minRetriesPerSecond / 1000.0);
            lastRefillMillis = now;
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
