package io.incidentsdk.jdbc.differential;

import io.incidentsdk.jdbc.TransactionRunner;
import io.incidentsdk.jdbc.testing.Database;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Runs a {@link DifferentialCase} on a data source and writes down what the application saw (each
 * operation's result or exception: class, SQLState, vendor code, message) and what was committed.
 *
 * <p>The <em>reference</em> run is the raw driver plus the documented rules, applied by this class the way
 * the issue states them: R1 (after a deadlock or serialization failure in an explicit transaction, a commit or
 * a switch to auto-commit rolls back and is refused, unless a PostgreSQL rollback to a savepoint set before the
 * failure cleared it), R2 (in {@link Rules#RERUN}: the application runs a single auto-commit statement again
 * while it fails with a deadlock or serialization failure, three attempts in all) and R3 (a unit that calls
 * commit, rollback, auto-commit on or close on the runner's connection fails). The watched run applies no rule
 * itself: it must match the reference, and every exception it saw must be the very object the layer under the
 * watch threw, except the refusals of R1 and R3.
 */
final class OperationRunner {

    /** Which rules the reference applies. */
    enum Rules {
        /** R1 only: the watch runs with the auto-commit re-run off. */
        STRICT,
        /** R1 and R2: the watch runs with the auto-commit re-run on. */
        RERUN
    }

    /**
     * What a run showed.
     *
     * @param trace      one line per operation: its result or exception
     * @param rows       the committed rows afterwards
     * @param violations exceptions that were not the driver's objects
     */
    record Outcome(List<String> trace, String rows, List<String> violations, List<String> steps) {
    }

    static final String REFUSED = "REFUSED by rule R1";
    static final String GUARD = "REFUSED by rule R3 (the runner's connection)";
    private static final Pattern CONN_ID = Pattern.compile("conn=\\d+");
    private static final Pattern PROCESS_ID = Pattern.compile("(?i)(process|transaction) \\d+");
    /** Where PostgreSQL found the row: a physical place that moves with every update, in any run. */
    private static final Pattern TUPLE = Pattern.compile("tuple \\(\\d+,\\d+\\)");
    private static final int RERUN_ATTEMPTS = 3;

    private final Database database;
    private final FaultInjectingDataSource injector;
    private final DataSource raw;
    private final String table;
    private Connection admin;
    private Connection other;
    private Connection locker;

    OperationRunner(Database database, FaultInjectingDataSource injector, DataSource raw, String table) {
        this.database = database;
        this.injector = injector;
        this.raw = raw;
        this.table = table;
    }

    void createTable() throws SQLException {
        try (Statement s = admin().createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT NOT NULL)"
                    + (database == Database.MARIADB ? " ENGINE=InnoDB" : ""));
        }
    }

    void dropTable() {
        try (Statement s = admin().createStatement()) {
            s.execute("DROP TABLE " + table);
        } catch (SQLException e) {
            // the table is unique to this run; a leftover harms nobody
        }
        close(admin);
        close(other);
        close(locker);
        injector.closeAll();
    }

    private Connection admin() throws SQLException {
        if (admin == null || admin.isClosed()) {
            admin = raw.getConnection();
        }
        return admin;
    }

    private Connection other() throws SQLException {
        if (other == null || other.isClosed()) {
            other = raw.getConnection();
            try (Statement s = other.createStatement()) {
                if (database == Database.H2) {
                    s.execute("SET LOCK_TIMEOUT 20");
                }
            }
        }
        return other;
    }

    private Connection locker() throws SQLException {
        if (locker == null || locker.isClosed()) {
            locker = raw.getConnection();
            if (database == Database.H2) {
                // it must never wait for the application's own locks: the same thread waits for it
                try (Statement s = locker.createStatement()) {
                    s.execute("SET LOCK_TIMEOUT 20");
                }
            }
            locker.setAutoCommit(false);
        }
        return locker;
    }

    /** Ends the other session's lock (a rollback), so the next run starts without it. */
    private void unlock() {
        if (locker != null) {
            try {
                locker.rollback();
            } catch (SQLException e) {
                close(locker);
                locker = null;
            }
        }
    }

    private void reset() throws SQLException {
        try (Statement s = admin().createStatement()) {
            s.execute("DELETE FROM " + table);
            s.execute("INSERT INTO " + table + " (id, v) VALUES (1, 0), (2, 0), (3, 0), (4, 0)");
        }
    }

    String rows() throws SQLException {
        StringBuilder rows = new StringBuilder();
        try (Statement s = admin().createStatement();
             ResultSet rs = s.executeQuery("SELECT id, v FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                rows.append(rs.getInt(1)).append('=').append(rs.getInt(2)).append(' ');
            }
        }
        return rows.toString().trim();
    }

    /** The state of one connection as the application sees it, and the reference's rule bookkeeping. */
    private static final class State {
        Connection connection;
        boolean autoCommit = true;
        boolean sqlTransaction;
        /**
         * SQL-level BEGIN / START TRANSACTION ran on this connection in auto-commit mode: the documented rule
         * (README, safe retry rule 4) is that the watch never re-runs a statement on such a connection again,
         * for the rest of its life, since the driver's auto-commit flag no longer says what the server does.
         */
        boolean sqlTransactionControlSeen;
        boolean doomed;
        long doomSeq;
        long seq;
        final Map<Integer, Savepoint> savepoints = new HashMap<>();
        final Map<Integer, Long> savepointSeq = new HashMap<>();

        void endTransaction() {
            doomed = false;
            sqlTransaction = false;
        }
    }

    // ------------------------------------------------------------------ connection cases

    Outcome run(DifferentialCase c, DataSource dataSource, boolean reference, Rules rules) throws SQLException {
        reset();
        List<String> trace = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        injector.arm(c.faults());
        State st = new State();
        try {
            st.connection = dataSource.getConnection();
            for (int i = 0; i < c.ops().size(); i++) {
                Op op = c.ops().get(i);
                String out;
                try {
                    out = apply(op, st, dataSource, reference, rules);
                } catch (SQLException e) {
                    out = failed(op, e, st, reference, violations, i);
                } catch (RuntimeException e) {
                    out = "RuntimeException " + e;
                }
                trace.add(String.format("%2d %s -> %s", i, op, out));
                if (st.connection == null) {
                    break;
                }
            }
        } finally {
            if (st.connection != null) {
                try {
                    st.connection.close();
                } catch (SQLException e) {
                    trace.add("   final close() -> " + signature(e));
                }
            }
            injector.disarm();
            unlock();
        }
        return new Outcome(trace, rows(), violations, injector.stepLog());
    }

    private String failed(Op op, SQLException e, State st, boolean reference, List<String> violations, int index) {
        String out;
        if (isRefusal(e)) {
            out = REFUSED;
        } else if (isGuard(e)) {
            out = GUARD;
        } else {
            out = signature(e);
            if (!reference && op.type() != Op.Type.OTHER_SESSION_UPDATE && op.type() != Op.Type.OTHER_SESSION_LOCK
                    && !injector.threwBelow(e)) {
                violations.add("operation " + index + " (" + op + ") threw " + e.getClass().getName() + " "
                        + e.getSQLState() + " '" + e.getMessage() + "', not an exception object the driver threw");
            }
        }
        switch (op.type()) {
            case COMMIT, ROLLBACK -> st.endTransaction();
            case SQL_COMMIT -> st.sqlTransaction = false;
            case AUTOCOMMIT_ON -> {
                if (isRefusal(e)) {
                    st.autoCommit = true;
                    st.endTransaction();
                    out += " (then getAutoCommit() = " + autoCommitOf(st.connection) + ")";
                }
            }
            default -> {
                // nothing more
            }
        }
        return out;
    }

    private static String autoCommitOf(Connection connection) {
        try {
            return String.valueOf(connection.getAutoCommit());
        } catch (SQLException e) {
            return "unknown (" + e.getSQLState() + ")";
        }
    }

    private String apply(Op op, State st, DataSource dataSource, boolean reference, Rules rules) throws SQLException {
        Connection c = st.connection;
        switch (op.type()) {
            case AUTOCOMMIT_ON -> {
                if (reference && st.doomed && !st.autoCommit) {
                    rollbackQuietly(c);
                    c.setAutoCommit(true);
                    st.autoCommit = true;
                    st.endTransaction();
                    return REFUSED + " (then getAutoCommit() = " + autoCommitOf(c) + ")";
                }
                c.setAutoCommit(true);
                if (!st.autoCommit) {
                    st.endTransaction();
                }
                st.autoCommit = true;
                return "ok";
            }
            case AUTOCOMMIT_OFF -> {
                c.setAutoCommit(false);
                st.autoCommit = false;
                return "ok";
            }
            case REPEATABLE_READ -> {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                return "ok";
            }
            case SAVEPOINT -> {
                Savepoint sp = c.setSavepoint("sp" + op.key());
                st.savepoints.put(op.key(), sp);
                st.savepointSeq.put(op.key(), ++st.seq);
                return "ok";
            }
            case ROLLBACK_TO -> {
                Savepoint sp = st.savepoints.get(op.key());
                if (sp == null) {
                    return "skipped: no such savepoint";
                }
                c.rollback(sp);
                if (reference && st.doomed && database == Database.POSTGRESQL
                        && st.savepointSeq.get(op.key()) < st.doomSeq) {
                    st.doomed = false;
                }
                return "ok";
            }
            case RELEASE -> {
                Savepoint sp = st.savepoints.get(op.key());
                if (sp == null) {
                    return "skipped: no such savepoint";
                }
                c.releaseSavepoint(sp);
                return "ok";
            }
            case COMMIT -> {
                if (reference && st.doomed) {
                    rollbackQuietly(c);
                    st.endTransaction();
                    return REFUSED;
                }
                c.commit();
                st.endTransaction();
                return "ok";
            }
            case ROLLBACK -> {
                c.rollback();
                st.endTransaction();
                return "ok";
            }
            case CLOSE_REOPEN -> {
                try {
                    c.close();
                } finally {
                    st.connection = null;
                    st.autoCommit = true;
                    st.endTransaction();
                    st.sqlTransactionControlSeen = false;
                    st.connection = dataSource.getConnection();
                }
                return "ok";
            }
            case OTHER_SESSION_UPDATE -> {
                return otherSessionUpdate(op.key());
            }
            case OTHER_SESSION_LOCK -> {
                String lock = database == Database.POSTGRESQL
                        ? "UPDATE " + table + " SET v = v WHERE id = (SELECT id FROM " + table + " WHERE id = "
                            + op.key() + " FOR UPDATE NOWAIT)"
                        : "UPDATE " + table + " SET v = v WHERE id = " + op.key();
                try (Statement s = locker().createStatement()) {
                    return "other session locked " + s.executeUpdate(lock) + " row(s)";
                } catch (SQLException e) {
                    locker.rollback();
                    return "other session could not lock: " + e.getSQLState();
                }
            }
            case SQL_BEGIN -> {
                // the watch notes the statement when it starts, so even a BEGIN that failed counts
                st.sqlTransactionControlSeen |= st.autoCommit;
                execute(c, database == Database.MARIADB ? "START TRANSACTION" : "BEGIN");
                if (st.autoCommit) {
                    st.sqlTransaction = true;
                }
                return "ok";
            }
            case SQL_COMMIT -> {
                st.sqlTransaction = false;
                execute(c, "COMMIT");
                return "ok";
            }
            case RUNNER_CALL -> throw new IllegalStateException("only in units");
            default -> {
                return statementWithRules(op, st, reference, rules);
            }
        }
    }

    private String statementWithRules(Op op, State st, boolean reference, Rules rules) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return statement(op, st.connection);
            } catch (SQLException e) {
                boolean rerun = reference && rules == Rules.RERUN && st.autoCommit && !st.sqlTransaction
                        && !st.sqlTransactionControlSeen
                        && op.singleStatement() && dooms(e) && attempt < RERUN_ATTEMPTS;
                if (!rerun) {
                    if (reference && !st.autoCommit && dooms(e) && !st.doomed) {
                        st.doomed = true;
                        st.doomSeq = ++st.seq;
                    }
                    throw e;
                }
            }
        }
    }

    private String otherSessionUpdate(int key) {
        String sql = database == Database.POSTGRESQL
                ? "UPDATE " + table + " SET v = v + 100 WHERE id = (SELECT id FROM " + table + " WHERE id = " + key
                    + " FOR UPDATE NOWAIT)"
                : "UPDATE " + table + " SET v = v + 100 WHERE id = " + key;
        try (Statement s = other().createStatement()) {
            return "other session updated " + s.executeUpdate(sql);
        } catch (SQLException e) {
            return "other session failed: " + e.getSQLState();
        }
    }

    private String statement(Op op, Connection c) throws SQLException {
        String t = table;
        return switch (op.type()) {
            case INSERT -> "updated " + update(c, op.prepared(), "INSERT INTO " + t + " (id, v) VALUES (?, 1)",
                    op.key());
            case UPDATE -> "updated " + update(c, op.prepared(), "UPDATE " + t + " SET v = v + " + op.n()
                    + " WHERE id = ?", op.key());
            case DELETE -> "updated " + update(c, op.prepared(), "DELETE FROM " + t + " WHERE id = ?", op.key());
            case SELECT_SUM -> query(c, op.prepared(), "SELECT COUNT(*), COALESCE(SUM(v), 0) FROM " + t, -1);
            case SELECT_ROW -> query(c, op.prepared(), "SELECT v, 0 FROM " + t + " WHERE id = ?", op.key());
            case BATCH_INSERT -> {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO " + t + " (id, v) VALUES (?, 1)")) {
                    for (int i = 0; i < op.n(); i++) {
                        s.setInt(1, op.key() + i);
                        s.addBatch();
                    }
                    yield "batch " + Arrays.toString(s.executeBatch());
                }
            }
            default -> throw new IllegalStateException("not a statement: " + op);
        };
    }

    private static int update(Connection c, boolean prepared, String sql, int key) throws SQLException {
        if (prepared) {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setInt(1, key);
                return s.executeUpdate();
            }
        }
        try (Statement s = c.createStatement()) {
            return s.executeUpdate(sql.replace("?", Integer.toString(key)));
        }
    }

    private static String query(Connection c, boolean prepared, String sql, int key) throws SQLException {
        if (prepared) {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                if (key >= 0) {
                    s.setInt(1, key);
                }
                try (ResultSet rs = s.executeQuery()) {
                    return read(rs);
                }
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(key >= 0 ? sql.replace("?", Integer.toString(key)) : sql)) {
            return read(rs);
        }
    }

    private static String read(ResultSet rs) throws SQLException {
        return rs.next() ? "read " + rs.getLong(1) + "/" + rs.getLong(2) : "read nothing";
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    // ------------------------------------------------------------------ runner units

    /**
     * Runs a unit through a runner. Inside the unit, a duplicate key after a savepoint is handled the usual way
     * (rollback to the savepoint, go on); every other failure leaves the unit.
     */
    Outcome runUnit(DifferentialCase c, TransactionRunner runner, boolean reference) throws SQLException {
        reset();
        List<String> trace = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        int[] attempts = {0};
        injector.arm(c.faults());
        String result;
        try {
            runner.run(connection -> {
                attempts[0]++;
                trace.clear();
                State st = new State();
                st.connection = connection;
                st.autoCommit = false;
                Savepoint latest = null;
                for (int i = 0; i < c.ops().size(); i++) {
                    Op op = c.ops().get(i);
                    if (op.type() == Op.Type.RUNNER_CALL) {
                        trace.add(String.format("%2d %s", i, op));
                        if (reference) {
                            throw new SQLException("Incident SDK: reference for rule R3: the connection belongs to "
                                    + "the TransactionRunner");
                        }
                        switch (op.key()) {
                            case 0 -> connection.commit();
                            case 1 -> connection.rollback();
                            case 2 -> connection.setAutoCommit(true);
                            default -> connection.close();
                        }
                        continue;
                    }
                    try {
                        String out = op.type() == Op.Type.SAVEPOINT || op.type() == Op.Type.ROLLBACK_TO
                                ? apply(op, st, null, false, Rules.STRICT) : statement(op, connection);
                        if (op.type() == Op.Type.SAVEPOINT) {
                            latest = st.savepoints.get(op.key());
                        }
                        trace.add(String.format("%2d %s -> %s", i, op, out));
                    } catch (SQLException e) {
                        trace.add(String.format("%2d %s -> %s", i, op, signature(e)));
                        if (latest != null && isDuplicateKey(e)) {
                            connection.rollback(latest);
                            trace.add("    handled: rollback(latest savepoint)");
                            continue;
                        }
                        throw e;
                    }
                }
            });
            result = "unit succeeded";
        } catch (SQLException e) {
            if (isGuard(e)) {
                result = GUARD;
            } else {
                result = "unit failed: " + signature(e);
                if (!reference && !injector.threwBelow(e)) {
                    violations.add("the runner threw " + e.getClass().getName() + " " + e.getSQLState() + " '"
                            + e.getMessage() + "', not an exception object the driver threw");
                }
            }
        } catch (RuntimeException e) {
            result = "unit threw " + e;
        } finally {
            injector.disarm();
        }
        trace.add("=> " + result + " after " + attempts[0] + " attempt(s)");
        return new Outcome(trace, rows(), violations, injector.stepLog());
    }

    // ------------------------------------------------------------------ rules and signatures

    /** A deadlock or serialization failure, as rule R1 names them per database. */
    boolean dooms(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            int code = x.getErrorCode();
            boolean hit = switch (database) {
                case POSTGRESQL -> "40P01".equals(state) || "40001".equals(state);
                case MARIADB -> code == 1213 || "40001".equals(state);
                case H2 -> "40001".equals(state) || code == 40001;
            };
            if (hit) {
                return true;
            }
            if (x.getNextException() == x) {
                break;
            }
        }
        return false;
    }

    private static boolean isDuplicateKey(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if ("23505".equals(x.getSQLState()) || x.getErrorCode() == 1062 || "23000".equals(x.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static boolean isRefusal(Throwable e) {
        return e.getClass() == SQLTransactionRollbackException.class
                && "40000".equals(((SQLException) e).getSQLState())
                && e.getMessage() != null && e.getMessage().startsWith("Incident SDK refused to commit");
    }

    static boolean isGuard(Throwable e) {
        return e instanceof SQLException && e.getMessage() != null && e.getMessage().startsWith("Incident SDK:")
                && e.getMessage().contains("TransactionRunner");
    }

    static String signature(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        message = PROCESS_ID.matcher(CONN_ID.matcher(message).replaceAll("conn=N")).replaceAll("$1 N");
        message = TUPLE.matcher(message).replaceAll("tuple (N,N)");
        String text = e.getClass().getName() + " " + e.getSQLState() + "/" + e.getErrorCode() + " '"
                + message.replace('\n', ' ') + "'";
        if (e instanceof BatchUpdateException b) {
            text += " counts=" + Arrays.toString(b.getUpdateCounts());
        }
        return text;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // as the watch does: the refusal is what the application gets
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // test clean-up
            }
        }
    }
}
