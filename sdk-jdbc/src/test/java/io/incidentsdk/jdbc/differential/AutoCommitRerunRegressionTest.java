package io.incidentsdk.jdbc.differential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.jdbc.RetryBudget;
import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.DatabaseAccount;
import io.incidentsdk.jdbc.testing.DriverManagerDataSource;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 10, point 2: the watch re-runs an auto-commit statement only while every failure so far is a deadlock
 * or serialization failure that had no effect. A connection failure on the re-run ends it (the row is written
 * once), a plain {@code Statement} holding several statements is never re-run, and after a transaction begun
 * with SQL ({@code BEGIN}, {@code START TRANSACTION}, {@code SET autocommit=0}) nothing is re-run.
 */
@ExtendWith(RealDatabases.class)
class AutoCommitRerunRegressionTest {

    private final IncidentSdk sdk = IncidentSdk.builder().sink(new InMemorySink(100)).build();
    private final RetryBudget budget = RetryBudget.builder().maxTokens(1000).minRetriesPerSecond(1000).build();

    @AfterEach
    void close() {
        sdk.close();
    }

    private DataSource watched(DataSource under) {
        return JdbcIncidents.watch(under, sdk, JdbcWatchOptions.builder().autoCommitRetry(true, 3)
                .retryBudget(budget).build());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void aConnectionFailureOnTheReRunEndsItAndTheRowIsWrittenOnce(Database database, TestDatabases dbs)
            throws SQLException {
        DataSource raw = database == Database.H2 ? dbs.freshH2() : dbs.dataSource(database);
        Tables table = Tables.create(raw, database, false);
        FaultInjectingDataSource faults = new FaultInjectingDataSource(raw, database);
        try {
            // the first run deadlocks (no effect); the re-run writes the row, then its answer is lost
            faults.arm(List.of(new Fault(0, Fault.Kind.DEADLOCK), new Fault(1, Fault.Kind.LOST_ANSWER)));
            SQLException thrown;
            try (Connection c = watched(faults).getConnection(); Statement s = c.createStatement()) {
                thrown = catchThrowableOfType(SQLException.class,
                        () -> s.executeUpdate("INSERT INTO " + table.name() + " (id, v) VALUES (7, 0)"));
            } finally {
                faults.disarm();
            }
            assertThat((Throwable) thrown).as("the connection failure reaches the application").isNotNull();
            // H2 reports its broken connection as 90067 ("Connection is broken"), the others with class 08
            assertThat(thrown.getSQLState()).as("%s", thrown).matches("08.*|90067");
            assertThat(faults.threwBelow(thrown)).as("the driver's own exception object").isTrue();
            assertThat(faults.stepLog()).as("driver executions: the first run and one re-run, no third").hasSize(2);
            assertThat(table.ids()).as("the row is written once").containsExactly(7);
        } finally {
            faults.closeAll();
            table.drop();
        }
    }

    @Test
    void aMultiStatementPlainStatementOnMariaDbIsNeverReRun(TestDatabases dbs) throws SQLException {
        DatabaseAccount account = dbs.accounts().mariaDb();
        DataSource raw = new DriverManagerDataSource(new DatabaseAccount(account.url()
                + (account.url().contains("?") ? "&" : "?") + "allowMultiQueries=true", account.user(),
                account.password()));
        Tables table = Tables.create(raw, Database.MARIADB, false);
        FaultInjectingDataSource faults = new FaultInjectingDataSource(raw, Database.MARIADB);
        try {
            faults.arm(List.of(new Fault(0, Fault.Kind.DEADLOCK)));
            SQLException thrown;
            try (Connection c = watched(faults).getConnection(); Statement s = c.createStatement()) {
                thrown = catchThrowableOfType(SQLException.class, () -> s.execute("INSERT INTO " + table.name()
                        + " (id, v) VALUES (1, 0); INSERT INTO " + table.name() + " (id, v) VALUES (2, 0)"));
            } finally {
                faults.disarm();
            }
            assertThat((Throwable) thrown).as("the deadlock reaches the application: the statement is not run again").isNotNull();
            assertThat(faults.threwBelow(thrown)).isTrue();
            assertThat(thrown.getErrorCode()).isEqualTo(1213);
            assertThat(faults.stepLog()).hasSize(1);
            assertThat(table.ids()).isEmpty();
        } finally {
            faults.closeAll();
            table.drop();
        }
    }

    static List<Arguments> sqlBegins() {
        List<Arguments> begins = new ArrayList<>();
        // a prepared statement looks at its SQL once, when it is prepared: both ways must see the transaction
        for (boolean prepared : new boolean[] {false, true}) {
            begins.add(Arguments.of(Database.POSTGRESQL, "BEGIN", prepared));
            begins.add(Arguments.of(Database.POSTGRESQL, "START TRANSACTION", prepared));
            begins.add(Arguments.of(Database.MARIADB, "START TRANSACTION", prepared));
            begins.add(Arguments.of(Database.MARIADB, "BEGIN", prepared));
            begins.add(Arguments.of(Database.MARIADB, "SET autocommit=0", prepared));
        }
        return begins;
    }

    @ParameterizedTest(name = "{0}: {1}, prepared {2}")
    @MethodSource("sqlBegins")
    void afterATransactionBegunWithSqlNothingIsReRun(Database database, String begin, boolean prepared,
                                                     TestDatabases dbs) throws SQLException {
        DataSource raw = dbs.dataSource(database);
        Tables table = Tables.create(raw, database, false);
        FaultInjectingDataSource faults = new FaultInjectingDataSource(raw, database);
        try {
            List<Integer> rawCommitted = null;
            for (DataSource ds : List.of(faults, watched(faults))) {
                table.clear();
                // steps: 0 the begin, 1 insert 1, 2 insert 2 (deadlock), 3 commit
                faults.arm(List.of(new Fault(2, Fault.Kind.DEADLOCK)));
                SQLException thrown;
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    if (prepared) {
                        try (PreparedStatement p = c.prepareStatement(begin)) {
                            p.execute();
                        }
                    } else {
                        s.execute(begin);
                    }
                    s.executeUpdate("INSERT INTO " + table.name() + " (id, v) VALUES (1, 0)");
                    thrown = catchThrowableOfType(SQLException.class,
                            () -> s.executeUpdate("INSERT INTO " + table.name() + " (id, v) VALUES (2, 0)"));
                    catchThrowableOfType(SQLException.class, () -> s.execute("COMMIT"));
                } finally {
                    faults.disarm();
                }
                assertThat((Throwable) thrown).as("%s: the deadlock inside the SQL transaction reaches the application",
                        ds == faults ? "raw" : "watched").isNotNull();
                assertThat(faults.threwBelow(thrown)).isTrue();
                assertThat(faults.stepLog()).as("%s: no re-run of the failed insert", ds == faults ? "raw" : "watched")
                        .hasSize(4);
                if (rawCommitted == null) {
                    rawCommitted = table.ids();
                } else {
                    assertThat(table.ids()).as("committed through the watch").isEqualTo(rawCommitted);
                }
            }
            assertThat(rawCommitted).as("the database rolled the whole transaction back").isEmpty();
        } finally {
            faults.closeAll();
            table.drop();
        }
    }
}
