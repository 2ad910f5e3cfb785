package io.incidentsdk.jdbc.differential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 10, point 4: switching auto-commit on commits the open transaction (JDBC), so after a deadlock in an
 * explicit transaction {@code setAutoCommit(true)} must not commit the statements that ran after the
 * deadlock. The watched connection rolls back, throws {@code SQLTransactionRollbackException} 40000
 * ("Incident SDK refused to commit ...") and is in auto-commit mode afterwards.
 */
@ExtendWith(RealDatabases.class)
class SetAutoCommitOnDoomedTransactionRegressionTest {

    private final IncidentSdk sdk = IncidentSdk.builder().sink(new InMemorySink(100)).build();

    @AfterEach
    void close() {
        sdk.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void setAutoCommitTrueAfterADeadlockDoesNotCommitTheRemainder(Database database, TestDatabases dbs)
            throws SQLException {
        DataSource raw = database == Database.H2 ? dbs.freshH2() : dbs.dataSource(database);
        Tables table = Tables.create(raw, database, true);
        FaultInjectingDataSource faults = new FaultInjectingDataSource(raw, database);
        DataSource watched = JdbcIncidents.watch(faults, sdk, JdbcWatchOptions.builder()
                .autoCommitRetry(false, 1).build());
        try {
            // steps: 0 setAutoCommit(false), 1 insert 1, 2 insert 2 (deadlock), 3 insert 3
            faults.arm(List.of(new Fault(2, Fault.Kind.DEADLOCK)));
            try (Connection c = watched.getConnection()) {
                c.setAutoCommit(false);
                Tables.insert(c, table.name(), 1);
                SQLException deadlock = catchThrowableOfType(SQLException.class, () -> Tables.insert(c, table.name(), 2));
                assertThat(faults.threwBelow(deadlock)).isTrue();
                // the application goes on (on MariaDB and H2 in a new transaction, on PostgreSQL it fails 25P02)
                catchThrowable(() -> Tables.insert(c, table.name(), 3));
                SQLTransactionRollbackException refused = catchThrowableOfType(SQLTransactionRollbackException.class,
                        () -> c.setAutoCommit(true));
                assertThat((Throwable) refused).as("setAutoCommit(true) after the deadlock is refused").isNotNull();
                assertThat(refused.getSQLState()).isEqualTo("40000");
                assertThat(refused.getMessage()).startsWith("Incident SDK refused to commit");
                assertThat(c.getAutoCommit()).as("the connection is in auto-commit mode afterwards").isTrue();
            } finally {
                faults.disarm();
            }
            assertThat(table.ids()).as("nothing of the deadlocked transaction is committed").isEmpty();
        } finally {
            faults.closeAll();
            table.drop();
        }
    }
}
