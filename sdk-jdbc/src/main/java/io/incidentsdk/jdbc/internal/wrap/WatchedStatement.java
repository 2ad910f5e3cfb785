package io.incidentsdk.jdbc.internal.wrap;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * A watched {@link Statement}. Every method of JDBC 4.3 delegates to the driver's statement; every
 * {@link SQLException} is reported to the observer and rethrown unchanged (the very object).
 *
 * <p>Each {@code execute*} call first records its SQL on the connection's {@link ConnectionState} (so it
 * is visible while it runs), then calls the driver, then reports one success; it allocates nothing but
 * the {@link WatchedResultSet} of a query. {@link #getConnection()} returns the watched connection; result
 * sets are watched and their {@code getStatement()} returns this wrapper. It extends
 * {@link StatementState}: the SQL is the one last passed to {@code execute*(String ..)} or
 * {@code addBatch(String)}.
 *
 * <p>Internal: not part of the public API.
 *
 * @since 0.1.0
 */
public class WatchedStatement extends StatementState implements Statement {

    final WatchedConnection connection;
    final Statement delegate;

    WatchedStatement(WatchedConnection connection, Statement delegate, String sql) {
        super(sql);
        this.connection = connection;
        this.delegate = delegate;
    }

    /** Watches a statement of unknown kind that the driver handed out (the statement of a result set). */
    static WatchedStatement watchAny(WatchedConnection connection, Statement statement) {
        if (statement instanceof CallableStatement) {
            return new WatchedCallableStatement(connection, (CallableStatement) statement, null);
        }
        if (statement instanceof PreparedStatement) {
            return new WatchedPreparedStatement(connection, (PreparedStatement) statement, null);
        }
        return new WatchedStatement(connection, statement, null);
    }

    /** Reports a failure of a call on this statement; returns it. */
    final <E extends SQLException> E failed(E error, JdbcOperation operation) {
        return connection.failed(error, this, operation);
    }

    /** A run of the statement, repeated when it failed. */
    @FunctionalInterface
    interface Execution<T> {
        T run() throws SQLException;
    }

    /**
     * Reports a failed execution and, for a single statement in auto-commit mode (never a batch, never a
     * stored-procedure call, never inside an explicit transaction), asks the observer whether to run it
     * again: a statement that failed with a deadlock or serialization failure in auto-commit mode had no
     * effect. Returns the result of a successful re-run, or throws the last failure, unchanged. Only the
     * failure path gets here.
     */
    final <T> T reexecute(SQLException first, JdbcOperation operation, Execution<T> again) throws SQLException {
        SQLException failure = failed(first, operation);
        if (!connection.autoCommit() || this instanceof CallableStatement) {
            throw failure;
        }
        String sql = sql();
        DataSourceContext context = connection.dataSource();
        for (int failures = 1; context.askRetryAutoCommit(failure, connection, this, failures); failures++) {
            connection.beginStatement(sql, this);
            try {
                T result = again.run();
                context.notifyAutoCommitRetrySucceeded(connection, this, failures + 1);
                return result;
            } catch (SQLException e) {
                failure = failed(e, operation);
            }
        }
        throw failure;
    }

    /**
     * Our wrapper of a result set of this statement: a new one each time (as the pools do; the driver's
     * result set is the same object behind them). Not kept here, so a statement wrapper stays three
     * references and a result set nobody keeps can be optimized away.
     */
    final WatchedResultSet watch(ResultSet resultSet) {
        return resultSet == null ? null : new WatchedResultSet(resultSet, connection, this);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + connection.id() + "] " + delegate;
    }

    // ---- java.sql.Statement ----

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        noteSql(sql);
        connection.beginStatement(sql, this);
        ResultSet result;
        try {
            result = delegate.executeQuery(sql);
        } catch (SQLException e) {
            result = reexecute(e, JdbcOperation.EXECUTE_QUERY, () -> delegate.executeQuery(sql));
        }
        connection.succeeded();
        return watch(result);
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        noteSql(sql);
        connection.beginStatement(sql, this);
        int result;
        try {
            result = delegate.executeUpdate(sql);
        } catch (SQLException e) {
            result = reexecute(e, JdbcOperation.EXECUTE_UPDATE, () -> delegate.executeUpdate(sql));
        }
        connection.succeeded();
        return result;
    }

    @Override
    public void close() throws SQLException {
        try {
            delegate.close();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.CLOSE);
        }
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        try {
            return delegate.getMaxFieldSize();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        try {
            delegate.setMaxFieldSize(max);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public int getMaxRows() throws SQLException {
        try {
            return delegate.getMaxRows();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        try {
            delegate.setMaxRows(max);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        try {
            delegate.setEscapeProcessing(enable);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        try {
            return delegate.getQueryTimeout();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        try {
            delegate.setQueryTimeout(seconds);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void cancel() throws SQLException {
        try {
            delegate.cancel();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        try {
            return delegate.getWarnings();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void clearWarnings() throws SQLException {
        try {
            delegate.clearWarnings();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setCursorName(String name) throws SQLException {
        try {
            delegate.setCursorName(name);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        noteSql(sql);
        connection.beginStatement(sql, this);
        boolean result;
        try {
            result = delegate.execute(sql);
        } catch (SQLException e) {
            result = reexecute(e, JdbcOperation.EXECUTE, () -> delegate.execute(sql));
        }
        connection.succeeded();
        return result;
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        try {
            return watch(delegate.getResultSet());
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.RESULT_SET);
        }
    }

    @Override
    public int getUpdateCount() throws SQLException {
        try {
            return delegate.getUpdateCount();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        try {
            return delegate.getMoreResults();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        try {
            delegate.setFetchDirection(direction);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public int getFetchDirection() throws SQLException {
        try {
            return delegate.getFetchDirection();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        try {
            delegate.setFetchSize(rows);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public int getFetchSize() throws SQLException {
        try {
            return delegate.getFetchSize();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        try {
            return delegate.getResultSetConcurrency();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public int getResultSetType() throws SQLException {
        try {
            return delegate.getResultSetType();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        noteSql(sql);
        try {
            delegate.addBatch(sql);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void clearBatch() throws SQLException {
        try {
            delegate.clearBatch();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public int[] executeBatch() throws SQLException {
        String sql = sql();
        connection.beginStatement(sql, this);
        int[] result;
        try {
            result = delegate.executeBatch();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.EXECUTE_BATCH);
        }
        connection.succeeded();
        return result;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            delegate.getConnection();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
        return connection;
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        try {
            return delegate.getMoreResults(current);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        try {
            return watch(delegate.getGeneratedKeys());
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.RESULT_SET);
        }
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        noteSql(sql);
        connection.beginStatement(sql, this);
        int result;
        try {
            result = delegate.executeUpdate(sql, autoGeneratedKeys);
        } catch (SQLException e) {
            result = reexecute(e, JdbcOperation.EXECUTE_UPDATE, () -> delegate.executeUpdate(sql, autoGeneratedKeys));
        }
        connection.succeeded();
        return result;
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        noteSql(sql);
        connection.beginStatement(sql, this);
        int result;
        try {
            result = delegate.executeUpdate(sql, columnIndexes);
        } catch (SQLException e) {
            result = reexecute(e, JdbcOperation.EXECUTE_UPDATE, () -> delegate.executeUpdate(sql, columnIndexes));
        }
        connection.succeeded();
        return result;
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        noteSql(sql);
        connection.beginStatement(sql, this);
        int result;
        try {
            result = delegate.executeUpdate(sql, columnNames);
        } catch (SQLException e) {
            result = reexecute(e, JdbcOperation.EXECUTE_UPDATE, () -> delegate.executeUpdate(sql, columnNames));
        }
        connection.succeeded();
        return result;
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        noteSql(sql);
        connection.beginStatement(sql, this);
        boolean result;
        try {
            result = delegate.execute(sql, autoGeneratedKeys);
        } catch (SQLException e) {
            result = reexecute(e, JdbcOperation.EXECUTE, () -> delegate.execute(sql, autoGeneratedKeys));
        }
        connection.succeeded();
        return result;
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        noteSql(sql);
        connection.beginStatement(sql, this);
        boolean result;
        try {
            result = delegate.execute(sql, columnIndexes);
        } catch (SQLException e) {
            result = reexecute(e, JdbcOperation.EXECUTE, () -> delegate.execute(sql, columnIndexes));
        }
        connection.succeeded();
        return result;
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        noteSql(sql);
        connection.beginStatement(sql, this);
        boolean result;
        try {
            result = delegate.execute(sql, columnNames);
        } catch (SQLException e) {
            result = reexecute(e, JdbcOperation.EXECUTE, () -> delegate.execute(sql, columnNames));
        }
        connection.succeeded();
        return result;
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        try {
            return delegate.getResultSetHoldability();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        try {
            return delegate.isClosed();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        try {
            delegate.setPoolable(poolable);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public boolean isPoolable() throws SQLException {
        try {
            return delegate.isPoolable();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        try {
            delegate.closeOnCompletion();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        try {
            return delegate.isCloseOnCompletion();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        try {
            return delegate.getLargeUpdateCount();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        try {
            delegate.setLargeMaxRows(max);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        try {
            return delegate.getLargeMaxRows();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        String sql = sql();
        connection.beginStatement(sql, this);
        long[] result;
        try {
            result = delegate.executeLargeBatch();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.EXECUTE_BATCH);
        }
        connection.succeeded();
        return result;
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        noteSql(sql);
        connection.beginStatement(sql, this);
        long result;
        try {
            result = delegate.executeLargeUpdate(sql);
        } catch (SQLException e) {
            result = reexecute(e, JdbcOperation.EXECUTE_UPDATE, () -> delegate.executeLargeUpdate(sql));
        }
        connection.succeeded();
        return result;
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        noteSql(sql);
        connection.beginStatement(sql, this);
        long result;
        try {
            result = delegate.executeLargeUpdate(sql, autoGeneratedKeys);
        } catch (SQLException e) {
            result = reexecute(e, JdbcOperation.EXECUTE_UPDATE, () -> delegate.executeLargeUpdate(sql, autoGeneratedKeys));
        }
        connection.succeeded();
        return result;
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        noteSql(sql);
        connection.beginStatement(sql, this);
        long result;
        try {
            result = delegate.executeLargeUpdate(sql, columnIndexes);
        } catch (SQLException e) {
            result = reexecute(e, JdbcOperation.EXECUTE_UPDATE, () -> delegate.executeLargeUpdate(sql, columnIndexes));
        }
        connection.succeeded();
        return result;
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        noteSql(sql);
        connection.beginStatement(sql, this);
        long result;
        try {
            result = delegate.executeLargeUpdate(sql, columnNames);
        } catch (SQLException e) {
            result = reexecute(e, JdbcOperation.EXECUTE_UPDATE, () -> delegate.executeLargeUpdate(sql, columnNames));
        }
        connection.succeeded();
        return result;
    }

    @Override
    public String enquoteLiteral(String val) throws SQLException {
        try {
            return delegate.enquoteLiteral(val);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public String enquoteIdentifier(String identifier, boolean alwaysQuote) throws SQLException {
        try {
            return delegate.enquoteIdentifier(identifier, alwaysQuote);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public boolean isSimpleIdentifier(String identifier) throws SQLException {
        try {
            return delegate.isSimpleIdentifier(identifier);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public String enquoteNCharLiteral(String val) throws SQLException {
        try {
            return delegate.enquoteNCharLiteral(val);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    // ---- java.sql.Wrapper ----

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }
}
