package io.incidentsdk.jdbc;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.incidentsdk.RetryInfo;
import io.incidentsdk.jdbc.internal.watch.RetryScope;
import io.incidentsdk.jdbc.internal.wrap.ConnectionState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

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
 *   <li>A runner called while another unit runs on the same thread does not retry by itself: its failure
 *       goes to the enclosing unit, which retries as a whole.</li>
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
         * Runs the unit on a connection whose transaction the runner owns: do not commit, roll back or close it.
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
         * Runs the unit on a connection whose transaction the runner owns: do not commit, roll back or close it.
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
        policy.budget().unitStarted();
        RetryScope scope = RetryScope.enter(policy::retries);
        try {
            return attempts(work, scope);
        } finally {
            scope.exit();
        }
    }

    private <T> T attempts(Work<T> work, RetryScope scope) throws SQLException {
        Retry.Context<T> context = retry.context();
        long deadline = System.nanoTime() + policy.maxTotalTime().toNanos();
        List<SQLException> earlier = new ArrayList<>(0);
        for (int attempt = 1; ; attempt++) {
            Attempt<T> outcome = attempt(work);
            if (outcome.failure == null) {
                context.onComplete();
                scope.finish(RetryInfo.Outcome.SUCCEEDED, attempt, null);
                return outcome.result;
            }
            SQLException failure = outcome.failure;
            String refusal = refusal(failure, outcome, attempt, deadline, scope);
            if (refusal == null && !policy.budget().tryAcquire()) {
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
                    scope.finish(exhausted ? RetryInfo.Outcome.EXHAUSTED : RetryInfo.Outcome.NOT_RETRIED, attempt,
                            exhausted ? null : refusal);
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
    private String refusal(SQLException failure, Attempt<?> outcome, int attempt, long deadline, RetryScope scope) {
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
    }

    private <T> Attempt<T> attempt(Work<T> work) throws SQLException {
        Attempt<T> outcome = new Attempt<>();
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            outcome.failure = e;
            return outcome;
        }
        boolean restoreAutoCommit = false;
        try {
            rememberVendor(connection);
            if (connection.getAutoCommit()) {
                connection.setAutoCommit(false);
                restoreAutoCommit = true;
            }
            T result = work.apply(connection);
            outcome.beforeFirstStatement = statementsRun(connection) == 0;
            outcome.committing = true;
            connection.commit();
            outcome.result = result;
        } catch (SQLException e) {
            if (!outcome.committing) {
                // conservative: a failure of the first statement itself may have had effects already
                outcome.beforeFirstStatement = statementsRun(connection) == 0;
            }
            outcome.failure = e;
            rollbackQuietly(connection, e);
        } catch (RuntimeException | Error e) {
            rollbackQuietly(connection, e);
            closeQuietly(connection, restoreAutoCommit, e);
            throw e;
        }
        closeQuietly(connection, restoreAutoCommit, outcome.failure);
        return outcome;
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

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            if (cause != null && e != cause) {
                cause.addSuppressed(e);
            }
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
