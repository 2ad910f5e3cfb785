package io.incidentsdk.jdbc.internal.wrap;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A watched {@link Connection}. Every method of JDBC 4.3 delegates to the driver's (or pool's) connection;
 * every {@link SQLException} is reported to the observer and rethrown unchanged (the very object). The
 * statements it creates are watched too, and it keeps its own {@link ConnectionState} (which it extends)
 * up to date: auto-commit mode, transaction start and end, doomed transactions.
 *
 * <p>{@code commit()} reports one success; {@code close()} closes nothing but the delegate and reports
 * {@link JdbcObserver#connectionClosed} once. {@code unwrap}/{@code isWrapperFor} answer for this wrapper
 * first, then ask the delegate (their failures are type probes, not database trouble, and are not
 * reported).
 *
 * <p>Internal: not part of the public API.
 *
 * @since 0.1.0
 */
public final class WatchedConnection extends ConnectionState implements Connection {

    private WatchedConnection(DataSourceContext dataSource, Connection delegate) {
        super(dataSource, delegate);
    }

    /**
     * Watches a connection just obtained from a data source: reads the database facts if they are not
     * known yet and the connection's auto-commit mode (failures there are swallowed), then reports
     * {@link JdbcObserver#connectionOpened}.
     *
     * @param connection the driver's (or pool's) connection, may be {@code null}
     * @param dataSource the shared context of the data source it came from, not {@code null}
     * @return the watched connection, or {@code null} when {@code connection} is {@code null}
     * @since 0.1.0
     */
    public static WatchedConnection open(Connection connection, DataSourceContext dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        if (connection == null) {
            return null;
        }
        WatchedConnection watched = new WatchedConnection(dataSource, connection);
        dataSource.readDatabaseInfoOnce(connection);
        watched.readAutoCommit();
        dataSource.notifyOpened(watched);
        return watched;
    }

    /**
     * Watches a connection a data source handed out, unless it is watched already: a pool whose own
     * connections are watched (the watch placed under the pool) hands out its proxies of our wrappers, and
     * those pass through as they are, so nothing is watched twice and a borrow allocates nothing of ours.
     *
     * @param connection the driver's (or pool's) connection, may be {@code null}
     * @param dataSource the shared context of the data source it came from, not {@code null}
     * @return the watched connection, {@code connection} itself when it is watched already, or {@code null}
     *         when {@code connection} is {@code null}
     * @since 0.1.0
     */
    public static Connection watch(Connection connection, DataSourceContext dataSource) {
        return isWatched(connection) ? connection : open(connection, dataSource);
    }

    private static boolean isWatched(Connection connection) {
        if (connection == null || connection instanceof ConnectionState) {
            return connection != null;
        }
        try {
            return connection.isWrapperFor(ConnectionState.class);
        } catch (SQLException | RuntimeException e) {
            // a driver that cannot answer has no wrapper of ours inside
            return false;
        }
    }

    private void readAutoCommit() {
        try {
            autoCommitSeen(delegate.getAutoCommit());
        } catch (SQLException | RuntimeException e) {
            // keep the JDBC default (true): the application's own next call will meet the problem
        }
    }

    /** Reports a failure (dooming an explicit transaction where the operation says so); returns it. */
    <E extends SQLException> E failed(E error, StatementState statement, JdbcOperation operation) {
        endStatement();
        dataSource().notifyFailed(error, this, statement, operation);
        return error;
    }

    /**
     * Refuses to commit a doomed transaction: rolls it back and throws. Committing would have committed only
     * the statements after the failure, half a transaction.
     */
    private void refuseCommit(String reason, boolean switchingAutoCommit) throws SQLException {
        boolean rolledBack;
        try {
            delegate.rollback();
            rolledBack = true;
        } catch (SQLException e) {
            // the connection cannot even roll back (it broke): the driver's own exception says so, as it would
            // have said it to the commit; nothing was committed
            endTransaction();
            throw failed(e, null, JdbcOperation.ROLLBACK);
        } catch (RuntimeException e) {
            rolledBack = false;
        }
        endTransaction();
        if (switchingAutoCommit && rolledBack) {
            // the application asked for auto-commit mode: give it, with nothing left to commit
            try {
                delegate.setAutoCommit(true);
                autoCommitSeen(true);
            } catch (SQLException e) {
                // the switch itself failed (the connection broke): the driver's exception, as without the SDK
                throw failed(e, null, JdbcOperation.SET_AUTO_COMMIT);
            } catch (RuntimeException e) {
                // the connection stays in manual mode; the exception below says the transaction was not committed
            }
        }
        SQLTransactionRollbackException refusal = new SQLTransactionRollbackException("Incident SDK refused to commit"
                + (switchingAutoCommit ? " (auto-commit switched on by setAutoCommit(true), which commits the open "
                    + "transaction)" : "") + ": "
                + reason + ". The database had rolled the transaction back, so this "
                + (switchingAutoCommit ? "switch" : "commit") + " would have committed only the statements after "
                + "that failure. The transaction was " + (rolledBack ? "" : "NOT (the rollback failed) ")
                + "rolled back; run the whole transaction again (TransactionRunner does).", "40000");
        throw refusal;
    }

    /** Reports one successful execution. */
    void succeeded() {
        // the mode read once: a statement of an explicit transaction ends in its ring, one in auto-commit mode
        // is a transaction of its own
        boolean autoCommit = autoCommit();
        if (autoCommit) {
            if (countedOwnSuccess()) {
                return;
            }
        } else {
            endStatement();
        }
        dataSource().notifySucceeded(this, autoCommit);
    }

    /** Reports one successful commit. */
    private void committed() {
        endStatement();
        dataSource().notifyCommitted(this);
    }

    private void closed() {
        if (markClosed()) {
            dataSource().notifyClosed(this);
        }
    }

    private WatchedStatement watch(Statement statement) {
        return statement == null ? null : new WatchedStatement(this, statement, null);
    }

    private WatchedPreparedStatement watch(PreparedStatement statement, String sql) {
        return statement == null ? null : new WatchedPreparedStatement(this, statement, sql);
    }

    private WatchedCallableStatement watch(CallableStatement statement, String sql) {
        return statement == null ? null : new WatchedCallableStatement(this, statement, sql);
    }

    @Override
    public String toString() {
        return "WatchedConnection[" + id() + "] " + delegate;
    }

    // ---- java.sql.Connection ----

    @Override
    public Statement createStatement() throws SQLException {
        try {
            return watch(delegate.createStatement());
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.PREPARE);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        try {
            return watch(delegate.prepareStatement(sql), sql);
        } catch (SQLException e) {
            throw failed(e, new StatementState(sql), JdbcOperation.PREPARE);
        }
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        try {
            return watch(delegate.prepareCall(sql), sql);
        } catch (SQLException e) {
            throw failed(e, new StatementState(sql), JdbcOperation.PREPARE);
        }
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        try {
            return delegate.nativeSQL(sql);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        String doomed = autoCommit && !autoCommit() ? doomReason() : null;
        if (doomed != null) {
            // JDBC commits the open transaction when auto-commit is switched on: refuse it as commit() does
            refuseCommit(doomed, true);
        }
        try {
            delegate.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.SET_AUTO_COMMIT);
        }
        autoCommitSeen(autoCommit);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        boolean autoCommit;
        try {
            autoCommit = delegate.getAutoCommit();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
        autoCommitSeen(autoCommit);
        return autoCommit;
    }

    @Override
    public void commit() throws SQLException {
        String doomed = doomReason();
        if (doomed != null) {
            refuseCommit(doomed, false);
        }
        try {
            delegate.commit();
        } catch (SQLException e) {
            SQLException failure = failed(e, null, JdbcOperation.COMMIT);
            // a commit that failed ended the transaction (the database rolled it back, or the connection is
            // gone): nothing of it is left to doom, and the next commit is the driver's business again
            endTransaction();
            throw failure;
        }
        committed();
        endTransaction();
    }

    @Override
    public void rollback() throws SQLException {
        try {
            delegate.rollback();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.ROLLBACK);
        }
        endTransaction();
    }

    @Override
    public void close() throws SQLException {
        try {
            delegate.close();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.CLOSE);
        } finally {
            closed();
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        try {
            return delegate.isClosed();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        try {
            return watch(delegate.getMetaData());
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.METADATA);
        }
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        try {
            delegate.setReadOnly(readOnly);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        try {
            return delegate.isReadOnly();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        try {
            delegate.setCatalog(catalog);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public String getCatalog() throws SQLException {
        try {
            return delegate.getCatalog();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        try {
            delegate.setTransactionIsolation(level);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        try {
            return delegate.getTransactionIsolation();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        try {
            return delegate.getWarnings();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public void clearWarnings() throws SQLException {
        try {
            delegate.clearWarnings();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        try {
            return watch(delegate.createStatement(resultSetType, resultSetConcurrency));
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.PREPARE);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType,
                                              int resultSetConcurrency) throws SQLException {
        try {
            return watch(delegate.prepareStatement(sql, resultSetType, resultSetConcurrency), sql);
        } catch (SQLException e) {
            throw failed(e, new StatementState(sql), JdbcOperation.PREPARE);
        }
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        try {
            return watch(delegate.prepareCall(sql, resultSetType, resultSetConcurrency), sql);
        } catch (SQLException e) {
            throw failed(e, new StatementState(sql), JdbcOperation.PREPARE);
        }
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        try {
            return delegate.getTypeMap();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        try {
            delegate.setTypeMap(map);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        try {
            delegate.setHoldability(holdability);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public int getHoldability() throws SQLException {
        try {
            return delegate.getHoldability();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        Savepoint savepoint;
        try {
            savepoint = delegate.setSavepoint();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
        savepointSet(savepoint);
        return savepoint;
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        Savepoint savepoint;
        try {
            savepoint = delegate.setSavepoint(name);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
        savepointSet(savepoint);
        return savepoint;
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        // the transaction goes on; a doom is lifted only where the savepoint predates it and the database kept
        // the transaction usable (ConnectionState#rolledBackTo)
        try {
            delegate.rollback(savepoint);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.ROLLBACK);
        }
        rolledBackTo(savepoint);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        try {
            delegate.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
        savepointReleased(savepoint);
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency,
                                     int resultSetHoldability) throws SQLException {
        try {
            return watch(delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.PREPARE);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
                                              int resultSetHoldability) throws SQLException {
        try {
            return watch(delegate.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability),
                    sql);
        } catch (SQLException e) {
            throw failed(e, new StatementState(sql), JdbcOperation.PREPARE);
        }
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
                                         int resultSetHoldability) throws SQLException {
        try {
            return watch(delegate.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability), sql);
        } catch (SQLException e) {
            throw failed(e, new StatementState(sql), JdbcOperation.PREPARE);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        try {
            return watch(delegate.prepareStatement(sql, autoGeneratedKeys), sql);
        } catch (SQLException e) {
            throw failed(e, new StatementState(sql), JdbcOperation.PREPARE);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        try {
            return watch(delegate.prepareStatement(sql, columnIndexes), sql);
        } catch (SQLException e) {
            throw failed(e, new StatementState(sql), JdbcOperation.PREPARE);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        try {
            return watch(delegate.prepareStatement(sql, columnNames), sql);
        } catch (SQLException e) {
            throw failed(e, new StatementState(sql), JdbcOperation.PREPARE);
        }
    }

    @Override
    public Clob createClob() throws SQLException {
        try {
            return delegate.createClob();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public Blob createBlob() throws SQLException {
        try {
            return delegate.createBlob();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public NClob createNClob() throws SQLException {
        try {
            return delegate.createNClob();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        try {
            return delegate.createSQLXML();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        try {
            return delegate.isValid(timeout);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        try {
            delegate.setClientInfo(name, value);
        } catch (SQLClientInfoException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        try {
            delegate.setClientInfo(properties);
        } catch (SQLClientInfoException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        try {
            return delegate.getClientInfo(name);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        try {
            return delegate.getClientInfo();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        try {
            return delegate.createArrayOf(typeName, elements);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        try {
            return delegate.createStruct(typeName, attributes);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        try {
            delegate.setSchema(schema);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public String getSchema() throws SQLException {
        try {
            return delegate.getSchema();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        try {
            delegate.abort(executor);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.CLOSE);
        }
        closed();
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        try {
            delegate.setNetworkTimeout(executor, milliseconds);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        try {
            return delegate.getNetworkTimeout();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public void beginRequest() throws SQLException {
        try {
            delegate.beginRequest();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public void endRequest() throws SQLException {
        try {
            delegate.endRequest();
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey shardingKey, ShardingKey superShardingKey,
                                         int timeout) throws SQLException {
        try {
            return delegate.setShardingKeyIfValid(shardingKey, superShardingKey, timeout);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey shardingKey, int timeout) throws SQLException {
        try {
            return delegate.setShardingKeyIfValid(shardingKey, timeout);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setShardingKey(ShardingKey shardingKey, ShardingKey superShardingKey) throws SQLException {
        try {
            delegate.setShardingKey(shardingKey, superShardingKey);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setShardingKey(ShardingKey shardingKey) throws SQLException {
        try {
            delegate.setShardingKey(shardingKey);
        } catch (SQLException e) {
            throw failed(e, null, JdbcOperation.OTHER);
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

    private WatchedDatabaseMetaData watch(DatabaseMetaData metaData) {
        return metaData == null ? null : new WatchedDatabaseMetaData(this, metaData);
    }
}
