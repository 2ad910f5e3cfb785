package io.incidentsdk.jdbc;

import static io.incidentsdk.jdbc.DatabaseVendor.COCKROACHDB;
import static io.incidentsdk.jdbc.DatabaseVendor.DB2;
import static io.incidentsdk.jdbc.DatabaseVendor.DERBY;
import static io.incidentsdk.jdbc.DatabaseVendor.H2;
import static io.incidentsdk.jdbc.DatabaseVendor.HSQLDB;
import static io.incidentsdk.jdbc.DatabaseVendor.MARIADB;
import static io.incidentsdk.jdbc.DatabaseVendor.MYSQL;
import static io.incidentsdk.jdbc.DatabaseVendor.ORACLE;
import static io.incidentsdk.jdbc.DatabaseVendor.POSTGRESQL;
import static io.incidentsdk.jdbc.DatabaseVendor.SQLITE;
import static io.incidentsdk.jdbc.DatabaseVendor.SQL_SERVER;
import static io.incidentsdk.jdbc.RollbackScope.STATEMENT;
import static io.incidentsdk.jdbc.RollbackScope.TRANSACTION;
import static io.incidentsdk.jdbc.SqlFailureCategory.CONNECTION_FAILURE;
import static io.incidentsdk.jdbc.SqlFailureCategory.CONSTRAINT_VIOLATION;
import static io.incidentsdk.jdbc.SqlFailureCategory.DATA_ERROR;
import static io.incidentsdk.jdbc.SqlFailureCategory.DEADLOCK;
import static io.incidentsdk.jdbc.SqlFailureCategory.LOCK_TIMEOUT;
import static io.incidentsdk.jdbc.SqlFailureCategory.PROGRAMMING_ERROR;
import static io.incidentsdk.jdbc.SqlFailureCategory.QUERY_TIMEOUT;
import static io.incidentsdk.jdbc.SqlFailureCategory.RESOURCE_EXHAUSTED;
import static io.incidentsdk.jdbc.SqlFailureCategory.SERIALIZATION_FAILURE;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.jdbc.internal.classify.GenericRule;
import io.incidentsdk.jdbc.internal.classify.GenericRules;
import io.incidentsdk.jdbc.internal.classify.VendorRule;
import io.incidentsdk.jdbc.internal.classify.VendorRuleTables;
import java.io.EOFException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.h2.jdbc.JdbcSQLNonTransientConnectionException;
import org.h2.jdbc.JdbcSQLTimeoutException;
import org.h2.jdbc.JdbcSQLTransactionRollbackException;
import org.h2.mvstore.MVStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * One hand-written expectation per rule of every table (vendor tables, SQLState rules, subclass rules).
 * The expectations are written independently of the tables; {@link #everyRuleHasAnExpectationAndEveryExpectationARule()}
 * makes it impossible to add a rule without a row here, or a row for a rule that does not exist.
 */
class SqlFailureClassifierTableTest {

    private static final RollbackScope SCOPE_UNKNOWN = RollbackScope.UNKNOWN;
    private static final DatabaseVendor ANY = DatabaseVendor.UNKNOWN;

    /** One expectation: classifying {@code exception} on {@code vendor} gives this category, scope and rule. */
    record Row(String rule, DatabaseVendor vendor, SQLException exception, SqlFailureCategory category,
            RollbackScope rolledBack) {

        @Override
        public String toString() {
            return rule + " on " + vendor;
        }
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        postgresFamily(rows, POSTGRESQL);
        postgresFamily(rows, COCKROACHDB);
        rows.add(new Row("cockroachdb:40001", COCKROACHDB, pg("40001",
                "restart transaction: TransactionRetryWithProtoRefreshError: WriteTooOldError"),
                SERIALIZATION_FAILURE, TRANSACTION));
        rows.add(new Row("cockroachdb:40003-ambiguous-result", COCKROACHDB,
                pg("40003", "result is ambiguous (error=rpc error)"), CONNECTION_FAILURE, SCOPE_UNKNOWN));
        mysqlFamily(rows, MYSQL);
        mysqlFamily(rows, MARIADB);
        rows.addAll(List.of(
                code("mysql:3572-nowait", MYSQL, "HY000", 3572,
                        "Statement aborted because lock(s) could not be acquired immediately and NOWAIT is set.",
                        LOCK_TIMEOUT, STATEMENT),
                code("mysql:3024-max-execution-time", MYSQL, "HY000", 3024,
                        "Query execution was interrupted, maximum statement execution time exceeded",
                        QUERY_TIMEOUT, STATEMENT),
                code("mysql:3101-rollback-during-commit", MYSQL, "HY000", 3101,
                        "Plugin instructed the server to rollback the current transaction.",
                        SERIALIZATION_FAILURE, TRANSACTION),
                code("mysql:2006-server-gone", MYSQL, "HY000", 2006, "MySQL server has gone away",
                        CONNECTION_FAILURE, SCOPE_UNKNOWN),
                code("mysql:2013-lost-connection", MYSQL, "HY000", 2013, "Lost connection to MySQL server",
                        CONNECTION_FAILURE, SCOPE_UNKNOWN),
                code("mysql:4031-inactivity-disconnect", MYSQL, "HY000", 4031,
                        "The client was disconnected by the server because of inactivity.",
                        CONNECTION_FAILURE, TRANSACTION),
                // measured on MariaDB 10.11 with innodb_snapshot_isolation=ON: plain SQLException HY000/1020
                code("mariadb:1020-record-changed", MARIADB, "HY000", 1020,
                        "(conn=66) Record has changed since last read in table 't'; try restarting transaction",
                        SERIALIZATION_FAILURE, TRANSACTION),
                new Row("mariadb:1969-statement-timeout", MARIADB, new SQLTimeoutException(
                        "(conn=76) Query execution was interrupted (max_statement_time exceeded)", "70100", 1969),
                        QUERY_TIMEOUT, STATEMENT),
                new Row("mariadb:1927-connection-killed", MARIADB,
                        new SQLTimeoutException("(conn=9) Connection was killed", "70100", 1927),
                        CONNECTION_FAILURE, TRANSACTION),
                new Row("mariadb:-1-socket-error", MARIADB, new SQLNonTransientConnectionException(
                        "(conn=87) Socket error", "08000", -1, new EOFException("unexpected end of stream")),
                        CONNECTION_FAILURE, SCOPE_UNKNOWN),
                new Row("mariadb:1220-connection-closed", MARIADB,
                        new SQLNonTransientConnectionException("(conn=87) Connection is closed", "08000", 1220),
                        CONNECTION_FAILURE, SCOPE_UNKNOWN)));
        oracle(rows);
        sqlServer(rows);
        db2(rows);
        h2(rows);
        rows.add(new Row("hsqldb:-4861-serialization-failure", HSQLDB, new SQLTransactionRollbackException(
                "transaction rollback: serialization failure", "40001", -4861), SERIALIZATION_FAILURE, TRANSACTION));
        derby(rows);
        sqlite(rows);
        sqlStateRules(rows);
        subclassRules(rows);
        return rows;
    }

    private static void postgresFamily(List<Row> rows, DatabaseVendor vendor) {
        String p = vendor.systemName() + ":";
        rows.addAll(List.of(
                new Row(p + "40P01", vendor, pg("40P01", "deadlock detected"), DEADLOCK, TRANSACTION),
                new Row(p + "55P03", vendor, pg("55P03", "canceling statement due to lock timeout"),
                        LOCK_TIMEOUT, TRANSACTION),
                new Row(p + "57014", vendor, pg("57014", "canceling statement due to statement timeout"),
                        QUERY_TIMEOUT, TRANSACTION),
                new Row(p + "57P01", vendor, pgFatal("57P01", "terminating connection due to administrator command"),
                        CONNECTION_FAILURE, TRANSACTION),
                new Row(p + "57P02", vendor, pgFatal("57P02", "terminating connection because of crash of "
                        + "another server process"), CONNECTION_FAILURE, TRANSACTION),
                new Row(p + "57P03", vendor, pgFatal("57P03", "the database system is starting up"),
                        CONNECTION_FAILURE, SCOPE_UNKNOWN),
                new Row(p + "57P04", vendor, pgFatal("57P04", "terminating connection due to database drop"),
                        CONNECTION_FAILURE, TRANSACTION),
                new Row(p + "57P05", vendor, pgFatal("57P05", "terminating connection due to idle-session timeout"),
                        CONNECTION_FAILURE, TRANSACTION),
                new Row(p + "25P03-idle-in-transaction-timeout", vendor, pgFatal("25P03",
                        "terminating connection due to idle-in-transaction timeout"), CONNECTION_FAILURE, TRANSACTION),
                new Row(p + "25P02-transaction-aborted", vendor, pg("25P02",
                        "current transaction is aborted, commands ignored until end of transaction block"),
                        PROGRAMMING_ERROR, TRANSACTION),
                new Row(p + "53300-too-many-connections", vendor, pgFatal("53300",
                        "sorry, too many clients already"), RESOURCE_EXHAUSTED, SCOPE_UNKNOWN)));
        if (vendor == POSTGRESQL) {
            rows.add(new Row("postgresql:40001", vendor, pg("40001",
                    "could not serialize access due to concurrent update"), SERIALIZATION_FAILURE, TRANSACTION));
        }
    }

    private static void mysqlFamily(List<Row> rows, DatabaseVendor vendor) {
        String p = vendor.systemName() + ":";
        rows.addAll(List.of(
                new Row(p + "1213", vendor, new SQLTransactionRollbackException(
                        "Deadlock found when trying to get lock; try restarting transaction", "40001", 1213),
                        DEADLOCK, TRANSACTION),
                code(p + "1205", vendor, "HY000", 1205, "Lock wait timeout exceeded; try restarting transaction",
                        LOCK_TIMEOUT, STATEMENT),
                new Row(p + "1317-query-killed", vendor,
                        new SQLTimeoutException("Query execution was interrupted", "70100", 1317),
                        QUERY_TIMEOUT, STATEMENT),
                code(p + "1053-server-shutdown", vendor, "08S01", 1053, "Server shutdown in progress",
                        CONNECTION_FAILURE, TRANSACTION),
                code(p + "1040-too-many-connections", vendor, "08004", 1040, "Too many connections",
                        RESOURCE_EXHAUSTED, SCOPE_UNKNOWN),
                code(p + "1203-user-too-many-connections", vendor, "42000", 1203,
                        "User app already has more than 'max_user_connections' active connections",
                        RESOURCE_EXHAUSTED, SCOPE_UNKNOWN),
                code(p + "1114-table-full", vendor, "HY000", 1114, "The table 't' is full",
                        RESOURCE_EXHAUSTED, STATEMENT),
                code(p + "1021-disk-full", vendor, "HY000", 1021, "Disk full (./t); waiting for someone to free "
                        + "some space...", RESOURCE_EXHAUSTED, STATEMENT),
                code(p + "1037-out-of-memory", vendor, "HY001", 1037, "Out of memory; restart server and try again",
                        RESOURCE_EXHAUSTED, STATEMENT),
                code(p + "1038-out-of-sort-memory", vendor, "HY001", 1038, "Out of sort memory",
                        RESOURCE_EXHAUSTED, STATEMENT),
                code(p + "1041-out-of-resources", vendor, "HY000", 1041, "Out of memory; check if mysqld or "
                        + "some other process uses all available memory", RESOURCE_EXHAUSTED, STATEMENT),
                code(p + "1366-incorrect-value", vendor, "HY000", 1366,
                        "Incorrect integer value: 'abc' for column 'v' at row 1", DATA_ERROR, STATEMENT)));
    }

    private static void oracle(List<Row> rows) {
        rows.addAll(List.of(
                code("oracle:60-deadlock", ORACLE, "61000", 60,
                        "ORA-00060: deadlock detected while waiting for resource", DEADLOCK, STATEMENT),
                code("oracle:8177-cannot-serialize", ORACLE, "72000", 8177,
                        "ORA-08177: can't serialize access for this transaction", SERIALIZATION_FAILURE, STATEMENT),
                code("oracle:54-resource-busy-nowait", ORACLE, "61000", 54,
                        "ORA-00054: resource busy and acquire with NOWAIT specified or timeout expired",
                        LOCK_TIMEOUT, STATEMENT),
                code("oracle:30006-resource-busy-wait-timeout", ORACLE, "99999", 30006,
                        "ORA-30006: resource busy; acquire with WAIT timeout expired", LOCK_TIMEOUT, STATEMENT),
                code("oracle:2049-distributed-lock-timeout", ORACLE, "99999", 2049,
                        "ORA-02049: timeout: distributed transaction waiting for lock", LOCK_TIMEOUT, STATEMENT),
                new Row("oracle:1013-user-requested-cancel", ORACLE, new SQLTimeoutException(
                        "ORA-01013: user requested cancel of current operation", "72000", 1013),
                        QUERY_TIMEOUT, STATEMENT),
                code("oracle:28-session-killed", ORACLE, "42000", 28, "ORA-00028: your session has been killed",
                        CONNECTION_FAILURE, TRANSACTION),
                code("oracle:1012-not-logged-on", ORACLE, "72000", 1012, "ORA-01012: not logged on",
                        CONNECTION_FAILURE, SCOPE_UNKNOWN),
                code("oracle:1089-shutdown-in-progress", ORACLE, "08006", 1089,
                        "ORA-01089: immediate shutdown or close in progress", CONNECTION_FAILURE, SCOPE_UNKNOWN),
                code("oracle:1033-startup-or-shutdown", ORACLE, "08004", 1033,
                        "ORA-01033: ORACLE initialization or shutdown in progress", CONNECTION_FAILURE, SCOPE_UNKNOWN),
                code("oracle:1034-not-available", ORACLE, "08004", 1034, "ORA-01034: ORACLE not available",
                        CONNECTION_FAILURE, SCOPE_UNKNOWN),
                code("oracle:2396-idle-time-exceeded", ORACLE, "72000", 2396,
                        "ORA-02396: exceeded maximum idle time, please connect again", CONNECTION_FAILURE,
                        SCOPE_UNKNOWN),
                new Row("oracle:3113-end-of-file-on-channel", ORACLE, new SQLRecoverableException(
                        "ORA-03113: end-of-file on communication channel", "08000", 3113),
                        CONNECTION_FAILURE, SCOPE_UNKNOWN),
                code("oracle:3114-not-connected", ORACLE, "08003", 3114, "ORA-03114: not connected to ORACLE",
                        CONNECTION_FAILURE, SCOPE_UNKNOWN),
                code("oracle:3135-connection-lost-contact", ORACLE, "08006", 3135,
                        "ORA-03135: connection lost contact", CONNECTION_FAILURE, SCOPE_UNKNOWN),
                new Row("oracle:17002-io-error", ORACLE, new SQLRecoverableException(
                        "IO Error: Connection reset", "08006", 17002), CONNECTION_FAILURE, SCOPE_UNKNOWN),
                new Row("oracle:17008-closed-connection", ORACLE, new SQLRecoverableException(
                        "Closed Connection", "08003", 17008), CONNECTION_FAILURE, SCOPE_UNKNOWN),
                new Row("oracle:17410-no-more-data", ORACLE, new SQLRecoverableException(
                        "No more data to read from socket", "08000", 17410), CONNECTION_FAILURE, SCOPE_UNKNOWN),
                code("oracle:12514-listener-unknown-service", ORACLE, "08006", 12514,
                        "ORA-12514: TNS:listener does not currently know of service requested", CONNECTION_FAILURE,
                        SCOPE_UNKNOWN),
                code("oracle:12541-no-listener", ORACLE, "08006", 12541, "ORA-12541: TNS:no listener",
                        CONNECTION_FAILURE, SCOPE_UNKNOWN),
                new Row("oracle:1-unique", ORACLE, new SQLIntegrityConstraintViolationException(
                        "ORA-00001: unique constraint (APP.UK_EMAIL) violated", "23000", 1),
                        CONSTRAINT_VIOLATION, STATEMENT),
                code("oracle:1400-cannot-insert-null", ORACLE, "23000", 1400,
                        "ORA-01400: cannot insert NULL into (\"APP\".\"T\".\"V\")", CONSTRAINT_VIOLATION, STATEMENT),
                code("oracle:1407-cannot-update-to-null", ORACLE, "72000", 1407,
                        "ORA-01407: cannot update (\"APP\".\"T\".\"V\") to NULL", CONSTRAINT_VIOLATION, STATEMENT),
                code("oracle:2290-check", ORACLE, "23000", 2290,
                        "ORA-02290: check constraint (APP.CK_V) violated", CONSTRAINT_VIOLATION, STATEMENT),
                code("oracle:2291-parent-key-not-found", ORACLE, "23000", 2291,
                        "ORA-02291: integrity constraint (APP.FK) violated - parent key not found",
                        CONSTRAINT_VIOLATION, STATEMENT),
                code("oracle:2292-child-record-found", ORACLE, "23000", 2292,
                        "ORA-02292: integrity constraint (APP.FK) violated - child record found",
                        CONSTRAINT_VIOLATION, STATEMENT),
                code("oracle:1555-snapshot-too-old", ORACLE, "72000", 1555,
                        "ORA-01555: snapshot too old: rollback segment number 7 with name \"_SYSSMU7$\" too small",
                        RESOURCE_EXHAUSTED, STATEMENT),
                code("oracle:1652-temp-segment-full", ORACLE, "72000", 1652,
                        "ORA-01652: unable to extend temp segment by 128 in tablespace TEMP", RESOURCE_EXHAUSTED,
                        STATEMENT),
                code("oracle:1653-table-segment-full", ORACLE, "72000", 1653,
                        "ORA-01653: unable to extend table APP.T by 8 in tablespace USERS", RESOURCE_EXHAUSTED,
                        STATEMENT),
                code("oracle:1654-index-segment-full", ORACLE, "72000", 1654,
                        "ORA-01654: unable to extend index APP.I by 8 in tablespace USERS", RESOURCE_EXHAUSTED,
                        STATEMENT),
                code("oracle:4031-shared-memory", ORACLE, "61000", 4031,
                        "ORA-04031: unable to allocate 4096 bytes of shared memory", RESOURCE_EXHAUSTED, STATEMENT),
                code("oracle:18-max-sessions", ORACLE, "08004", 18, "ORA-00018: maximum number of sessions exceeded",
                        RESOURCE_EXHAUSTED, SCOPE_UNKNOWN),
                code("oracle:20-max-processes", ORACLE, "08004", 20,
                        "ORA-00020: maximum number of processes (300) exceeded", RESOURCE_EXHAUSTED, SCOPE_UNKNOWN),
                code("oracle:12519-no-service-handler", ORACLE, "08004", 12519,
                        "ORA-12519: TNS:no appropriate service handler found", RESOURCE_EXHAUSTED, SCOPE_UNKNOWN),
                code("oracle:1722-invalid-number", ORACLE, "42000", 1722, "ORA-01722: invalid number",
                        DATA_ERROR, STATEMENT),
                code("oracle:12899-value-too-large", ORACLE, "72000", 12899,
                        "ORA-12899: value too large for column \"APP\".\"T\".\"V\" (actual: 20, maximum: 10)",
                        DATA_ERROR, STATEMENT),
                code("oracle:1438-precision-exceeded", ORACLE, "22003", 1438,
                        "ORA-01438: value larger than specified precision allowed for this column", DATA_ERROR,
                        STATEMENT),
                code("oracle:1861-literal-format-mismatch", ORACLE, "22008", 1861,
                        "ORA-01861: literal does not match format string", DATA_ERROR, STATEMENT),
                code("oracle:1476-division-by-zero", ORACLE, "22012", 1476, "ORA-01476: divisor is equal to zero",
                        DATA_ERROR, STATEMENT),
                new Row("oracle:942-table-or-view-not-found", ORACLE, new SQLSyntaxErrorException(
                        "ORA-00942: table or view does not exist", "42000", 942), PROGRAMMING_ERROR, STATEMENT),
                code("oracle:904-invalid-identifier", ORACLE, "42000", 904, "ORA-00904: \"X\": invalid identifier",
                        PROGRAMMING_ERROR, STATEMENT),
                code("oracle:900-invalid-statement", ORACLE, "42000", 900, "ORA-00900: invalid SQL statement",
                        PROGRAMMING_ERROR, STATEMENT),
                code("oracle:933-command-not-ended", ORACLE, "42000", 933,
                        "ORA-00933: SQL command not properly ended", PROGRAMMING_ERROR, STATEMENT),
                code("oracle:936-missing-expression", ORACLE, "42000", 936, "ORA-00936: missing expression",
                        PROGRAMMING_ERROR, STATEMENT),
                code("oracle:6550-plsql-compilation", ORACLE, "65000", 6550,
                        "ORA-06550: line 1, column 7: PLS-00201: identifier 'X' must be declared",
                        PROGRAMMING_ERROR, STATEMENT)));
    }

    private static void sqlServer(List<Row> rows) {
        rows.addAll(List.of(
                // mssql-jdbc maps 1205 to SQLState 40001
                code("mssql:1205-deadlock-victim", SQL_SERVER, "40001", 1205, "Transaction (Process ID 52) was "
                        + "deadlocked on lock resources with another process and has been chosen as the deadlock "
                        + "victim. Rerun the transaction.", DEADLOCK, TRANSACTION),
                code("mssql:1222-lock-request-timeout", SQL_SERVER, "S0001", 1222,
                        "Lock request time out period exceeded.", LOCK_TIMEOUT, SCOPE_UNKNOWN),
                code("mssql:3960-snapshot-update-conflict", SQL_SERVER, "S0001", 3960,
                        "Snapshot isolation transaction aborted due to update conflict.", SERIALIZATION_FAILURE,
                        TRANSACTION),
                code("mssql:3961-snapshot-ddl-conflict", SQL_SERVER, "S0001", 3961,
                        "Snapshot isolation transaction failed in database 'app' because the object accessed by "
                        + "the statement has been modified by a DDL statement", SERIALIZATION_FAILURE, TRANSACTION),
                code("mssql:-2-timeout", SQL_SERVER, null, -2, "Execution Timeout Expired.", QUERY_TIMEOUT,
                        SCOPE_UNKNOWN),
                code("mssql:596-session-killed", SQL_SERVER, "S0001", 596,
                        "Cannot continue the execution because the session is in the kill state.",
                        CONNECTION_FAILURE, TRANSACTION),
                code("mssql:40613-database-unavailable", SQL_SERVER, "S0001", 40613,
                        "Database 'app' on server 'x' is not currently available.", CONNECTION_FAILURE, SCOPE_UNKNOWN),
                code("mssql:1204-lock-resources", SQL_SERVER, "S0001", 1204,
                        "The instance of the SQL Server Database Engine cannot obtain a LOCK resource at this time.",
                        RESOURCE_EXHAUSTED, SCOPE_UNKNOWN),
                code("mssql:9002-transaction-log-full", SQL_SERVER, "S0001", 9002,
                        "The transaction log for database 'app' is full due to 'ACTIVE_TRANSACTION'.",
                        RESOURCE_EXHAUSTED, SCOPE_UNKNOWN),
                code("mssql:1105-filegroup-full", SQL_SERVER, "S0001", 1105,
                        "Could not allocate space for object 'dbo.t' in database 'app' because the 'PRIMARY' "
                        + "filegroup is full.", RESOURCE_EXHAUSTED, SCOPE_UNKNOWN),
                code("mssql:701-insufficient-memory", SQL_SERVER, "S0001", 701,
                        "There is insufficient system memory in resource pool 'default' to run this query.",
                        RESOURCE_EXHAUSTED, SCOPE_UNKNOWN),
                code("mssql:10928-resource-limit", SQL_SERVER, "S0001", 10928,
                        "Resource ID : 1. The request limit for the database is 60 and has been reached.",
                        RESOURCE_EXHAUSTED, SCOPE_UNKNOWN),
                code("mssql:10929-resource-min-guarantee", SQL_SERVER, "S0001", 10929,
                        "Resource ID : 1. The min guarantee is 0, max limit is 60 and the current usage for the "
                        + "database is 60.", RESOURCE_EXHAUSTED, SCOPE_UNKNOWN),
                code("mssql:40501-service-busy", SQL_SERVER, "S0001", 40501,
                        "The service is currently busy. Retry the request after 10 seconds.", RESOURCE_EXHAUSTED,
                        SCOPE_UNKNOWN),
                code("mssql:2627-unique-constraint", SQL_SERVER, "23000", 2627,
                        "Violation of UNIQUE KEY constraint 'UQ_email'. Cannot insert duplicate key in object "
                        + "'dbo.users'. The duplicate key value is (x).", CONSTRAINT_VIOLATION, SCOPE_UNKNOWN),
                code("mssql:2601-unique-index", SQL_SERVER, "23000", 2601,
                        "Cannot insert duplicate key row in object 'dbo.users' with unique index 'IX_email'.",
                        CONSTRAINT_VIOLATION, SCOPE_UNKNOWN),
                code("mssql:547-constraint-conflict", SQL_SERVER, "23000", 547,
                        "The INSERT statement conflicted with the FOREIGN KEY constraint \"FK_orders\".",
                        CONSTRAINT_VIOLATION, SCOPE_UNKNOWN),
                code("mssql:515-cannot-insert-null", SQL_SERVER, "23000", 515,
                        "Cannot insert the value NULL into column 'email', table 'app.dbo.users'.",
                        CONSTRAINT_VIOLATION, SCOPE_UNKNOWN),
                code("mssql:8152-truncation", SQL_SERVER, "22001", 8152, "String or binary data would be truncated.",
                        DATA_ERROR, SCOPE_UNKNOWN),
                code("mssql:2628-truncation-detailed", SQL_SERVER, "S0001", 2628,
                        "String or binary data would be truncated in table 'app.dbo.users', column 'email'.",
                        DATA_ERROR, SCOPE_UNKNOWN),
                code("mssql:8115-arithmetic-overflow", SQL_SERVER, "S0001", 8115,
                        "Arithmetic overflow error converting expression to data type int.", DATA_ERROR, SCOPE_UNKNOWN),
                code("mssql:8134-division-by-zero", SQL_SERVER, "S0001", 8134, "Divide by zero error encountered.",
                        DATA_ERROR, SCOPE_UNKNOWN),
                code("mssql:245-conversion-failed", SQL_SERVER, "S0001", 245,
                        "Conversion failed when converting the varchar value 'x' to data type int.", DATA_ERROR,
                        SCOPE_UNKNOWN),
                code("mssql:208-invalid-object", SQL_SERVER, "S0002", 208, "Invalid object name 'dbo.t'.",
                        PROGRAMMING_ERROR, SCOPE_UNKNOWN),
                code("mssql:207-invalid-column", SQL_SERVER, "S0001", 207, "Invalid column name 'x'.",
                        PROGRAMMING_ERROR, SCOPE_UNKNOWN),
                code("mssql:102-syntax", SQL_SERVER, "S0001", 102, "Incorrect syntax near 'FROM'.",
                        PROGRAMMING_ERROR, SCOPE_UNKNOWN)));
    }

    private static void db2(List<Row> rows) {
        rows.addAll(List.of(
                new Row("db2:-911-deadlock", DB2, new SQLTransactionRollbackException(
                        "DB2 SQL Error: SQLCODE=-911, SQLSTATE=40001, SQLERRMC=2, DRIVER=4.33.31", "40001", -911),
                        DEADLOCK, TRANSACTION),
                new Row("db2:-911-deadlock", DB2, new SQLTransactionRollbackException(
                        "DB2 SQL Error: SQLCODE=-911, SQLSTATE=40001, SQLERRMC=00C90088;00000302, DRIVER=4.33.31",
                        "40001", -911), DEADLOCK, TRANSACTION),
                new Row("db2:-911-lock-timeout", DB2, new SQLTransactionRollbackException(
                        "DB2 SQL Error: SQLCODE=-911, SQLSTATE=40001, SQLERRMC=68, DRIVER=4.33.31", "40001", -911),
                        LOCK_TIMEOUT, TRANSACTION),
                new Row("db2:-911-lock-timeout", DB2, new SQLTransactionRollbackException(
                        "The current transaction has been rolled back because of a deadlock or timeout.  "
                        + "Reason code \"68\".. SQLCODE=-911, SQLSTATE=40001, DRIVER=4.33.31", "40001", -911),
                        LOCK_TIMEOUT, TRANSACTION),
                new Row("db2:-911", DB2, new SQLTransactionRollbackException(
                        "The current transaction has been rolled back because of a deadlock or timeout.",
                        "40001", -911), DEADLOCK, TRANSACTION),
                code("db2:-913-deadlock", DB2, "57033", -913,
                        "DB2 SQL Error: SQLCODE=-913, SQLSTATE=57033, SQLERRMC=2, DRIVER=4.33.31", DEADLOCK,
                        STATEMENT),
                code("db2:-913-lock-timeout", DB2, "57033", -913,
                        "DB2 SQL Error: SQLCODE=-913, SQLSTATE=57033, SQLERRMC=00C9008E;00000302, DRIVER=4.33.31",
                        LOCK_TIMEOUT, STATEMENT),
                code("db2:-913", DB2, "57033", -913, "Unsuccessful execution caused by deadlock or timeout.",
                        DEADLOCK, STATEMENT),
                code("db2:-952-interrupted", DB2, "57014", -952,
                        "DB2 SQL Error: SQLCODE=-952, SQLSTATE=57014, SQLERRMC=null, DRIVER=4.33.31",
                        QUERY_TIMEOUT, STATEMENT),
                new Row("db2:-4499-connection-failure", DB2, new SQLNonTransientConnectionException(
                        "A communication error occurred during operations on the connection's underlying socket.",
                        "08001", -4499), CONNECTION_FAILURE, SCOPE_UNKNOWN),
                code("db2:-30081-communication-error", DB2, "08001", -30081,
                        "A communication error has been detected.", CONNECTION_FAILURE, SCOPE_UNKNOWN),
                code("db2:-1224-agent-terminated", DB2, "55032", -1224,
                        "The database manager is not able to accept new requests.", CONNECTION_FAILURE, SCOPE_UNKNOWN),
                code("db2:-30108-client-reroute", DB2, "08506", -30108,
                        "A connection failed but has been re-established.", CONNECTION_FAILURE, TRANSACTION),
                code("db2:-4498-client-reroute-reestablished", DB2, "08506", -4498,
                        "A connection failed but has been re-established.", CONNECTION_FAILURE, TRANSACTION),
                code("db2:-1040-max-applications", DB2, "57030", -1040,
                        "The maximum number of applications is already connected to the database.",
                        RESOURCE_EXHAUSTED, SCOPE_UNKNOWN),
                code("db2:-904-resource-unavailable", DB2, "57011", -904,
                        "Unsuccessful execution caused by an unavailable resource.", RESOURCE_EXHAUSTED, STATEMENT),
                code("db2:-968-file-system-full", DB2, "57011", -968, "The file system is full.",
                        RESOURCE_EXHAUSTED, STATEMENT),
                code("db2:-289-table-space-full", DB2, "57011", -289,
                        "Unable to allocate new pages in table space \"USERSPACE1\".", RESOURCE_EXHAUSTED, STATEMENT),
                new Row("db2:-803-duplicate-key", DB2, new SQLIntegrityConstraintViolationException(
                        "DB2 SQL Error: SQLCODE=-803, SQLSTATE=23505, SQLERRMC=1;APP.USERS, DRIVER=4.33.31",
                        "23505", -803), CONSTRAINT_VIOLATION, STATEMENT),
                code("db2:-407-null-not-allowed", DB2, "23502", -407, "Assignment of a NULL value to a NOT NULL "
                        + "column is not allowed.", CONSTRAINT_VIOLATION, STATEMENT),
                code("db2:-530-foreign-key-insert", DB2, "23503", -530, "The insert or update value of the FOREIGN "
                        + "KEY is not equal to any value of the parent key.", CONSTRAINT_VIOLATION, STATEMENT),
                code("db2:-532-foreign-key-delete", DB2, "23504", -532, "The parent row cannot be deleted.",
                        CONSTRAINT_VIOLATION, STATEMENT),
                code("db2:-545-check", DB2, "23513", -545, "The requested operation is not allowed because a row "
                        + "does not satisfy the check constraint.", CONSTRAINT_VIOLATION, STATEMENT),
                code("db2:-302-value-too-large", DB2, "22001", -302, "The value of a host variable is too large.",
                        DATA_ERROR, STATEMENT),
                code("db2:-433-value-too-long", DB2, "22001", -433, "Value is too long.", DATA_ERROR, STATEMENT),
                code("db2:-420-invalid-character", DB2, "22018", -420,
                        "Invalid character found in a character string argument.", DATA_ERROR, STATEMENT),
                code("db2:-180-datetime-syntax", DB2, "22007", -180,
                        "The syntax of the string representation of a datetime value is incorrect.", DATA_ERROR,
                        STATEMENT),
                code("db2:-181-datetime-range", DB2, "22007", -181,
                        "The string representation of a datetime value is out of range.", DATA_ERROR, STATEMENT),
                new Row("db2:-104-syntax", DB2, new SQLSyntaxErrorException(
                        "An unexpected token was found.", "42601", -104), PROGRAMMING_ERROR, STATEMENT),
                code("db2:-204-undefined-name", DB2, "42704", -204, "APP.T is an undefined name.",
                        PROGRAMMING_ERROR, STATEMENT),
                code("db2:-206-invalid-column", DB2, "42703", -206, "X is not valid in the context where it is used.",
                        PROGRAMMING_ERROR, STATEMENT)));
    }

    private static void h2(List<Row> rows) {
        rows.addAll(List.of(
                new Row("h2:40001-deadlock", H2, h2Rollback(new MVStoreException(105, "Transaction 2 has been chosen "
                        + "as a deadlock victim. Details: Transaction 2 attempts to update map <table.4> entry with "
                        + "key <1> modified by transaction 1(27) OPEN 2")), DEADLOCK, TRANSACTION),
                new Row("h2:40001-write-conflict", H2, h2Rollback(new MVStoreException(105, "")),
                        SERIALIZATION_FAILURE, TRANSACTION),
                new Row("h2:40001-write-conflict", H2, h2Rollback(null), SERIALIZATION_FAILURE, TRANSACTION),
                new Row("h2:50200", H2, new JdbcSQLTimeoutException("Timeout trying to lock table \"T\"",
                        "UPDATE t SET v = 2 WHERE id = 1", "HYT00", 50200, null, null), LOCK_TIMEOUT, STATEMENT),
                new Row("h2:57014", H2, new JdbcSQLTimeoutException("Statement was canceled or the session timed out",
                        "SELECT 1", "57014", 57014, null, null), QUERY_TIMEOUT, STATEMENT),
                new Row("h2:50000-deadlock-victim-rolling-back", H2, new org.h2.jdbc.JdbcSQLNonTransientException(
                        "General error: \"Transaction was illegally transitioned from ROLLING_BACK to ROLLING_BACK "
                        + "[2.5.252/103]\"", "UPDATE t SET v = v + ? WHERE id = ?", "HY000", 50000, null, null),
                        DEADLOCK, TRANSACTION),
                code("h2:90131-concurrent-update", H2, "90131", 90131, "Concurrent update in table \"T\": another "
                        + "transaction has updated or deleted the same row", SERIALIZATION_FAILURE, STATEMENT),
                new Row("h2:90121-database-closed-at-shutdown", H2, h2Closed(90121, "Database is already closed (to "
                        + "disable automatic closing at VM shutdown, add \";DB_CLOSE_ON_EXIT=FALSE\" to the db URL)"),
                        CONNECTION_FAILURE, TRANSACTION),
                new Row("h2:90098-database-closed", H2, h2Closed(90098, "The database has been closed"),
                        CONNECTION_FAILURE, TRANSACTION),
                new Row("h2:90067-connection-broken", H2, h2Closed(90067, "Connection is broken: \"x\""),
                        CONNECTION_FAILURE, SCOPE_UNKNOWN),
                new Row("h2:90108-out-of-memory", H2, h2Closed(90108, "Out of memory."), RESOURCE_EXHAUSTED,
                        SCOPE_UNKNOWN)));
    }

    private static void derby(List<Row> rows) {
        rows.addAll(List.of(
                new Row("derby:40001-deadlock", DERBY, new SQLTransactionRollbackException(
                        "A lock could not be obtained due to a deadlock, cycle of locks and waiters is: ...",
                        "40001", 30000), DEADLOCK, TRANSACTION),
                new Row("derby:40XL1-lock-timeout", DERBY, new SQLTransactionRollbackException(
                        "A lock could not be obtained within the time requested", "40XL1", 30000),
                        LOCK_TIMEOUT, TRANSACTION),
                new Row("derby:40XL2-lock-timeout-with-dump", DERBY, new SQLTransactionRollbackException(
                        "A lock could not be obtained within the time requested.  The lockTable dump is: ...",
                        "40XL2", 30000), LOCK_TIMEOUT, TRANSACTION),
                new Row("derby:XCL52-cancelled", DERBY, new SQLTimeoutException(
                        "The statement has been cancelled or timed out.", "XCL52", 20000), QUERY_TIMEOUT, STATEMENT)));
    }

    private static void sqlite(List<Row> rows) {
        rows.addAll(List.of(
                code("sqlite:5-busy", SQLITE, null, 5, "[SQLITE_BUSY] The database file is locked (database is locked)",
                        LOCK_TIMEOUT, STATEMENT),
                // an extended result code keeps the primary code in its low byte: 517 = SQLITE_BUSY_SNAPSHOT
                code("sqlite:5-busy", SQLITE, null, 517, "[SQLITE_BUSY_SNAPSHOT] Another database connection has "
                        + "already written to the database", LOCK_TIMEOUT, STATEMENT),
                code("sqlite:6-locked", SQLITE, null, 6, "[SQLITE_LOCKED] A table in the database is locked",
                        LOCK_TIMEOUT, STATEMENT),
                code("sqlite:7-nomem", SQLITE, null, 7, "[SQLITE_NOMEM] A malloc() failed", RESOURCE_EXHAUSTED,
                        SCOPE_UNKNOWN),
                code("sqlite:9-interrupt", SQLITE, null, 9, "[SQLITE_INTERRUPT] Operation terminated by "
                        + "sqlite3_interrupt()", QUERY_TIMEOUT, SCOPE_UNKNOWN),
                code("sqlite:13-full", SQLITE, null, 13, "[SQLITE_FULL] Insertion failed because database is full",
                        RESOURCE_EXHAUSTED, SCOPE_UNKNOWN),
                code("sqlite:14-cantopen", SQLITE, null, 14, "[SQLITE_CANTOPEN] Unable to open the database file",
                        CONNECTION_FAILURE, SCOPE_UNKNOWN),
                code("sqlite:18-toobig", SQLITE, null, 18, "[SQLITE_TOOBIG] String or BLOB exceeds size limit",
                        DATA_ERROR, STATEMENT),
                code("sqlite:19-constraint", SQLITE, null, 19, "[SQLITE_CONSTRAINT_UNIQUE] A UNIQUE constraint "
                        + "failed (UNIQUE constraint failed: users.email)", CONSTRAINT_VIOLATION, STATEMENT),
                code("sqlite:19-constraint", SQLITE, null, 2067, "[SQLITE_CONSTRAINT_UNIQUE] extended code form",
                        CONSTRAINT_VIOLATION, STATEMENT),
                code("sqlite:20-mismatch", SQLITE, null, 20, "[SQLITE_MISMATCH] Data type mismatch", DATA_ERROR,
                        STATEMENT),
                code("sqlite:21-misuse", SQLITE, null, 21, "[SQLITE_MISUSE] Library used incorrectly",
                        PROGRAMMING_ERROR, STATEMENT),
                code("sqlite:25-range", SQLITE, null, 25, "[SQLITE_RANGE] 2nd parameter to sqlite3_bind out of range",
                        PROGRAMMING_ERROR, STATEMENT)));
    }

    private static void sqlStateRules(List<Row> rows) {
        rows.addAll(List.of(
                state("sqlstate:40001", "40001", SERIALIZATION_FAILURE, TRANSACTION),
                state("sqlstate:40P01", "40P01", DEADLOCK, TRANSACTION),
                state("sqlstate:40002", "40002", CONSTRAINT_VIOLATION, TRANSACTION),
                state("sqlstate:40003", "40003", CONNECTION_FAILURE, SCOPE_UNKNOWN),
                state("sqlstate:55P03", "55P03", LOCK_TIMEOUT, SCOPE_UNKNOWN),
                state("sqlstate:57014", "57014", QUERY_TIMEOUT, SCOPE_UNKNOWN),
                state("sqlstate:HYT00", "HYT00", QUERY_TIMEOUT, SCOPE_UNKNOWN),
                state("sqlstate:HYT01", "HYT01", CONNECTION_FAILURE, SCOPE_UNKNOWN),
                state("sqlstate:HY008", "HY008", QUERY_TIMEOUT, SCOPE_UNKNOWN),
                state("sqlstate:S1T00", "S1T00", QUERY_TIMEOUT, SCOPE_UNKNOWN),
                state("sqlstate:70100", "70100", QUERY_TIMEOUT, SCOPE_UNKNOWN),
                state("sqlstate:57P0x", "57P01", CONNECTION_FAILURE, SCOPE_UNKNOWN),
                state("sqlstate:57P0x", "57P05", CONNECTION_FAILURE, SCOPE_UNKNOWN),
                state("sqlstate:40xxx", "40000", SERIALIZATION_FAILURE, TRANSACTION),
                state("sqlstate:40xxx", "40XL1", SERIALIZATION_FAILURE, TRANSACTION),
                state("sqlstate:08xxx", "08006", CONNECTION_FAILURE, SCOPE_UNKNOWN),
                state("sqlstate:08xxx", "08S01", CONNECTION_FAILURE, SCOPE_UNKNOWN),
                state("sqlstate:53xxx", "53200", RESOURCE_EXHAUSTED, SCOPE_UNKNOWN),
                state("sqlstate:23xxx", "23505", CONSTRAINT_VIOLATION, SCOPE_UNKNOWN),
                state("sqlstate:44xxx", "44000", CONSTRAINT_VIOLATION, SCOPE_UNKNOWN),
                state("sqlstate:22xxx", "22001", DATA_ERROR, SCOPE_UNKNOWN),
                state("sqlstate:21xxx", "21000", DATA_ERROR, SCOPE_UNKNOWN),
                state("sqlstate:42xxx", "42P01", PROGRAMMING_ERROR, SCOPE_UNKNOWN),
                state("sqlstate:07xxx", "07001", PROGRAMMING_ERROR, SCOPE_UNKNOWN),
                state("sqlstate:24xxx", "24000", PROGRAMMING_ERROR, SCOPE_UNKNOWN),
                state("sqlstate:25xxx", "25006", PROGRAMMING_ERROR, SCOPE_UNKNOWN),
                state("sqlstate:26xxx", "26000", PROGRAMMING_ERROR, SCOPE_UNKNOWN),
                state("sqlstate:34xxx", "34000", PROGRAMMING_ERROR, SCOPE_UNKNOWN),
                state("sqlstate:3Dxxx", "3D000", PROGRAMMING_ERROR, SCOPE_UNKNOWN),
                state("sqlstate:3Fxxx", "3F000", PROGRAMMING_ERROR, SCOPE_UNKNOWN),
                // the vendor decides the scope of an ordinary error when its table has no row for it
                code("sqlstate:23xxx", MYSQL, "23000", 1062, "Duplicate entry '1' for key 'PRIMARY'",
                        CONSTRAINT_VIOLATION, STATEMENT),
                code("sqlstate:23xxx", H2, "23505", 23505, "Unique index or primary key violation",
                        CONSTRAINT_VIOLATION, STATEMENT),
                new Row("sqlstate:23xxx", POSTGRESQL, pg("23505", "duplicate key value violates unique constraint "
                        + "\"t_pkey\""), CONSTRAINT_VIOLATION, TRANSACTION),
                code("sqlstate:23xxx", SQL_SERVER, "23000", 99999, "some constraint", CONSTRAINT_VIOLATION,
                        SCOPE_UNKNOWN),
                new Row("sqlstate:57014", ORACLE, new SQLException("cancelled", "57014", 0), QUERY_TIMEOUT,
                        STATEMENT)));
    }

    private static void subclassRules(List<Row> rows) {
        rows.addAll(List.of(
                new Row("jdbc:SQLTransactionRollbackException", ANY,
                        new SQLTransactionRollbackException("rolled back"), SERIALIZATION_FAILURE, TRANSACTION),
                new Row("jdbc:SQLTimeoutException", ANY, new SQLTimeoutException("timed out"), QUERY_TIMEOUT,
                        SCOPE_UNKNOWN),
                // MySQL Connector/J's own timeout: no SQLState, vendor code 0
                new Row("jdbc:SQLTimeoutException", MYSQL,
                        new SQLTimeoutException("Statement cancelled due to timeout or client request"),
                        QUERY_TIMEOUT, STATEMENT),
                new Row("jdbc:SQLTransientConnectionException", ANY, new SQLTransientConnectionException(
                        "Connection is not available, request timed out after 30000ms."), CONNECTION_FAILURE,
                        SCOPE_UNKNOWN),
                new Row("jdbc:SQLNonTransientConnectionException", ANY,
                        new SQLNonTransientConnectionException("closed"), CONNECTION_FAILURE, SCOPE_UNKNOWN),
                new Row("jdbc:SQLRecoverableException", ANY, new SQLRecoverableException("IO Error"),
                        CONNECTION_FAILURE, SCOPE_UNKNOWN),
                new Row("jdbc:SQLIntegrityConstraintViolationException", ANY,
                        new SQLIntegrityConstraintViolationException("duplicate"), CONSTRAINT_VIOLATION, SCOPE_UNKNOWN),
                new Row("jdbc:SQLDataException", ANY, new SQLDataException("bad value"), DATA_ERROR, SCOPE_UNKNOWN),
                new Row("jdbc:SQLSyntaxErrorException", ANY, new SQLSyntaxErrorException("bad syntax"),
                        PROGRAMMING_ERROR, SCOPE_UNKNOWN),
                new Row("jdbc:SQLFeatureNotSupportedException", ANY,
                        new SQLFeatureNotSupportedException("not supported"), PROGRAMMING_ERROR, SCOPE_UNKNOWN)));
    }

    static Stream<Row> rowStream() {
        return rows().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rowStream")
    void classifiesEveryTableRowAsWritten(Row row) {
        SqlFailure failure = SqlFailureClassifier.defaults().classify(row.exception(), row.vendor());

        assertThat(failure.rule()).isEqualTo(row.rule());
        assertThat(failure.category()).isEqualTo(row.category());
        assertThat(failure.rolledBack()).isEqualTo(row.rolledBack());
        assertThat((Object) failure.matched()).isSameAs(row.exception());
        assertThat(failure.sqlState()).isEqualTo(row.exception().getSQLState());
        assertThat(failure.vendorCode()).isEqualTo(row.exception().getErrorCode());
        assertThat(failure.exceptionClass()).isEqualTo(row.exception().getClass().getName());
    }

    @Test
    void everyRuleHasAnExpectationAndEveryExpectationARule() {
        Set<String> ruleIds = new TreeSet<>();
        VendorRuleTables.all().stream().map(VendorRule::id).forEach(ruleIds::add);
        GenericRules.sqlStateRules().stream().map(GenericRule::id).forEach(ruleIds::add);
        GenericRules.subclassRules().stream().map(GenericRule::id).forEach(ruleIds::add);

        Set<String> expectedIds = rows().stream().map(Row::rule).collect(Collectors.toCollection(TreeSet::new));

        assertThat(expectedIds).isEqualTo(ruleIds);
    }

    @Test
    void everyVendorRowBelongsToTheVendorItsIdNames() {
        assertThat(VendorRuleTables.all())
                .allSatisfy(rule -> assertThat(rule.id()).startsWith(rule.vendor().systemName() + ":"));
        assertThat(rows())
                .filteredOn(row -> !row.rule().startsWith("sqlstate:") && !row.rule().startsWith("jdbc:"))
                .allSatisfy(row -> assertThat(row.rule()).startsWith(row.vendor().systemName() + ":"));
    }

    @Test
    void aVendorRowNeverFiresForAnotherVendor() {
        List<Row> vendorRows = rows().stream()
                .filter(row -> !row.rule().startsWith("sqlstate:") && !row.rule().startsWith("jdbc:"))
                .toList();
        for (Row row : vendorRows) {
            for (DatabaseVendor other : DatabaseVendor.values()) {
                if (other == row.vendor() || other == DatabaseVendor.UNKNOWN) {
                    continue;
                }
                SqlFailure failure = SqlFailureClassifier.defaults().classify(row.exception(), other);
                assertThat(failure.rule())
                        .as("%s classified as %s", row, other)
                        .doesNotStartWith(row.vendor().systemName() + ":");
            }
        }
    }

    private static Row code(String rule, DatabaseVendor vendor, String state, int code, String message,
            SqlFailureCategory category, RollbackScope scope) {
        return new Row(rule, vendor, new SQLException(message, state, code), category, scope);
    }

    private static Row state(String rule, String state, SqlFailureCategory category, RollbackScope scope) {
        return new Row(rule, ANY, new SQLException("message for " + state, state, 0), category, scope);
    }

    /** A server error as pgjdbc builds it (severity ERROR). */
    static PSQLException pg(String state, String message) {
        return new PSQLException(new ServerErrorMessage("SERROR\0VERROR\0C" + state + "\0M" + message + "\0"));
    }

    /** A server error that ends the session (severity FATAL). */
    static PSQLException pgFatal(String state, String message) {
        return new PSQLException(new ServerErrorMessage("SFATAL\0VFATAL\0C" + state + "\0M" + message + "\0"));
    }

    private static JdbcSQLTransactionRollbackException h2Rollback(Throwable cause) {
        return new JdbcSQLTransactionRollbackException(
                "Deadlock detected. The current transaction was rolled back. Details: \"T\"",
                "UPDATE t SET v = v + 20 WHERE id = 1", "40001", 40001, cause, null);
    }

    private static JdbcSQLNonTransientConnectionException h2Closed(int code, String message) {
        return new JdbcSQLNonTransientConnectionException(message, null, Integer.toString(code), code, null, null);
    }
}
