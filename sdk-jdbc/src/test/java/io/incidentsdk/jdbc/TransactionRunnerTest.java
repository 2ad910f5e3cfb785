package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.RetryInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The rules of safe retry, one test each, on H2. */
@ExtendWith(RealDatabases.class)
class TransactionRunnerTest {

    /** Classifies H2's division by zero as a deadlock: a deadlock on demand, through the watched connection. */
    private static final SqlFailureClassifier FAKE_DEADLOCKS = SqlFailureClassifier.builder()
            .rule((e, vendor) -> "22012".equals(e.getSQLState())
                    ? SqlFailure.of(e, SqlFailureCategory.DEADLOCK, RollbackScope.TRANSACTION, "test:fake-deadlock")
                    : null)
            .build();

    private final TestClock clock = new TestClock();
    private final InMemorySink memory = new InMemorySink(10_000);
    private final IncidentSdk sdk = IncidentSdk.builder().clock(clock).sink(memory)
            .updateInterval(Duration.ofMillis(1)).housekeepingInterval(Duration.ofMillis(10)).build();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private DataSource raw;
    private DataSource ds;
    private String table;

    @BeforeEach
    void createTable(TestDatabases dbs) throws SQLException {
        raw = dbs.freshH2();
        ds = JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder().dataSourceName("orders")
                .classifier(FAKE_DEADLOCKS).meterRegistry(registry).build());
        table = TestDatabases.uniqueName("orders");
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT)");
        }
    }

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    private RetryPolicy.Builder policy() {
        return RetryPolicy.builder().classifier(FAKE_DEADLOCKS).backoff(Duration.ZERO, Duration.ZERO)
                .budget(RetryBudget.builder().maxTokens(1000).build());
    }

    private void insert(Connection c, int id) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO " + table + " VALUES (" + id + ", 0)");
        }
    }

    private static void fakeDeadlock(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1 / 0").close();
        }
    }

    private int rows() throws SQLException {
        try (Connection c = raw.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static SQLTransactionRollbackException deadlock() {
        return new SQLTransactionRollbackException("Deadlock detected", "40001", 40001);
    }

    private List<Incident> incidents(IncidentKind kind) {
        return memory.events().stream().map(e -> e.incident()).filter(i -> i.kind() == kind).toList();
    }

    @Test
    void aUnitReturnsItsValueAndAVoidUnitRunsOnce() throws SQLException {
        TransactionRunner runner = TransactionRunner.on(ds, policy().build());
        AtomicInteger runs = new AtomicInteger();
        runner.run(c -> {
            runs.incrementAndGet();
            assertThat(c.getAutoCommit()).as("the runner owns the transaction").isFalse();
            insert(c, 1);
        });
        int count = runner.inTransaction(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(count).isEqualTo(1);
        assertThat(runs).hasValue(1);
    }

    @Test
    void aFailureThatIsNotRetriedPropagatesUnchangedAfterARollback() throws SQLException {
        TransactionRunner runner = TransactionRunner.on(ds, policy().build());
        SQLSyntaxErrorException bug = new SQLSyntaxErrorException("no such column", "42S22");
        AtomicInteger attempts = new AtomicInteger();
        SQLException thrown = catchThrowableOfType(SQLException.class, () -> runner.run(c -> {
            attempts.incrementAndGet();
            insert(c, 1);
            throw bug;
        }));
        assertThat((Throwable) thrown).isSameAs(bug);
        assertThat(thrown.getSuppressed()).isEmpty();
        assertThat(attempts).hasValue(1);
        assertThat(rows()).isZero();
    }

    @Test
    void aDeadlockReRunsTheWholeUnitInAFreshTransactionOnAFreshConnection() throws SQLException {
        TransactionRunner runner = TransactionRunner.on(ds, policy().build());
        List<Connection> connections = new ArrayList<>();
        runner.run(c -> {
            connections.add(c);
            insert(c, connections.size());
            if (connections.size() == 1) {
                throw deadlock();
            }
        });
        assertThat(connections).hasSize(2).doesNotHaveDuplicates();
        assertThat(rows()).as("the first attempt's insert was rolled back").isEqualTo(1);
    }

    @Test
    void exhaustedRetriesThrowTheLastFailureWithTheEarlierOnesSuppressed() {
        TransactionRunner runner = TransactionRunner.on(ds, policy().maxAttempts(3).build());
        List<SQLException> thrown = new ArrayList<>();
        SQLException last = catchThrowableOfType(SQLException.class, () -> runner.run(c -> {
            SQLException e = deadlock();
            thrown.add(e);
            throw e;
        }));
        assertThat(thrown).hasSize(3);
        assertThat((Throwable) last).isSameAs(thrown.get(2));
        assertThat(last.getSuppressed()).containsExactly(thrown.get(0), thrown.get(1));
    }

    @Test
    void lockTimeoutsAreRetriedOnlyWhenEnabled() throws SQLException {
        AtomicInteger attempts = new AtomicInteger();
        TransactionRunner.VoidWork timesOutOnce = c -> {
            if (attempts.incrementAndGet() == 1) {
                throw new SQLTimeoutException("Timeout trying to lock table", "HYT00", 50200);
            }
        };
        assertThatThrownBy(() -> TransactionRunner.on(ds, policy().build()).run(timesOutOnce))
                .isInstanceOf(SQLTimeoutException.class);
        assertThat(attempts).hasValue(1);

        attempts.set(0);
        TransactionRunner.on(ds, policy().retryLockTimeouts(true).build()).run(timesOutOnce);
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aRuntimeExceptionOfTheUnitRollsBackAndPropagatesWithoutRetry() {
        AtomicInteger attempts = new AtomicInteger();
        IllegalStateException bug = new IllegalStateException("bug in the unit");
        assertThatThrownBy(() -> TransactionRunner.on(ds, policy().build()).run(c -> {
            attempts.incrementAndGet();
            insert(c, 7);
            throw bug;
        })).isSameAs(bug);
        assertThat(attempts).hasValue(1);
        assertThat(catchRows()).isZero();
    }

    private int catchRows() {
        try {
            return rows();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theTotalTimeBoundsTheRetries() {
        AtomicInteger attempts = new AtomicInteger();
        TransactionRunner runner = TransactionRunner.on(ds, policy().maxAttempts(100)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(20)).maxTotalTime(Duration.ofMillis(100)).build());
        assertThatThrownBy(() -> runner.run(c -> {
            attempts.incrementAndGet();
            throw deadlock();
        })).isInstanceOf(SQLTransactionRollbackException.class);
        // each backoff waits at most 20 ms: at most about 100 / 0 attempts could fit only without waits,
        // and at least one retry happened
        assertThat(attempts.get()).isGreaterThan(1).isLessThan(100);
    }

    @Test
    void aConnectionFailureBeforeTheFirstStatementIsRetriedOnAFreshConnectionButNotAfterIt() throws SQLException {
        AtomicInteger refusals = new AtomicInteger(1);
        DataSource flaky = JdbcIncidents.watch(new RefusingDataSource(raw, refusals), sdk,
                JdbcWatchOptions.builder().dataSourceName("flaky").build());
        AtomicInteger attempts = new AtomicInteger();
        TransactionRunner.on(flaky, policy().build()).run(c -> {
            attempts.incrementAndGet();
            insert(c, 1);
        });
        assertThat(attempts).as("the refused connection never reached the unit").hasValue(1);
        assertThat(refusals).hasValue(0);
        assertThat(rows()).isEqualTo(1);

        attempts.set(0);
        assertThatThrownBy(() -> TransactionRunner.on(flaky, policy().build()).run(c -> {
            attempts.incrementAndGet();
            insert(c, 2);
            throw new SQLNonTransientConnectionException("An I/O error occurred while sending to the backend", "08006");
        })).isInstanceOf(SQLNonTransientConnectionException.class);
        assertThat(attempts).as("once a statement ran the unit may have had effects: no retry").hasValue(1);
    }

    @Test
    void aNestedRunnerDoesNotRetryByItselfTheEnclosingUnitRetriesAsAWhole() throws SQLException {
        TransactionRunner outer = TransactionRunner.on(ds, policy().build());
        TransactionRunner inner = TransactionRunner.on(ds, policy().build());
        AtomicInteger outerAttempts = new AtomicInteger();
        AtomicInteger innerAttempts = new AtomicInteger();
        outer.run(c -> {
            outerAttempts.incrementAndGet();
            inner.run(c2 -> {
                if (innerAttempts.incrementAndGet() == 1) {
                    fakeDeadlock(c2);
                }
            });
        });
        assertThat(innerAttempts).as("inner ran once per outer attempt").hasValue(2);
        assertThat(outerAttempts).hasValue(2);
    }

    @Test
    void aDeadlockAbsorbedByARetryIsAWarningAndExhaustedRetriesAnError() {
        TransactionRunner runner = TransactionRunner.on(ds, policy().maxAttempts(3).build());
        AtomicInteger attempts = new AtomicInteger();
        try {
            runner.run(c -> {
                if (attempts.incrementAndGet() == 1) {
                    fakeDeadlock(c);
                }
                insert(c, 1);
            });
        } catch (SQLException e) {
            throw new AssertionError("the retry should have absorbed the deadlock", e);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !incidents(IncidentKind.DEADLOCK).isEmpty());
        Incident absorbed = incidents(IncidentKind.DEADLOCK).get(0);
        assertThat(absorbed.severity()).isEqualTo(Severity.WARNING);
        assertThat(absorbed.retry()).isEqualTo(new RetryInfo(2, RetryInfo.Outcome.SUCCEEDED, null));
        assertThat(registry.get("incident.jdbc.retries").tag("outcome", "SUCCEEDED").counter().count()).isEqualTo(1.0);

        clock.advance(Duration.ofSeconds(1)); // lets the SDK publish the update of the same incident
        assertThatThrownBy(() -> runner.run(c -> {
            insert(c, 99);
            fakeDeadlock(c);
        })).isInstanceOf(SQLException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> incidents(IncidentKind.DEADLOCK).stream()
                .anyMatch(i -> i.retry() != null && i.retry().outcome() == RetryInfo.Outcome.EXHAUSTED));
        Incident exhausted = incidents(IncidentKind.DEADLOCK).stream()
                .filter(i -> i.retry() != null && i.retry().outcome() == RetryInfo.Outcome.EXHAUSTED)
                .reduce((a, b) -> b).orElseThrow();
        assertThat(exhausted.severity()).isEqualTo(Severity.ERROR);
        assertThat(exhausted.retry().attempts()).isEqualTo(3);
        assertThat(registry.get("incident.jdbc.retries").tag("outcome", "EXHAUSTED").counter().count()).isEqualTo(1.0);
    }

    @Test
    void theRetryBudgetStopsAStormOfRetriesAndRefillsWithTime() {
        RetryBudget budget = RetryBudget.builder().ratio(0).minRetriesPerSecond(1).maxTokens(3).clock(clock).build();
        TransactionRunner runner = TransactionRunner.on(ds, policy().maxAttempts(3).budget(budget).build());
        List<Integer> attemptsPerUnit = new ArrayList<>();
        for (int unit = 0; unit < 4; unit++) {
            AtomicInteger attempts = new AtomicInteger();
            assertThatThrownBy(() -> runner.run(c -> {
                attempts.incrementAndGet();
                fakeDeadlock(c);
            })).isInstanceOf(SQLException.class);
            attemptsPerUnit.add(attempts.get());
        }
        // 3 tokens: the first unit retries twice, the second once, then units fail fast
        assertThat(attemptsPerUnit).containsExactly(3, 2, 1, 1);
        assertThat(budget.refused()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> !incidents(IncidentKind.RETRY_BUDGET_EXHAUSTED).isEmpty());

        clock.advance(Duration.ofSeconds(2)); // the floor refills two tokens
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> runner.run(c -> {
            attempts.incrementAndGet();
            fakeDeadlock(c);
        })).isInstanceOf(SQLException.class);
        assertThat(attempts).hasValue(3);
    }

    @Test
    void deadlocksAbsorbedByRetryDoNotMakeAnErrorSpikeButExhaustedOnesDo(TestDatabases dbs) throws SQLException {
        DataSource sensitive = JdbcIncidents.watch(dbs.freshH2(), sdk, JdbcWatchOptions.builder()
                .dataSourceName("ledger").classifier(FAKE_DEADLOCKS)
                .spikeThresholds(0.05, 0.01).spikeMinimumCalls(5).build());
        TransactionRunner runner = TransactionRunner.on(sensitive, policy().maxAttempts(2).build());
        for (int unit = 0; unit < 20; unit++) {
            AtomicInteger attempts = new AtomicInteger();
            runner.run(c -> {
                if (attempts.incrementAndGet() == 1) {
                    fakeDeadlock(c);
                }
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
            });
        }
        // users saw nothing: the window counts the absorbed failures as calls, and no spike opens
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> incidents(IncidentKind.ERROR_SPIKE).isEmpty());

        for (int unit = 0; unit < 20; unit++) {
            assertThatThrownBy(() -> runner.run(TransactionRunnerTest::fakeDeadlock)).isInstanceOf(SQLException.class);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !incidents(IncidentKind.ERROR_SPIKE).isEmpty());
        assertThat(incidents(IncidentKind.ERROR_SPIKE).get(0).impact().failuresByCategory()).containsKey("DEADLOCK");
    }

    @Test
    void theBudgetLetsRetriesAddOnlyTheConfiguredShareOfUnits() {
        RetryBudget budget = RetryBudget.builder().ratio(0.1).minRetriesPerSecond(0).maxTokens(1).clock(clock).build();
        assertThat(budget.tryAcquire()).isTrue();
        assertThat(budget.tryAcquire()).isFalse();
        for (int i = 0; i < 9; i++) {
            budget.unitStarted();
        }
        assertThat(budget.tryAcquire()).as("9 units, 0.9 tokens").isFalse();
        budget.unitStarted();
        assertThat(budget.tryAcquire()).as("10 units at 10 %: one retry").isTrue();
    }

    /** A data source that refuses the first connections, like a database that is restarting. */
    private static final class RefusingDataSource implements DataSource {
        private final DataSource target;
        private final AtomicInteger refusals;

        RefusingDataSource(DataSource target, AtomicInteger refusals) {
            this.target = target;
            this.refusals = refusals;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new SQLNonTransientConnectionException("Connection refused", "08001");
            }
            return target.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
