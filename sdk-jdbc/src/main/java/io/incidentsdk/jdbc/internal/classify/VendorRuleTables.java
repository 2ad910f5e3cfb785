package io.incidentsdk.jdbc.internal.classify;

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

import io.incidentsdk.jdbc.DatabaseVendor;
import io.incidentsdk.jdbc.RollbackScope;
import io.incidentsdk.jdbc.SqlFailureCategory;
import io.incidentsdk.jdbc.internal.classify.VendorRule.MatchOn;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The per-vendor rule tables: which error codes and SQLStates mean what on which database, and what the
 * database undid. Not API.
 *
 * <p>Sources: the measurements in {@code shared/reference/databases.md} (PostgreSQL 15, MariaDB 10.11,
 * H2 2.5, HSQLDB 2.7, SQLite 3.54) and the vendors' documentation for the rest. Rows are tried per
 * exception: vendor-code rows first, then SQLState rows, each in the order written here (conditional
 * rows before their fallback).
 *
 * <p>Rollback scopes follow each database's documented behaviour with default settings:
 * <ul>
 *   <li>PostgreSQL and CockroachDB: {@link RollbackScope#TRANSACTION} for every error, because any error
 *       aborts the transaction (measured: the next statement fails with {@code 25P02}). pgjdbc's
 *       {@code autosave=always|conservative} rolls back to a savepoint instead, which the exception does
 *       not show (measured: identical class and SQLState); the table assumes the default
 *       {@code autosave=never}. Retry stays correct either way, because the retry runner always rolls
 *       back the whole transaction before it retries.</li>
 *   <li>MySQL/MariaDB {@code 1205}: {@link RollbackScope#STATEMENT} (measured), unless the server runs
 *       with {@code innodb_rollback_on_timeout=ON}, which the exception does not show.</li>
 *   <li>SQL Server: {@link RollbackScope#UNKNOWN} where {@code SET XACT_ABORT} decides (it is ON in
 *       many applications and OFF by default); {@link RollbackScope#TRANSACTION} for a deadlock victim
 *       and snapshot conflicts, which always end the transaction.</li>
 *   <li>Oracle: statement-level rollback, including for {@code ORA-00060} (Oracle rolls back the
 *       statement that detected the deadlock, not the transaction).</li>
 *   <li>A broken connection: {@link RollbackScope#UNKNOWN} when the client only saw the socket fail
 *       (a commit in flight may have succeeded); {@link RollbackScope#TRANSACTION} when the server said it
 *       ended the session (PostgreSQL {@code 57P01}, MariaDB {@code 1927}, Oracle {@code ORA-00028}).</li>
 * </ul>
 */
public final class VendorRuleTables {

    private static final Map<DatabaseVendor, VendorTable> TABLES = new EnumMap<>(DatabaseVendor.class);
    private static final List<VendorRule> ALL;

    static {
        List<VendorRule> all = new ArrayList<>();
        all.addAll(postgresFamily(DatabaseVendor.POSTGRESQL).rules);
        // CockroachDB speaks PostgreSQL's codes; its 40001 are the retry errors ("restart transaction: ...")
        all.addAll(postgresFamily(DatabaseVendor.COCKROACHDB)
                // "result is ambiguous": the commit may or may not have happened
                .state("40003", CONNECTION_FAILURE, RollbackScope.UNKNOWN, "ambiguous-result")
                .rules);
        all.addAll(mysqlFamily(DatabaseVendor.MYSQL)
                .code(3572, LOCK_TIMEOUT, STATEMENT, "nowait")
                .code(3024, QUERY_TIMEOUT, STATEMENT, "max-execution-time")
                .code(3101, SERIALIZATION_FAILURE, TRANSACTION, "rollback-during-commit")
                .code(2006, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "server-gone")
                .code(2013, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "lost-connection")
                .code(4031, CONNECTION_FAILURE, TRANSACTION, "inactivity-disconnect")
                .rules);
        all.addAll(mysqlFamily(DatabaseVendor.MARIADB)
                .code(1020, SERIALIZATION_FAILURE, TRANSACTION, "record-changed")
                .code(1969, QUERY_TIMEOUT, STATEMENT, "statement-timeout")
                .code(1927, CONNECTION_FAILURE, TRANSACTION, "connection-killed")
                // client-side errors of MariaDB Connector/J: -1 is its default code, so require class 08
                .codeInStateClass(-1, "08", CONNECTION_FAILURE, RollbackScope.UNKNOWN, "socket-error")
                .codeInStateClass(1220, "08", CONNECTION_FAILURE, RollbackScope.UNKNOWN, "connection-closed")
                .rules);
        all.addAll(oracle().rules);
        all.addAll(sqlServer().rules);
        all.addAll(db2().rules);
        all.addAll(h2().rules);
        all.addAll(hsqldb().rules);
        all.addAll(derby().rules);
        all.addAll(sqlite().rules);
        ALL = Collections.unmodifiableList(all);

        Set<String> ids = new HashSet<>();
        Map<DatabaseVendor, List<VendorRule>> byVendor = new EnumMap<>(DatabaseVendor.class);
        for (VendorRule rule : ALL) {
            if (!ids.add(rule.id())) {
                throw new IllegalStateException("duplicate rule id " + rule.id());
            }
            byVendor.computeIfAbsent(rule.vendor(), v -> new ArrayList<>()).add(rule);
        }
        byVendor.forEach((vendor, rules) -> TABLES.put(vendor, new VendorTable(rules)));
    }

    private VendorRuleTables() {
    }

    /**
     * Every row of every vendor table, in table order.
     *
     * @return an unmodifiable list
     */
    public static List<VendorRule> all() {
        return ALL;
    }

    /**
     * Finds the first row of {@code vendor}'s table that applies to {@code exception}.
     *
     * @param exception the exception
     * @param vendor the vendor whose table to use
     * @return the row, or {@code null} when none applies (always for {@link DatabaseVendor#UNKNOWN})
     */
    public static VendorRule find(SQLException exception, DatabaseVendor vendor) {
        VendorTable table = TABLES.get(vendor);
        return table == null ? null : table.find(exception, vendor);
    }

    private static TableBuilder postgresFamily(DatabaseVendor vendor) {
        return new TableBuilder(vendor)
                .state("40P01", DEADLOCK, TRANSACTION)
                .state("40001", SERIALIZATION_FAILURE, TRANSACTION)
                .state("55P03", LOCK_TIMEOUT, TRANSACTION)
                // setQueryTimeout, statement_timeout and pg_cancel_backend all give 57014
                .state("57014", QUERY_TIMEOUT, TRANSACTION)
                // ADMIN SHUTDOWN (pg_terminate_backend): the server ended the session and rolled back
                .state("57P01", CONNECTION_FAILURE, TRANSACTION)
                .state("57P02", CONNECTION_FAILURE, TRANSACTION)
                .state("57P03", CONNECTION_FAILURE, RollbackScope.UNKNOWN)
                .state("57P04", CONNECTION_FAILURE, TRANSACTION)
                .state("57P05", CONNECTION_FAILURE, TRANSACTION)
                .state("25P03", CONNECTION_FAILURE, TRANSACTION, "idle-in-transaction-timeout")
                // a statement sent after an earlier failure: the real cause was reported before
                .state("25P02", PROGRAMMING_ERROR, TRANSACTION, "transaction-aborted")
                .state("53300", RESOURCE_EXHAUSTED, RollbackScope.UNKNOWN, "too-many-connections");
    }

    private static TableBuilder mysqlFamily(DatabaseVendor vendor) {
        return new TableBuilder(vendor)
                .code(1213, DEADLOCK, TRANSACTION)
                // Connector/J reports 1205 as SQLTransactionRollbackException 40001, yet only the statement
                // was undone: the vendor code must win over the SQLState and the subclass
                .code(1205, LOCK_TIMEOUT, STATEMENT)
                // KILL QUERY or Statement.cancel(): same SQLState 70100 and class as a real timeout
                .code(1317, QUERY_TIMEOUT, STATEMENT, "query-killed")
                .code(1053, CONNECTION_FAILURE, TRANSACTION, "server-shutdown")
                .code(1040, RESOURCE_EXHAUSTED, RollbackScope.UNKNOWN, "too-many-connections")
                .code(1203, RESOURCE_EXHAUSTED, RollbackScope.UNKNOWN, "user-too-many-connections")
                .code(1114, RESOURCE_EXHAUSTED, STATEMENT, "table-full")
                .code(1021, RESOURCE_EXHAUSTED, STATEMENT, "disk-full")
                .code(1037, RESOURCE_EXHAUSTED, STATEMENT, "out-of-memory")
                .code(1038, RESOURCE_EXHAUSTED, STATEMENT, "out-of-sort-memory")
                .code(1041, RESOURCE_EXHAUSTED, STATEMENT, "out-of-resources")
                // "Incorrect integer value ..." carries SQLState HY000
                .code(1366, DATA_ERROR, STATEMENT, "incorrect-value");
    }

    private static TableBuilder oracle() {
        return new TableBuilder(DatabaseVendor.ORACLE)
                .code(60, DEADLOCK, STATEMENT, "deadlock")
                .code(8177, SERIALIZATION_FAILURE, STATEMENT, "cannot-serialize")
                .code(54, LOCK_TIMEOUT, STATEMENT, "resource-busy-nowait")
                .code(30006, LOCK_TIMEOUT, STATEMENT, "resource-busy-wait-timeout")
                .code(2049, LOCK_TIMEOUT, STATEMENT, "distributed-lock-timeout")
                .code(1013, QUERY_TIMEOUT, STATEMENT, "user-requested-cancel")
                .code(28, CONNECTION_FAILURE, TRANSACTION, "session-killed")
                .code(1012, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "not-logged-on")
                .code(1089, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "shutdown-in-progress")
                .code(1033, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "startup-or-shutdown")
                .code(1034, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "not-available")
                .code(2396, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "idle-time-exceeded")
                .code(3113, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "end-of-file-on-channel")
                .code(3114, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "not-connected")
                .code(3135, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "connection-lost-contact")
                .code(17002, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "io-error")
                .code(17008, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "closed-connection")
                .code(17410, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "no-more-data")
                .code(12514, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "listener-unknown-service")
                .code(12541, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "no-listener")
                .code(1, CONSTRAINT_VIOLATION, STATEMENT, "unique")
                .code(1400, CONSTRAINT_VIOLATION, STATEMENT, "cannot-insert-null")
                .code(1407, CONSTRAINT_VIOLATION, STATEMENT, "cannot-update-to-null")
                .code(2290, CONSTRAINT_VIOLATION, STATEMENT, "check")
                .code(2291, CONSTRAINT_VIOLATION, STATEMENT, "parent-key-not-found")
                .code(2292, CONSTRAINT_VIOLATION, STATEMENT, "child-record-found")
                .code(1555, RESOURCE_EXHAUSTED, STATEMENT, "snapshot-too-old")
                .code(1652, RESOURCE_EXHAUSTED, STATEMENT, "temp-segment-full")
                .code(1653, RESOURCE_EXHAUSTED, STATEMENT, "table-segment-full")
                .code(1654, RESOURCE_EXHAUSTED, STATEMENT, "index-segment-full")
                .code(4031, RESOURCE_EXHAUSTED, STATEMENT, "shared-memory")
                .code(18, RESOURCE_EXHAUSTED, RollbackScope.UNKNOWN, "max-sessions")
                .code(20, RESOURCE_EXHAUSTED, RollbackScope.UNKNOWN, "max-processes")
                .code(12519, RESOURCE_EXHAUSTED, RollbackScope.UNKNOWN, "no-service-handler")
                .code(1722, DATA_ERROR, STATEMENT, "invalid-number")
                .code(12899, DATA_ERROR, STATEMENT, "value-too-large")
                .code(1438, DATA_ERROR, STATEMENT, "precision-exceeded")
                .code(1861, DATA_ERROR, STATEMENT, "literal-format-mismatch")
                .code(1476, DATA_ERROR, STATEMENT, "division-by-zero")
                .code(942, PROGRAMMING_ERROR, STATEMENT, "table-or-view-not-found")
                .code(904, PROGRAMMING_ERROR, STATEMENT, "invalid-identifier")
                .code(900, PROGRAMMING_ERROR, STATEMENT, "invalid-statement")
                .code(933, PROGRAMMING_ERROR, STATEMENT, "command-not-ended")
                .code(936, PROGRAMMING_ERROR, STATEMENT, "missing-expression")
                .code(6550, PROGRAMMING_ERROR, STATEMENT, "plsql-compilation");
    }

    private static TableBuilder sqlServer() {
        RollbackScope xactAbort = RollbackScope.UNKNOWN;
        return new TableBuilder(DatabaseVendor.SQL_SERVER)
                // 1205 here is the deadlock victim; on MySQL the same number is a lock wait timeout
                .code(1205, DEADLOCK, TRANSACTION, "deadlock-victim")
                .code(1222, LOCK_TIMEOUT, xactAbort, "lock-request-timeout")
                .code(3960, SERIALIZATION_FAILURE, TRANSACTION, "snapshot-update-conflict")
                .code(3961, SERIALIZATION_FAILURE, TRANSACTION, "snapshot-ddl-conflict")
                // the client-side timeout number used by Microsoft's drivers and tools
                .code(-2, QUERY_TIMEOUT, xactAbort, "timeout")
                .code(596, CONNECTION_FAILURE, TRANSACTION, "session-killed")
                .code(40613, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "database-unavailable")
                .code(1204, RESOURCE_EXHAUSTED, xactAbort, "lock-resources")
                .code(9002, RESOURCE_EXHAUSTED, xactAbort, "transaction-log-full")
                .code(1105, RESOURCE_EXHAUSTED, xactAbort, "filegroup-full")
                .code(701, RESOURCE_EXHAUSTED, xactAbort, "insufficient-memory")
                .code(10928, RESOURCE_EXHAUSTED, xactAbort, "resource-limit")
                .code(10929, RESOURCE_EXHAUSTED, xactAbort, "resource-min-guarantee")
                .code(40501, RESOURCE_EXHAUSTED, xactAbort, "service-busy")
                .code(2627, CONSTRAINT_VIOLATION, xactAbort, "unique-constraint")
                .code(2601, CONSTRAINT_VIOLATION, xactAbort, "unique-index")
                .code(547, CONSTRAINT_VIOLATION, xactAbort, "constraint-conflict")
                .code(515, CONSTRAINT_VIOLATION, xactAbort, "cannot-insert-null")
                .code(8152, DATA_ERROR, xactAbort, "truncation")
                .code(2628, DATA_ERROR, xactAbort, "truncation-detailed")
                .code(8115, DATA_ERROR, xactAbort, "arithmetic-overflow")
                .code(8134, DATA_ERROR, xactAbort, "division-by-zero")
                .code(245, DATA_ERROR, xactAbort, "conversion-failed")
                .code(208, PROGRAMMING_ERROR, xactAbort, "invalid-object")
                .code(207, PROGRAMMING_ERROR, xactAbort, "invalid-column")
                .code(102, PROGRAMMING_ERROR, xactAbort, "syntax");
    }

    private static TableBuilder db2() {
        return new TableBuilder(DatabaseVendor.DB2)
                // -911: the unit of work was rolled back; reason code 2 = deadlock, 68 = lock timeout
                .codeWhen(-911, Db2ReasonCode::isDeadlock, "reason code 2 or 00C90088", DEADLOCK, TRANSACTION,
                        "deadlock")
                .codeWhen(-911, Db2ReasonCode::isTimeout, "reason code 68 or 00C9008E", LOCK_TIMEOUT,
                        TRANSACTION, "lock-timeout")
                // no reason code in the message: a rolled-back lock victim, reported as a deadlock
                .code(-911, DEADLOCK, TRANSACTION)
                // -913: the same, but only the statement failed; the unit of work is alive
                .codeWhen(-913, Db2ReasonCode::isDeadlock, "reason code 2 or 00C90088", DEADLOCK, STATEMENT,
                        "deadlock")
                .codeWhen(-913, Db2ReasonCode::isTimeout, "reason code 68 or 00C9008E", LOCK_TIMEOUT,
                        STATEMENT, "lock-timeout")
                .code(-913, DEADLOCK, STATEMENT)
                .code(-952, QUERY_TIMEOUT, STATEMENT, "interrupted")
                .code(-4499, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "connection-failure")
                .code(-30081, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "communication-error")
                .code(-1224, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "agent-terminated")
                // client reroute: the connection was re-established and the transaction rolled back
                .code(-30108, CONNECTION_FAILURE, TRANSACTION, "client-reroute")
                .code(-4498, CONNECTION_FAILURE, TRANSACTION, "client-reroute-reestablished")
                .code(-1040, RESOURCE_EXHAUSTED, RollbackScope.UNKNOWN, "max-applications")
                .code(-904, RESOURCE_EXHAUSTED, STATEMENT, "resource-unavailable")
                .code(-968, RESOURCE_EXHAUSTED, STATEMENT, "file-system-full")
                .code(-289, RESOURCE_EXHAUSTED, STATEMENT, "table-space-full")
                .code(-803, CONSTRAINT_VIOLATION, STATEMENT, "duplicate-key")
                .code(-407, CONSTRAINT_VIOLATION, STATEMENT, "null-not-allowed")
                .code(-530, CONSTRAINT_VIOLATION, STATEMENT, "foreign-key-insert")
                .code(-532, CONSTRAINT_VIOLATION, STATEMENT, "foreign-key-delete")
                .code(-545, CONSTRAINT_VIOLATION, STATEMENT, "check")
                .code(-302, DATA_ERROR, STATEMENT, "value-too-large")
                .code(-433, DATA_ERROR, STATEMENT, "value-too-long")
                .code(-420, DATA_ERROR, STATEMENT, "invalid-character")
                .code(-180, DATA_ERROR, STATEMENT, "datetime-syntax")
                .code(-181, DATA_ERROR, STATEMENT, "datetime-range")
                .code(-104, PROGRAMMING_ERROR, STATEMENT, "syntax")
                .code(-204, PROGRAMMING_ERROR, STATEMENT, "undefined-name")
                .code(-206, PROGRAMMING_ERROR, STATEMENT, "invalid-column");
    }

    private static TableBuilder h2() {
        return new TableBuilder(DatabaseVendor.H2)
                // H2 says "Deadlock detected" for real deadlocks and for snapshot write conflicts alike;
                // only a real deadlock has a cause naming the victim (MVStoreException)
                .codeWhen(40001, VendorRuleTables::causeNamesDeadlockVictim,
                        "a cause says \"chosen as a deadlock victim\"", DEADLOCK, TRANSACTION, "deadlock")
                .code(40001, SERIALIZATION_FAILURE, TRANSACTION, "write-conflict")
                .code(50200, LOCK_TIMEOUT, STATEMENT)
                .code(57014, QUERY_TIMEOUT, STATEMENT)
                // H2's deadlock detection marks the victim ROLLING_BACK from the detecting thread; a statement
                // of the victim that runs or rolls itself back meanwhile fails with a "General error" naming
                // that status (measured, a few times in 30 runs of the 4,000-transfer race): a deadlock victim
                .codeWhen(50000, VendorRuleTables::rolledBackAsDeadlockVictim,
                        "the text names the status ROLLING_BACK", DEADLOCK, TRANSACTION,
                        "deadlock-victim-rolling-back")
                // H2 retries 90131 internally until its lock timeout; it surfaces only from commands that
                // cannot be retried
                .code(90131, SERIALIZATION_FAILURE, STATEMENT, "concurrent-update")
                // ABORT_SESSION / closed database: the session's transaction was rolled back (measured)
                .code(90121, CONNECTION_FAILURE, TRANSACTION, "database-closed-at-shutdown")
                .code(90098, CONNECTION_FAILURE, TRANSACTION, "database-closed")
                .code(90067, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "connection-broken")
                // H2 shuts the database down immediately after an out-of-memory error
                .code(90108, RESOURCE_EXHAUSTED, RollbackScope.UNKNOWN, "out-of-memory");
    }

    private static TableBuilder hsqldb() {
        // MVCC deadlocks and snapshot conflicts both surface as "serialization failure" (measured)
        return new TableBuilder(DatabaseVendor.HSQLDB)
                .code(-4861, SERIALIZATION_FAILURE, TRANSACTION, "serialization-failure");
    }

    private static TableBuilder derby() {
        // Derby's vendor code is a severity; SQLStates of class 40 have transaction severity
        return new TableBuilder(DatabaseVendor.DERBY)
                .state("40001", DEADLOCK, TRANSACTION, "deadlock")
                .state("40XL1", LOCK_TIMEOUT, TRANSACTION, "lock-timeout")
                .state("40XL2", LOCK_TIMEOUT, TRANSACTION, "lock-timeout-with-dump")
                .state("XCL52", QUERY_TIMEOUT, STATEMENT, "cancelled");
    }

    private static TableBuilder sqlite() {
        // sqlite-jdbc gives no SQLState and the primary result code as vendor code; SQLite may have to
        // undo the whole transaction after NOMEM/FULL/INTERRUPT, hence UNKNOWN there
        return new TableBuilder(DatabaseVendor.SQLITE)
                .code(5, LOCK_TIMEOUT, STATEMENT, "busy")
                .code(6, LOCK_TIMEOUT, STATEMENT, "locked")
                .code(7, RESOURCE_EXHAUSTED, RollbackScope.UNKNOWN, "nomem")
                .code(9, QUERY_TIMEOUT, RollbackScope.UNKNOWN, "interrupt")
                .code(13, RESOURCE_EXHAUSTED, RollbackScope.UNKNOWN, "full")
                .code(14, CONNECTION_FAILURE, RollbackScope.UNKNOWN, "cantopen")
                .code(18, DATA_ERROR, STATEMENT, "toobig")
                .code(19, CONSTRAINT_VIOLATION, STATEMENT, "constraint")
                .code(20, DATA_ERROR, STATEMENT, "mismatch")
                .code(21, PROGRAMMING_ERROR, STATEMENT, "misuse")
                .code(25, PROGRAMMING_ERROR, STATEMENT, "range");
    }

    /**
     * Whether a cause of {@code exception} says that its transaction was chosen as a deadlock victim (H2's
     * {@code org.h2.mvstore.MVStoreException}); matched by text so that no H2 class is needed.
     */
    static boolean causeNamesDeadlockVictim(SQLException exception) {
        return messageContains(exception.getCause(), "chosen as a deadlock victim");
    }

    /**
     * Whether H2 reports that the transaction was already being rolled back (its deadlock detection marked
     * it as the victim) when one of its statements ran or tried to roll itself back: {@code Transaction 6
     * has status ROLLING_BACK, not OPEN}, {@code Transaction was illegally transitioned from ROLLING_BACK to
     * ...}, in the message or a cause.
     */
    static boolean rolledBackAsDeadlockVictim(SQLException exception) {
        return messageContains(exception, "ROLLING_BACK");
    }

    /** Whether the message of {@code first} or of one of its next 7 causes contains {@code text}. */
    private static boolean messageContains(Throwable first, String text) {
        Throwable t = first;
        for (int depth = 0; t != null && depth < 8; depth++) {
            String message = t.getMessage();
            if (message != null && message.contains(text)) {
                return true;
            }
            Throwable next = t.getCause();
            if (next == t) {
                break;
            }
            t = next;
        }
        return false;
    }

    /** The reason code of a Db2 {@code -911}/{@code -913}, read from the driver's message. */
    static final class Db2ReasonCode {

        private Db2ReasonCode() {
        }

        static boolean isDeadlock(SQLException exception) {
            String code = of(exception.getMessage());
            return "2".equals(code) || "00C90088".equals(code);
        }

        static boolean isTimeout(SQLException exception) {
            String code = of(exception.getMessage());
            return "68".equals(code) || "00C9008E".equals(code);
        }

        /**
         * Reads {@code SQLERRMC=2,} (JCC's default message) or {@code Reason code "68"} (the server's
         * message text).
         */
        static String of(String message) {
            if (message == null) {
                return null;
            }
            int at = message.indexOf("SQLERRMC=");
            if (at >= 0) {
                return token(message, at + "SQLERRMC=".length());
            }
            at = indexOfIgnoreCase(message, "reason code");
            if (at >= 0) {
                int start = at + "reason code".length();
                while (start < message.length()
                        && (message.charAt(start) == ' ' || message.charAt(start) == '"'
                                || message.charAt(start) == ':')) {
                    start++;
                }
                return token(message, start);
            }
            return null;
        }

        private static int indexOfIgnoreCase(String text, String word) {
            for (int i = 0; i + word.length() <= text.length(); i++) {
                if (text.regionMatches(true, i, word, 0, word.length())) {
                    return i;
                }
            }
            return -1;
        }

        private static String token(String message, int start) {
            int end = start;
            while (end < message.length() && Character.isLetterOrDigit(message.charAt(end)) && end - start < 16) {
                end++;
            }
            return end > start ? message.substring(start, end).toUpperCase(Locale.ROOT) : null;
        }
    }

    /** One vendor's rows, indexed by key. */
    private static final class VendorTable {

        private final Map<Integer, List<VendorRule>> byCode = new HashMap<>();
        private final Map<String, List<VendorRule>> byState = new HashMap<>();

        VendorTable(List<VendorRule> rules) {
            for (VendorRule rule : rules) {
                if (rule.matchOn() == MatchOn.VENDOR_CODE) {
                    byCode.computeIfAbsent(rule.vendorCode(), c -> new ArrayList<>()).add(rule);
                } else {
                    byState.computeIfAbsent(rule.sqlState(), s -> new ArrayList<>()).add(rule);
                }
            }
        }

        VendorRule find(SQLException exception, DatabaseVendor vendor) {
            int code = exception.getErrorCode();
            if (vendor == DatabaseVendor.SQLITE && code > 0xFF) {
                // an extended result code (e.g. 2067 SQLITE_CONSTRAINT_UNIQUE) carries the primary code in
                // its low byte
                code &= 0xFF;
            }
            VendorRule rule = first(byCode.get(code), exception);
            if (rule == null) {
                String state = exception.getSQLState();
                rule = state == null ? null : first(byState.get(state), exception);
            }
            return rule;
        }

        private static VendorRule first(List<VendorRule> candidates, SQLException exception) {
            if (candidates != null) {
                for (VendorRule rule : candidates) {
                    if (rule.applies(exception)) {
                        return rule;
                    }
                }
            }
            return null;
        }
    }

    /** Writes the rows of one vendor; the id is {@code systemName:key[-qualifier]}. */
    private static final class TableBuilder {

        private static final Predicate<SQLException> ALWAYS = e -> true;

        final DatabaseVendor vendor;
        final List<VendorRule> rules = new ArrayList<>();
        private final Set<String> unconditionalKeys = new HashSet<>();

        TableBuilder(DatabaseVendor vendor) {
            this.vendor = vendor;
        }

        TableBuilder code(int code, SqlFailureCategory category, RollbackScope scope) {
            return add(MatchOn.VENDOR_CODE, null, code, null, ALWAYS, "", category, scope, null);
        }

        TableBuilder code(int code, SqlFailureCategory category, RollbackScope scope, String qualifier) {
            return add(MatchOn.VENDOR_CODE, null, code, null, ALWAYS, "", category, scope, qualifier);
        }

        TableBuilder codeInStateClass(int code, String stateClass, SqlFailureCategory category,
                RollbackScope scope, String qualifier) {
            return add(MatchOn.VENDOR_CODE, null, code, stateClass, ALWAYS, "SQLState class " + stateClass,
                    category, scope, qualifier);
        }

        TableBuilder codeWhen(int code, Predicate<SQLException> condition, String conditionText,
                SqlFailureCategory category, RollbackScope scope, String qualifier) {
            return add(MatchOn.VENDOR_CODE, null, code, null, condition, conditionText, category, scope,
                    qualifier);
        }

        TableBuilder state(String state, SqlFailureCategory category, RollbackScope scope) {
            return add(MatchOn.SQL_STATE, state, 0, null, ALWAYS, "", category, scope, null);
        }

        TableBuilder state(String state, SqlFailureCategory category, RollbackScope scope, String qualifier) {
            return add(MatchOn.SQL_STATE, state, 0, null, ALWAYS, "", category, scope, qualifier);
        }

        private TableBuilder add(MatchOn matchOn, String state, int code, String stateClass,
                Predicate<SQLException> condition, String conditionText, SqlFailureCategory category,
                RollbackScope scope, String qualifier) {
            String key = matchOn == MatchOn.SQL_STATE ? state : Integer.toString(code);
            if (unconditionalKeys.contains(key)) {
                // a row after an unconditional one with the same key could never match
                throw new IllegalStateException(vendor + " has an unreachable row for " + key);
            }
            if (stateClass == null && condition == ALWAYS) {
                unconditionalKeys.add(key);
            }
            String id = vendor.systemName() + ":" + key + (qualifier == null ? "" : "-" + qualifier);
            rules.add(new VendorRule(id, vendor, matchOn, state, code, stateClass, condition, conditionText,
                    category, scope));
            return this;
        }
    }
}
