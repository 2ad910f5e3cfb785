package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import org.h2.jdbc.JdbcSQLNonTransientConnectionException;
import org.h2.jdbc.JdbcSQLTimeoutException;
import org.h2.jdbc.JdbcSQLTransactionRollbackException;
import org.h2.mvstore.MVStoreException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;

/**
 * The cases measured on real databases ({@code shared/reference/databases.md}), rebuilt with the drivers'
 * own exception classes where they can be constructed (pgjdbc, H2) and with the plain {@code java.sql}
 * classes that MariaDB Connector/J 3 and HSQLDB really throw otherwise, with the measured SQLState, vendor
 * code and message.
 */
class SqlFailureClassifierMeasuredCasesTest {

    private final SqlFailureClassifier classifier = SqlFailureClassifier.defaults();

    @Nested
    class PostgreSql {

        @Test
        void deadlockIs40P01AndAbortsTheTransaction() {
            PSQLException deadlock = server("SERROR\0VERROR\0C40P01\0Mdeadlock detected\0"
                    + "DProcess 19076 waits for ShareLock on transaction 1090; blocked by process 19074.\n"
                    + "Process 19074 waits for ShareLock on transaction 1091; blocked by process 19076.\0"
                    + "HSee server log for query details.\0Wwhile updating tuple (0,1) in relation \"t\"\0"
                    + "Fdeadlock.c\0L1147\0RDeadLockReport\0");

            SqlFailure failure = classifier.classify(deadlock, DatabaseVendor.POSTGRESQL);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.DEADLOCK);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.TRANSACTION);
            assertThat(failure.rule()).isEqualTo("postgresql:40P01");
            assertThat(failure.sqlState()).isEqualTo("40P01");
            assertThat(failure.vendorCode()).isZero();
            assertThat(failure.exceptionClass()).isEqualTo("org.postgresql.util.PSQLException");
        }

        @Test
        void concurrentUpdateUnderRepeatableReadOrSerializableIsASerializationFailure() {
            SqlFailure failure = classifier.classify(
                    error("40001", "could not serialize access due to concurrent update"), DatabaseVendor.POSTGRESQL);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.SERIALIZATION_FAILURE);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.TRANSACTION);
        }

        @Test
        void writeSkewAtCommitIsASerializationFailure() {
            PSQLException ssi = server("SERROR\0VERROR\0C40001\0Mcould not serialize access due to read/write "
                    + "dependencies among transactions\0DReason code: Canceled on identification as a pivot, during "
                    + "commit attempt.\0HThe transaction might succeed if retried.\0"
                    + "RPreCommit_CheckForSerializationFailure\0");

            SqlFailure failure = classifier.classify(ssi, DatabaseVendor.POSTGRESQL);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.SERIALIZATION_FAILURE);
            assertThat(failure.rule()).isEqualTo("postgresql:40001");
        }

        @Test
        void lockTimeoutIs55P03() {
            SqlFailure failure = classifier.classify(server("SERROR\0VERROR\0C55P03\0Mcanceling statement due to "
                    + "lock timeout\0Wwhile updating tuple (0,1) in relation \"t\"\0"), DatabaseVendor.POSTGRESQL);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.LOCK_TIMEOUT);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.TRANSACTION);
        }

        @Test
        void queryTimeoutStatementTimeoutAndCancelAreAll57014() {
            for (String message : new String[] {
                "canceling statement due to user request", "canceling statement due to statement timeout"}) {
                SqlFailure failure = classifier.classify(error("57014", message), DatabaseVendor.POSTGRESQL);

                assertThat(failure.category()).isEqualTo(SqlFailureCategory.QUERY_TIMEOUT);
                assertThat(failure.rolledBack()).isEqualTo(RollbackScope.TRANSACTION);
                assertThat(failure.rule()).isEqualTo("postgresql:57014");
            }
        }

        @Test
        void terminatedBackendIs57P01WithTheIoErrorAsNextException() {
            PSQLException fatal = server("SFATAL\0VFATAL\0C57P01\0Mterminating connection due to administrator "
                    + "command\0");
            fatal.setNextException(new PSQLException("An I/O error occurred while sending to the backend.",
                    PSQLState.CONNECTION_FAILURE, new EOFException()));

            SqlFailure failure = classifier.classify(fatal, DatabaseVendor.POSTGRESQL);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.CONNECTION_FAILURE);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.TRANSACTION);
            assertThat((Object) failure.matched()).isSameAs(fatal);
        }

        @Test
        void everyLaterCallOnTheDeadConnectionIsAConnectionFailureOfUnknownScope() {
            PSQLException closed = new PSQLException("This connection has been closed.",
                    PSQLState.CONNECTION_DOES_NOT_EXIST);

            SqlFailure failure = classifier.classify(closed, DatabaseVendor.POSTGRESQL);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.CONNECTION_FAILURE);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.UNKNOWN);
            assertThat(failure.rule()).isEqualTo("sqlstate:08xxx");
        }

        @Test
        void theNextStatementAfterAFailureIs25P02AProgrammingError() {
            SqlFailure failure = classifier.classify(error("25P02",
                    "current transaction is aborted, commands ignored until end of transaction block"),
                    DatabaseVendor.POSTGRESQL);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.PROGRAMMING_ERROR);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.TRANSACTION);
            assertThat(failure.rule()).isEqualTo("postgresql:25P02-transaction-aborted");
        }

        @Test
        void autosaveAlwaysCannotBeSeenSoADeadlockIsStillReportedAsTransactionScope() {
            // measured: with autosave=always the class and SQLState are identical, only the server-side effect
            // differs; the classifier reports the default behaviour
            PSQLException withAutosave = error("40P01", "deadlock detected");

            assertThat(classifier.classify(withAutosave, DatabaseVendor.POSTGRESQL).rolledBack())
                    .isEqualTo(RollbackScope.TRANSACTION);
        }

        @Test
        void anyOtherServerErrorAlsoAbortsTheTransaction() {
            SqlFailure unique = classifier.classify(server("SERROR\0VERROR\0C23505\0Mduplicate key value violates "
                    + "unique constraint \"users_email_key\"\0DKey (email)=(jane@example.com) already exists.\0"),
                    DatabaseVendor.POSTGRESQL);
            SqlFailure internal = classifier.classify(error("XX000", "unexpected internal error"),
                    DatabaseVendor.POSTGRESQL);

            assertThat(unique.category()).isEqualTo(SqlFailureCategory.CONSTRAINT_VIOLATION);
            assertThat(unique.rolledBack()).isEqualTo(RollbackScope.TRANSACTION);
            assertThat(internal.category()).isEqualTo(SqlFailureCategory.UNKNOWN);
            assertThat(internal.rolledBack()).isEqualTo(RollbackScope.TRANSACTION);
        }

        @Test
        void anErrorRaisedByTheDriverItselfLeavesTheTransactionAlone() {
            PSQLException clientSide = new PSQLException("The column index is out of range: 3, number of columns: 2.",
                    PSQLState.INVALID_PARAMETER_VALUE);

            SqlFailure failure = classifier.classify(clientSide, DatabaseVendor.POSTGRESQL);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.DATA_ERROR);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.STATEMENT);
        }
    }

    @Nested
    class MariaDb {

        @Test
        void deadlockIs1213AndRollsBackTheTransaction() {
            SQLException deadlock = new SQLTransactionRollbackException(
                    "(conn=56) Deadlock found when trying to get lock; try restarting transaction", "40001", 1213);

            SqlFailure failure = classifier.classify(deadlock, DatabaseVendor.MARIADB);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.DEADLOCK);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.TRANSACTION);
            assertThat(failure.rule()).isEqualTo("mariadb:1213");
        }

        @Test
        void snapshotIsolationConflictIs1020AsAPlainSqlException() {
            SQLException conflict = new SQLException(
                    "(conn=66) Record has changed since last read in table 't'; try restarting transaction",
                    "HY000", 1020);

            SqlFailure failure = classifier.classify(conflict, DatabaseVendor.MARIADB);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.SERIALIZATION_FAILURE);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.TRANSACTION);
        }

        @Test
        void lockWaitTimeoutIs1205HY000AndUndoesOnlyTheStatement() {
            SQLException timeout = new SQLException(
                    "(conn=73) Lock wait timeout exceeded; try restarting transaction", "HY000", 1205);

            SqlFailure failure = classifier.classify(timeout, DatabaseVendor.MARIADB);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.LOCK_TIMEOUT);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.STATEMENT);
            assertThat(failure.category().isTransient()).isTrue();
        }

        @Test
        void statementTimeoutIs1969() {
            SQLException timeout = new SQLTimeoutException(
                    "(conn=76) Query execution was interrupted (max_statement_time exceeded)", "70100", 1969);

            SqlFailure failure = classifier.classify(timeout, DatabaseVendor.MARIADB);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.QUERY_TIMEOUT);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.STATEMENT);
            assertThat(failure.rule()).isEqualTo("mariadb:1969-statement-timeout");
        }

        @Test
        void killQueryIs1317ACancelledStatementToldApartFromATimeoutByTheRuleId() {
            SQLException killed = new SQLTimeoutException("(conn=95) Query execution was interrupted", "70100", 1317);

            SqlFailure failure = classifier.classify(killed, DatabaseVendor.MARIADB);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.QUERY_TIMEOUT);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.STATEMENT);
            assertThat(failure.rule()).isEqualTo("mariadb:1317-query-killed");
        }

        @Test
        void killedConnectionIsASocketErrorThenConnectionIsClosed() {
            SQLException socket = new SQLNonTransientConnectionException("(conn=87) Socket error", "08000", -1,
                    new EOFException("unexpected end of stream, read 0 bytes from 4 (socket was closed by server)"));
            SQLException closed = new SQLNonTransientConnectionException("(conn=87) Connection is closed", "08000",
                    1220);

            SqlFailure first = classifier.classify(socket, DatabaseVendor.MARIADB);
            SqlFailure later = classifier.classify(closed, DatabaseVendor.MARIADB);

            assertThat(first.category()).isEqualTo(SqlFailureCategory.CONNECTION_FAILURE);
            assertThat(first.rolledBack()).isEqualTo(RollbackScope.UNKNOWN);
            assertThat(first.rule()).isEqualTo("mariadb:-1-socket-error");
            assertThat(later.category()).isEqualTo(SqlFailureCategory.CONNECTION_FAILURE);
            assertThat(later.rule()).isEqualTo("mariadb:1220-connection-closed");
        }

        @Test
        void missingProcessPrivilegeIsAProgrammingError() {
            SQLException denied = new java.sql.SQLSyntaxErrorException("(conn=58) Access denied; you need (at least "
                    + "one of) the PROCESS privilege(s) for this operation", "42000", 1227);

            assertThat(classifier.classify(denied, DatabaseVendor.MARIADB).category())
                    .isEqualTo(SqlFailureCategory.PROGRAMMING_ERROR);
        }
    }

    @Nested
    class H2 {

        @Test
        void deadlockIs40001WithACauseNamingTheVictim() {
            MVStoreException victim = new MVStoreException(105, "Transaction 2 has been chosen as a deadlock victim. "
                    + "Details: Transaction 2 attempts to update map <table.4> entry with key <1> modified by "
                    + "transaction 1(27) OPEN 2\nTransaction 1 attempts to update map <table.4> entry with key <2>");
            SQLException deadlock = rollback(victim);

            SqlFailure failure = classifier.classify(deadlock, DatabaseVendor.H2);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.DEADLOCK);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.TRANSACTION);
            assertThat(failure.rule()).isEqualTo("h2:40001-deadlock");
            assertThat(deadlock.getMessage()).startsWith("Deadlock detected.").endsWith("[40001-252]");
        }

        @Test
        void snapshotConflictHasTheSameTextButNoVictimAndIsASerializationFailure() {
            SQLException conflict = rollback(new MVStoreException(105, ""));

            SqlFailure failure = classifier.classify(conflict, DatabaseVendor.H2);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.SERIALIZATION_FAILURE);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.TRANSACTION);
            assertThat(failure.rule()).isEqualTo("h2:40001-write-conflict");
        }

        @Test
        void aVictimMarkedByTheDeadlockDetectionWhileRollingItselfBackFailsWithAGeneralErrorThatIsADeadlock() {
            // seen in the 4,000-transfer race on H2 2.5.252, about once in 30 runs
            SQLException racing = new org.h2.jdbc.JdbcSQLNonTransientException("General error: \"Transaction was "
                    + "illegally transitioned from ROLLING_BACK to ROLLING_BACK [2.5.252/103]\"",
                    "UPDATE account SET balance = balance + ? WHERE id = ?", "HY000", 50000, null, null);
            SQLException otherGeneralError = new org.h2.jdbc.JdbcSQLNonTransientException(
                    "General error: \"java.lang.NullPointerException\"", "SELECT 1", "HY000", 50000, null, null);

            SqlFailure failure = classifier.classify(racing, DatabaseVendor.H2);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.DEADLOCK);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.TRANSACTION);
            assertThat(failure.rule()).isEqualTo("h2:50000-deadlock-victim-rolling-back");
            assertThat(classifier.classify(otherGeneralError, DatabaseVendor.H2).category())
                    .isNotEqualTo(SqlFailureCategory.DEADLOCK);
            // the other text of the same race: a statement of the marked victim starts to run
            SqlFailure running = classifier.classify(new org.h2.jdbc.JdbcSQLNonTransientException("General error: "
                    + "\"Transaction 6 has status ROLLING_BACK, not OPEN [2.5.252/103]\"",
                    "UPDATE account SET balance = balance + ? WHERE id = ?", "HY000", 50000, null, null),
                    DatabaseVendor.H2);
            assertThat(running.category()).isEqualTo(SqlFailureCategory.DEADLOCK);
            assertThat(running.rule()).isEqualTo("h2:50000-deadlock-victim-rolling-back");
        }

        @Test
        void lockTimeoutIsHYT00With50200AndUndoesOnlyTheStatement() {
            SQLException timeout = new JdbcSQLTimeoutException("Timeout trying to lock table \"T\"",
                    "UPDATE t SET v = 2 WHERE id = 1", "HYT00", 50200, null, null);

            SqlFailure failure = classifier.classify(timeout, DatabaseVendor.H2);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.LOCK_TIMEOUT);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.STATEMENT);
        }

        @Test
        void queryTimeoutAndCancelSessionAre57014() {
            SQLException cancelled = new JdbcSQLTimeoutException("Statement was canceled or the session timed out",
                    "SELECT COUNT(*) FROM t a, t b", "57014", 57014, null, null);

            SqlFailure failure = classifier.classify(cancelled, DatabaseVendor.H2);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.QUERY_TIMEOUT);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.STATEMENT);
        }

        @Test
        void abortedSessionIs90121WhenIdleAnd90098Or57014MidQuery() {
            SqlFailure idle = classifier.classify(new JdbcSQLNonTransientConnectionException("Database is already "
                    + "closed (to disable automatic closing at VM shutdown, add \";DB_CLOSE_ON_EXIT=FALSE\" to the db "
                    + "URL)", null, "90121", 90121, null, null), DatabaseVendor.H2);
            SqlFailure midQuery = classifier.classify(new JdbcSQLNonTransientConnectionException(
                    "The database has been closed", "SELECT 1", "90098", 90098, null, null), DatabaseVendor.H2);

            assertThat(idle.category()).isEqualTo(SqlFailureCategory.CONNECTION_FAILURE);
            assertThat(idle.rolledBack()).isEqualTo(RollbackScope.TRANSACTION);
            assertThat(midQuery.category()).isEqualTo(SqlFailureCategory.CONNECTION_FAILURE);
        }

        private SQLException rollback(Throwable cause) {
            return new JdbcSQLTransactionRollbackException(
                    "Deadlock detected. The current transaction was rolled back. Details: \"T\"",
                    "UPDATE t SET v = v + 20 WHERE id = 1", "40001", 40001, cause, null);
        }
    }

    @Nested
    class HsqlDb {

        @Test
        void mvccDeadlockAndConcurrentUpdateAreBothSerializationFailures() {
            SQLException failure = new SQLTransactionRollbackException("transaction rollback: serialization failure",
                    "40001", -4861);

            SqlFailure result = classifier.classify(failure, DatabaseVendor.HSQLDB);

            assertThat(result.category()).isEqualTo(SqlFailureCategory.SERIALIZATION_FAILURE);
            assertThat(result.rolledBack()).isEqualTo(RollbackScope.TRANSACTION);
            assertThat(result.rule()).isEqualTo("hsqldb:-4861-serialization-failure");
        }
    }

    @Nested
    class Sqlite {

        @Test
        void busyHasNoSqlStateAndIsALockTimeoutThatLeavesTheTransactionOpen() {
            SQLException busy = new SQLException("[SQLITE_BUSY] The database file is locked (database is locked)",
                    null, 5);

            SqlFailure failure = classifier.classify(busy, DatabaseVendor.SQLITE);

            assertThat(failure.category()).isEqualTo(SqlFailureCategory.LOCK_TIMEOUT);
            assertThat(failure.rolledBack()).isEqualTo(RollbackScope.STATEMENT);
            assertThat(failure.sqlState()).isNull();
            assertThat(failure.vendorCode()).isEqualTo(5);
        }

        @Test
        void busyFromAnUnknownVendorWithoutTheSqliteClassIsNotRecognised() {
            SQLException busy = new SQLException("[SQLITE_BUSY] The database file is locked", null, 5);

            assertThat(classifier.classify(busy, DatabaseVendor.UNKNOWN).category())
                    .isEqualTo(SqlFailureCategory.UNKNOWN);
        }
    }

    @Test
    void anIoExceptionCauseIsWalkedThroughButNotClassified() {
        SQLException socket = new SQLNonTransientConnectionException("(conn=87) Socket error", "08000", -1,
                new IOException("socket was closed by server"));

        assertThat((Object) classifier.classify(socket, DatabaseVendor.MARIADB).matched()).isSameAs(socket);
    }

    private static PSQLException server(String fields) {
        return new PSQLException(new ServerErrorMessage(fields));
    }

    private static PSQLException error(String state, String message) {
        return server("SERROR\0VERROR\0C" + state + "\0M" + message + "\0");
    }
}
