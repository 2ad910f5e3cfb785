package io.incidentsdk.jdbc.internal.watch;

import io.incidentsdk.DatabaseInfo;
import io.incidentsdk.ErrorInfo;
import io.incidentsdk.ErrorSpikeDetector;
import io.incidentsdk.Fingerprint;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.RetryInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.StatementInfo;
import io.incidentsdk.TimelineEntry;
import io.incidentsdk.internal.RateLimitedLogger;
import io.incidentsdk.internal.Text;
import io.incidentsdk.jdbc.DatabaseVendor;
import io.incidentsdk.jdbc.DriverMessageRedactor;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.jdbc.RollbackScope;
import io.incidentsdk.jdbc.SanitizedSql;
import io.incidentsdk.jdbc.SqlFailure;
import io.incidentsdk.jdbc.SqlFailureCategory;
import io.incidentsdk.jdbc.SqlSanitizer;
import io.incidentsdk.jdbc.internal.forensics.CallSite;
import io.incidentsdk.jdbc.internal.forensics.ConnectionRegistry;
import io.incidentsdk.jdbc.internal.forensics.DeadlockForensics;
import io.incidentsdk.jdbc.internal.forensics.DeadlockIncidents;
import io.incidentsdk.jdbc.internal.wrap.ConnectionState;
import io.incidentsdk.jdbc.internal.wrap.DataSourceContext;
import io.incidentsdk.jdbc.internal.wrap.JdbcObserver;
import io.incidentsdk.jdbc.internal.wrap.JdbcOperation;
import io.incidentsdk.jdbc.internal.wrap.StatementState;
import io.incidentsdk.jdbc.internal.wrap.TransactionHistory;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the JDBC wrappers of one data source observe into counts, metrics and incidents.
 *
 * <p>Success path: one increment of a field of the connection, which the spike windows take every 100 ms
 * (the connection does it without calling here in auto-commit mode while no unit of work is open, see
 * {@link ConnectionState#countOwnSuccesses()}); inside a unit of work the unit counts once at its end.
 * Failure path, on the application thread: classify, sanitize the statement (cached per prepared statement),
 * count, and either count a repeat of the open incident or build a new one; the other transactions of a
 * deadlock come from {@link DeadlockForensics} (for MariaDB/MySQL on a separate daemon thread, from the InnoDB
 * status). Nothing here ever throws into the application's call.
 */
public final class JdbcWatch implements JdbcObserver {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcWatch.class);
    /** Process-wide spike windows per SDK; entries go when the SDK closes (see {@link #retire()}). */
    private static final Map<IncidentSdk, ProcessWide> PROCESS_WIDE = new WeakHashMap<>();

    private final IncidentSdk sdk;
    private final JdbcWatchOptions options;
    private final DataSource target;
    private final String dataSourceName;
    private final SqlSanitizer sanitizer = SqlSanitizer.defaults();
    private final ErrorSpikeDetector spikes;
    private final ProcessWide processWide;
    private final FailureMetrics metrics;
    private final RateLimitedLogger warnings = new RateLimitedLogger(LOG, 60_000);
    /** Its own limit: a broken context supplier must not hide the other warnings, nor they it. */
    private final RateLimitedLogger contextWarnings = new RateLimitedLogger(LOG, 60_000);
    private final AtomicLong nextEvaluation = new AtomicLong();
    private final DeadlockIncidents deadlocks;
    private volatile DatabaseVendor vendor;
    private volatile DataSourceContext lastContext;
    private final io.incidentsdk.jdbc.internal.lockorder.LockOrderAnalysis lockOrder;

    /** The process-wide spike window of one SDK, shared by its watches. */
    private static final class ProcessWide {
        final ErrorSpikeDetector detector;
        final AtomicInteger dataSources = new AtomicInteger();

        ProcessWide(ErrorSpikeDetector detector) {
            this.detector = detector;
        }
    }

    /**
     * Creates the watch of one data source.
     *
     * @param sdk     where incidents go
     * @param options how to watch
     * @param target  the data source being watched (used, unwatched, to read InnoDB status)
     */
    public JdbcWatch(IncidentSdk sdk, JdbcWatchOptions options, DataSource target) {
        this.sdk = sdk;
        this.options = options;
        this.target = target;
        this.dataSourceName = options.dataSourceName();
        this.metrics = FailureMetrics.create(options.meterRegistry(), dataSourceName);
        this.deadlocks = new DeadlockIncidents(sanitizer, new DeadlockForensics(sanitizer, target,
                options.innoDbStatusInterval(), warnings), dataSourceName);
        this.lockOrder = new io.incidentsdk.jdbc.internal.lockorder.LockOrderAnalysis(sdk, dataSourceName, target,
                this::databaseInfo, options.lockOrderSampling(), options.lockOrderAvoidance());
        if (options.spikeDetection()) {
            this.spikes = detector(sdk, options, dataSourceName).database(this::databaseInfo).build();
            deadlocks.seriesFrom(spikes);
            synchronized (PROCESS_WIDE) {
                this.processWide = PROCESS_WIDE.computeIfAbsent(sdk,
                        s -> new ProcessWide(detector(s, options, "all data sources").build()));
            }
            processWide.dataSources.incrementAndGet();
            SpikeEvaluator.register(this);
        } else {
            this.spikes = null;
            this.processWide = null;
        }
    }

    /** What the spike windows of the JDBC module count, for the spike incident's readers. */
    static final String SPIKE_COUNTS = "units of work: a TransactionRunner or @RetryableTransaction unit or an explicit "
            + "transaction once, at its end; an auto-commit statement on its own; a failure a retry absorbed is a "
            + "success";

    private static ErrorSpikeDetector.Builder detector(IncidentSdk sdk, JdbcWatchOptions options, String scope) {
        return ErrorSpikeDetector.builder(sdk, scope)
                .counting("units of work")
                .attribute("spike.counts", SPIKE_COUNTS)
                .window(options.spikeWindow(), options.spikeBuckets())
                .thresholds(options.spikeThreshold(), options.spikeRecoveryThreshold())
                .minimumCalls(options.spikeMinimumCalls())
                .coolDown(options.spikeCoolDown());
    }

    /**
     * Whether this watch reports to the given SDK.
     *
     * @param other an SDK
     * @return {@code true} when it is this watch's SDK
     */
    public boolean reportsTo(IncidentSdk other) {
        return sdk == other;
    }

    // ---------------------------------------------------------------- observer

    /*
     * The spike windows count units of work (DESIGN 7), so that their rate is what users see: a unit of a
     * TransactionRunner or @RetryableTransaction (a RetryScope on the thread) counts once when it ends; outside
     * one, an explicit transaction counts once, at its commit or at its first failure; an auto-commit statement
     * counts on its own. A failure a retry absorbed is a success for users.
     */

    @Override
    public void succeeded(ConnectionState connection, boolean autoCommit) {
        if (spikes == null) {
            return;
        }
        RetryScope scope = countingUnit();
        if (scope != null) {
            scope.succeeded(this, autoCommit);
        } else if (autoCommit) {
            countUnitSucceeded(connection);
        }
        // a statement of an explicit transaction outside a unit: the transaction counts at its commit
    }

    @Override
    public void committed(ConnectionState connection) {
        if (spikes == null) {
            return;
        }
        RetryScope scope = countingUnit();
        if (scope != null) {
            scope.succeeded(this, true);
        } else if (!connection.unitFailureCounted()) {
            countUnitSucceeded(connection);
        }
    }

    /** The unit of work on this thread that counts calls in the spike windows, {@code null} when none does. */
    private static RetryScope countingUnit() {
        RetryScope scope = RetryScope.current();
        return scope == null ? null : scope.countingUnit();
    }

    /**
     * Counts a successful unit of work of a connection: on the connection (no shared line written), or, for a
     * connection the windows cannot take counts from while it is open, in the windows directly.
     */
    private void countUnitSucceeded(ConnectionState connection) {
        if (connection.countsTaken()) {
            connection.countCall();
        } else {
            spikes.recordCall();
            if (processWide.dataSources.get() > 1) {
                processWide.detector.recordCall();
            }
        }
    }

    /**
     * Hands the units of work a connection of this data source counted since the last time to the spike windows
     * (the connection counts them without a shared counter; see {@link ConnectionState#countCall()}).
     *
     * @param connection a connection of this data source
     */
    void takeCountedCalls(ConnectionState connection) {
        if (spikes == null) {
            return;
        }
        long calls = connection.takeCountedCalls();
        if (calls > 0) {
            spikes.recordCalls(calls);
            if (processWide.dataSources.get() > 1) {
                processWide.detector.recordCalls(calls);
            }
        }
    }

    /**
     * Takes what every open connection of every watched data source counted, each into its own data source's
     * windows: the evaluator every 100 ms, and an evaluation before it reads the windows.
     */
    static void takeAllCountedCalls() {
        ConnectionRegistry.GLOBAL.forEachOpen(connection -> {
            if (connection.dataSource().observer() instanceof JdbcWatch watch) {
                watch.takeCountedCalls(connection);
            }
        });
    }

    /**
     * A unit of work that ran calls through this watch ended: counted once in the spike windows.
     *
     * @param failure            the unit's last failure when it ended with it, {@code null} when it succeeded for
     *                           its users
     * @param processWideCounted the process-wide windows that counted this unit already, added to here
     *                           ({@code null}: the unit used this watch only)
     */
    void unitEnded(RetryScope.UnitFailure failure, java.util.Set<Object> processWideCounted) {
        try {
            if (spikes == null) {
                return;
            }
            boolean failedHere = failure != null && failure.watch() == this;
            if (failedHere) {
                spikes.recordFailure(failure.category(), failure.fingerprint(), failure.label(), failure.atMillis());
            } else {
                spikes.recordCall();
            }
            // the process-wide window counts the unit once, whichever of its data sources comes first here
            if (processWide.dataSources.get() > 1
                    && (processWideCounted == null || processWideCounted.add(processWide))) {
                if (failure != null && failure.watch().processWide == processWide) {
                    processWide.detector.recordFailure(failure.category(), failure.fingerprint(), failure.label(),
                            failure.atMillis());
                } else {
                    processWide.detector.recordCall();
                }
            }
            if (failedHere) {
                long now = sdk.clock().millis();
                long due = nextEvaluation.get();
                if (now >= due && nextEvaluation.compareAndSet(due, now + 100)) {
                    evaluateSpikes();
                }
            }
        } catch (RuntimeException | LinkageError e) {
            warnings.warn("Incident SDK could not count a unit of work on data source {}", e, dataSourceName);
        }
    }

    @Override
    public io.incidentsdk.jdbc.internal.lockorder.LockOrderAnalysis lockOrder() {
        return lockOrder;
    }

    @Override
    public void connectionOpened(ConnectionState connection) {
        if (lastContext == null) {
            lastContext = connection.dataSource();
        }
        if (!ConnectionRegistry.GLOBAL.add(connection)) {
            // no slot (thousands of connections open): the windows could not take its counts until it closes
            connection.countsNotTaken();
        } else if (spikes != null) {
            // what succeeded(...) does outside a unit of work in auto-commit mode, without the call
            connection.countOwnSuccesses();
        }
    }

    @Override
    public void connectionClosed(ConnectionState connection) {
        try {
            takeCountedCalls(connection);
        } finally {
            ConnectionRegistry.GLOBAL.remove(connection);
        }
    }

    @Override
    public void callSiteWanted(String sql, ConnectionState connection) {
        String callSite = CallSite.current();
        if (callSite != null) {
            deadlocks.learnCallSite(sanitizer.sanitize(sql).fingerprint(), callSite);
        }
    }

    @Override
    public void failed(SQLException error, ConnectionState connection, StatementState statement,
                       JdbcOperation operation) {
        try {
            onFailure(error, connection, statement, operation);
        } catch (RuntimeException | LinkageError e) {
            warnings.warn("Incident SDK could not process a failed JDBC call on data source {}; the application "
                    + "got its exception unchanged", e, dataSourceName);
        }
    }

    private void onFailure(SQLException error, ConnectionState connection, StatementState statement,
                           JdbcOperation operation) {
        if (lastContext == null) {
            lastContext = connection.dataSource();
        }
        DatabaseVendor vendor = vendor(connection.dataSource());
        SqlFailure failure = options.classifier().classify(error, vendor);
        SqlFailureCategory category = failure.category();
        SanitizedSql sql = sanitized(statement, connection, operation);
        metrics.failure(category);
        boolean commitOutcomeUnknown = operation == JdbcOperation.COMMIT
                && category == SqlFailureCategory.CONNECTION_FAILURE;
        RetryScope scope = RetryScope.current();
        boolean autoCommitCandidate = autoCommitRetryEligible(connection, statement, operation, category);
        boolean budgetRefused = autoCommitCandidate && !hasRetryBudget();
        boolean deferred = (scope != null && !commitOutcomeUnknown && scope.defers(category))
                || (autoCommitCandidate && !budgetRefused);
        boolean incidentCategory = options.incidentCategories().contains(category) || commitOutcomeUnknown;
        // a failure that a retry may still absorb counts for the spike window once its outcome is known:
        // the window measures what users see
        boolean countAtOutcome = scope == null && autoCommitCandidate && !budgetRefused && incidentCategory;
        if (!countAtOutcome) {
            countFailure(scope, connection, category, sql);
        }
        // only deadlocks and serialization failures doom a transaction (DESIGN 5.3): any other error the
        // application handles leaves the commit to the database, exactly as without the SDK
        if (connection.hasConnection() && operation.doomsTransaction() && !connection.autoCommit()
                && !connection.isDoomed()
                && (category == SqlFailureCategory.DEADLOCK || category == SqlFailureCategory.SERIALIZATION_FAILURE)) {
            connection.doom(category + " (SQLState " + failure.sqlState() + ")"
                    + (sql == null ? "" : " in " + sql.summary()), keepsTransactionAfterSavepointRollback(vendor));
        }
        if (!incidentCategory || sdk.isClosed()) {
            return;
        }
        long failedAtNanos = System.nanoTime();
        boolean real = connection.hasConnection();
        String[] statements = real ? connection.transactionStatements() : new String[0];
        if (category == SqlFailureCategory.DEADLOCK && scope != null) {
            // avoidance (opt-in): the rows this unit's transaction locked are gated for runner units from now on
            lockOrder.deadlockIn(statements);
        }
        String cycle = category == SqlFailureCategory.DEADLOCK
                ? deadlocks.fingerprint(error, vendor, statements, sql) : null;
        if (!deferred && recordKnownRepeat(category, commitOutcomeUnknown, sql, cycle)) {
            return;
        }
        long statementStart = real ? connection.statementStartNanos() : 0L;
        // the other transactions' histories are copied first: a busy connection laps its history quickly
        Map<ConnectionState, List<TransactionHistory.Transaction>> histories = cycle != null && real
                ? DeadlockForensics.snapshot(connection, statementStart, failedAtNanos) : null;
        // asked here, on the application thread, only for a failure that may open an incident
        Map<String, String> context = contextAttributes();
        long now = System.currentTimeMillis();
        long start = real ? connection.transactionStartMillis() : 0L;
        Failure f = new Failure(error, connection, operation, vendor, failure, sql, now,
                Thread.currentThread().getName(), real ? connection.sessionId() : null,
                start == 0L ? null : Math.max(0, now - start), statements, failedAtNanos,
                statementStart, CallSite.current(), cycle, histories);
        boolean fromInnoDb = category == SqlFailureCategory.DEADLOCK
                && (vendor == DatabaseVendor.MARIADB || vendor == DatabaseVendor.MYSQL) && options.innoDbStatus();
        // a retried failure that the last retries absorbed into an incident still open is very likely one more
        // repeat of it: no forensics for it, and a plain count if this retry is absorbed too
        String absorbedFingerprint = deferred
                ? (cycle != null ? deadlocks.absorbedBefore(cycle)
                    : absorbedFingerprints.get(FailureTexts.kindOf(category), sql))
                : null;
        boolean likelyAbsorbedRepeat = absorbedFingerprint != null && sdk.isOpen(absorbedFingerprint);
        // the other transactions are named now, from the histories (the InnoDB report is read now too): the
        // histories keep only a few transactions per connection, and a retry may take a while
        java.util.concurrent.CompletableFuture<DeadlockForensics.Naming> naming =
                category == SqlFailureCategory.DEADLOCK && !likelyAbsorbedRepeat
                        ? deadlocks.name(f, fromInnoDb) : null;
        RetryScope.Deferred incident = (retry, severity) -> {
            boolean absorbed = retry != null && retry.outcome() == RetryInfo.Outcome.SUCCEEDED;
            if (countAtOutcome && !absorbed) {
                // an absorbed one counted as the successful re-run of its statement
                countFailedUnit(category.name(), sql == null ? null : sql.fingerprint(),
                        sql == null ? null : sql.summary(), sdk.clock().millis());
            }
            if (absorbed && absorbedFingerprint != null && sdk.recordRepeat(absorbedFingerprint)) {
                return;
            }
            if (naming == null) {
                record(f, DeadlockForensics.Naming.none(category == SqlFailureCategory.DEADLOCK
                        ? "a repeat of a deadlock a retry absorbed: not looked at again" : null), retry, severity,
                        context);
                return;
            }
            naming.thenAccept(n -> {
                try {
                    record(f, n, retry, severity, context);
                } catch (RuntimeException e) {
                    warnings.warn("Incident SDK could not record a deadlock on data source {}", e, dataSourceName);
                }
            });
        };
        if (scope != null && !commitOutcomeUnknown && scope.defers(category)) {
            scope.defer(this, incident);
            return;
        }
        if (autoCommitCandidate && !budgetRefused) {
            AutoCommitRetry pending = AUTO_COMMIT_RETRY.get();
            if (pending.incident == null) {
                pending.incident = incident;
            }
            return;
        }
        if (budgetRefused) {
            retried(RetryInfo.Outcome.NOT_RETRIED);
            incident.record(new RetryInfo(1, RetryInfo.Outcome.NOT_RETRIED, "the retry budget is exhausted"),
                    Severity.ERROR);
            return;
        }
        incident.record(null, null);
    }

    /**
     * Counts a failed call as its unit of work: inside a unit of a runner, in the unit (counted when it ends);
     * in an explicit transaction outside one, once per transaction; otherwise (an auto-commit statement, a
     * connection that could not be opened) on its own.
     */
    private void countFailure(RetryScope scope, ConnectionState connection, SqlFailureCategory category,
                              SanitizedSql sql) {
        if (spikes == null) {
            return;
        }
        String fingerprint = sql == null ? null : sql.fingerprint();
        String label = sql == null ? null : sql.summary();
        long now = sdk.clock().millis();
        RetryScope unit = scope == null ? null : scope.countingUnit();
        if (unit != null) {
            unit.failed(new RetryScope.UnitFailure(this, category.name(), fingerprint, label, now));
            return;
        }
        if (connection.hasConnection() && !connection.autoCommit() && !connection.countUnitFailure()) {
            return; // this transaction counted as failed already
        }
        countFailedUnit(category.name(), fingerprint, label, now);
    }

    /** Counts one failed unit of work in the spike windows, the failure seen at {@code atMillis}. */
    private void countFailedUnit(String category, String fingerprint, String label, long atMillis) {
        if (spikes == null) {
            return;
        }
        spikes.recordFailure(category, fingerprint, label, atMillis);
        if (processWide.dataSources.get() > 1) {
            processWide.detector.recordFailure(category, fingerprint, label, atMillis);
        }
        long now = sdk.clock().millis();
        long due = nextEvaluation.get();
        if (now >= due && nextEvaluation.compareAndSet(due, now + 100)) {
            evaluateSpikes();
        }
    }

    // ---------------------------------------------------------------- repeats

    /** The latest incident fingerprint per (kind, statement fingerprint): the cheap path of a storm. */
    private final RepeatIndex knownFingerprints = new RepeatIndex();
    /** The same, for incidents of failures a retry absorbed (they stay apart: their severity is lower). */
    private final RepeatIndex absorbedFingerprints = new RepeatIndex();
    private static final long LOOK_AGAIN_NANOS = 200_000_000L;
    private final AtomicLong nextLookAgain = new AtomicLong(System.nanoTime());

    /** Incident fingerprints by kind and statement fingerprint, bounded; looked up without building a key. */
    private static final class RepeatIndex {
        private static final int MAX = 1024;
        private final java.util.concurrent.atomic.AtomicInteger size = new java.util.concurrent.atomic.AtomicInteger();
        private final List<Map<String, String>> byKind = new ArrayList<>();

        RepeatIndex() {
            for (int i = 0; i < IncidentKind.values().length; i++) {
                byKind.add(new ConcurrentHashMap<>());
            }
        }

        String get(IncidentKind kind, SanitizedSql sql) {
            return byKind.get(kind.ordinal()).get(sql == null ? "" : sql.fingerprint());
        }

        void put(IncidentKind kind, SanitizedSql sql, String fingerprint) {
            if (size.get() < MAX
                    && byKind.get(kind.ordinal()).put(sql == null ? "" : sql.fingerprint(), fingerprint) == null) {
                size.incrementAndGet();
            }
        }
    }

    private void remember(IncidentKind kind, SanitizedSql sql, String fingerprint) {
        knownFingerprints.put(kind, sql, fingerprint);
    }

    /**
     * Counts a failure as a repeat of the open incident the same statement last produced, without
     * forensics or a new record: an aggregated repeat costs a map look-up and a counter update.
     */
    private boolean recordKnownRepeat(SqlFailureCategory category, boolean commitOutcomeUnknown, SanitizedSql sql,
                                      String cycle) {
        if (cycle != null) {
            // a deadlock: its cycle is known without forensics; look at an occurrence again now and then, so
            // later events carry the latest occurrence's details and the counts per variant
            if (!sdk.isOpen(cycle) || lookAgain()) {
                return false;
            }
            deadlocks.countVariant(cycle, sql);
            return sdk.recordRepeat(cycle);
        }
        IncidentKind kind = commitOutcomeUnknown ? IncidentKind.COMMIT_OUTCOME_UNKNOWN : FailureTexts.kindOf(category);
        String known = knownFingerprints.get(kind, sql);
        if (known == null) {
            return false;
        }
        return sdk.recordRepeat(known);
    }

    /** Whether a repeat of a deadlock may run the forensics again now (at most 5 times a second). */
    private boolean lookAgain() {
        long now = System.nanoTime();
        long due = nextLookAgain.get();
        return now - due >= 0 && nextLookAgain.compareAndSet(due, now + LOOK_AGAIN_NANOS);
    }

    // ---------------------------------------------------------------- auto-commit retry

    /** The held-back incident of the auto-commit statement being retried on this thread. */
    private static final class AutoCommitRetry {
        RetryScope.Deferred incident;
    }

    private static final ThreadLocal<AutoCommitRetry> AUTO_COMMIT_RETRY = ThreadLocal.withInitial(AutoCommitRetry::new);

    private boolean autoCommitRetryEligible(ConnectionState connection, StatementState statement,
                                            JdbcOperation operation, SqlFailureCategory category) {
        return options.autoCommitRetry() && connection.hasConnection() && connection.autoCommit()
                && !connection.sqlTransactionControlSeen()
                && statement != null && !(statement instanceof java.sql.CallableStatement)
                && (operation == JdbcOperation.EXECUTE || operation == JdbcOperation.EXECUTE_QUERY
                    || operation == JdbcOperation.EXECUTE_UPDATE)
                && (category == SqlFailureCategory.DEADLOCK || category == SqlFailureCategory.SERIALIZATION_FAILURE)
                && !mayHoldSeveralStatements(statement.sql());
    }

    /**
     * Whether a statement's SQL may hold several statements ({@code a; b}, as MySQL/MariaDB run with
     * {@code allowMultiQueries}): a semicolon followed by anything but blanks. Conservative: a semicolon in a
     * literal or comment counts too (the statement is then simply not re-run). Failure path only.
     */
    static boolean mayHoldSeveralStatements(String sql) {
        if (sql == null) {
            return true; // unknown: do not re-run
        }
        int semicolon = sql.indexOf(';');
        if (semicolon < 0) {
            return false;
        }
        for (int i = semicolon + 1; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c != ';' && !Character.isWhitespace(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a rollback to a savepoint set before a deadlock or serialization failure leaves the transaction
     * usable with exactly the work before the savepoint: PostgreSQL and CockroachDB abort only up to the
     * savepoint, Oracle rolls back only the statement. MariaDB, MySQL, H2, SQL Server, Derby and HSQLDB roll the
     * whole transaction back (the savepoint is gone with it), and an unknown database is not trusted.
     */
    private static boolean keepsTransactionAfterSavepointRollback(DatabaseVendor vendor) {
        return vendor == DatabaseVendor.POSTGRESQL || vendor == DatabaseVendor.COCKROACHDB
                || vendor == DatabaseVendor.ORACLE;
    }

    /** Whether a re-run could be paid for; when not, the failure takes the cheap path of a storm. */
    private boolean hasRetryBudget() {
        if (options.retryBudget().available() >= 1.0 - 1e-9) {
            return true;
        }
        recordBudgetExhausted(options.retryBudget().toString());
        return false;
    }

    @Override
    public boolean retryAutoCommit(SQLException error, ConnectionState connection, StatementState statement,
                                   int failures) {
        AutoCommitRetry pending = AUTO_COMMIT_RETRY.get();
        RetryScope.Deferred incident = pending.incident;
        if (incident == null) {
            return false; // not a failure we retry: it was recorded already
        }
        String refusal = null;
        SqlFailureCategory latest = failures <= 1 ? null
                : options.classifier().classify(error, vendor(connection.dataSource())).category();
        if (latest != null && latest != SqlFailureCategory.DEADLOCK
                && latest != SqlFailureCategory.SERIALIZATION_FAILURE) {
            // re-run only while every failure so far certainly had no effect
            refusal = "the re-run failed with " + latest + ", which may have had an effect";
        } else if (!autoCommitRetryEligible(connection, statement, JdbcOperation.EXECUTE,
                latest == null ? SqlFailureCategory.DEADLOCK : latest)) {
            refusal = "the connection is no longer in auto-commit mode";
        } else if (failures >= options.autoCommitMaxAttempts()) {
            refusal = "the statement failed " + failures + " times";
        } else if (sdk.isClosed()) {
            refusal = "the SDK is closed";
        } else if (!options.retryBudget().tryAcquire()) {
            refusal = "the retry budget is exhausted";
            recordBudgetExhausted(options.retryBudget().toString());
        }
        if (refusal != null) {
            pending.incident = null;
            RetryInfo.Outcome outcome = failures > 1 && failures >= options.autoCommitMaxAttempts()
                    ? RetryInfo.Outcome.EXHAUSTED : RetryInfo.Outcome.NOT_RETRIED;
            incident.record(new RetryInfo(failures, outcome, outcome == RetryInfo.Outcome.NOT_RETRIED ? refusal : null),
                    Severity.ERROR);
            retried(outcome);
            return false;
        }
        long ceiling = Math.min(200, 5L << Math.min(10, failures - 1));
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.incident = null;
            incident.record(new RetryInfo(failures, RetryInfo.Outcome.NOT_RETRIED, "interrupted"), Severity.ERROR);
            return false;
        }
        return true;
    }

    @Override
    public void autoCommitRetrySucceeded(ConnectionState connection, StatementState statement, int attempts) {
        AutoCommitRetry pending = AUTO_COMMIT_RETRY.get();
        RetryScope.Deferred incident = pending.incident;
        pending.incident = null;
        if (incident != null) {
            incident.record(new RetryInfo(attempts, RetryInfo.Outcome.SUCCEEDED, null), Severity.WARNING);
            retried(RetryInfo.Outcome.SUCCEEDED);
        }
    }

    private static final String BUDGET_FINGERPRINT = Fingerprint.of(IncidentKind.RETRY_BUDGET_EXHAUSTED, "process");

    /** Counts a finished retry sequence by outcome. */
    void retried(RetryInfo.Outcome outcome) {
        metrics.retry(outcome);
    }

    /** Opens (or counts) the incident saying that the retry budget refused retries. */
    void recordBudgetExhausted(String budget) {
        if (sdk.isClosed()) {
            return;
        }
        String fingerprint = BUDGET_FINGERPRINT;
        if (sdk.recordRepeat(fingerprint)) {
            return;
        }
        sdk.record(Incident.builder(IncidentKind.RETRY_BUDGET_EXHAUSTED, "Retry budget exhausted: retries refused")
                .fingerprint(fingerprint)
                .summary("Deadlocks or serialization failures came faster than the retry budget allows (" + budget
                        + "); units of work now fail fast with their original exception instead of retrying, so a "
                        + "retry storm cannot overload the database further.")
                .hint("Look at the DEADLOCK and SERIALIZATION_FAILURE incidents: the cause is there, not in the budget")
                .hint("Raise the budget only if the database has headroom")
                .database(databaseInfo())
                .build());
    }

    /**
     * One failed call, with what the live connection state said at that moment (it changes as soon as the
     * application goes on; incidents may be built later, on another thread).
     */
    public record Failure(SQLException error, ConnectionState connection, JdbcOperation operation,
                           DatabaseVendor vendor, SqlFailure failure, SanitizedSql sql, long atMillis,
                           String thread, Long sessionId, Long transactionAgeMillis, String[] transactionStatements,
                           long atNanos, long statementStartNanos, String callSite, String cycle,
                           Map<ConnectionState, List<TransactionHistory.Transaction>> histories) {
    }

    // ---------------------------------------------------------------- incidents

    private void record(Failure f, DeadlockForensics.Naming naming, RetryInfo retry, Severity severity,
                        Map<String, String> context) {
        IncidentKind kind = kindOf(f);
        String fingerprint = f.cycle() != null ? f.cycle()
                : Fingerprint.of(kind, dataSourceName, f.sql() == null ? "none" : f.sql().fingerprint());
        boolean repeat = f.cycle() != null && sdk.isOpen(fingerprint);
        if (f.cycle() == null) {
            remember(kind, f.sql(), fingerprint);
            if (retry == null && sdk.recordRepeat(fingerprint)) {
                return;
            }
        }
        Incident.Builder incident = incident(f, kind, fingerprint, naming, repeat, context);
        if (retry != null) {
            if (retry.outcome() == RetryInfo.Outcome.SUCCEEDED) {
                if (f.cycle() != null) {
                    deadlocks.absorbed(f.cycle());
                } else {
                    absorbedFingerprints.put(kind, f.sql(), fingerprint);
                }
            }
            incident.retry(retry);
            if (retry.outcome() == RetryInfo.Outcome.SUCCEEDED) {
                incident.timeline(new TimelineEntry(Instant.ofEpochMilli(f.atMillis()), TimelineEntry.RETRY_ABSORBED,
                        "absorbed by a safe retry after " + retry.attempts() + " attempts; users saw nothing"));
            }
        }
        if (severity != null) {
            incident.severity(severity);
        }
        sdk.record(incident.build());
        if (f.cycle() != null) {
            deadlocks.recorded(f.cycle());
        }
    }

    private Incident.Builder incident(Failure f, IncidentKind kind, String fingerprint,
                                      DeadlockForensics.Naming naming, boolean repeat, Map<String, String> context) {
        SqlFailure failure = f.failure();
        SqlFailureCategory category = failure.category();
        String subject = f.sql() != null ? f.sql().summary() : dataSourceName;
        String title = kind == IncidentKind.COMMIT_OUTCOME_UNKNOWN ? "Commit outcome unknown on " + dataSourceName
                : FailureTexts.titleOf(category) + " on " + subject;
        Incident.Builder b = Incident.builder(kind, title);
        // first, so that the SDK's own attributes below replace a context key of the same name
        context.forEach(b::attribute);
        b.fingerprint(fingerprint)
                .database(databaseInfo())
                .error(new ErrorInfo(category.name(), failure.sqlState(), failure.vendorCode(),
                        f.error().getClass().getName(), DriverMessageRedactor.redact(f.error().getMessage(), f.vendor(), f.sql()),
                        FailureTexts.rolledBack(failure.rolledBack())))
                .attribute("operation", f.operation().name())
                .attribute("rule", String.valueOf(failure.rule()));
        if (f.callSite() != null) {
            b.attribute("callSite", f.callSite());
        }
        StatementInfo.Role role = category == SqlFailureCategory.DEADLOCK
                || category == SqlFailureCategory.SERIALIZATION_FAILURE ? StatementInfo.Role.VICTIM
                : StatementInfo.Role.FAILED;
        ConnectionState c = f.connection();
        b.statement(new StatementInfo(role, f.sql() == null ? null : f.sql().fingerprint(),
                f.sql() == null ? null : f.sql().sql(), f.thread(), c.hasConnection() ? "c" + c.id() : null,
                f.sessionId() == null ? null : f.sessionId().toString(), f.transactionAgeMillis(),
                deadlocks.earlierFingerprints(f.transactionStatements(), f.operation().isExecution()),
                f.callSite(), deadlocks.earlierSql(f.transactionStatements(), f.operation().isExecution())));
        if (category == SqlFailureCategory.DEADLOCK) {
            deadlocks.describe(b, f, naming, dataSourceName, repeat);
            String predicted = lockOrder.riskFor(f.sql() == null ? null : f.sql().fingerprint());
            if (predicted != null) {
                b.attribute("lockOrder.risk", predicted);
                b.hint("Predicted before it happened: see the LOCK_ORDER_RISK incident " + predicted);
            }
        } else {
            b.summary(summary(f));
            for (String hint : FailureTexts.hints(category, tableOf(f), f.vendor())) {
                b.hint(hint);
            }
        }
        if (!repeat) {
            b.timeline(new TimelineEntry(Instant.ofEpochMilli(f.atMillis()), TimelineEntry.FIRST_FAILURE,
                    category + " (SQLState " + failure.sqlState() + ", vendor code " + failure.vendorCode()
                            + ") on thread " + f.thread()));
        }
        return b;
    }

    private String summary(Failure f) {
        SqlFailureCategory category = f.failure().category();
        StringBuilder s = new StringBuilder(400);
        String product = f.vendor() == DatabaseVendor.UNKNOWN ? "the database" : f.vendor().systemName();
        if (kindOf(f) == IncidentKind.COMMIT_OUTCOME_UNKNOWN) {
            s.append("The connection to ").append(product).append(" broke during COMMIT on data source ")
                    .append(dataSourceName).append(": nobody knows whether the transaction was committed. It was "
                    + "not retried (a retry could apply it twice). Check the data before doing anything else.");
            return s.toString();
        }
        switch (category) {
            case LOCK_TIMEOUT:
                s.append("A statement waited too long for a row or table lock held by another transaction on data "
                        + "source ").append(dataSourceName).append(". This is a lock wait, not a slow query.");
                break;
            default:
                s.append(FailureTexts.titleOf(category)).append(" on data source ").append(dataSourceName).append(" (")
                        .append(product).append(")");
                if (f.sql() != null) {
                    s.append(" while running ").append(f.sql().sql());
                }
                s.append('.');
        }
        RollbackScope scope = f.failure().rolledBack();
        if (scope == RollbackScope.TRANSACTION) {
            s.append(" The database rolled back the whole transaction.");
        } else if (scope == RollbackScope.STATEMENT) {
            s.append(" The database undid only the statement; the transaction is still open.");
        }
        return s.toString();
    }

    private static String tableOf(Failure f) {
        if (f.sql() != null) {
            String summary = f.sql().summary();
            int space = summary.indexOf(' ');
            if (space > 0 && space < summary.length() - 1) {
                return summary.substring(space + 1);
            }
        }
        return null;
    }

    static IncidentKind kindOf(Failure f) {
        if (f.operation() == JdbcOperation.COMMIT && f.failure().category() == SqlFailureCategory.CONNECTION_FAILURE) {
            return IncidentKind.COMMIT_OUTCOME_UNKNOWN;
        }
        return FailureTexts.kindOf(f.failure().category());
    }

    // ---------------------------------------------------------------- context

    /** Context attributes taken from the suppliers at most (the record keeps 32 attributes in all). */
    static final int MAX_CONTEXT_ATTRIBUTES = 16;

    /**
     * Asks the context suppliers of the options, on the application thread of a failed call: at most
     * {@value #MAX_CONTEXT_ATTRIBUTES} entries, keys and values through the record's text gate. A supplier that
     * throws adds nothing (logged at most once a minute, with the number left out); nothing reaches the caller.
     */
    Map<String, String> contextAttributes() {
        List<Supplier<? extends Map<String, String>>> suppliers = options.contextAttributes();
        if (suppliers.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Supplier<? extends Map<String, String>> supplier : suppliers) {
            try {
                Map<String, String> values = supplier.get();
                if (values == null) {
                    continue;
                }
                for (Map.Entry<String, String> entry : values.entrySet()) {
                    String key = entry.getKey() == null ? null : Text.field(Text.Field.ATTRIBUTE_KEY, entry.getKey());
                    String value = entry.getValue() == null ? null : Text.field(Text.Field.SHORT, entry.getValue());
                    if (key == null || key.isEmpty() || value == null) {
                        continue;
                    }
                    if (out.size() >= MAX_CONTEXT_ATTRIBUTES && !out.containsKey(key)) {
                        break;
                    }
                    out.put(key, value);
                }
            } catch (Throwable e) { // Errors and sneaky checked exceptions too; the VM's own are rethrown
                if (e instanceof VirtualMachineError vmError && !(e instanceof StackOverflowError)) {
                    throw vmError;
                }
                // only the type: the message of the application's exception may carry anything
                contextWarnings.warn("Incident SDK: a context-attributes supplier of data source {} threw {}; the "
                        + "incident is recorded without its attributes, and the application got the driver's "
                        + "exception unchanged", null, dataSourceName, e.getClass().getName());
            }
        }
        return out.isEmpty() ? Map.of() : Collections.unmodifiableMap(out);
    }

    // ---------------------------------------------------------------- helpers

    private SanitizedSql sanitized(StatementState statement, ConnectionState connection, JdbcOperation operation) {
        if (operation == JdbcOperation.COMMIT || operation == JdbcOperation.ROLLBACK) {
            return sanitizer.sanitize(operation.name());
        }
        if (statement != null) {
            String sql = statement.sql();
            if (sql != null) {
                Object cached = statement.sanitizedFor(sql);
                if (cached instanceof SanitizedSql) {
                    return (SanitizedSql) cached;
                }
                SanitizedSql fresh = sanitizer.sanitize(sql);
                statement.sanitized(sql, fresh);
                return fresh;
            }
        }
        if (operation == JdbcOperation.GET_CONNECTION || !connection.hasConnection()) {
            return null;
        }
        String current = connection.currentSql();
        return current == null ? null : sanitizer.sanitize(current);
    }


    private DatabaseVendor vendor(DataSourceContext context) {
        DatabaseVendor known = vendor;
        if (known != null) {
            return known;
        }
        DataSourceContext.DatabaseInfo db = context.database();
        DatabaseVendor detected = DatabaseVendor.fromMetadata(db.productName(), db.productVersion(), db.url());
        if (db.productName() != null) {
            vendor = detected; // known for good once the metadata was read
        }
        return detected;
    }

    private DatabaseInfo databaseInfo() {
        DataSourceContext context = lastContext;
        if (context == null) {
            return new DatabaseInfo(null, null, null, dataSourceName, null);
        }
        DataSourceContext.DatabaseInfo db = context.database();
        DatabaseVendor v = vendor(context);
        return new DatabaseInfo(v.systemName(), db.productName(), db.productVersion(), dataSourceName, db.url());
    }

    /** Evaluates this data source's spike window, and the process-wide one. */
    void evaluateSpikes() {
        if (spikes == null || sdk.isClosed()) {
            return;
        }
        takeAllCountedCalls();
        spikes.evaluate();
        if (processWide.dataSources.get() > 1) {
            processWide.detector.evaluate();
        }
    }

    /** Moves the spike windows on to the clock's time. */
    void tickSpikes() {
        if (spikes != null) {
            spikes.tick();
            processWide.detector.tick();
        }
    }

    /** Whether the SDK is closed, so the evaluator can forget this watch. */
    boolean isRetired() {
        return sdk.isClosed();
    }

    /** Forgets the process-wide window of a closed SDK (its detector holds the SDK strongly). */
    void retire() {
        synchronized (PROCESS_WIDE) {
            PROCESS_WIDE.remove(sdk);
        }
    }
}
