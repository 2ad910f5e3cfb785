package io.incidentsdk.benchmarks.transfer;

import com.zaxxer.hikari.HikariDataSource;
import io.incidentsdk.benchmarks.support.BenchSql;
import io.incidentsdk.benchmarks.support.Variant;
import io.incidentsdk.jdbc.RetryBudget;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.TransactionRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * The unit of work of the transaction-runner benchmarks and the three ways of running it: by hand on a
 * connection from the raw HikariCP pool, by hand on the watched data source (the watch outside the pool),
 * and through {@link TransactionRunner} on the watched data source.
 *
 * <p>The unit: two updates by primary key (a debit and a credit of one unit between accounts 1 and 2, the
 * direction alternating so balances stay bounded), then commit. "By hand" is what an application writes
 * without the runner: borrow, {@code setAutoCommit(false)}, the work, {@code commit()}, roll back on a
 * failure, restore auto-commit, close.
 *
 * @since 0.1.0
 */
public final class UnitPaths implements AutoCloseable {

    /** {@code @Param} value: by hand on the raw pool. */
    public static final String BY_HAND_RAW = "byHandRaw";
    /** {@code @Param} value: by hand on the watched data source. */
    public static final String BY_HAND_WATCHED = "byHandWatched";
    /** {@code @Param} value: through {@code TransactionRunner.on(watched)}. */
    public static final String RUNNER = "runner";
    /** {@code @Param} value: by hand on a pool of its own with the watch under it. */
    public static final String BY_HAND_UNDER_POOL = "byHandUnderPool";
    /** {@code @Param} value: through a runner on that pool. */
    public static final String RUNNER_UNDER_POOL = "runnerUnderPool";

    /** The debit; parameters amount and id. */
    public static final String DEBIT = "UPDATE account SET balance = balance - ? WHERE id = ?";
    /** The credit; parameters amount and id. */
    public static final String CREDIT = "UPDATE account SET balance = balance + ? WHERE id = ?";

    private final HikariDataSource pool;
    private final Variant watched;
    private final TransactionRunner runner;
    private final Variant underPool;
    private final TransactionRunner runnerUnderPool;
    /** The credit of {@link #workDeadlockingOnce}: one unit to account 2; parameter 1 is the id. */
    private static final String CREDIT_ONE_TO_TWO = "UPDATE account SET balance = balance + 1 WHERE id = ?";

    private long units;
    private int attempts;

    /**
     * Puts a pool of 4 around the raw data source, watches the pool with an SDK of its own, and makes a
     * runner on the watched data source; and the same with the watch under a second pool of 4.
     *
     * @param raw    the backend's raw data source
     * @param name   the pool name
     * @param policy the runner's policy
     */
    public UnitPaths(DataSource raw, String name, RetryPolicy policy) {
        this.pool = Variant.pool(raw, name);
        this.watched = Variant.wrap(Variant.INCIDENT_SDK, pool);
        this.runner = TransactionRunner.on(watched.dataSource(), policy);
        this.underPool = Variant.pooled(Variant.INCIDENT_SDK_UNDER_POOL, raw, name + "-under");
        this.runnerUnderPool = TransactionRunner.on(underPool.dataSource(), policy);
    }

    /**
     * The runner's policy of the benchmarks: the default categories and attempts, no backoff (the cost of
     * the retry itself, not of waiting), and a budget of its own that every unit refills with two tokens, so
     * that a retry per unit is never refused.
     *
     * @return the policy
     */
    public static RetryPolicy benchmarkPolicy() {
        return RetryPolicy.builder().backoff(Duration.ZERO, Duration.ZERO)
                .budget(RetryBudget.builder().ratio(2.0).build()).build();
    }

    /**
     * The raw pool.
     *
     * @return the pool
     */
    public DataSource rawPool() {
        return pool;
    }

    /**
     * The watched data source (the watch outside the pool).
     *
     * @return the watched data source
     */
    public DataSource watched() {
        return watched.dataSource();
    }

    /**
     * The runner on the watched data source.
     *
     * @return the runner
     */
    public TransactionRunner runner() {
        return runner;
    }

    /**
     * The two updates of the next unit, on a connection whose transaction the caller owns.
     *
     * @param connection the connection, auto-commit off
     * @return the rows updated (2)
     * @throws SQLException from the driver
     */
    public int work(Connection connection) throws SQLException {
        long unit = units++;
        int from = (unit & 1) == 0 ? 1 : 2;
        int to = 3 - from;
        try (PreparedStatement debit = connection.prepareStatement(DEBIT);
             PreparedStatement credit = connection.prepareStatement(CREDIT)) {
            debit.setInt(1, 1);
            debit.setInt(2, from);
            credit.setInt(1, 1);
            credit.setInt(2, to);
            return debit.executeUpdate() + credit.executeUpdate();
        }
    }

    /**
     * The unit of the retry benchmark: the debit, then on the unit's first attempt an update the stub driver
     * fails with a PostgreSQL deadlock (40P01), on later attempts the credit. Call {@link #startUnit()}
     * before each unit.
     *
     * @param connection the connection, auto-commit off
     * @return the rows updated (2)
     * @throws SQLException the deadlock of the first attempt
     */
    public int workDeadlockingOnce(Connection connection) throws SQLException {
        attempts++;
        try (PreparedStatement debit = connection.prepareStatement(DEBIT)) {
            debit.setInt(1, 1);
            debit.setInt(2, 1);
            int rows = debit.executeUpdate();
            String second = attempts == 1 ? BenchSql.DEADLOCK_VICTIM : CREDIT_ONE_TO_TWO;
            try (PreparedStatement credit = connection.prepareStatement(second)) {
                credit.setInt(1, 2);
                return rows + credit.executeUpdate();
            }
        }
    }

    /** Starts a unit of {@link #workDeadlockingOnce}: its next attempt is the first. */
    public void startUnit() {
        attempts = 0;
    }

    /**
     * Attempts of the current unit of {@link #workDeadlockingOnce} so far.
     *
     * @return the attempts
     */
    public int attempts() {
        return attempts;
    }

    /**
     * A unit of work with the retry loop an application writes by hand: on a deadlock or serialization
     * failure (SQLState 40P01 or 40001) roll back and run the whole unit again, at most
     * {@code maxAttempts} attempts, no backoff.
     *
     * @param dataSource  the raw pool or the watched data source
     * @param work        the work
     * @param maxAttempts attempts in all
     * @return what the work returned
     * @throws SQLException the failure that was not retried, or the last one
     */
    public static int byHandWithRetry(DataSource dataSource, TransactionRunner.Work<Integer> work, int maxAttempts)
            throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return byHand(dataSource, work);
            } catch (SQLException e) {
                String state = e.getSQLState();
                boolean retryable = "40P01".equals(state) || "40001".equals(state);
                if (!retryable || attempt >= maxAttempts) {
                    throw e;
                }
            }
        }
    }

    /**
     * A unit of work an application runs by hand: borrow, auto-commit off, the work, commit (roll back on a
     * failure), auto-commit back on, close.
     *
     * @param dataSource the raw pool or the watched data source
     * @param work       the work
     * @return what the work returned
     * @throws SQLException from the driver
     */
    public static int byHand(DataSource dataSource, TransactionRunner.Work<Integer> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                int result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /**
     * Runs the unit by the named path.
     *
     * @param path {@link #BY_HAND_RAW}, {@link #BY_HAND_WATCHED}, {@link #RUNNER}, {@link #BY_HAND_UNDER_POOL}
     *             or {@link #RUNNER_UNDER_POOL}
     * @param work the work
     * @return what the work returned
     * @throws SQLException from the driver
     */
    public int run(String path, TransactionRunner.Work<Integer> work) throws SQLException {
        switch (path) {
            case BY_HAND_RAW:
                return byHand(pool, work);
            case BY_HAND_WATCHED:
                return byHand(watched.dataSource(), work);
            case RUNNER:
                return runner.inTransaction(work);
            case BY_HAND_UNDER_POOL:
                return byHand(underPool.dataSource(), work);
            case RUNNER_UNDER_POOL:
                return runnerUnderPool.inTransaction(work);
            default:
                throw new IllegalArgumentException("path must be one of " + List.of(BY_HAND_RAW, BY_HAND_WATCHED,
                        RUNNER, BY_HAND_UNDER_POOL, RUNNER_UNDER_POOL) + ", was " + path);
        }
    }

    /** Closes the pools and the SDKs. */
    @Override
    public void close() {
        try {
            pool.close();
            underPool.close();
        } finally {
            watched.close();
        }
    }
}
