package io.incidentsdk.jdbc.lockorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.Severity;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.jdbc.LockOrderAvoidance;
import io.incidentsdk.jdbc.RetryBudget;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.TransactionRunner;
import io.incidentsdk.jdbc.internal.lockorder.LockOrderGates;
import io.incidentsdk.jdbc.internal.watch.JdbcWatch;
import io.incidentsdk.jdbc.internal.wrap.WatchedDataSource;
import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The opt-in gate of runner units, CI-fast: after a risk is reported (or a first deadlock), the racy transfer storm
 * between two accounts runs with no deadlock and no failed transfer, on each database and with each gate; a gate is
 * released when its unit rolls back; a real deadlock names the risk that predicted it.
 */
@ExtendWith(RealDatabases.class)
class LockOrderGateTest {

    private final InMemorySink memory = new InMemorySink(100_000);
    private final IncidentSdk sdk = IncidentSdk.builder().sink(memory).updateInterval(Duration.ofMillis(10))
            .housekeepingInterval(Duration.ofMillis(10)).build();
    private final List<HikariDataSource> pools = new ArrayList<>();

    @AfterEach
    void close() {
        sdk.close();
        pools.forEach(HikariDataSource::close);
    }

    private DataSource pooled(DataSource raw, int size) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(raw);
        config.setMaximumPoolSize(size);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    private static LockOrderGates gates(DataSource watched) {
        return ((JdbcWatch) WatchedDataSource.observerOf(watched)).lockOrder().gates();
    }

    private static String accounts(DataSource raw, int rows) throws SQLException {
        String table = TestDatabases.uniqueName("gate_account");
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)");
            for (int id = 1; id <= rows; id++) {
                s.execute("INSERT INTO " + table + " VALUES (" + id + ", 1000000)");
            }
        }
        return table;
    }

    /** The founding bug: debit first, whichever the ids. */
    private static void transfer(Connection c, String table, long from, long to) throws SQLException {
        update(c, "UPDATE " + table + " SET balance = balance - ? WHERE id = ?", from);
        update(c, "UPDATE " + table + " SET balance = balance + ? WHERE id = ?", to);
    }

    private static void update(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, 1);
            s.setLong(2, id);
            s.executeUpdate();
        }
    }

    private static long sum(DataSource ds, String table) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT SUM(balance) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    private List<Incident> incidents(IncidentKind kind) {
        return memory.incidents().values().stream().filter(i -> i.kind() == kind).toList();
    }

    static List<Arguments> databasesAndGates() {
        return List.of(Arguments.of(Database.POSTGRESQL, LockOrderAvoidance.IN_PROCESS),
                Arguments.of(Database.POSTGRESQL, LockOrderAvoidance.DATABASE),
                Arguments.of(Database.MARIADB, LockOrderAvoidance.IN_PROCESS),
                Arguments.of(Database.MARIADB, LockOrderAvoidance.DATABASE),
                Arguments.of(Database.H2, LockOrderAvoidance.IN_PROCESS));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("databasesAndGates")
    void afterTheRiskIsReportedTheTwoAccountStormRunsWithoutADeadlock(Database database, LockOrderAvoidance gate,
            TestDatabases dbs) throws Exception {
        DataSource raw = dbs.dataSource(database);
        String table = accounts(raw, 2);
        DataSource ds = JdbcIncidents.watch(pooled(raw, 8), sdk, JdbcWatchOptions.builder().dataSourceName("bank")
                .lockOrderSampling(1.0).lockOrderAvoidance(gate).build());
        RetryBudget budget = RetryBudget.builder().build();
        TransactionRunner tx = TransactionRunner.on(ds, RetryPolicy.builder().budget(budget).build());
        // the test suite's single-threaded run reports the risk: from now on the account rows are gated
        tx.run(c -> transfer(c, table, 1, 2));
        tx.run(c -> transfer(c, table, 2, 1));

        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random random = new Random(t);
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    long from = 1 + random.nextInt(2);
                    try {
                        tx.run(c -> transfer(c, table, from, 3 - from));
                    } catch (SQLException e) {
                        failed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(failed).hasValue(0);
        assertThat(sum(raw, table)).isEqualTo(2_000_000);
        sdk.close();
        assertThat(incidents(IncidentKind.DEADLOCK)).isEmpty();
        assertThat(incidents(IncidentKind.LOCK_ORDER_RISK)).extracting(Incident::severity)
                .containsExactlyInAnyOrder(Severity.WARNING, Severity.INFO);
        assertThat(budget.refused()).isZero();
        LockOrderGates.Stats stats = gates(ds).stats();
        assertThat(stats.gatedTransactions()).isGreaterThanOrEqualTo(threads * perThread);
    }

    @Test
    void aFirstDeadlockBetweenRunnerUnitsGatesTheTableWithoutAnyAnalysis(TestDatabases dbs) throws Exception {
        DataSource raw = dbs.dataSource(Database.POSTGRESQL);
        String table = accounts(raw, 2);
        DataSource ds = JdbcIncidents.watch(pooled(raw, 4), sdk, JdbcWatchOptions.builder().dataSourceName("bank")
                .lockOrderSampling(0.0).lockOrderAvoidance(LockOrderAvoidance.IN_PROCESS).build());
        TransactionRunner tx = TransactionRunner.on(ds);
        CountDownLatch firstRowsLocked = new CountDownLatch(2);
        AtomicInteger attempts = new AtomicInteger();
        ExecutorService two = Executors.newFixedThreadPool(2);
        List<Future<?>> done = new ArrayList<>();
        for (long from = 1; from <= 2; from++) {
            long debit = from;
            done.add(two.submit(() -> {
                tx.run(c -> {
                    update(c, "UPDATE " + table + " SET balance = balance - ? WHERE id = ?", debit);
                    if (attempts.incrementAndGet() <= 2) {
                        // the first attempts of both hold their first row when they ask for the other one
                        firstRowsLocked.countDown();
                        try {
                            firstRowsLocked.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    update(c, "UPDATE " + table + " SET balance = balance + ? WHERE id = ?", 3 - debit);
                });
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        two.shutdown();
        assertThat(gates(ds).stats().gatedTransactions()).isGreaterThanOrEqualTo(1);
        sdk.close();
        assertThat(incidents(IncidentKind.DEADLOCK)).hasSize(1);
        assertThat(incidents(IncidentKind.LOCK_ORDER_RISK)).singleElement()
                .satisfies(g -> assertThat(g.title()).isEqualTo("Lock-order gate on for rows of " + table));
    }

    @Test
    void aGateIsReleasedWhenItsUnitRollsBack(TestDatabases dbs) throws Exception {
        DataSource raw = dbs.dataSource(Database.POSTGRESQL);
        String table = accounts(raw, 2);
        DataSource ds = JdbcIncidents.watch(pooled(raw, 4), sdk, JdbcWatchOptions.builder().dataSourceName("bank")
                .lockOrderSampling(1.0).lockOrderAvoidance(LockOrderAvoidance.IN_PROCESS).build());
        TransactionRunner tx = TransactionRunner.on(ds);
        tx.run(c -> transfer(c, table, 1, 2));
        tx.run(c -> transfer(c, table, 2, 1));

        assertThatThrownBy(() -> tx.run(c -> {
            transfer(c, table, 1, 2);
            throw new IllegalStateException("the unit gives up");
        })).isInstanceOf(IllegalStateException.class);

        // another thread gets both rows' gates at once: the rolled-back unit holds none
        ExecutorService other = Executors.newSingleThreadExecutor();
        long started = System.nanoTime();
        other.submit(() -> {
            tx.run(c -> transfer(c, table, 2, 1));
            return null;
        }).get(30, TimeUnit.SECONDS);
        other.shutdown();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(LockOrderGatesWait.MILLIS));
        LockOrderGates.Stats stats = gates(ds).stats();
        assertThat(stats.waits()).isZero();
        assertThat(stats.restarts()).isZero();
        assertThat(sum(raw, table)).isEqualTo(2_000_000);
    }

    /** Below the gate's longest wait: a leaked gate would have made the other unit wait that long at least. */
    private static final class LockOrderGatesWait {
        static final long MILLIS = 1_500;
    }

    @Test
    void aRealDeadlockNamesTheRiskThatPredictedIt(TestDatabases dbs) throws Exception {
        DataSource raw = dbs.dataSource(Database.POSTGRESQL);
        String table = accounts(raw, 2);
        DataSource ds = JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder().dataSourceName("bank")
                .lockOrderSampling(1.0).build());
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            transfer(c, table, 1, 2);
            c.commit();
            transfer(c, table, 2, 1);
            c.commit();
        }

        // two transfers in opposite directions, each holding its first row when the other asks for it
        CountDownLatch firstRowsLocked = new CountDownLatch(2);
        ExecutorService two = Executors.newFixedThreadPool(2);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        for (long from = 1; from <= 2; from++) {
            long debit = from;
            outcomes.add(two.submit(() -> {
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    update(c, "UPDATE " + table + " SET balance = balance - ? WHERE id = ?", debit);
                    firstRowsLocked.countDown();
                    firstRowsLocked.await();
                    try {
                        update(c, "UPDATE " + table + " SET balance = balance + ? WHERE id = ?", 3 - debit);
                        c.commit();
                        return true;
                    } catch (SQLException e) {
                        c.rollback();
                        return false;
                    }
                }
            }));
        }
        int committed = 0;
        for (Future<Boolean> f : outcomes) {
            committed += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        two.shutdown();
        assertThat(committed).isEqualTo(1);
        sdk.close();
        String predicted = incidents(IncidentKind.LOCK_ORDER_RISK).get(0).fingerprint();
        assertThat(incidents(IncidentKind.DEADLOCK)).singleElement()
                .satisfies(d -> assertThat(d.attributes()).containsEntry("lockOrder.risk", predicted));
    }
}
