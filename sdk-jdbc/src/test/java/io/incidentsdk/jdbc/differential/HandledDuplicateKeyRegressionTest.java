package io.incidentsdk.jdbc.differential;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.RetryBudget;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.TransactionRunner;
import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.DatabaseAccount;
import io.incidentsdk.jdbc.testing.DriverManagerDataSource;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 10, point 1: on PostgreSQL a duplicate key that the application handles (savepoint, catch 23505,
 * rollback to the savepoint, or pgjdbc {@code autosave}) must not turn the commit into a refusal: the watched
 * connection commits exactly what raw pgjdbc commits, and under a {@code TransactionRunner} such a unit runs
 * once and commits.
 */
@ExtendWith(RealDatabases.class)
class HandledDuplicateKeyRegressionTest {

    private final IncidentSdk sdk = IncidentSdk.builder().sink(new InMemorySink(100)).build();

    @AfterEach
    void close() {
        sdk.close();
    }

    /** insert 1; savepoint; insert 1 again → 23505, caught; rollback to the savepoint; insert 2; commit. */
    private static void savepointIdiom(Connection c, String table) throws SQLException {
        c.setAutoCommit(false);
        Tables.insert(c, table, 1);
        Savepoint beforeDuplicate = c.setSavepoint();
        try {
            Tables.insert(c, table, 1);
            throw new AssertionError("the duplicate key was accepted");
        } catch (SQLException e) {
            assertThat(e.getSQLState()).isEqualTo("23505");
            c.rollback(beforeDuplicate);
        }
        Tables.insert(c, table, 2);
        c.commit();
    }

    /** With autosave, pgjdbc itself rolls back to its own savepoint: insert 1; insert 1 → 23505, caught; insert 2; commit. */
    private static void autosaveIdiom(Connection c, String table) throws SQLException {
        c.setAutoCommit(false);
        Tables.insert(c, table, 1);
        try {
            Tables.insert(c, table, 1);
            throw new AssertionError("the duplicate key was accepted");
        } catch (SQLException e) {
            assertThat(e.getSQLState()).isEqualTo("23505");
        }
        Tables.insert(c, table, 2);
        c.commit();
    }

    @Test
    void aDuplicateKeyHandledWithASavepointCommitsTheRestAsRawPgjdbcDoes(TestDatabases dbs) throws SQLException {
        DataSource raw = dbs.dataSource(Database.POSTGRESQL);
        Tables table = Tables.create(raw, Database.POSTGRESQL, true);
        try {
            try (Connection c = raw.getConnection()) {
                savepointIdiom(c, table.name());
            }
            List<Integer> rawCommitted = table.ids();
            table.clear();
            try (Connection c = JdbcIncidents.watch(raw, sdk).getConnection()) {
                savepointIdiom(c, table.name());
            }
            assertThat(rawCommitted).containsExactly(1, 2);
            assertThat(table.ids()).as("committed through the watch").isEqualTo(rawCommitted);
        } finally {
            table.drop();
        }
    }

    /** How the application handles the duplicate key. */
    @FunctionalInterface
    interface Idiom {
        void run(Connection c, String table) throws SQLException;
    }

    static List<Arguments> autosaveModes() {
        // conservative rolls back to its own savepoint only for cached-plan errors: the application still needs one
        return List.of(Arguments.of("always", "caught, no savepoint of its own", (Idiom) HandledDuplicateKeyRegressionTest::autosaveIdiom),
                Arguments.of("always", "savepoint", (Idiom) HandledDuplicateKeyRegressionTest::savepointIdiom),
                Arguments.of("conservative", "savepoint", (Idiom) HandledDuplicateKeyRegressionTest::savepointIdiom));
    }

    @ParameterizedTest(name = "autosave={0}, {1}")
    @MethodSource("autosaveModes")
    void aDuplicateKeyHandledUnderPgjdbcAutosaveCommitsTheRestAsRawPgjdbcDoes(String autosave, String how, Idiom idiom,
            TestDatabases dbs) throws SQLException {
        DatabaseAccount account = dbs.accounts().postgres();
        DataSource raw = new DriverManagerDataSource(new DatabaseAccount(account.url()
                + (account.url().contains("?") ? "&" : "?") + "autosave=" + autosave, account.user(),
                account.password()));
        Tables table = Tables.create(raw, Database.POSTGRESQL, true);
        try {
            try (Connection c = raw.getConnection()) {
                idiom.run(c, table.name());
            }
            List<Integer> rawCommitted = table.ids();
            table.clear();
            try (Connection c = JdbcIncidents.watch(raw, sdk).getConnection()) {
                idiom.run(c, table.name());
            }
            assertThat(rawCommitted).containsExactly(1, 2);
            assertThat(table.ids()).as("committed through the watch").isEqualTo(rawCommitted);
        } finally {
            table.drop();
        }
    }

    @Test
    void underTheRunnerAUnitThatHandlesADuplicateKeyRunsOnceAndCommits(TestDatabases dbs) throws SQLException {
        DataSource raw = dbs.dataSource(Database.POSTGRESQL);
        Tables table = Tables.create(raw, Database.POSTGRESQL, true);
        TransactionRunner runner = TransactionRunner.on(JdbcIncidents.watch(raw, sdk), RetryPolicy.builder()
                .maxAttempts(5).backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                .budget(RetryBudget.builder().maxTokens(100).minRetriesPerSecond(100).build()).build());
        AtomicInteger runs = new AtomicInteger();
        try {
            runner.run(c -> {
                runs.incrementAndGet();
                Tables.insert(c, table.name(), 1);
                Savepoint beforeDuplicate = c.setSavepoint();
                try {
                    Tables.insert(c, table.name(), 1);
                } catch (SQLException e) {
                    c.rollback(beforeDuplicate);
                }
                Tables.insert(c, table.name(), 2);
            });
            assertThat(runs).as("runs of the unit (no retry of a handled duplicate key)").hasValue(1);
            assertThat(table.ids()).containsExactly(1, 2);
        } finally {
            table.drop();
        }
    }
}
