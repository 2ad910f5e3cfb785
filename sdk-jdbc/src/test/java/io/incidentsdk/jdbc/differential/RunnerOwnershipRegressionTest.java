package io.incidentsdk.jdbc.differential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.RetryBudget;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.TransactionRunner;
import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.time.Duration;
import java.util.ArrayList;
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
 * Issue 10, point 5: the connection of a {@code TransactionRunner} unit belongs to the runner. {@code commit()},
 * {@code rollback()}, {@code setAutoCommit(true)} and {@code close()} on it fail with an {@code SQLException}
 * whose message starts with "Incident SDK:" and names the TransactionRunner, and the unit is rolled back (so a
 * unit that rolls back by itself is not a success); a runner inside another unit on the same data source joins
 * the outer unit: nothing commits before the outer unit, and an outer retry applies the inner work once.
 */
@ExtendWith(RealDatabases.class)
class RunnerOwnershipRegressionTest {

    private final IncidentSdk sdk = IncidentSdk.builder().sink(new InMemorySink(100)).build();

    @AfterEach
    void close() {
        sdk.close();
    }

    /** Calls the application must leave to the runner. */
    @FunctionalInterface
    interface OwnedCall {
        void on(Connection connection) throws SQLException;
    }

    static List<Arguments> ownedCalls() {
        List<Arguments> all = new ArrayList<>();
        for (Database database : List.of(Database.POSTGRESQL, Database.H2)) {
            all.add(Arguments.of(database, "commit()", (OwnedCall) Connection::commit));
            all.add(Arguments.of(database, "rollback()", (OwnedCall) Connection::rollback));
            all.add(Arguments.of(database, "setAutoCommit(true)", (OwnedCall) c -> c.setAutoCommit(true)));
            all.add(Arguments.of(database, "close()", (OwnedCall) Connection::close));
        }
        return all;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("ownedCalls")
    void aUnitCannotEndTheRunnersTransactionItself(Database database, String call, OwnedCall owned,
            TestDatabases dbs) throws SQLException {
        DataSource raw = database == Database.H2 ? dbs.freshH2() : dbs.dataSource(database);
        Tables table = Tables.create(raw, database, true);
        TransactionRunner runner = TransactionRunner.on(JdbcIncidents.watch(raw, sdk));
        AtomicInteger runs = new AtomicInteger();
        try {
            Throwable thrown = catchThrowable(() -> runner.run(c -> {
                runs.incrementAndGet();
                Tables.insert(c, table.name(), 1);
                owned.on(c);
                Tables.insert(c, table.name(), 2);
            }));
            assertThat(thrown).as("%s inside the unit fails the unit", call).isInstanceOf(SQLException.class);
            assertThat(thrown.getMessage()).startsWith("Incident SDK:").contains("TransactionRunner");
            assertThat(runs).hasValue(1);
            assertThat(table.ids()).as("the unit was rolled back").isEmpty();
        } finally {
            table.drop();
        }
    }

    @Test
    void anInnerRunnerJoinsTheOuterUnitAndCommitsNothingOfItsOwn(TestDatabases dbs) throws SQLException {
        DataSource raw = dbs.freshH2();
        Tables table = Tables.create(raw, Database.H2, false);
        DataSource watched = JdbcIncidents.watch(raw, sdk);
        TransactionRunner outer = TransactionRunner.on(watched);
        TransactionRunner inner = TransactionRunner.on(watched);
        IllegalStateException failure = new IllegalStateException("the order is invalid");
        Throwable thrown = catchThrowable(() -> outer.run(c -> {
            Tables.insert(c, table.name(), 1);
            inner.run(c2 -> Tables.insert(c2, table.name(), 2));
            throw failure;
        }));
        assertThat(thrown).isSameAs(failure);
        assertThat(table.ids()).as("the inner unit is part of the outer one, rolled back with it").isEmpty();
        table.drop();
    }

    @Test
    void anOuterRetryAppliesTheInnerUnitsWorkOnce(TestDatabases dbs) throws SQLException {
        DataSource raw = dbs.freshH2();
        Tables table = Tables.create(raw, Database.H2, false);
        DataSource watched = JdbcIncidents.watch(raw, sdk);
        TransactionRunner outer = TransactionRunner.on(watched, RetryPolicy.builder().maxAttempts(3)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                .budget(RetryBudget.builder().maxTokens(100).minRetriesPerSecond(100).build()).build());
        TransactionRunner inner = TransactionRunner.on(watched);
        AtomicInteger attempts = new AtomicInteger();
        outer.run(c -> {
            Tables.insert(c, table.name(), 1);
            inner.run(c2 -> Tables.insert(c2, table.name(), 2));
            if (attempts.incrementAndGet() == 1) {
                // what H2 throws when this transaction is chosen as a deadlock victim
                throw new SQLTransactionRollbackException("Deadlock detected. The current transaction was rolled back.",
                        "40001", 40001);
            }
        });
        assertThat(attempts).hasValue(2);
        assertThat(table.ids()).as("each row once: the inner work was retried with the outer unit").containsExactly(1, 2);
        table.drop();
    }
}
