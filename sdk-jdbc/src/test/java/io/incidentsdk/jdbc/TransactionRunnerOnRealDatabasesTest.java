package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.RetryInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.jdbc.testing.TransferWorkload;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Safe retry against real deadlocks, real aborted transactions and a real lost commit. */
@ExtendWith(RealDatabases.class)
class TransactionRunnerOnRealDatabasesTest {

    private final InMemorySink memory = new InMemorySink(100_000);
    private final IncidentSdk sdk = IncidentSdk.builder().sink(memory).updateInterval(Duration.ofMillis(10))
            .housekeepingInterval(Duration.ofMillis(10)).build();
    private HikariDataSource pool;

    @AfterEach
    void close() {
        sdk.close();
        if (pool != null) {
            pool.close();
        }
    }

    private DataSource pooled(DataSource raw, int size) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(raw);
        config.setMaximumPoolSize(size);
        config.setPoolName("transfers");
        pool = new HikariDataSource(config);
        return pool;
    }

    private List<Incident> incidents(IncidentKind kind) {
        return memory.events().stream().map(e -> e.incident()).filter(i -> i.kind() == kind).toList();
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static List<Arguments> databasesAndPlacements() {
        List<Arguments> all = new ArrayList<>();
        for (Database database : Database.values()) {
            all.add(Arguments.of(database, false));
            all.add(Arguments.of(database, true));
        }
        return all;
    }

    @ParameterizedTest(name = "{0}, watch under the pool: {1}")
    @MethodSource("databasesAndPlacements")
    void theFoundingRaceConditionDeadlocksWithoutTheRunnerAndLosesNothingWithIt(Database database,
            boolean underPool, TestDatabases dbs) throws Exception {
        DataSource raw = database == Database.H2 ? dbs.freshH2() : dbs.dataSource(database);
        JdbcWatchOptions options = JdbcWatchOptions.builder().dataSourceName("accounts").build();
        DataSource ds;
        if (underPool) {
            DataSource physical = JdbcIncidents.watch(raw, sdk, options);
            ds = JdbcIncidents.watchPool(pooled(physical, 8), physical);
        } else {
            ds = JdbcIncidents.watch(pooled(raw, 8), sdk, options);
        }
        TransferWorkload workload = TransferWorkload.create(ds);
        long total = TransferWorkload.ACCOUNTS * TransferWorkload.INITIAL_BALANCE;

        // without the runner: the workload really provokes deadlocks, and users see them
        // (rounds of 8 x 100 until one deadlocked: on a fast run a round can slip through without a cycle)
        long attempted = 0;
        long failed = 0;
        for (int round = 1; round <= 10 && failed == 0; round++) {
            TransferWorkload.Result unprotected = workload.run(8, 100, round, workload::transferWithoutRetry);
            // what users saw: deadlocks (H2 now and then reports a victim as a 50000 "General error")
            assertThat(unprotected.examples()).allSatisfy(e -> assertThat(SqlFailureClassifier.defaults()
                    .classify(e, DatabaseVendor.valueOf(database.name())).category()).as(e.toString())
                    .isIn(SqlFailureCategory.DEADLOCK, SqlFailureCategory.SERIALIZATION_FAILURE));
            attempted += unprotected.attempted();
            failed += unprotected.failed();
        }
        assertThat(failed).as("deadlocks seen without safe retry").isPositive();
        assertThat(workload.totalBalance()).isEqualTo(total);
        long before = workload.ledgerRows();
        assertThat(before).isEqualTo(attempted - failed);

        // with the runner: 8 threads x 500 transfers, no failure, no money lost, every transfer once
        TransactionRunner runner = TransactionRunner.on(ds, RetryPolicy.builder().maxAttempts(20)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(50)).maxTotalTime(Duration.ofMinutes(2))
                .budget(RetryBudget.builder().maxTokens(100_000).minRetriesPerSecond(10_000).build()).build());
        TransferWorkload.Result safe = workload.run(8, 500, 2, t -> runner.run(c -> workload.transfer(c, t)));

        assertThat(safe.attempted()).isEqualTo(4000);
        assertThat(safe.failed()).as("failed transfers with safe retry: %s, e.g. %s", safe.failures(),
                safe.examples().stream().limit(3).map(e -> e.getClass().getName() + " " + e.getSQLState() + "/"
                        + e.getErrorCode() + " " + e.getMessage() + " (suppressed " + e.getSuppressed().length + ")")
                        .toList()).isZero();
        assertThat(workload.totalBalance()).isEqualTo(total);
        assertThat(workload.ledgerRows()).isEqualTo(before + 4000);
        assertThat(workload.distinctLedgerTransfers()).isEqualTo(workload.ledgerRows());

        // the deadlocks the runner absorbed are still reported, as warnings with the retry outcome
        await().atMost(Duration.ofSeconds(10)).until(() -> incidents(IncidentKind.DEADLOCK).stream()
                .anyMatch(i -> i.retry() != null && i.retry().outcome() == RetryInfo.Outcome.SUCCEEDED));
        Incident absorbed = incidents(IncidentKind.DEADLOCK).stream()
                .filter(i -> i.retry() != null && i.retry().outcome() == RetryInfo.Outcome.SUCCEEDED)
                .findFirst().orElseThrow();
        assertThat(absorbed.retry().attempts()).isGreaterThan(1);
        assertThat(absorbed.timeline()).anyMatch(t -> t.type().equals("retry-absorbed"));
        workload.drop();
    }

    @ParameterizedTest
    @EnumSource(value = Database.class, names = {"MARIADB", "H2"})
    void aDeadlockInsideAnExplicitTransactionIsNotRetriedAloneAndTheRemainderIsNeverCommitted(Database database,
            TestDatabases dbs) throws Exception {
        // MariaDB and H2 roll the whole transaction back on a deadlock and let the connection go on in a new one
        DataSource raw = database == Database.H2 ? dbs.freshH2() : dbs.dataSource(database);
        DataSource ds = JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder().dataSourceName("orders").build());
        String table = TestDatabases.uniqueName("orders");
        try (Connection c = raw.getConnection()) {
            execute(c, "CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT)");
            execute(c, "INSERT INTO " + table + " VALUES (1, 0), (2, 0)");
        }
        CountDownLatch bothLocked = new CountDownLatch(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<SQLException> a = threads.submit(() -> careless(ds, table, 1, 2, 101, bothLocked));
            Future<SQLException> b = threads.submit(() -> careless(ds, table, 2, 1, 102, bothLocked));
            SQLException first = a.get(30, TimeUnit.SECONDS);
            SQLException second = b.get(30, TimeUnit.SECONDS);
            SQLException refused = first != null ? first : second;
            assertThat((Throwable) refused).as("one side had its commit refused").isNotNull()
                    .isInstanceOf(SQLTransactionRollbackException.class);
            assertThat(refused.getSQLState()).isEqualTo("40000");
            assertThat(refused.getMessage()).contains("refused to commit").contains("DEADLOCK");
        } finally {
            threads.shutdownNow();
        }
        // the victim's own row and the row it wrote after the deadlock are both absent: nothing half-committed
        try (Connection c = raw.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE id >= 100")) {
            // neither the victim's own row (101 or 102) nor its row written after the deadlock (111 or 112)
            rs.next();
            assertThat(rs.getInt(1)).as("the survivor's own row only").isEqualTo(1);
        }
    }

    /**
     * A transaction that inserts its own row, updates two rows in the given order, swallows a deadlock, writes
     * one more row and commits: the mistake safe retry exists to prevent.
     */
    private static SQLException careless(DataSource ds, String table, int first, int second, int ownRow,
                                         CountDownLatch bothLocked) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            execute(c, "INSERT INTO " + table + " VALUES (" + ownRow + ", 0)");
            execute(c, "UPDATE " + table + " SET v = v + 1 WHERE id = " + first);
            bothLocked.countDown();
            bothLocked.await(10, TimeUnit.SECONDS);
            try {
                execute(c, "UPDATE " + table + " SET v = v + 1 WHERE id = " + second);
            } catch (SQLException deadlock) {
                // swallowed: on MariaDB and H2 the next statement runs in a NEW transaction
                execute(c, "INSERT INTO " + table + " VALUES (" + (ownRow + 10) + ", 0)");
            }
            try {
                c.commit();
                return null;
            } catch (SQLException e) {
                return e;
            }
        }
    }

    @Test
    void aConnectionLostDuringCommitIsNotRetriedAndRaisesACriticalIncident(TestDatabases dbs) throws Exception {
        DataSource raw = dbs.dataSource(Database.POSTGRESQL);
        DataSource ds = JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder().dataSourceName("payments").build());
        String table = TestDatabases.uniqueName("payment");
        try (Connection c = raw.getConnection()) {
            execute(c, "CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            // a deferred constraint trigger runs at COMMIT time: it holds the commit long enough to kill it
            execute(c, "CREATE FUNCTION " + table + "_slow() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN PERFORM pg_sleep(5); RETURN NULL; END $$");
            execute(c, "CREATE CONSTRAINT TRIGGER " + table + "_at_commit AFTER INSERT ON " + table
                    + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION " + table + "_slow()");
        }
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger backend = new AtomicInteger();
        ExecutorService killer = Executors.newSingleThreadExecutor();
        try {
            TransactionRunner runner = TransactionRunner.on(ds);
            Future<Boolean> kill = killer.submit(() -> {
                await().atMost(Duration.ofSeconds(20)).until(() -> backend.get() != 0 && committing(raw, backend.get()));
                try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
                    s.execute("SELECT pg_terminate_backend(" + backend.get() + ")");
                }
                return true;
            });
            SQLException lost = catchThrowableOfType(SQLException.class, () -> runner.run(c -> {
                attempts.incrementAndGet();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    backend.set(rs.getInt(1));
                }
                execute(c, "INSERT INTO " + table + " VALUES (1)");
            }));
            assertThat(kill.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat((Throwable) lost).isNotNull();
            assertThat(attempts).as("never retried").hasValue(1);
        } finally {
            killer.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !incidents(IncidentKind.COMMIT_OUTCOME_UNKNOWN).isEmpty());
        Incident unknown = incidents(IncidentKind.COMMIT_OUTCOME_UNKNOWN).get(0);
        assertThat(unknown.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(unknown.summary()).contains("nobody knows whether the transaction was committed");
        try (Connection c = raw.getConnection()) {
            execute(c, "DROP TABLE " + table);
            execute(c, "DROP FUNCTION " + table + "_slow()");
        }
    }

    private static boolean committing(DataSource raw, int pid) throws SQLException {
        try (Connection c = raw.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT query FROM pg_stat_activity WHERE pid = " + pid
                     + " AND state = 'active'")) {
            return rs.next() && rs.getString(1).trim().equalsIgnoreCase("COMMIT");
        }
    }

    @Test
    void anAutoCommitStatementChosenAsDeadlockVictimIsRunAgainAndSucceeds(TestDatabases dbs) throws Exception {
        DataSource raw = dbs.dataSource(Database.POSTGRESQL);
        DataSource ds = JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder().dataSourceName("stock").build());
        // PostgreSQL picks the victim by whose deadlock_timeout runs out first after the cycle closed; on a loaded
        // machine the holder's second update may start waiting only after the auto-commit statement's single
        // check, and then the holder is the victim: that round says nothing about the SDK, it is run again
        String table = null;
        for (int round = 0; round < 5 && table == null; round++) {
            table = autoCommitStatementLosesTheRace(raw, ds);
        }
        assertThat(table).as("the auto-commit statement was PostgreSQL's victim in one of five rounds").isNotNull();
        try (Connection c = raw.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SUM(v) FROM " + table)) {
            rs.next();
            assertThat(rs.getInt(1)).as("both the holder's and the re-run's updates, once each").isEqualTo(22);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> incidents(IncidentKind.DEADLOCK).stream()
                .anyMatch(i -> i.retry() != null));
        Incident deadlock = incidents(IncidentKind.DEADLOCK).get(0);
        assertThat(deadlock.severity()).isEqualTo(Severity.WARNING);
        assertThat(deadlock.retry().outcome()).isEqualTo(RetryInfo.Outcome.SUCCEEDED);
        assertThat(deadlock.retry().attempts()).isEqualTo(2);
    }

    /**
     * One round: the auto-commit statement locks row 1 and waits for row 2, then the holder wants row 1.
     *
     * @return the round's table when the auto-commit statement was the victim (and was run again), or
     *         {@code null} when PostgreSQL chose the holder
     */
    private static String autoCommitStatementLosesTheRace(DataSource raw, DataSource ds) throws Exception {
        String table = TestDatabases.uniqueName("stock");
        try (Connection c = raw.getConnection()) {
            execute(c, "CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT)");
            execute(c, "INSERT INTO " + table + " VALUES (1, 0)");
            execute(c, "INSERT INTO " + table + " VALUES (2, 0)");
        }
        ExecutorService threads = Executors.newSingleThreadExecutor();
        try (Connection holder = raw.getConnection(); Connection auto = ds.getConnection();
             Connection monitor = raw.getConnection()) {
            holder.setAutoCommit(false);
            execute(holder, "UPDATE " + table + " SET v = v + 10 WHERE id = 2");
            int autoPid;
            try (Statement s = auto.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                autoPid = rs.getInt(1);
            }
            // auto-commit: locks row 1 (physical order), then waits for row 2, held by the holder
            Future<Integer> updated = threads.submit(() -> {
                try (Statement s = auto.createStatement()) {
                    return s.executeUpdate("UPDATE " + table + " SET v = v + 1 WHERE id IN (1, 2)");
                }
            });
            // quickly, on an open connection: PostgreSQL checks for a cycle once, deadlock_timeout (100 ms)
            // after a wait began
            await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                    .until(() -> waitingForLock(monitor, autoPid));
            // the holder now wants row 1: a cycle; the auto-commit statement waited first, so PostgreSQL's
            // deadlock check runs in its backend and it is the victim
            try {
                execute(holder, "UPDATE " + table + " SET v = v + 10 WHERE id = 1");
            } catch (SQLException e) {
                if (!"40P01".equals(e.getSQLState())) {
                    throw e;
                }
                holder.rollback(); // PostgreSQL chose the holder this time
                updated.get(30, TimeUnit.SECONDS);
                return null;
            }
            holder.commit();
            assertThat(updated.get(30, TimeUnit.SECONDS)).as("rows updated by the re-run").isEqualTo(2);
            return table;
        } finally {
            threads.shutdownNow();
        }
    }

    private static boolean waitingForLock(Connection monitor, int pid) throws SQLException {
        try (Statement s = monitor.createStatement();
             ResultSet rs = s.executeQuery("SELECT wait_event_type FROM pg_stat_activity WHERE pid = " + pid)) {
            return rs.next() && "Lock".equals(rs.getString(1));
        }
    }
}
