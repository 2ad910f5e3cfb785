package io.incidentsdk.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * How a data source is watched: its name in records, the classifier, which failure categories open
 * incidents, error-spike thresholds, deadlock forensics and metrics. Immutable; build it with
 * {@link #builder()} or take {@link #defaults()}.
 *
 * @since 0.1.0
 */
public final class JdbcWatchOptions {

    private final String dataSourceName;
    private final SqlFailureClassifier classifier;
    private final Set<SqlFailureCategory> incidentCategories;
    private final boolean spikeDetection;
    private final Duration spikeWindow;
    private final int spikeBuckets;
    private final double spikeThreshold;
    private final double spikeRecoveryThreshold;
    private final int spikeMinimumCalls;
    private final Duration spikeCoolDown;
    private final boolean innoDbStatus;
    private final Duration innoDbStatusInterval;
    private final Object meterRegistry;
    private final boolean autoCommitRetry;
    private final int autoCommitMaxAttempts;
    private final RetryBudget retryBudget;
    private final List<Supplier<? extends Map<String, String>>> contextAttributes;
    private final double lockOrderSampling;
    private final LockOrderAvoidance lockOrderAvoidance;

    /**
     * The share of explicit transactions the lock-order analysis looks at by default: one in twenty.
     *
     * @since 0.2.0
     */
    public static final double DEFAULT_LOCK_ORDER_SAMPLING = 0.05;

    private JdbcWatchOptions(Builder b) {
        this.dataSourceName = b.dataSourceName;
        this.classifier = b.classifier;
        this.incidentCategories = Set.copyOf(b.incidentCategories);
        this.spikeDetection = b.spikeDetection;
        this.spikeWindow = b.spikeWindow;
        this.spikeBuckets = b.spikeBuckets;
        this.spikeThreshold = b.spikeThreshold;
        this.spikeRecoveryThreshold = b.spikeRecoveryThreshold;
        this.spikeMinimumCalls = b.spikeMinimumCalls;
        this.spikeCoolDown = b.spikeCoolDown;
        this.innoDbStatus = b.innoDbStatus;
        this.innoDbStatusInterval = b.innoDbStatusInterval;
        this.meterRegistry = b.meterRegistry;
        this.autoCommitRetry = b.autoCommitRetry;
        this.autoCommitMaxAttempts = b.autoCommitMaxAttempts;
        this.retryBudget = b.retryBudget;
        this.contextAttributes = List.copyOf(b.contextAttributes);
        this.lockOrderSampling = b.lockOrderSampling;
        this.lockOrderAvoidance = b.lockOrderAvoidance;
    }

    /**
     * The share of explicit transactions whose lock order is analysed ({@code 0}: off, {@code 1}: every one).
     *
     * @return the rate, {@value #DEFAULT_LOCK_ORDER_SAMPLING} by default
     * @since 0.2.0
     */
    public double lockOrderSampling() {
        return lockOrderSampling;
    }

    /**
     * Whether and how {@link TransactionRunner} units avoid predicted lock cycles.
     *
     * @return the avoidance, {@link LockOrderAvoidance#OFF} by default
     * @since 0.2.0
     */
    public LockOrderAvoidance lockOrderAvoidance() {
        return lockOrderAvoidance;
    }

    /**
     * The defaults: data source named {@code default}, the default classifier, incidents for deadlocks,
     * serialization failures, lock timeouts, query timeouts and connection failures, spike detection over
     * 60 s (threshold 20 %, recovery below 10 %, at least 20 calls, 30 s cool-down), InnoDB status read
     * at most every 10 s, no metrics.
     *
     * @return the default options
     */
    public static JdbcWatchOptions defaults() {
        return builder().build();
    }

    /**
     * Starts configuring options.
     *
     * @return a builder holding the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The data source's name in records and metric tags.
     *
     * @return the name
     */
    public String dataSourceName() {
        return dataSourceName;
    }

    /**
     * The classifier.
     *
     * @return the classifier
     */
    public SqlFailureClassifier classifier() {
        return classifier;
    }

    /**
     * The categories whose failures open incidents (every failure counts for spikes and metrics).
     *
     * @return an immutable set
     */
    public Set<SqlFailureCategory> incidentCategories() {
        return incidentCategories;
    }

    /**
     * Whether error spikes are detected.
     *
     * @return {@code true} when enabled
     */
    public boolean spikeDetection() {
        return spikeDetection;
    }

    /**
     * The spike window.
     *
     * @return the window
     */
    public Duration spikeWindow() {
        return spikeWindow;
    }

    /**
     * Buckets of the spike window.
     *
     * @return the number of buckets
     */
    public int spikeBuckets() {
        return spikeBuckets;
    }

    /**
     * Failure rate that opens a spike.
     *
     * @return the threshold
     */
    public double spikeThreshold() {
        return spikeThreshold;
    }

    /**
     * Failure rate below which a spike counts as recovered.
     *
     * @return the recovery threshold
     */
    public double spikeRecoveryThreshold() {
        return spikeRecoveryThreshold;
    }

    /**
     * Calls the window needs before a spike can open.
     *
     * @return the minimum
     */
    public int spikeMinimumCalls() {
        return spikeMinimumCalls;
    }

    /**
     * How long the rate must stay recovered before a spike resolves.
     *
     * @return the cool-down
     */
    public Duration spikeCoolDown() {
        return spikeCoolDown;
    }

    /**
     * Whether MariaDB/MySQL deadlocks are explained from {@code SHOW ENGINE INNODB STATUS}.
     *
     * @return {@code true} when enabled
     */
    public boolean innoDbStatus() {
        return innoDbStatus;
    }

    /**
     * The least time between two reads of the InnoDB status.
     *
     * @return the interval
     */
    public Duration innoDbStatusInterval() {
        return innoDbStatusInterval;
    }

    /**
     * The Micrometer registry for JDBC failure metrics, or {@code null}.
     *
     * @return an {@code io.micrometer.core.instrument.MeterRegistry} or {@code null}
     */
    public Object meterRegistry() {
        return meterRegistry;
    }

    /**
     * Whether a single statement that failed with a deadlock or serialization failure in auto-commit mode is
     * run again by the wrapper (it had no effect). Never a batch, a stored-procedure call or a statement
     * inside an explicit transaction.
     *
     * @return {@code true} when enabled
     */
    public boolean autoCommitRetry() {
        return autoCommitRetry;
    }

    /**
     * Attempts in all for an auto-commit statement, the first included.
     *
     * @return the maximum
     */
    public int autoCommitMaxAttempts() {
        return autoCommitMaxAttempts;
    }

    /**
     * The budget auto-commit re-runs draw from.
     *
     * @return the budget
     */
    public RetryBudget retryBudget() {
        return retryBudget;
    }

    /**
     * The suppliers of context attributes added to the incidents of this data source (see
     * {@link Builder#contextAttributes(Supplier)}), in the order they were added.
     *
     * @return an immutable list, empty by default
     * @since 0.1.0
     */
    public List<Supplier<? extends Map<String, String>>> contextAttributes() {
        return contextAttributes;
    }

    /**
     * Configures {@link JdbcWatchOptions}. Every setter validates at once and names the field and bound.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private String dataSourceName = "default";
        private SqlFailureClassifier classifier = SqlFailureClassifier.defaults();
        private Set<SqlFailureCategory> incidentCategories = EnumSet.of(SqlFailureCategory.DEADLOCK,
                SqlFailureCategory.SERIALIZATION_FAILURE, SqlFailureCategory.LOCK_TIMEOUT,
                SqlFailureCategory.QUERY_TIMEOUT, SqlFailureCategory.CONNECTION_FAILURE);
        private boolean spikeDetection = true;
        private Duration spikeWindow = Duration.ofSeconds(60);
        private int spikeBuckets = 12;
        private double spikeThreshold = 0.2;
        private double spikeRecoveryThreshold = 0.1;
        private int spikeMinimumCalls = 20;
        private Duration spikeCoolDown = Duration.ofSeconds(30);
        private boolean innoDbStatus = true;
        private Duration innoDbStatusInterval = Duration.ofSeconds(10);
        private Object meterRegistry;
        private boolean autoCommitRetry = true;
        private int autoCommitMaxAttempts = 3;
        private RetryBudget retryBudget = RetryBudget.processDefault();
        private final List<Supplier<? extends Map<String, String>>> contextAttributes = new ArrayList<>();
        private double lockOrderSampling = DEFAULT_LOCK_ORDER_SAMPLING;
        private LockOrderAvoidance lockOrderAvoidance = LockOrderAvoidance.OFF;

        private Builder() {
        }

        /**
         * Adds a supplier of context attributes: what the application was doing when a call failed (for example
         * the HTTP method and route template of the request, or MDC values), copied into the attributes of the
         * incident that the failure opens. Several suppliers may be added; they are asked in that order, and a
         * later one's key replaces an earlier one's. The SDK's own attributes ({@code operation}, {@code rule},
         * {@code callSite}) are never replaced.
         *
         * <p>A supplier is asked only on the failure path, on the application thread that made the failed call,
         * when a failure opens an incident (not for a repeat that only counts an open incident's occurrences),
         * and never on the success path. It must be quick and must not block. At most 16 attributes are taken;
         * keys and values pass through the same text gate as every other field of a record (one line, bounded,
         * a JDBC URL inside reduced to its safe parts): give values that say what kind of work it was (a route
         * template, not the request path with its ids; a request id, not a user's data). A supplier that throws,
         * or returns {@code null}, adds nothing; the failure is logged at most once a minute, and the application
         * still gets the driver's exception unchanged.
         *
         * @param supplier not {@code null}; may return {@code null} or an empty map
         * @return this builder
         * @since 0.1.0
         */
        public Builder contextAttributes(Supplier<? extends Map<String, String>> supplier) {
            this.contextAttributes.add(Objects.requireNonNull(supplier, "contextAttributes must not be null"));
            return this;
        }

        /**
         * Whether the wrapper runs an auto-commit statement again after a deadlock or serialization failure
         * (on by default), and how many attempts it makes in all.
         *
         * @param enabled     whether to re-run
         * @param maxAttempts attempts in all, between 1 and 10
         * @return this builder
         */
        public Builder autoCommitRetry(boolean enabled, int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > 10) {
                throw new IllegalArgumentException("autoCommitMaxAttempts must be between 1 and 10, was " + maxAttempts);
            }
            this.autoCommitRetry = enabled;
            this.autoCommitMaxAttempts = maxAttempts;
            return this;
        }

        /**
         * The budget auto-commit re-runs draw from (by default {@link RetryBudget#processDefault()}).
         *
         * @param budget not {@code null}
         * @return this builder
         */
        public Builder retryBudget(RetryBudget budget) {
            this.retryBudget = Objects.requireNonNull(budget, "retryBudget must not be null");
            return this;
        }

        /**
         * Names the data source in records and metrics (a bean name, a pool name).
         *
         * @param name not {@code null} or blank, at most 100 characters
         * @return this builder
         */
        public Builder dataSourceName(String name) {
            Objects.requireNonNull(name, "dataSourceName must not be null");
            if (name.isBlank() || name.length() > 100) {
                throw new IllegalArgumentException("dataSourceName must be 1 to 100 characters, was \"" + name + "\"");
            }
            this.dataSourceName = name;
            return this;
        }

        /**
         * Replaces the classifier (for example one with rules of your own).
         *
         * @param classifier not {@code null}
         * @return this builder
         */
        public Builder classifier(SqlFailureClassifier classifier) {
            this.classifier = Objects.requireNonNull(classifier, "classifier must not be null");
            return this;
        }

        /**
         * Which failure categories open incidents.
         *
         * @param categories not {@code null}; may be empty (then only spikes and metrics)
         * @return this builder
         */
        public Builder incidentCategories(Set<SqlFailureCategory> categories) {
            Objects.requireNonNull(categories, "incidentCategories must not be null");
            this.incidentCategories = categories.isEmpty() ? EnumSet.noneOf(SqlFailureCategory.class)
                    : EnumSet.copyOf(categories);
            return this;
        }

        /**
         * Turns error-spike detection on or off.
         *
         * @param enabled whether to detect spikes
         * @return this builder
         */
        public Builder spikeDetection(boolean enabled) {
            this.spikeDetection = enabled;
            return this;
        }

        /**
         * The spike window and its buckets.
         *
         * @param window  between 1 s and 1 hour
         * @param buckets between 2 and 600
         * @return this builder
         */
        public Builder spikeWindow(Duration window, int buckets) {
            Objects.requireNonNull(window, "spikeWindow must not be null");
            if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("spikeWindow must be between PT1S and PT1H, was " + window);
            }
            if (buckets < 2 || buckets > 600) {
                throw new IllegalArgumentException("spikeBuckets must be between 2 and 600, was " + buckets);
            }
            this.spikeWindow = window;
            this.spikeBuckets = buckets;
            return this;
        }

        /**
         * The failure rates that open and resolve a spike.
         *
         * @param threshold         in (0, 1]
         * @param recoveryThreshold in [0, threshold]
         * @return this builder
         */
        public Builder spikeThresholds(double threshold, double recoveryThreshold) {
            if (!(threshold > 0 && threshold <= 1)) {
                throw new IllegalArgumentException("spikeThreshold must be within (0, 1], was " + threshold);
            }
            if (!(recoveryThreshold >= 0 && recoveryThreshold <= threshold)) {
                throw new IllegalArgumentException("spikeRecoveryThreshold must be within [0, spikeThreshold], was "
                        + recoveryThreshold);
            }
            this.spikeThreshold = threshold;
            this.spikeRecoveryThreshold = recoveryThreshold;
            return this;
        }

        /**
         * Calls the window needs before a spike can open.
         *
         * @param calls at least 1
         * @return this builder
         */
        public Builder spikeMinimumCalls(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("spikeMinimumCalls must be >= 1, was " + calls);
            }
            this.spikeMinimumCalls = calls;
            return this;
        }

        /**
         * How long the rate must stay recovered before a spike resolves.
         *
         * @param coolDown between 0 and 1 hour
         * @return this builder
         */
        public Builder spikeCoolDown(Duration coolDown) {
            Objects.requireNonNull(coolDown, "spikeCoolDown must not be null");
            if (coolDown.isNegative() || coolDown.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("spikeCoolDown must be between PT0S and PT1H, was " + coolDown);
            }
            this.spikeCoolDown = coolDown;
            return this;
        }

        /**
         * Whether to explain MariaDB/MySQL deadlocks from {@code SHOW ENGINE INNODB STATUS} (read on a
         * separate connection, at most once per interval; needs the PROCESS privilege, and says so in the
         * incident when it is missing).
         *
         * @param enabled  whether to read it
         * @param interval the least time between two reads, between 0 and 1 hour
         * @return this builder
         */
        public Builder innoDbStatus(boolean enabled, Duration interval) {
            Objects.requireNonNull(interval, "innoDbStatusInterval must not be null");
            if (interval.isNegative() || interval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("innoDbStatusInterval must be between PT0S and PT1H, was " + interval);
            }
            this.innoDbStatus = enabled;
            this.innoDbStatusInterval = interval;
            return this;
        }

        /**
         * Publishes {@code incident.jdbc.failures} (tags {@code category}, {@code dataSource}) to Micrometer.
         * Only call it when Micrometer is on the class path.
         *
         * @param registry an {@code io.micrometer.core.instrument.MeterRegistry}, not {@code null}
         * @return this builder
         */
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry must not be null");
            return this;
        }

        /**
         * The share of explicit transactions whose lock order is analysed (lock-order risks, DESIGN section 11):
         * {@code 0} switches the analysis off (but for the test extension's recordings), {@code 1} analyses every
         * transaction. A transaction that is not analysed costs one random number at its start.
         *
         * @param rate between 0 and 1
         * @return this builder
         * @since 0.2.0
         */
        public Builder lockOrderSampling(double rate) {
            if (!(rate >= 0.0 && rate <= 1.0)) {
                throw new IllegalArgumentException("lockOrderSampling must be between 0 and 1, was " + rate);
            }
            this.lockOrderSampling = rate;
            return this;
        }

        /**
         * Whether and how {@link TransactionRunner} units avoid the lock cycles that a reported lock-order risk or
         * a deadlock showed (opt-in).
         *
         * @param avoidance the avoidance, not {@code null}
         * @return this builder
         * @since 0.2.0
         */
        public Builder lockOrderAvoidance(LockOrderAvoidance avoidance) {
            this.lockOrderAvoidance = Objects.requireNonNull(avoidance, "lockOrderAvoidance must not be null");
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options
         */
        public JdbcWatchOptions build() {
            return new JdbcWatchOptions(this);
        }
    }
}
