package io.incidentsdk.jdbc;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * When and how {@link TransactionRunner} retries a unit of work: which failure categories, how many
 * attempts, the backoff (exponential with full jitter: before retry {@code n} it waits a random time between
 * 0 and {@code min(maxBackoff, initialBackoff * 2^(n-1))}), the most time all attempts may take, and the
 * {@link RetryBudget} retries draw from. Immutable.
 *
 * <p>Defaults: {@code DEADLOCK} and {@code SERIALIZATION_FAILURE} are retried (a lock timeout only when
 * {@link Builder#retryLockTimeouts(boolean)} is on), 5 attempts, 10 ms initial and 1 s maximum backoff, 30 s in
 * all, connection failures that happen before the unit's first statement are retried on a fresh
 * connection, the process-wide budget.
 *
 * @since 0.1.0
 */
public final class RetryPolicy {

    private static final RetryPolicy DEFAULTS = builder().build();

    private final Set<SqlFailureCategory> categories;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxTotalTime;
    private final boolean retryConnectionFailuresBeforeFirstStatement;
    private final RetryBudget budget;
    private final SqlFailureClassifier classifier;

    private RetryPolicy(Builder b) {
        EnumSet<SqlFailureCategory> set = EnumSet.of(SqlFailureCategory.DEADLOCK, SqlFailureCategory.SERIALIZATION_FAILURE);
        if (b.retryLockTimeouts) {
            set.add(SqlFailureCategory.LOCK_TIMEOUT);
        }
        this.categories = Set.copyOf(set);
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.maxTotalTime = b.maxTotalTime;
        this.retryConnectionFailuresBeforeFirstStatement = b.retryConnectionFailuresBeforeFirstStatement;
        this.budget = b.budget;
        this.classifier = b.classifier;
    }

    /**
     * The default policy.
     *
     * @return the defaults
     */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * Starts configuring a policy.
     *
     * @return a builder holding the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether failures of this category are retried.
     *
     * @param category the category
     * @return {@code true} when retried
     */
    public boolean retries(SqlFailureCategory category) {
        return categories.contains(category);
    }

    /**
     * The retried categories.
     *
     * @return an immutable set
     */
    public Set<SqlFailureCategory> categories() {
        return categories;
    }

    /**
     * Attempts in all, the first included.
     *
     * @return the maximum number of attempts
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The backoff ceiling before the first retry.
     *
     * @return the initial backoff
     */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /**
     * The largest backoff ceiling.
     *
     * @return the maximum backoff
     */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * The most time all attempts of a unit may take; no retry starts after it.
     *
     * @return the bound
     */
    public Duration maxTotalTime() {
        return maxTotalTime;
    }

    /**
     * Whether a connection failure before the unit ran its first statement is retried on a fresh connection.
     *
     * @return {@code true} when retried
     */
    public boolean retryConnectionFailuresBeforeFirstStatement() {
        return retryConnectionFailuresBeforeFirstStatement;
    }

    /**
     * The budget retries draw from.
     *
     * @return the budget
     */
    public RetryBudget budget() {
        return budget;
    }

    /**
     * The classifier that decides the category of a failure.
     *
     * @return the classifier
     */
    public SqlFailureClassifier classifier() {
        return classifier;
    }

    /**
     * The backoff ceiling before retry number {@code retry} (1 for the first retry).
     *
     * @param retry the retry number, at least 1
     * @return {@code min(maxBackoff, initialBackoff * 2^(retry-1))} in milliseconds
     */
    long backoffCeilingMillis(int retry) {
        long initial = initialBackoff.toMillis();
        int shift = Math.min(30, Math.max(0, retry - 1));
        long ceiling = initial << shift;
        if (ceiling < initial) {
            ceiling = Long.MAX_VALUE;
        }
        return Math.min(maxBackoff.toMillis(), ceiling);
    }

    @Override
    public String toString() {
        return "RetryPolicy[categories=" + categories + ", maxAttempts=" + maxAttempts + ", initialBackoff="
                + initialBackoff + ", maxBackoff=" + maxBackoff + ", maxTotalTime=" + maxTotalTime + "]";
    }

    /**
     * Configures a {@link RetryPolicy}; each setter rejects a bad value with a message naming the field.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private boolean retryLockTimeouts;
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofMillis(10);
        private Duration maxBackoff = Duration.ofSeconds(1);
        private Duration maxTotalTime = Duration.ofSeconds(30);
        private boolean retryConnectionFailuresBeforeFirstStatement = true;
        private RetryBudget budget = RetryBudget.processDefault();
        private SqlFailureClassifier classifier = SqlFailureClassifier.defaults();

        private Builder() {
        }

        /**
         * Also retry lock timeouts (off by default: a lock wait that timed out often needs a person, not a retry).
         *
         * @param enabled whether to retry {@code LOCK_TIMEOUT}
         * @return this builder
         */
        public Builder retryLockTimeouts(boolean enabled) {
            this.retryLockTimeouts = enabled;
            return this;
        }

        /**
         * Attempts in all, the first included.
         *
         * @param attempts between 1 and 100
         * @return this builder
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1 || attempts > 100) {
                throw new IllegalArgumentException("maxAttempts must be between 1 and 100, was " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * The backoff: ceilings start at {@code initial} and double up to {@code max}; the actual wait is
         * random below the ceiling (full jitter).
         *
         * @param initial between 0 and 1 minute
         * @param max     between {@code initial} and 10 minutes
         * @return this builder
         */
        public Builder backoff(Duration initial, Duration max) {
            Objects.requireNonNull(initial, "initialBackoff must not be null");
            Objects.requireNonNull(max, "maxBackoff must not be null");
            if (initial.isNegative() || initial.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("initialBackoff must be between PT0S and PT1M, was " + initial);
            }
            if (max.compareTo(initial) < 0 || max.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("maxBackoff must be between initialBackoff and PT10M, was " + max);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /**
         * The most time all attempts of a unit may take.
         *
         * @param total between 1 ms and 1 hour
         * @return this builder
         */
        public Builder maxTotalTime(Duration total) {
            Objects.requireNonNull(total, "maxTotalTime must not be null");
            if (total.compareTo(Duration.ofMillis(1)) < 0 || total.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("maxTotalTime must be between PT0.001S and PT1H, was " + total);
            }
            this.maxTotalTime = total;
            return this;
        }

        /**
         * Whether a connection failure before the unit's first statement is retried on a fresh connection.
         *
         * @param enabled whether to retry it
         * @return this builder
         */
        public Builder retryConnectionFailuresBeforeFirstStatement(boolean enabled) {
            this.retryConnectionFailuresBeforeFirstStatement = enabled;
            return this;
        }

        /**
         * The budget retries draw from.
         *
         * @param budget not {@code null}
         * @return this builder
         */
        public Builder budget(RetryBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget must not be null");
            return this;
        }

        /**
         * The classifier (by default {@link SqlFailureClassifier#defaults()}).
         *
         * @param classifier not {@code null}
         * @return this builder
         */
        public Builder classifier(SqlFailureClassifier classifier) {
            this.classifier = Objects.requireNonNull(classifier, "classifier must not be null");
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return an immutable policy
         */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
