package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.RetryInfo;
import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 10: the guards that keep the SDK from changing what a transaction commits — the runner's ownership
 * of its connection, nesting, every exit path, the doom rules with savepoints, the refused auto-commit switch,
 * the lock-free retry budget, and a second SDK on a watched data source. Each test failed on the code before
 * the guards.
 */
@ExtendWith(RealDatabases.class)
class IntegrityGuardsTest {

    /** Classifies a division by zero (22012) as a deadlock: a deadlock on demand, on any database. */
    private static final SqlFailureClassifier FAKE_DEADLOCKS = SqlFailureClassifier.builder()
            .rule((e, vendor) -> "22012".equals(e.getSQLState())
                    ? SqlFailure.of(e, SqlFailureCategory.DEADLOCK, RollbackScope.TRANSACTION, "test:fake-deadlock")
                    : null)
            .build();

    private final InMemorySink memory = new InMemorySink(10_000);
    private final IncidentSdk sdk = IncidentSdk.builder().sink(memory).updateInterval(Duration.ofMillis(1)).build();
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        sdk.close();
        for (AutoCloseable c : closeLater) {
            c.close();
        }
    }

    private DataSource watched(DataSource raw) {
        return JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder().dataSourceName("orders")
                .classifier(FAKE_DEADLOCKS).build());
    }

    private static RetryPolicy.Builder policy() {
        return RetryPolicy.builder().classifier(FAKE_DEADLOCKS).backoff(Duration.ZERO, Duration.ZERO)
                .budget(RetryBudget.builder().maxTokens(1000).build());
    }

    private static String table(DataSource raw) throws SQLException {
        String table = TestDatabases.uniqueName("guard");
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT)");
        }
        return table;
    }

    private static void insert(Connection c, String table, int id) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO " + table + " VALUES (" + id + ", 0)");
        }
    }

    private static void fakeDeadlock(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1 / 0").close();
        }
    }

    private static List<Integer> ids(DataSource raw, String table) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Connection c = raw.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }

    private List<Incident> incidents(IncidentKind kind) {
        return memory.events().stream().map(e -> e.incident()).filter(i -> i.kind() == kind).toList();
    }

    // ---------------------------------------------------------------- the runner owns its connection

    @Test
    void aUnitThatCommitsByItselfIsRefusedAndNothingOfItIsCommitted(TestDatabases dbs) throws SQLException {
        DataSource raw = dbs.freshH2();
        String table = table(raw);
        TransactionRunner runner = TransactionRunner.on(watched(raw), policy().build());

        Throwable thrown = catchThrowable(() -> runner.run(c -> {
            insert(c, table, 1);
            c.commit();
        }));

        assertThat(thrown).isInstanceOf(SQLException.class).hasMessageStartingWith("Incident SDK:")
                .hasMessageContaining("commit()").hasMessageContaining("TransactionRunner");
        assertThat(((SQLException) thrown).getSQLState()).isEqualTo("25000");
        assertThat(ids(raw, table)).isEmpty();
    }

    @Test
    void aUnitThatRollsBackByItselfAndSwallowsTheRefusalIsNotReportedAsASuccess(TestDatabases dbs)
            throws SQLException {
        DataSource raw = dbs.freshH2();
        String table = table(raw);
        TransactionRunner runner = TransactionRunner.on(watched(raw), policy().build());

        assertThatThrownBy(() -> runner.run(c -> {
            insert(c, table, 1);
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // what careless code does
            }
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // likewise
            }
            insert(c, table, 2);
        })).isInstanceOf(SQLException.class).hasMessageContaining("rollback()");

        assertThat(ids(raw, table)).as("neither the work before nor after the refused rollback").isEmpty();
    }

    @Test
    void closingTheUnitsConnectionIsRefusedAndTheRunnerStillClosesIt(TestDatabases dbs) throws SQLException {
        DataSource raw = dbs.freshH2();
        String table = table(raw);
        TransactionRunner runner = TransactionRunner.on(watched(raw), policy().build());
        Connection[] seen = new Connection[1];

        assertThatThrownBy(() -> runner.run(c -> {
            seen[0] = c;
            insert(c, table, 1);
            c.close();
        })).isInstanceOf(SQLException.class).hasMessageContaining("close()");

        assertThat(seen[0].isClosed()).as("the runner closed it").isTrue();
        assertThat(ids(raw, table)).isEmpty();
    }

    @Test
    void aRunnerOnTheSameDataSourceInsideAUnitJoinsItSoARetryAppliesItsWorkOnce(TestDatabases dbs)
            throws SQLException {
        DataSource raw = dbs.freshH2();
        String table = table(raw);
        DataSource ds = watched(raw);
        TransactionRunner outer = TransactionRunner.on(ds, policy().build());
        TransactionRunner inner = TransactionRunner.on(ds, policy().build());
        AtomicInteger attempts = new AtomicInteger();

        outer.run(c -> {
            insert(c, table, 1);
            inner.run(c2 -> insert(c2, table, 2));
            if (attempts.incrementAndGet() == 1) {
                fakeDeadlock(c);
            }
        });

        assertThat(attempts).hasValue(2);
        assertThat(ids(raw, table)).containsExactly(1, 2);
    }

    @Test
    void aNestedUnitThatCommittedOnAnotherDataSourceStopsTheEnclosingUnitFromRetrying(TestDatabases dbs)
            throws SQLException {
        DataSource raw = dbs.freshH2();
        String table = table(raw);
        DataSource otherRaw = dbs.freshH2();
        String audit = table(otherRaw);
        TransactionRunner outer = TransactionRunner.on(watched(raw), policy().build());
        TransactionRunner inner = TransactionRunner.on(otherRaw, policy().build());
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> outer.run(c -> {
            attempts.incrementAndGet();
            insert(c, table, 1);
            inner.run(c2 -> insert(c2, audit, 7));
            fakeDeadlock(c);
        })).isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22012");

        assertThat(attempts).as("no retry: it would insert the audit row twice").hasValue(1);
        assertThat(ids(otherRaw, audit)).containsExactly(7);
        assertThat(ids(raw, table)).isEmpty();
        // the record reaches the sink on the SDK's thread
        await().atMost(Duration.ofSeconds(10)).until(() -> !incidents(IncidentKind.DEADLOCK).isEmpty());
        RetryInfo retry = incidents(IncidentKind.DEADLOCK).get(0).retry();
        assertThat(retry.outcome()).isEqualTo(RetryInfo.Outcome.NOT_RETRIED);
        assertThat(retry.reason()).contains("nested").contains("twice");
    }

    @Test
    void aCheckedExceptionThrownSneakilyRollsBackClosesAndReachesTheCallerUnchanged(TestDatabases dbs)
            throws Exception {
        DataSource raw = dbs.freshH2();
        String table = table(raw);
        HikariConfig config = new HikariConfig();
        config.setDataSource(raw);
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(1_000);
        HikariDataSource pool = new HikariDataSource(config);
        closeLater.add(pool);
        TransactionRunner runner = TransactionRunner.on(watched(pool), policy().build());
        IOException checked = new IOException("the payment provider hung up");

        Throwable thrown = catchThrowable(() -> runner.run(c -> {
            insert(c, table, 1);
            throw IntegrityGuardsTest.<RuntimeException>sneaky(checked);
        }));

        assertThat(thrown).isSameAs(checked);
        // the pool of one serves the next unit at once: the connection went back, its transaction rolled back
        runner.run(c -> insert(c, table, 2));
        assertThat(ids(raw, table)).containsExactly(2);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    // ---------------------------------------------------------------- doom rules

    @ParameterizedTest
    @EnumSource(Database.class)
    void aHandledErrorThatIsNotADeadlockLeavesTheCommitToTheDatabase(Database database, TestDatabases dbs)
            throws SQLException {
        DataSource raw = database == Database.H2 ? dbs.freshH2() : dbs.dataSource(database);
        String table = table(raw);
        DataSource ds = watched(raw);

        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insert(c, table, 1);
            Savepoint savepoint = c.setSavepoint();
            SQLException duplicate = catchDuplicate(c, table);
            assertThat(duplicate.getSQLState()).startsWith("23");
            c.rollback(savepoint);
            insert(c, table, 2);
            c.commit();
        }

        assertThat(ids(raw, table)).containsExactly(1, 2);
    }

    private static SQLException catchDuplicate(Connection c, String table) {
        Throwable t = catchThrowable(() -> insert(c, table, 1));
        assertThat(t).isInstanceOf(SQLException.class);
        return (SQLException) t;
    }

    @Test
    void onPostgresqlARollbackToASavepointBeforeADeadlockLiftsTheDoomAndTheRestCommits(TestDatabases dbs)
            throws SQLException {
        DataSource raw = dbs.dataSource(Database.POSTGRESQL);
        String table = table(raw);
        DataSource ds = watched(raw);

        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insert(c, table, 1);
            Savepoint before = c.setSavepoint();
            assertThatThrownBy(() -> fakeDeadlock(c)).isInstanceOf(SQLException.class);
            c.rollback(before);
            insert(c, table, 2);
            c.commit();
        }

        assertThat(ids(raw, table)).containsExactly(1, 2);
    }

    @Test
    void aRollbackToASavepointTakenAfterTheDeadlockDoesNotLiftTheDoom(TestDatabases dbs) throws SQLException {
        // H2 keeps a transaction usable after a failed statement, as pgjdbc's autosave does
        DataSource raw = dbs.freshH2();
        String table = table(raw);
        DataSource ds = watched(raw);

        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> fakeDeadlock(c)).isInstanceOf(SQLException.class);
            insert(c, table, 1);
            Savepoint after = c.setSavepoint();
            insert(c, table, 2);
            c.rollback(after);
            assertThatThrownBy(c::commit).isInstanceOf(SQLTransactionRollbackException.class)
                    .hasMessageStartingWith("Incident SDK refused to commit");
        }

        assertThat(ids(raw, table)).isEmpty();
    }

    @Test
    void onH2ARollbackToASavepointBeforeTheDeadlockDoesNotLiftTheDoom(TestDatabases dbs) throws SQLException {
        // H2 rolls a real deadlock's whole transaction back: nothing before the savepoint survives it
        DataSource raw = dbs.freshH2();
        String table = table(raw);
        DataSource ds = watched(raw);

        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insert(c, table, 1);
            Savepoint before = c.setSavepoint();
            assertThatThrownBy(() -> fakeDeadlock(c)).isInstanceOf(SQLException.class);
            c.rollback(before);
            insert(c, table, 2);
            assertThatThrownBy(c::commit).isInstanceOf(SQLTransactionRollbackException.class);
        }

        assertThat(ids(raw, table)).isEmpty();
    }

    @Test
    void switchingAutoCommitOnInADoomedTransactionRollsBackInsteadOfCommittingTheRest(TestDatabases dbs)
            throws SQLException {
        DataSource raw = dbs.freshH2();
        String table = table(raw);
        DataSource ds = watched(raw);

        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insert(c, table, 1);
            assertThatThrownBy(() -> fakeDeadlock(c)).isInstanceOf(SQLException.class);
            insert(c, table, 2);
            assertThatThrownBy(() -> c.setAutoCommit(true)).isInstanceOf(SQLTransactionRollbackException.class)
                    .hasMessageContaining("auto-commit");
            assertThat(c.getAutoCommit()).as("the application asked for auto-commit mode and has it").isTrue();
            insert(c, table, 3);
        }

        assertThat(ids(raw, table)).as("raw H2 would have committed 1 and 2").containsExactly(3);
    }

    // ---------------------------------------------------------------- budget and misuse

    @Test
    void theRetryBudgetCountsExactlyUnderContentionAndReadsNoClockPerUnit() throws Exception {
        AtomicLong clockReads = new AtomicLong();
        Clock fixed = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                clockReads.incrementAndGet();
                return Instant.EPOCH;
            }

            @Override
            public long millis() {
                clockReads.incrementAndGet();
                return 0L;
            }
        };
        RetryBudget budget = RetryBudget.builder().ratio(0.1).minRetriesPerSecond(0).maxTokens(100_000)
                .clock(fixed).build();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            // 8 threads take 20,000 tokens each from a full bucket of 100,000: exactly 100,000 succeed
            assertThat(sum(threads, () -> {
                long taken = 0;
                for (int i = 0; i < 20_000; i++) {
                    taken += budget.tryAcquire() ? 1 : 0;
                }
                return taken;
            })).isEqualTo(100_000);
            assertThat(budget.refused()).isEqualTo(60_000);

            // 8 threads start 12,500 units each at 0.1 token a unit: exactly 10,000 tokens, without a clock
            long readsBefore = clockReads.get();
            sum(threads, () -> {
                for (int i = 0; i < 12_500; i++) {
                    budget.unitStarted();
                }
                return 0L;
            });
            assertThat(clockReads.get()).isEqualTo(readsBefore);
            assertThat(budget.available()).isEqualTo(10_000.0);
        } finally {
            threads.shutdownNow();
        }
    }

    private static long sum(ExecutorService threads, Callable<Long> task) throws Exception {
        List<Future<Long>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(threads.submit(task));
        }
        long total = 0;
        for (Future<Long> f : futures) {
            total += f.get();
        }
        return total;
    }

    @Test
    void watchingAWatchedDataSourceWithAnotherSdkIsRefusedWithTheSameSdkItIsTheSame(TestDatabases dbs) {
        DataSource once = JdbcIncidents.watch(dbs.freshH2(), sdk);
        try (IncidentSdk other = IncidentSdk.builder().sink(new InMemorySink(10)).build()) {
            assertThatThrownBy(() -> JdbcIncidents.watch(once, other))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("watched already, by another IncidentSdk");
        }
        assertThat(JdbcIncidents.watch(once, sdk)).isSameAs(once);
    }
}
