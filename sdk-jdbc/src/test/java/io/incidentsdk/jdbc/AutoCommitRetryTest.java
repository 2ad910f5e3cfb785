package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.RetryInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.sink.InMemorySink;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wrapper's re-run of an auto-commit statement, against a faked driver that fails on demand (the real
 * deadlock of an auto-commit statement is in {@code TransactionRunnerOnRealDatabasesTest}).
 */
class AutoCommitRetryTest {

    private final InMemorySink memory = new InMemorySink(1_000);
    private final IncidentSdk sdk = IncidentSdk.builder().sink(memory).updateInterval(Duration.ofMillis(1))
            .housekeepingInterval(Duration.ofMillis(10)).build();
    private final DataSource driver = mock(DataSource.class);
    private final Connection connection = mock(Connection.class);
    private final PreparedStatement prepared = mock(PreparedStatement.class);
    private final CallableStatement callable = mock(CallableStatement.class);
    private final Statement plain = mock(Statement.class);

    @BeforeEach
    void fakeDriver() throws SQLException {
        DatabaseMetaData meta = mock(DatabaseMetaData.class);
        when(meta.getDatabaseProductName()).thenReturn("PostgreSQL");
        when(meta.getDatabaseProductVersion()).thenReturn("15.18");
        when(meta.getURL()).thenReturn("jdbc:postgresql://db/app");
        when(driver.getConnection()).thenReturn(connection);
        when(connection.getMetaData()).thenReturn(meta);
        when(connection.getAutoCommit()).thenReturn(true);
        when(connection.prepareStatement(anyString())).thenReturn(prepared);
        when(connection.prepareCall(anyString())).thenReturn(callable);
        when(connection.createStatement()).thenReturn(plain);
    }

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    private DataSource watched(JdbcWatchOptions.Builder options) {
        return JdbcIncidents.watch(driver, sdk, options.dataSourceName("inventory")
                .retryBudget(RetryBudget.builder().maxTokens(1000).build()).build());
    }

    /** What pgjdbc throws for a deadlock: a plain PSQLException with SQLState 40P01. */
    private static SQLException deadlock() {
        return new org.postgresql.util.PSQLException("ERROR: deadlock detected",
                org.postgresql.util.PSQLState.UNKNOWN_STATE) {
            private static final long serialVersionUID = 1L;

            @Override
            public String getSQLState() {
                return "40P01";
            }
        };
    }

    private List<Incident> deadlocks() {
        return memory.events().stream().map(e -> e.incident()).filter(i -> i.kind() == IncidentKind.DEADLOCK).toList();
    }

    @Test
    void aDeadlockedAutoCommitStatementIsRunAgainAndTheDeadlockIsReportedAsAbsorbed() throws SQLException {
        when(prepared.executeUpdate()).thenThrow(deadlock()).thenReturn(1);
        try (Connection c = watched(JdbcWatchOptions.builder()).getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE stock SET n = n - 1 WHERE id = ?")) {
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        verify(prepared, times(2)).executeUpdate();
        await().atMost(Duration.ofSeconds(10)).until(() -> !deadlocks().isEmpty());
        Incident absorbed = deadlocks().get(0);
        assertThat(absorbed.severity()).isEqualTo(Severity.WARNING);
        assertThat(absorbed.retry()).isEqualTo(new RetryInfo(2, RetryInfo.Outcome.SUCCEEDED, null));
    }

    @Test
    void aStatementThatKeepsDeadlockingFailsWithTheLastDriverExceptionAfterTheAttempts() throws SQLException {
        SQLException first = deadlock();
        SQLException second = deadlock();
        SQLException third = deadlock();
        when(plain.executeUpdate(anyString())).thenThrow(first, second, third);
        SQLException thrown;
        try (Connection c = watched(JdbcWatchOptions.builder().autoCommitRetry(true, 3)).getConnection();
             Statement s = c.createStatement()) {
            thrown = catchThrowableOfType(SQLException.class, () -> s.executeUpdate("DELETE FROM stock WHERE n = 0"));
        }
        assertThat((Throwable) thrown).isSameAs(third);
        assertThat(third.getSuppressed()).as("the driver's exception is not modified").isEmpty();
        verify(plain, times(3)).executeUpdate(anyString());
        await().atMost(Duration.ofSeconds(10)).until(() -> !deadlocks().isEmpty());
        assertThat(deadlocks().get(0).severity()).isEqualTo(Severity.ERROR);
        assertThat(deadlocks().get(0).retry()).isEqualTo(new RetryInfo(3, RetryInfo.Outcome.EXHAUSTED, null));
    }

    @Test
    void batchesAreNeverRunAgain() throws SQLException {
        SQLException failure = deadlock();
        when(prepared.executeBatch()).thenThrow(failure);
        try (Connection c = watched(JdbcWatchOptions.builder()).getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO stock VALUES (?, ?)")) {
            assertThat((Throwable) catchThrowableOfType(SQLException.class, s::executeBatch)).isSameAs(failure);
        }
        verify(prepared, times(1)).executeBatch();
    }

    @Test
    void storedProcedureCallsAreNeverRunAgain() throws SQLException {
        SQLException failure = deadlock();
        when(callable.execute()).thenThrow(failure);
        try (Connection c = watched(JdbcWatchOptions.builder()).getConnection();
             CallableStatement s = c.prepareCall("{call restock(?)}")) {
            assertThat((Throwable) catchThrowableOfType(SQLException.class, s::execute)).isSameAs(failure);
        }
        verify(callable, times(1)).execute();
    }

    @Test
    void aStatementInsideAnExplicitTransactionIsNeverRunAgainAlone() throws SQLException {
        when(connection.getAutoCommit()).thenReturn(false);
        SQLException failure = deadlock();
        when(prepared.executeUpdate()).thenThrow(failure).thenReturn(1);
        try (Connection c = watched(JdbcWatchOptions.builder()).getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE stock SET n = n - 1 WHERE id = ?")) {
            assertThat((Throwable) catchThrowableOfType(SQLException.class, s::executeUpdate)).isSameAs(failure);
            // the transaction is doomed: committing the rest would commit half of it
            SQLTransactionRollbackException refused = catchThrowableOfType(SQLTransactionRollbackException.class,
                    c::commit);
            assertThat(refused.getMessage()).contains("refused to commit").contains("DEADLOCK");
        }
        verify(prepared, times(1)).executeUpdate();
        verify(connection, times(0)).commit();
        verify(connection, times(1)).rollback();
    }

    @Test
    void reRunsCanBeTurnedOff() throws SQLException {
        SQLException failure = deadlock();
        when(prepared.executeUpdate()).thenThrow(failure).thenReturn(1);
        try (Connection c = watched(JdbcWatchOptions.builder().autoCommitRetry(false, 3)).getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE stock SET n = n - 1 WHERE id = ?")) {
            assertThat((Throwable) catchThrowableOfType(SQLException.class, s::executeUpdate)).isSameAs(failure);
        }
        verify(prepared, times(1)).executeUpdate();
    }

    @Test
    void anEmptyBudgetStopsReRunsAndSaysSo() throws SQLException {
        SQLException failure = deadlock();
        when(prepared.executeUpdate()).thenThrow(failure).thenReturn(1);
        RetryBudget empty = RetryBudget.builder().maxTokens(1).minRetriesPerSecond(0).ratio(0).build();
        empty.tryAcquire();
        DataSource ds = JdbcIncidents.watch(driver, sdk, JdbcWatchOptions.builder().dataSourceName("inventory")
                .retryBudget(empty).build());
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE stock SET n = n - 1 WHERE id = ?")) {
            assertThat((Throwable) catchThrowableOfType(SQLException.class, s::executeUpdate)).isSameAs(failure);
        }
        verify(prepared, times(1)).executeUpdate();
        await().atMost(Duration.ofSeconds(10)).until(() -> memory.events().stream()
                .anyMatch(e -> e.incident().kind() == IncidentKind.RETRY_BUDGET_EXHAUSTED));
        await().atMost(Duration.ofSeconds(10)).until(() -> !deadlocks().isEmpty());
        assertThat(deadlocks().get(0).retry())
                .isEqualTo(new RetryInfo(1, RetryInfo.Outcome.NOT_RETRIED, "the retry budget is exhausted"));
    }
}
