package io.incidentsdk.jdbc;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.incidentsdk.RetryInfo;
import io.incidentsdk.jdbc.internal.lockorder.GateUnit;
import io.incidentsdk.jdbc.internal.watch.EnclosingTransactions;
import io.incidentsdk.jdbc.internal.watch.RetryScope;
import io.incidentsdk.jdbc.internal.watch.UnitConnection;
import io.incidentsdk.jdbc.internal.wrap.ConnectionState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unit of work in a transaction and retries the <b>whole</b> unit, with a fresh transaction on a
 * fresh connection, when the database rolled it back because of a deadlock or a serialization failure.
 *
 * <pre>{@code
 * TransactionRunner tx = TransactionRunner.on(dataSource);
 * tx.run(connection -> transfer(connection, from, to, cents));
 * long balance = tx.inTransaction(connection -> readBalance(connection, account));
 * }</pre>
 *
 * <p>The rules (DESIGN section 5):
 * <ol>
 *   <li>Each attempt takes a connection, turns auto-commit off, runs the unit, commits. On failure it rolls
 *       back fully (even where the driver kept part of the transaction alive) and closes the connection;
 *       the next attempt starts from nothing. A retry never re-runs part of a unit.</li>
 *   <li>Retried: the categories of the {@link RetryPolicy} (deadlocks and serialization failures by
 *       default, lock timeouts when enabled), with exponential backoff and full jitter, at most
 *       {@code maxAttempts} attempts within {@code maxTotalTime}; and a connection failure before the unit
 *       ran its first statement (on a fresh connection).</li>
 *   <li>A connection failure <em>during commit</em> is never retried: whether the transaction was committed
 *       is unknown, and retrying could apply it twice. The exception propagates (a watched data source
 *       reports a {@code CRITICAL COMMIT_OUTCOME_UNKNOWN} incident).</li>
 *   <li>The unit's connection belongs to the runner: {@code commit()}, {@code rollback()},
 *       {@code setAutoCommit(true)}, {@code close()} and {@code abort} on it are refused with an
 *       {@link SQLException} (SQLState {@code 25000}, message starting {@code "Incident SDK:"}), and the attempt
 *       fails and is rolled back even if the unit swallowed that exception. Return from the unit to commit;
 *       throw to roll back.</li>
 *   <li>A runner called inside a unit on the <em>same</em> data source joins that unit: its work runs on the
 *       unit's connection and commits (or is retried) with it. A runner on another data source inside a unit
 *       does not retry by itself (its failure goes to the enclosing unit); when it committed, the enclosing unit
 *       is not retried either, since a retry would apply the nested work twice.</li>
 *   <li>Inside a transaction of the thread that the runner cannot see (a Spring-managed transaction), nothing
 *       is retried; the incident says why.</li>
 *   <li>Every exit rolls back and closes the connection: a failure, a runtime exception, an error, or a checked
 *       exception thrown sneakily (Kotlin, {@code @SneakyThrows}), which reaches the caller unchanged.
 *       Auto-commit is switched back on only after a commit or a successful rollback. Nothing the SDK does after
 *       a commit (recording the retries) can turn a committed unit into an exception.</li>
 *   <li>Every retry takes a token from the {@link RetryBudget}; when it is empty the unit fails fast with its
 *       original exception and a {@code RETRY_BUDGET_EXHAUSTED} incident opens.</li>
 * </ol>
 * What is not retried propagates unchanged: the driver's own {@link SQLException}, or the unit's own
 * runtime exception. When retries are given up, the last failure is thrown with the earlier ones attached as
 * suppressed exceptions. On a data source watched with {@link JdbcIncidents#watch}, each deadlock absorbed by
 * a retry is still reported, as a {@code WARNING} incident with {@code retry.outcome = SUCCEEDED} (the race
 * condition is a bug to fix); exhausted retries are an {@code ERROR} with {@code EXHAUSTED}. Thread-safe.
 *
 * @since 0.1.0
 */
public final class TransactionRunner {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionRunner.class);

    private final DataSource dataSource;
    private final RetryPolicy policy;
    private final Retry retry;
    private volatile DatabaseVendor vendor;

    /**
     * A unit of work that returns a value.
     *
     * @param <T> the result type
     * @since 0.1.0
     */
    @FunctionalInterface
    public interface Work<T> {
        /**
         * Runs the unit on a connection whose transaction the runner owns: it refuses commit, rollback,
         * {@code setAutoCommit(true)} and close (return to commit, throw to roll back).
         *
         * @param connection the connection, auto-commit off
         * @return the result
         * @throws SQLException to fail the attempt
         */
        T apply(Connection connection) throws SQLException;
    }

    /**
     * A unit of work that returns nothing.
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    public interface VoidWork {
        /**
         * Runs the unit on a connection whose transaction the runner owns: it refuses commit, rollback,
         * {@code setAutoCommit(true)} and close (return to commit, throw to roll back).
         *
         * @param connection the connection, auto-commit off
         * @throws SQLException to fail the attempt
         */
        void accept(Connection connection) throws SQLException;
    }

    private TransactionRunner(DataSource dataSource, RetryPolicy policy) {
        this.dataSource = dataSource;
        this.policy = policy;
        this.retry = Retry.of("incident-sdk-transaction", RetryConfig.custom()
                .maxAttempts(policy.maxAttempts())
                .intervalFunction((IntervalFunction) this::backoffMillis)
                .retryOnException(e -> true) // the runner decides before it asks for a retry
                .failAfterMaxAttempts(false)
                .build());
    }

    /**
     * A runner with the default policy.
     *
     * @param dataSource where connections come from; watch it ({@link JdbcIncidents#watch}) to get incidents
     * @return a runner
     */
    public static TransactionRunner on(DataSource dataSource) {
        return on(dataSource, RetryPolicy.defaults());
    }

    /**
     * A runner with the given policy.
     *
     * @param dataSource where connections come from, not {@code null}
     * @param policy     when and how to retry, not {@code null}
     * @return a runner
     */
    public static TransactionRunner on(DataSource dataSource, RetryPolicy policy) {
        return new TransactionRunner(Objects.requireNonNull(dataSource, "dataSource must not be null"),
                Objects.requireNonNull(policy, "policy must not be null"));
    }

    /**
     * The policy.
     *
     * @return the policy
     */
    public RetryPolicy policy() {
        return policy;
    }

    /**
     * Runs a unit that returns nothing.
     *
     * @param work the unit, not {@code null}
     * @throws SQLException the failure that was not retried, or the last one when retries were given up
     */
    public void run(VoidWork work) throws SQLException {
        Objects.requireNonNull(work, "work must not be null");
        inTransaction(connection -> {
            work.accept(connection);
            return null;
        });
    }

    /**
     * Runs a unit that returns a value.
     *
     * @param work the unit, not {@code null}
     * @param <T>  the result type
     * @return what the successful attempt returned
     * @throws SQLException the failure that was not retried, or the last one when retries were given up
     */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        Objects.requireNonNull(work, "work must not be null");
        Connection enclosing = RetryScope.enclosingConnection(dataSource);
        if (enclosing != null) {
            // a unit of work on the same data source runs on this thread: this one is part of it (committing on
            // a connection of its own would be applied again when the enclosing unit retries)
            return work.apply(enclosing);
        }
        policy.budget().unitStarted();
        RetryScope scope = RetryScope.enter(policy::retries, dataSource);
        GateUnit[] gate = {null};
        try {
            gate[0] = scope.isNested() ? null : GateUnit.enter();
            return attempts(work, scope, scope.isNested() ? null : EnclosingTransactions.describe(), gate[0]);
        } finally {
            guarded(() -> GateUnit.exit(gate[0]), "releasing the unit's lock-order gates");
            guarded(scope::exit, "recording the unit's held-back failures");
        }
    }

    private <T> T attempts(Work<T> work, RetryScope scope, String enclosingTransaction, GateUnit gate)
            throws SQLException {
        Retry.Context<T> context = retry.context();
        long deadline = System.nanoTime() + policy.maxTotalTime().toNanos();
        List<SQLException> earlier = new ArrayList<>(0);
        for (int attempt = 1; ; attempt++) {
            Attempt<T> outcome = attempt(work, scope);
            if (outcome.failure == null) {
                // committed: nothing of ours may turn this into an exception now
                int attempts = attempt;
                guarded(context::onComplete, "completing the retry");
                guarded(() -> scope.finish(RetryInfo.Outcome.SUCCEEDED, attempts, null), "recording the retries");
                if (scope.isNested()) {
                    scope.committed();
                }
                return outcome.result;
            }
            SQLException failure = outcome.failure;
            if (gate != null && !outcome.refused && gate.restartAfter(failure)) {
                // the lock-order gate stopped this attempt before it could close a lock cycle: run it again at
                // once with its gates taken first; no attempt, no backoff, no budget token
                attempt--;
                continue;
            }
            String refusal = refusal(failure, outcome, attempt, deadline, scope, enclosingTransaction);
            // a deadlock between units the gate covers (avoidance on) is not a storm to damp: its retry runs
            // behind the gate, so it costs no budget token
            boolean gatedDeadlock = refusal == null && gate != null && gate.avoidanceOn()
                    && policy.classifier().classify(failure, vendor()).category() == SqlFailureCategory.DEADLOCK;
            if (refusal == null && !gatedDeadlock && !policy.budget().tryAcquire()) {
                refusal = "the retry budget is exhausted";
                scope.budgetExhausted(policy.budget().toString());
            }
            if (refusal == null) {
                try {
                    context.onError(failure); // waits the backoff
                } catch (SQLException exhausted) {
                    refusal = "exhausted";
                } catch (Exception other) {
                    refusal = "interrupted";
                }
            }
            if (refusal != null) {
                if (!scope.isNested()) {
                    boolean exhausted = "exhausted".equals(refusal);
                    int attempts = attempt;
                    String reason = refusal;
                    guarded(() -> scope.finish(exhausted ? RetryInfo.Outcome.EXHAUSTED : RetryInfo.Outcome.NOT_RETRIED,
                            attempts, exhausted ? null : reason), "recording the retries");
                }
                for (SQLException e : earlier) {
                    if (e != failure) {
                        failure.addSuppressed(e);
                    }
                }
                throw failure;
            }
            earlier.add(failure);
        }
    }

    /** Why a failure is not retried, or {@code null} when it may be. */
    private String refusal(SQLException failure, Attempt<?> outcome, int attempt, long deadline, RetryScope scope,
                           String enclosingTransaction) {
        if (outcome.refused) {
            return "the unit of work ended the runner's transaction itself";
        }
        SqlFailure failed = policy.classifier().classify(failure, vendor());
        SqlFailureCategory category = failed.category();
        boolean retryable = policy.retries(category);
        if (category == SqlFailureCategory.CONNECTION_FAILURE) {
            if (outcome.committing) {
                return "the connection broke during commit: the outcome is unknown";
            }
            retryable = policy.retryConnectionFailuresBeforeFirstStatement() && outcome.beforeFirstStatement;
            if (!retryable) {
                return "the connection broke after the unit had run statements";
            }
        }
        if (!retryable) {
            return category + " is not retried";
        }
        if (scope.isNested()) {
            return "inside an enclosing unit of work, which retries as a whole";
        }
        if (enclosingTransaction != null) {
            return enclosingTransaction;
        }
        if (scope.nestedUnitCommitted()) {
            return "a unit of work nested in this one committed on a connection of its own: a retry would apply "
                    + "that work twice";
        }
        if (attempt >= policy.maxAttempts()) {
            return "exhausted";
        }
        if (System.nanoTime() - deadline >= 0) {
            return "exhausted";
        }
        return null;
    }

    /** What one attempt did. */
    private static final class Attempt<T> {
        T result;
        SQLException failure;
        boolean committing;
        boolean beforeFirstStatement = true;
        /** The unit tried to end the runner's transaction (commit, rollback, close...). */
        boolean refused;
    }

    private <T> Attempt<T> attempt(Work<T> work, RetryScope scope) throws SQLException {
        Attempt<T> outcome = new Attempt<>();
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            outcome.failure = e;
            return outcome;
        }
        boolean restoreAutoCommit = false;
        boolean rolledBack = true;
        Throwable thrown = null;
        try {
            rememberVendor(connection);
            if (connection.getAutoCommit()) {
                connection.setAutoCommit(false);
                restoreAutoCommit = true;
            }
            UnitConnection unit = new UnitConnection(connection);
            scope.attempt(unit);
            T result = work.apply(unit);
            SQLException refused = unit.refusal();
            if (refused != null) {
                // the unit swallowed our refusal: its transaction is not what it meant to commit
                outcome.refused = true;
                throw refused;
            }
            outcome.beforeFirstStatement = statementsRun(connection) == 0;
            outcome.committing = true;
            connection.commit();
            outcome.result = result;
        } catch (SQLException e) {
            if (!outcome.committing) {
                // conservative: a failure of the first statement itself may have had effects already
                outcome.beforeFirstStatement = statementsRun(connection) == 0;
            }
            outcome.refused |= e.getMessage() != null && UnitConnection.SQL_STATE.equals(e.getSQLState())
                    && e.getMessage().startsWith("Incident SDK: the unit of work called");
            outcome.failure = e;
            rolledBack = rollbackQuietly(connection, e);
        } catch (Throwable e) {
            // a runtime exception, an error, or a checked exception thrown sneakily (Kotlin, @SneakyThrows):
            // every exit rolls back and closes
            thrown = e;
            rolledBack = rollbackQuietly(connection, e);
        } finally {
            scope.attempt(null);
        }
        // never switch auto-commit back on after a failed rollback: JDBC would commit what is left
        closeQuietly(connection, restoreAutoCommit && rolledBack, thrown != null ? thrown : outcome.failure);
        if (thrown != null) {
            throw TransactionRunner.<RuntimeException>sneaky(thrown);
        }
        return outcome;
    }

    /** Rethrows any throwable unchanged, checked or not (the unit threw it; the caller gets it as it was). */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /** Runs a step of ours after the outcome is known: whatever it throws, the outcome stays what it was. */
    private static void guarded(Runnable step, String what) {
        try {
            step.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            LOG.warn("Incident SDK failed while {} after a unit of work ended; the unit's outcome is unchanged",
                    what, e);
        }
    }

    /** Statements the current transaction ran (or began), when the connection is watched; 1 (unknown) otherwise. */
    private static long statementsRun(Connection connection) {
        try {
            if (connection.isWrapperFor(ConnectionState.class)) {
                return connection.unwrap(ConnectionState.class).transactionStatementCount();
            }
        } catch (SQLException | RuntimeException e) {
            // unknown
        }
        return 1;
    }

    private void rememberVendor(Connection connection) {
        if (vendor == null) {
            try {
                java.sql.DatabaseMetaData meta = connection.getMetaData();
                vendor = DatabaseVendor.fromMetadata(meta.getDatabaseProductName(), meta.getDatabaseProductVersion(),
                        meta.getURL());
            } catch (SQLException | RuntimeException e) {
                vendor = DatabaseVendor.UNKNOWN;
            }
        }
    }

    private DatabaseVendor vendor() {
        DatabaseVendor known = vendor;
        return known == null ? DatabaseVendor.UNKNOWN : known;
    }

    private static boolean rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
            return true;
        } catch (SQLException | RuntimeException e) {
            if (cause != null && e != cause) {
                cause.addSuppressed(e);
            }
            return false;
        }
    }

    private static void closeQuietly(Connection connection, boolean restoreAutoCommit, Throwable cause) {
        try {
            if (restoreAutoCommit && !connection.isClosed()) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            // the pool resets it; closing below matters more
        }
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            if (cause != null && e != cause) {
                cause.addSuppressed(e);
            }
        }
    }

    /** Full jitter: a random wait between 0 and the exponential ceiling of this retry. */
    private long backoffMillis(int retryNumber) {
        long ceiling = policy.backoffCeilingMillis(retryNumber);
        return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    @Override
    public String toString() {
        return "TransactionRunner[" + policy + "]";
    }
}
