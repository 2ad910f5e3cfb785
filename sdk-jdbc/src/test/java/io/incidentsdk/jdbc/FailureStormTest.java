package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** A storm of identical failures is one incident with exact counts, whatever the kind. */
class FailureStormTest {

    @Test
    void tenThousandIdenticalDeadlocksAndLockTimeoutsAreOneIncidentEachWithExactCounts() throws SQLException {
        DataSource driver = mock(DataSource.class);
        Connection connection = mock(Connection.class);
        DatabaseMetaData meta = mock(DatabaseMetaData.class);
        PreparedStatement deadlocking = mock(PreparedStatement.class);
        PreparedStatement waiting = mock(PreparedStatement.class);
        when(meta.getDatabaseProductName()).thenReturn("PostgreSQL");
        when(driver.getConnection()).thenReturn(connection);
        when(connection.getMetaData()).thenReturn(meta);
        when(connection.getAutoCommit()).thenReturn(false);
        when(connection.prepareStatement(anyString())).thenAnswer(i -> ((String) i.getArgument(0)).contains("stock")
                ? deadlocking : waiting);
        when(deadlocking.executeUpdate()).thenAnswer(i -> {
            throw new SQLException("ERROR: deadlock detected", "40P01");
        });
        when(waiting.executeUpdate()).thenAnswer(i -> {
            throw new SQLException("ERROR: canceling statement due to lock timeout", "55P03");
        });
        InMemorySink memory = new InMemorySink(1_000);
        int storm = 10_000;
        try (IncidentSdk sdk = IncidentSdk.builder().sink(memory).build()) {
            DataSource ds = JdbcIncidents.watch(driver, sdk, JdbcWatchOptions.builder().dataSourceName("shop").build());
            try (Connection c = ds.getConnection();
                 PreparedStatement a = c.prepareStatement("UPDATE stock SET n = n - ? WHERE id = ?");
                 PreparedStatement b = c.prepareStatement("UPDATE orders SET state = ? WHERE id = ?")) {
                for (int i = 0; i < storm; i++) {
                    assertThatThrownBy(a::executeUpdate).isInstanceOf(SQLException.class);
                    assertThatThrownBy(b::executeUpdate).isInstanceOf(SQLException.class);
                    c.rollback(); // as an application must after a deadlock: each attempt is a new transaction
                }
            }
        }
        assertThat(memory.events()).filteredOn(e -> e.event() == IncidentEvent.Type.OPENED)
                .extracting(e -> e.incident().kind())
                .as("one incident per kind, and the error spike they make")
                .containsExactlyInAnyOrder(IncidentKind.DEADLOCK, IncidentKind.LOCK_TIMEOUT, IncidentKind.ERROR_SPIKE);
        for (IncidentKind kind : new IncidentKind[] {IncidentKind.DEADLOCK, IncidentKind.LOCK_TIMEOUT}) {
            IncidentEvent last = memory.events().stream().filter(e -> e.incident().kind() == kind)
                    .reduce((x, y) -> y).orElseThrow();
            assertThat(last.incident().occurrences()).as(kind.name()).isEqualTo(storm);
        }
    }
}
