package io.incidentsdk.jdbc.differential;

import io.incidentsdk.jdbc.testing.Database;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbc.JdbcSQLTimeoutException;
import org.h2.jdbc.JdbcSQLTransactionRollbackException;
import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * A test-only layer between the driver and whatever uses it (the application directly, or the watch): it
 * counts the steps of the owner thread (statement executions, commits, rollbacks, savepoint calls, auto-commit
 * switches), makes the {@link Fault}s of the armed plan happen at their steps, and remembers every
 * {@link SQLException} that left it, so a test can tell the driver's exceptions from anyone else's.
 *
 * <p>An injected failure is thrown before the driver is called, so the statement had no effect, and the
 * transaction is first brought into the state the database leaves it in after such a failure (measured in
 * {@code shared/reference/databases.md}): PostgreSQL aborts it (a real failing statement is run, so the
 * server refuses everything until a rollback or a rollback to a savepoint), MariaDB and H2 roll the whole
 * transaction back on a deadlock, and a lock timeout undoes only the statement on MariaDB and H2. A lost
 * connection is real: the session is ended through a second connection, and the driver itself fails.
 *
 * <p>Physical connections are reused: a closed connection that is still healthy is rolled back, put back into
 * auto-commit mode and handed out again, as a pool would (a broken one is really closed).
 */
final class FaultInjectingDataSource implements DataSource {

    private final DataSource raw;
    private final Database database;
    private final Set<Throwable> thrown = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Deque<Physical> idle = new ArrayDeque<>();
    /** Connections opened ahead on a helper thread: a new session costs some 25 ms on PostgreSQL (SCRAM). */
    private final java.util.concurrent.BlockingQueue<Physical> spares = new java.util.concurrent.LinkedBlockingQueue<>();
    private final java.util.concurrent.ExecutorService opener = java.util.concurrent.Executors.newSingleThreadExecutor(
            task -> {
                Thread thread = new Thread(task, "fault-injecting-opener");
                thread.setDaemon(true);
                return thread;
            });
    private final java.util.concurrent.atomic.AtomicInteger sparesWanted = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Thread owner;
    private volatile List<Fault> faults = List.of();
    private int step;
    private final List<String> stepLog = new java.util.ArrayList<>();
    private Connection admin;
    private Connection tombstone;

    FaultInjectingDataSource(DataSource raw, Database database) {
        this.raw = raw;
        this.database = database;
    }

    /** Starts a run: the owner thread's steps count from 0 and these faults will happen. */
    synchronized void arm(List<Fault> plan) {
        this.faults = List.copyOf(plan);
        this.owner = Thread.currentThread();
        this.step = 0;
        stepLog.clear();
        synchronized (thrown) {
            thrown.clear();
        }
    }

    /** Ends a run: no further faults. */
    void disarm() {
        this.faults = List.of();
        this.owner = null;
    }

    /** Whether this exception left this layer (the driver's own, or one injected in its name). */
    boolean threwBelow(Throwable e) {
        synchronized (thrown) {
            return thrown.contains(e);
        }
    }

    synchronized int steps() {
        return step;
    }

    /** The counted steps of the last run: number, call and SQL, for failure reports. */
    synchronized List<String> stepLog() {
        return List.copyOf(stepLog);
    }

    /** Closes every parked connection and the admin connection. */
    synchronized void closeAll() {
        opener.shutdownNow();
        try {
            opener.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Physical p;
        while ((p = idle.poll()) != null) {
            quietly(p.connection::close);
        }
        while ((p = spares.poll()) != null) {
            quietly(p.connection::close);
        }
        if (admin != null) {
            quietly(admin::close);
            admin = null;
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        Physical physical;
        synchronized (this) {
            physical = idle.poll();
        }
        if (physical == null) {
            physical = spares.poll();
            if (physical == null) {
                physical = open();
            }
            openSpare();
        }
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                new ConnectionHandler(physical));
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("one account only");
    }

    /** Opens one connection ahead, on the helper thread, unless two are waiting or being opened already. */
    private void openSpare() {
        if (database == Database.H2 || opener.isShutdown() || spares.size() + sparesWanted.get() >= 2) {
            return;
        }
        sparesWanted.incrementAndGet();
        try {
            opener.execute(() -> {
                try {
                    spares.add(open());
                } catch (SQLException | RuntimeException e) {
                    // the owner opens its own when none is ready
                } finally {
                    sparesWanted.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            sparesWanted.decrementAndGet();
        }
    }

    private Physical open() throws SQLException {
        Connection connection = raw.getConnection();
        long id;
        try (Statement s = connection.createStatement()) {
            switch (database) {
                case POSTGRESQL -> {
                    // short: only the other session of a case holds locks, and waiting for it is what a case wants to time out
                    s.execute("SET lock_timeout = '20ms'");
                    id = connection.unwrap(PGConnection.class).getBackendPID();
                }
                case MARIADB -> {
                    s.execute("SET SESSION innodb_lock_wait_timeout = 5");
                    id = readLong(s, "SELECT CONNECTION_ID()");
                }
                default -> {
                    s.execute("SET LOCK_TIMEOUT 5000");
                    id = readLong(s, "SELECT SESSION_ID()");
                }
            }
        }
        return new Physical(connection, id, connection.getTransactionIsolation());
    }

    private static long readLong(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Parks a healthy connection for reuse, closes a broken one. */
    private void release(Physical physical) {
        try {
            if (physical.connection.isClosed()) {
                return;
            }
            if (!physical.connection.getAutoCommit()) {
                physical.connection.rollback();
            } else if (database != Database.H2) {
                try (Statement s = physical.connection.createStatement()) {
                    s.execute("ROLLBACK"); // a transaction begun with SQL
                }
            }
            physical.connection.setAutoCommit(true);
            physical.connection.setTransactionIsolation(physical.isolation);
            synchronized (this) {
                idle.push(physical);
            }
        } catch (SQLException | RuntimeException e) {
            quietly(physical.connection::close);
        }
    }

    /**
     * A connection of this driver that is really closed: calls on a connection the application closed go to it,
     * so they fail with the driver's own exception (the physical connection behind it is reused meanwhile).
     */
    private synchronized Connection tombstone() throws SQLException {
        if (tombstone == null) {
            tombstone = raw.getConnection();
            tombstone.close();
        }
        return tombstone;
    }

    private synchronized Connection admin() throws SQLException {
        if (admin == null || admin.isClosed()) {
            admin = raw.getConnection();
        }
        return admin;
    }

    /** Ends the session for real and waits until the server no longer lists it. */
    private void kill(Physical physical) throws SQLException {
        Connection a = admin();
        synchronized (this) {
            try (Statement s = a.createStatement()) {
                switch (database) {
                    case POSTGRESQL -> s.execute("SELECT pg_terminate_backend(" + physical.id + ")");
                    case MARIADB -> s.execute("KILL CONNECTION " + physical.id);
                    default -> s.execute("SELECT ABORT_SESSION(" + physical.id + ")");
                }
                String count = switch (database) {
                    case POSTGRESQL -> "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = " + physical.id;
                    case MARIADB -> "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + physical.id;
                    default -> "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = " + physical.id;
                };
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (readLong(s, count) > 0) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("session " + physical.id + " on " + database + " did not end");
                    }
                    Thread.onSpinWait();
                }
            }
        }
    }

    /** Makes the fault happen: returns the exception to throw instead of calling the driver, or null. */
    private SQLException inject(Fault fault, Physical physical, boolean execution, boolean commit, String sql)
            throws SQLException {
        if (fault.kind() == Fault.Kind.LOST_ANSWER) {
            return null; // handled after the driver call
        }
        if (fault.kind() == Fault.Kind.CONNECTION_LOSS) {
            kill(physical);
            return null; // the driver call itself fails, for real
        }
        Connection c = physical.connection;
        if (!execution) {
            if (commit && fault.kind() == Fault.Kind.SERIALIZATION && database == Database.POSTGRESQL
                    && !c.getAutoCommit()) {
                // SSI refuses the commit: the transaction is over, rolled back
                c.rollback();
                return pg("40001", "could not serialize access due to read/write dependencies among transactions");
            }
            return null;
        }
        switch (database) {
            case POSTGRESQL -> {
                // any error aborts the transaction until rollback or rollback to a savepoint
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1 / 0");
                } catch (SQLException expected) {
                    // the transaction (if any) is aborted now, as after the real failure
                }
                return switch (fault.kind()) {
                    case DEADLOCK -> pg("40P01", "deadlock detected");
                    case SERIALIZATION -> pg("40001", "could not serialize access due to concurrent update");
                    default -> pg("55P03", "canceling statement due to lock timeout");
                };
            }
            case MARIADB -> {
                if (fault.kind() == Fault.Kind.LOCK_TIMEOUT) {
                    // innodb_rollback_on_timeout=OFF: only the statement is undone
                    return new SQLException("(conn=" + physical.id
                            + ") Lock wait timeout exceeded; try restarting transaction", "HY000", 1205);
                }
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK"); // InnoDB rolls the whole transaction back
                }
                return new SQLTransactionRollbackException("(conn=" + physical.id
                        + ") Deadlock found when trying to get lock; try restarting transaction", "40001", 1213);
            }
            default -> {
                if (fault.kind() == Fault.Kind.LOCK_TIMEOUT) {
                    return new JdbcSQLTimeoutException("Timeout trying to lock table \"T\"; SQL statement:\n" + sql
                            + " [50200-252]", null, "HYT00", 50200, null, null);
                }
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK");
                }
                return new JdbcSQLTransactionRollbackException("Deadlock detected. The current transaction was rolled "
                        + "back. Details: \"T\"; SQL statement:\n" + sql + " [40001-252]", null, "40001", 40001, null,
                        null);
            }
        }
    }

    private static PSQLException pg(String sqlState, String message) {
        return new PSQLException(new ServerErrorMessage("SERROR\0VERROR\0C" + sqlState + "\0M" + message + "\0"));
    }

    /** Counts a step of the owner thread and makes its fault happen; returns an exception to throw instead. */
    private SQLException step(Physical physical, String call, boolean execution, boolean commit, String sql)
            throws SQLException {
        if (Thread.currentThread() != owner) {
            return null;
        }
        int current;
        synchronized (this) {
            current = step++;
            if (stepLog.size() < 200) {
                stepLog.add(current + ":" + call + (sql == null ? "" : "(" + sql.replaceAll("_[a-z0-9]+_[0-9]+", "") + ")"));
            }
        }
        for (Fault fault : faults) {
            if (fault.step() == current && physical != null) {
                try {
                    return inject(fault, physical, execution, commit, sql);
                } catch (SQLException e) {
                    // modelling the failure met the driver's own failure (a dead connection): that is what happens
                    remember(e);
                    throw e;
                }
            }
        }
        return null;
    }

    /** For a {@link Fault.Kind#LOST_ANSWER} at the step just run: the connection failure the driver reports. */
    private SQLException lostAnswer(String call) {
        if (Thread.currentThread() != owner || !call.startsWith("execute")) {
            return null;
        }
        int current;
        synchronized (this) {
            current = step - 1;
        }
        for (Fault fault : faults) {
            if (fault.step() == current && fault.kind() == Fault.Kind.LOST_ANSWER) {
                return switch (database) {
                    case POSTGRESQL -> new PSQLException("An I/O error occurred while sending to the backend.",
                            org.postgresql.util.PSQLState.CONNECTION_FAILURE);
                    case MARIADB -> new java.sql.SQLNonTransientConnectionException("(conn=0) Socket error", "08000",
                            -1);
                    case H2 -> new org.h2.jdbc.JdbcSQLNonTransientConnectionException(
                            "Connection is broken: \"session closed\" [90067-252]", null, "90067", 90067, null, null);
                };
            }
        }
        return null;
    }

    private Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            synchronized (thrown) {
                thrown.add(cause);
            }
            throw cause;
        }
    }

    private void remember(SQLException e) {
        synchronized (thrown) {
            thrown.add(e);
        }
    }

    private static void quietly(Action action) {
        try {
            action.run();
        } catch (Exception e) {
            // cleaning up after a broken connection
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    /** A physical connection and the server's id of its session. */
    private record Physical(Connection connection, long id, int isolation) {
    }

    private final class ConnectionHandler implements InvocationHandler {
        private final Physical physical;
        private boolean closed;

        ConnectionHandler(Physical physical) {
            this.physical = physical;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            switch (name) {
                case "close" -> {
                    if (!closed) {
                        closed = true;
                        release(physical);
                    }
                    return null;
                }
                case "isClosed" -> {
                    return closed || physical.connection.isClosed();
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "FaultInjecting[" + physical.connection + "]";
                }
                case "commit", "rollback", "setSavepoint", "releaseSavepoint", "setAutoCommit" -> {
                    if (closed) {
                        step(null, name, false, false, null);
                        return call(tombstone(), method, args);
                    }
                    SQLException injected = step(physical, name, false, name.equals("commit"), null);
                    if (injected != null) {
                        remember(injected);
                        throw injected;
                    }
                }
                default -> {
                    if (closed) {
                        return call(tombstone(), method, args);
                    }
                }
            }
            Object result = call(physical.connection, method, args);
            if (result instanceof CallableStatement s) {
                return statement(CallableStatement.class, s, (Connection) proxy, (String) args[0]);
            }
            if (result instanceof PreparedStatement s) {
                return statement(PreparedStatement.class, s, (Connection) proxy, (String) args[0]);
            }
            if (result instanceof Statement s) {
                return statement(Statement.class, s, (Connection) proxy, null);
            }
            return result;
        }

        private Object statement(Class<? extends Statement> type, Statement target, Connection connection,
                                 String sql) {
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                    new StatementHandler(physical, target, connection, sql));
        }
    }

    private final class StatementHandler implements InvocationHandler {
        private final Physical physical;
        private final Statement target;
        private final Connection connection;
        private final String sql;

        StatementHandler(Physical physical, Statement target, Connection connection, String sql) {
            this.physical = physical;
            this.target = target;
            this.connection = connection;
            this.sql = sql;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            switch (name) {
                case "getConnection" -> {
                    return connection;
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "FaultInjecting[" + target + "]";
                }
                case "execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "executeBatch",
                     "executeLargeBatch" -> {
                    String text = args != null && args.length > 0 && args[0] instanceof String s ? s : sql;
                    SQLException injected = step(physical, name, true, false, text);
                    if (injected != null) {
                        remember(injected);
                        throw injected;
                    }
                }
                default -> {
                    // passes through
                }
            }
            Object result = call(target, method, args);
            SQLException lost = lostAnswer(name);
            if (lost != null) {
                remember(lost);
                throw lost;
            }
            if (result instanceof ResultSet rs) {
                ResultSetHandler handler = new ResultSetHandler(rs, (Statement) proxy);
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ResultSet.class}, handler);
            }
            return result;
        }
    }

    private final class ResultSetHandler implements InvocationHandler {
        private final ResultSet target;
        private final Statement statement;

        ResultSetHandler(ResultSet target, Statement statement) {
            this.target = target;
            this.statement = statement;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            return switch (method.getName()) {
                case "getStatement" -> statement;
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> call(target, method, args);
            };
        }
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // not used
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // not used
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no logger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return raw.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || raw.isWrapperFor(iface);
    }
}
