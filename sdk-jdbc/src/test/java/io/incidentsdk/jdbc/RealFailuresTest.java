package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.DeadlockOutcome;
import io.incidentsdk.jdbc.testing.FailureOutcome;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.RealFailures;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.jdbc.testing.TransactionAfterFailure;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.Map;
import org.h2.jdbc.JdbcSQLNonTransientConnectionException;
import org.h2.jdbc.JdbcSQLTimeoutException;
import org.h2.jdbc.JdbcSQLTransactionRollbackException;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.util.PSQLException;

/**
 * Pins the facts of shared/reference/databases.md that the classifier relies on, by provoking each failure
 * for real on every database.
 */
@ExtendWith(RealDatabases.class)
class RealFailuresTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void deadlockFailsExactlyOneSideAndTheOtherCommits(Database database, TestDatabases databases) throws SQLException {
        DeadlockOutcome outcome = RealFailures.on(databases.dataSource(database), database).deadlock();

        assertThat(outcome.failedSides()).as("failed sides of %s", outcome).isEqualTo(1);
        DeadlockOutcome.Side victim = outcome.victim();
        DeadlockOutcome.Side survivor = outcome.survivor();
        assertThat(survivor.committed()).isTrue();
        assertThat(victim.committed()).isFalse();
        int survivorIncrement = survivor.ownRowId() == RealFailures.FIRST_SIDE_ROW ? 10 : 20;
        assertThat(outcome.rowsAfter()).as("only the survivor's work is committed")
                .isEqualTo(Map.of(1, survivorIncrement, 2, survivorIncrement, survivor.ownRowId(), 0));
        assertThat(victim.elapsed()).as("deadlock detection time").isLessThan(Duration.ofSeconds(5));

        SQLException exception = outcome.exception();
        switch (database) {
            case POSTGRESQL -> {
                assertFact(exception, PSQLException.class, "40P01", 0, "deadlock detected");
                assertThat((Throwable) exception).isNotInstanceOf(SQLTransientException.class);
                assertThat(exception.getMessage()).as("the DETAIL names both backends")
                        .contains("Process " + victim.backendId() + " waits for ShareLock on transaction")
                        .contains("Process " + survivor.backendId() + " waits for ShareLock on transaction");
                assertThat(victim.transactionAfter()).contains(TransactionAfterFailure.ABORTED);
            }
            case MARIADB -> {
                assertFact(exception, SQLTransactionRollbackException.class, "40001", 1213,
                        "Deadlock found when trying to get lock; try restarting transaction");
                assertThat(exception.getMessage()).startsWith("(conn=" + victim.backendId() + ")");
                assertThat(victim.transactionAfter()).contains(TransactionAfterFailure.ROLLED_BACK);
            }
            case H2 -> {
                assertFact(exception, JdbcSQLTransactionRollbackException.class, "40001", 40001, "Deadlock detected");
                assertThat(victim.transactionAfter()).contains(TransactionAfterFailure.ROLLED_BACK);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void concurrentUpdateUnderRepeatableReadIsASerializationFailure(Database database, TestDatabases databases)
            throws SQLException {
        FailureOutcome outcome = RealFailures.on(databases.dataSource(database), database).serializationFailure();

        switch (database) {
            case POSTGRESQL -> assertOutcome(outcome, PSQLException.class, "40001", 0,
                    "could not serialize access due to concurrent update", TransactionAfterFailure.ABORTED);
            case MARIADB -> {
                assertOutcome(outcome, SQLException.class, "HY000", 1020,
                        "Record has changed since last read in table", TransactionAfterFailure.ROLLED_BACK);
                assertThat((Throwable) outcome.exception()).as("1020 is no SQLTransientException")
                        .isNotInstanceOf(SQLTransientException.class);
            }
            case H2 -> assertOutcome(outcome, JdbcSQLTransactionRollbackException.class, "40001", 40001,
                    "Deadlock detected", TransactionAfterFailure.ROLLED_BACK);
        }
        assertThat(outcome.rowsAfter()).as("the other connection's committed update stays")
                .isEqualTo(Map.of(1, 1, 2, 0));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void waitingForALockPastTheLockTimeoutFails(Database database, TestDatabases databases) throws SQLException {
        FailureOutcome outcome = RealFailures.on(databases.dataSource(database), database).lockTimeout();

        switch (database) {
            case POSTGRESQL -> {
                assertOutcome(outcome, PSQLException.class, "55P03", 0, "canceling statement due to lock timeout",
                        TransactionAfterFailure.ABORTED);
                assertThat(outcome.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            }
            case MARIADB -> {
                assertOutcome(outcome, SQLException.class, "HY000", 1205,
                        "Lock wait timeout exceeded; try restarting transaction", TransactionAfterFailure.ALIVE);
                assertThat((Throwable) outcome.exception()).isNotInstanceOf(SQLTransientException.class);
                assertThat(outcome.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            }
            case H2 -> {
                assertOutcome(outcome, JdbcSQLTimeoutException.class, "HYT00", 50200, "Timeout trying to lock table",
                        TransactionAfterFailure.ALIVE);
                assertThat(outcome.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            }
        }
        assertThat(outcome.elapsed()).isLessThan(Duration.ofSeconds(5));
        assertThat(outcome.rowsAfter()).isEqualTo(Map.of(1, 0, 2, 0));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void queryRunningPastItsQueryTimeoutIsCancelled(Database database, TestDatabases databases) throws SQLException {
        FailureOutcome outcome = RealFailures.on(databases.dataSource(database), database).queryTimeout();

        switch (database) {
            case POSTGRESQL -> assertOutcome(outcome, PSQLException.class, "57014", 0,
                    "canceling statement due to user request", TransactionAfterFailure.ABORTED);
            case MARIADB -> assertOutcome(outcome, SQLTimeoutException.class, "70100", 1969,
                    "Query execution was interrupted (max_statement_time exceeded)", TransactionAfterFailure.ALIVE);
            case H2 -> assertOutcome(outcome, JdbcSQLTimeoutException.class, "57014", 57014,
                    "Statement was canceled or the session timed out", TransactionAfterFailure.ALIVE);
        }
        assertThat(outcome.elapsed()).isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));
        assertThat(outcome.rowsAfter()).isEqualTo(Map.of(1, 0, 2, 0));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void killedSessionLosesTheConnectionAndTheServerRollsBack(Database database, TestDatabases databases)
            throws SQLException {
        FailureOutcome outcome = RealFailures.on(databases.dataSource(database), database).killedSession();

        switch (database) {
            case POSTGRESQL -> assertOutcome(outcome, PSQLException.class, "57P01", 0,
                    "terminating connection due to administrator command", TransactionAfterFailure.CONNECTION_LOST);
            case MARIADB -> {
                assertOutcome(outcome, SQLNonTransientConnectionException.class, "08000", -1, "Socket error",
                        TransactionAfterFailure.CONNECTION_LOST);
                assertThat(outcome.exception().getMessage()).startsWith("(conn=" + outcome.backendId() + ")");
            }
            case H2 -> assertOutcome(outcome, JdbcSQLNonTransientConnectionException.class, "90121", 90121,
                    "Database is already closed", TransactionAfterFailure.CONNECTION_LOST);
        }
        assertThat(outcome.rowsAfter()).as("the killed transaction's insert is gone")
                .isEqualTo(Map.of(1, 0, 2, 0));
    }

    private static void assertOutcome(FailureOutcome outcome, Class<? extends SQLException> type, String sqlState,
            int vendorCode, String messagePart, TransactionAfterFailure transactionAfter) {
        assertFact(outcome.exception(), type, sqlState, vendorCode, messagePart);
        assertThat(outcome.transactionAfter()).as("transaction after %s", outcome.exception())
                .isEqualTo(transactionAfter);
    }

    private static void assertFact(SQLException exception, Class<? extends SQLException> type, String sqlState,
            int vendorCode, String messagePart) {
        assertThat((Throwable) exception).as("exception class").isExactlyInstanceOf(type);
        assertThat(exception.getSQLState()).as("SQLState of %s", exception).isEqualTo(sqlState);
        assertThat(exception.getErrorCode()).as("vendor code of %s", exception).isEqualTo(vendorCode);
        assertThat(exception.getMessage()).contains(messagePart);
    }
}
