package io.incidentsdk.jdbc.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.awaitility.Awaitility;

/**
 * Provokes real database failures, the way they happen in applications, and returns what the driver threw.
 *
 * <p>Every scenario works on a table of its own, {@code (id INT PRIMARY KEY, v INT NOT NULL)} holding the
 * rows {@code (1, 0)} and {@code (2, 0)}, created at the start and dropped at the end. The failing
 * transaction first inserts a row of its own, so the outcome can tell what the failure did to the
 * transaction ({@link TransactionAfterFailure}). All waits are bounded: the connections run with a 10 s
 * lock timeout as a safety net, and no scenario waits longer than 20 s for anything.
 *
 * <p>The data source must open a new connection on every call and must reach the same database each time
 * (for H2: an in-memory database that outlives its connections, as {@link TestDatabases#freshH2()} gives).
 * Scenarios that kill a session kill one the same user opened, which PostgreSQL allows roles with
 * {@code pg_signal_backend} and MariaDB allows every user.
 *
 * @since 0.1.0
 */
public final class RealFailures {

    /** The row the failing transaction inserts before it fails (all scenarios but the deadlock). */
    public static final int VICTIM_ROW = 100;
    /** The row {@link DeadlockOutcome#first()} inserts. */
    public static final int FIRST_SIDE_ROW = 101;
    /** The row {@link DeadlockOutcome#second()} inserts. */
    public static final int SECOND_SIDE_ROW = 102;

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final int SAFETY_LOCK_TIMEOUT_SECONDS = 10;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final DataSource dataSource;
    private final Database database;

    private RealFailures(DataSource dataSource, Database database) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.database = Objects.requireNonNull(database, "database");
    }

    /**
     * Provokes failures on a database.
     *
     * @param dataSource a data source that opens a new connection per call
     * @param database which database it reaches
     * @return the provoker
     * @since 0.1.0
     */
    public static RealFailures on(DataSource dataSource, Database database) {
        return new RealFailures(dataSource, database);
    }

    /**
     * Two transactions update rows 1 and 2 in opposite order, each after inserting its own row
     * ({@link #FIRST_SIDE_ROW}, {@link #SECOND_SIDE_ROW}): the first adds 10 to row 1 then row 2, the second
     * adds 20 to row 2 then row 1. A barrier makes sure both hold their first lock before either asks for
     * the second. The database picks a victim; the victim rolls back, the other side commits.
     *
     * @return both sides and the rows afterwards
     * @throws SQLException if preparing the table or reading it back fails
     * @throws AssertionError if the scenario did not finish in time
     * @since 0.1.0
     */
    public DeadlockOutcome deadlock() throws SQLException {
        return withTable(table -> {
            CyclicBarrier bothHoldTheirFirstLock = new CyclicBarrier(2);
            ExecutorService threads = Executors.newFixedThreadPool(2, task -> {
                Thread thread = new Thread(task, "real-failures-deadlock-" + THREADS.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            try {
                Future<DeadlockOutcome.Side> first = threads.submit(
                        () -> deadlockSide(table, FIRST_SIDE_ROW, 1, 2, 10, bothHoldTheirFirstLock));
                Future<DeadlockOutcome.Side> second = threads.submit(
                        () -> deadlockSide(table, SECOND_SIDE_ROW, 2, 1, 20, bothHoldTheirFirstLock));
                DeadlockOutcome.Side firstSide = await(first);
                DeadlockOutcome.Side secondSide = await(second);
                return new DeadlockOutcome(database, firstSide, secondSide, rows(table));
            } finally {
                threads.shutdownNow();
            }
        });
    }

    /**
     * A REPEATABLE READ transaction inserts its own row, reads row 1, another connection updates row 1 and
     * commits, then the transaction updates row 1 too. On MariaDB the session runs with
     * {@code innodb_snapshot_isolation=ON}, without which MariaDB would silently apply the update.
     *
     * @return the failure of the second update
     * @throws SQLException if preparing the table or the steps before the failure fail
     * @throws AssertionError if the update did not fail
     * @since 0.1.0
     */
    public FailureOutcome serializationFailure() throws SQLException {
        return withTable(table -> {
            try (Connection other = open(); Connection victim = open()) {
                if (database == Database.MARIADB) {
                    execute(victim, "SET SESSION innodb_snapshot_isolation = ON");
                }
                victim.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                long backendId = TestDatabases.backendId(victim);
                victim.setAutoCommit(false);
                insertOwnRow(victim, table, VICTIM_ROW);
                readValue(victim, table, 1);
                execute(other, update(table, 1, 1));
                String failing = update(table, 1, 10);
                Failure failure = expectFailure(victim, failing, 0, "an update of a row changed since the snapshot");
                TransactionAfterFailure after = transactionAfter(victim, table, VICTIM_ROW);
                rollbackQuietly(victim);
                return new FailureOutcome(database, failure.exception(), after, backendId, failing, VICTIM_ROW,
                        failure.elapsed(), rows(table));
            }
        });
    }

    /**
     * One transaction holds the lock on row 1; another, after inserting its own row, updates row 1 with a
     * short lock timeout: PostgreSQL {@code SET lock_timeout = '300ms'}, MariaDB
     * {@code SET SESSION innodb_lock_wait_timeout = 1}, H2 {@code SET LOCK_TIMEOUT 300}.
     *
     * @return the failure of the waiting update
     * @throws SQLException if preparing the table or the steps before the failure fail
     * @throws AssertionError if the update did not fail
     * @since 0.1.0
     */
    public FailureOutcome lockTimeout() throws SQLException {
        return withTable(table -> {
            try (Connection holder = open(); Connection victim = open()) {
                holder.setAutoCommit(false);
                execute(holder, update(table, 1, 1));
                execute(victim, switch (database) {
                    case POSTGRESQL -> "SET lock_timeout = '300ms'";
                    case MARIADB -> "SET SESSION innodb_lock_wait_timeout = 1";
                    case H2 -> "SET LOCK_TIMEOUT 300";
                });
                long backendId = TestDatabases.backendId(victim);
                victim.setAutoCommit(false);
                insertOwnRow(victim, table, VICTIM_ROW);
                String failing = update(table, 1, 10);
                Failure failure = expectFailure(victim, failing, 0, "an update of a row locked by another transaction");
                TransactionAfterFailure after = transactionAfter(victim, table, VICTIM_ROW);
                rollbackQuietly(victim);
                holder.rollback();
                return new FailureOutcome(database, failure.exception(), after, backendId, failing, VICTIM_ROW,
                        failure.elapsed(), rows(table));
            }
        });
    }

    /**
     * A transaction inserts its own row, then runs a query that takes far longer than its
     * {@code Statement.setQueryTimeout(1)}: {@code pg_sleep(5)}, {@code SLEEP(5)}, or on H2 (which has no
     * sleep) a select over ten billion generated rows.
     *
     * @return the failure of the query, after about a second
     * @throws SQLException if preparing the table or the steps before the failure fail
     * @throws AssertionError if the query did not fail
     * @since 0.1.0
     */
    public FailureOutcome queryTimeout() throws SQLException {
        return withTable(table -> {
            try (Connection victim = open()) {
                long backendId = TestDatabases.backendId(victim);
                victim.setAutoCommit(false);
                insertOwnRow(victim, table, VICTIM_ROW);
                String failing = switch (database) {
                    case POSTGRESQL -> "SELECT pg_sleep(5)";
                    case MARIADB -> "SELECT SLEEP(5)";
                    case H2 -> "SELECT SUM(A.X * B.X) FROM SYSTEM_RANGE(1, 100000) A, SYSTEM_RANGE(1, 100000) B";
                };
                Failure failure = expectFailure(victim, failing, 1, "a query running past its query timeout");
                TransactionAfterFailure after = transactionAfter(victim, table, VICTIM_ROW);
                rollbackQuietly(victim);
                return new FailureOutcome(database, failure.exception(), after, backendId, failing, VICTIM_ROW,
                        failure.elapsed(), rows(table));
            }
        });
    }

    /**
     * A transaction inserts its own row and sits idle; another connection ends its session
     * ({@code pg_terminate_backend}, {@code KILL CONNECTION}, H2 {@code ABORT_SESSION}) and waits until the
     * server no longer lists it; then the first connection runs its next statement.
     *
     * @return the failure of that next statement
     * @throws SQLException if preparing the table or the steps before the failure fail
     * @throws AssertionError if the statement did not fail or the session did not end in time
     * @since 0.1.0
     */
    public FailureOutcome killedSession() throws SQLException {
        return withTable(table -> {
            Connection victim = open();
            try (Connection killer = open()) {
                long backendId = TestDatabases.backendId(victim);
                victim.setAutoCommit(false);
                insertOwnRow(victim, table, VICTIM_ROW);
                endSession(killer, backendId);
                Awaitility.await("session " + backendId + " on " + database + " to end")
                        .atMost(BOUND)
                        .pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> sessionCount(killer, backendId) == 0);
                String failing = "SELECT COUNT(*) FROM " + table;
                Failure failure = expectFailure(victim, failing, 0, "a statement on a killed session");
                TransactionAfterFailure after = transactionAfter(victim, table, VICTIM_ROW);
                return new FailureOutcome(database, failure.exception(), after, backendId, failing, VICTIM_ROW,
                        failure.elapsed(), rows(table));
            } finally {
                closeQuietly(victim);
            }
        });
    }

    private DeadlockOutcome.Side deadlockSide(String table, int ownRow, int firstRow, int secondRow, int increment,
            CyclicBarrier bothHoldTheirFirstLock)
            throws SQLException, InterruptedException, BrokenBarrierException, TimeoutException {
        try (Connection connection = open()) {
            long backendId = TestDatabases.backendId(connection);
            connection.setAutoCommit(false);
            insertOwnRow(connection, table, ownRow);
            String firstStatement = update(table, firstRow, increment);
            String secondStatement = update(table, secondRow, increment);
            execute(connection, firstStatement);
            bothHoldTheirFirstLock.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            try {
                execute(connection, secondStatement);
                connection.commit();
                return new DeadlockOutcome.Side(ownRow, backendId, firstStatement, secondStatement, Optional.empty(),
                        Optional.empty(), true, since(start));
            } catch (SQLException e) {
                Duration elapsed = since(start);
                TransactionAfterFailure after = transactionAfter(connection, table, ownRow);
                rollbackQuietly(connection);
                return new DeadlockOutcome.Side(ownRow, backendId, firstStatement, secondStatement, Optional.of(e),
                        Optional.of(after), false, elapsed);
            }
        }
    }

    private DeadlockOutcome.Side await(Future<DeadlockOutcome.Side> side) throws SQLException {
        try {
            return side.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sqlException) {
                throw sqlException;
            }
            throw new AssertionError("a deadlock side on " + database + " failed unexpectedly", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the deadlock scenario on " + database + " did not end within " + BOUND, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the deadlock scenario on " + database, e);
        }
    }

    private void endSession(Connection killer, long backendId) throws SQLException {
        if (database == Database.MARIADB) {
            execute(killer, "KILL CONNECTION " + backendId);
            return;
        }
        String sql = database == Database.POSTGRESQL ? "SELECT pg_terminate_backend(?)" : "SELECT ABORT_SESSION(?)";
        try (PreparedStatement statement = killer.prepareStatement(sql)) {
            if (database == Database.POSTGRESQL) {
                statement.setInt(1, Math.toIntExact(backendId));
            } else {
                statement.setLong(1, backendId);
            }
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next() || !result.getBoolean(1)) {
                    throw new AssertionError(sql + " did not end session " + backendId + " on " + database);
                }
            }
        }
    }

    private int sessionCount(Connection observer, long backendId) throws SQLException {
        String sql = switch (database) {
            case POSTGRESQL -> "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ?";
            case MARIADB -> "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?";
            case H2 -> "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = ?";
        };
        try (PreparedStatement statement = observer.prepareStatement(sql)) {
            statement.setLong(1, backendId);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }

    private Failure expectFailure(Connection connection, String sql, int queryTimeoutSeconds, String what) {
        Statement statement = null;
        long start = System.nanoTime();
        try {
            statement = connection.createStatement();
            if (queryTimeoutSeconds > 0) {
                statement.setQueryTimeout(queryTimeoutSeconds);
            }
            start = System.nanoTime();
            if (statement.execute(sql)) {
                try (ResultSet result = statement.getResultSet()) {
                    while (result.next()) {
                        result.getObject(1);
                    }
                }
            }
        } catch (SQLException e) {
            return new Failure(e, since(start));
        } finally {
            closeQuietly(statement);
        }
        throw new AssertionError("expected " + what + " to fail on " + database + ", but it succeeded: " + sql);
    }

    private static TransactionAfterFailure transactionAfter(Connection connection, String table, int ownRow) {
        if (isClosed(connection)) {
            return TransactionAfterFailure.CONNECTION_LOST;
        }
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE id = " + ownRow)) {
            result.next();
            return result.getInt(1) == 1 ? TransactionAfterFailure.ALIVE : TransactionAfterFailure.ROLLED_BACK;
        } catch (SQLException e) {
            String sqlState = e.getSQLState();
            boolean connectionGone = isClosed(connection) || (sqlState != null && sqlState.startsWith("08"));
            return connectionGone ? TransactionAfterFailure.CONNECTION_LOST : TransactionAfterFailure.ABORTED;
        }
    }

    private <T> T withTable(Scenario<T> scenario) throws SQLException {
        String table = TestDatabases.uniqueName("real_failures");
        try (Connection connection = open()) {
            execute(connection, "CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT NOT NULL)"
                    + (database == Database.MARIADB ? " ENGINE=InnoDB" : ""));
            execute(connection, "INSERT INTO " + table + " (id, v) VALUES (1, 0), (2, 0)");
        }
        T result;
        try {
            result = scenario.run(table);
        } catch (SQLException | RuntimeException | Error e) {
            try {
                drop(table);
            } catch (SQLException | RuntimeException dropFailure) {
                e.addSuppressed(dropFailure);
            }
            throw e;
        }
        drop(table);
        return result;
    }

    private void drop(String table) throws SQLException {
        try (Connection connection = open()) {
            execute(connection, "DROP TABLE " + table);
        }
    }

    private Connection open() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            switch (database) {
                case POSTGRESQL -> execute(connection, "SET lock_timeout = '" + SAFETY_LOCK_TIMEOUT_SECONDS + "s'");
                case MARIADB -> {
                    execute(connection, "SET SESSION innodb_lock_wait_timeout = " + SAFETY_LOCK_TIMEOUT_SECONDS);
                    execute(connection, "SET SESSION lock_wait_timeout = " + SAFETY_LOCK_TIMEOUT_SECONDS);
                }
                case H2 -> execute(connection, "SET LOCK_TIMEOUT " + SAFETY_LOCK_TIMEOUT_SECONDS * 1000);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private Map<Integer, Integer> rows(String table) throws SQLException {
        Map<Integer, Integer> rows = new TreeMap<>();
        try (Connection connection = open();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT id, v FROM " + table + " ORDER BY id")) {
            while (result.next()) {
                rows.put(result.getInt(1), result.getInt(2));
            }
        }
        return rows;
    }

    private static String update(String table, int row, int increment) {
        return "UPDATE " + table + " SET v = v + " + increment + " WHERE id = " + row;
    }

    private static void insertOwnRow(Connection connection, String table, int row) throws SQLException {
        execute(connection, "INSERT INTO " + table + " (id, v) VALUES (" + row + ", 0)");
    }

    private static int readValue(Connection connection, String table, int row) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT v FROM " + table + " WHERE id = " + row)) {
            result.next();
            return result.getInt(1);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static boolean isClosed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the connection is gone or the server already ended the transaction; nothing is left to undo
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            // closing what a failure already broke may fail again; the failure itself is what counts
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @FunctionalInterface
    private interface Scenario<T> {
        T run(String table) throws SQLException;
    }

    private record Failure(SQLException exception, Duration elapsed) {
    }
}
