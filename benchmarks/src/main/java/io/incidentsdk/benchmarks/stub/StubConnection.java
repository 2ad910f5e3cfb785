package io.incidentsdk.benchmarks.stub;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A connection of the {@linkplain StubDataSource stub driver}: answers at once, allocates nothing on
 * execute. {@code prepareStatement} returns one reusable statement per distinct SQL text (created on the
 * first prepare, re-opened on the next), or a fresh failing statement when the {@link StubDatabase}'s
 * rule says the SQL fails; {@code createStatement} returns one reusable plain statement. Single-threaded
 * use per connection, like a real connection. Methods not listed do nothing and return a default value.
 *
 * @since 0.1.0
 */
public final class StubConnection implements Connection {

    private final StubDatabase database;
    private final Map<String, StubStatement> prepared = new HashMap<>();
    private final StubStatement plain;
    private boolean autoCommit = true;
    private boolean closed;
    private boolean readOnly;
    private String catalog;
    private String schema;
    private int isolation = Connection.TRANSACTION_READ_COMMITTED;
    private int networkTimeout;
    private int holdability = ResultSet.HOLD_CURSORS_OVER_COMMIT;

    StubConnection(StubDatabase database) {
        this.database = database;
        this.plain = new StubStatement(this, database, null, null);
    }

    private StubStatement plainStatement() throws SQLException {
        checkOpen();
        return plain.reopen();
    }

    private StubStatement prepare(String sql) throws SQLException {
        checkOpen();
        StubFailure failure = database.failureFor(sql);
        if (failure != null) {
            return new StubStatement(this, database, sql, failure);
        }
        StubStatement statement = prepared.get(sql);
        if (statement == null) {
            statement = new StubStatement(this, database, sql, null);
            prepared.put(sql, statement);
        }
        return statement.reopen();
    }

    private void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("connection is closed", "08003");
        }
    }

    @Override
    public boolean isWrapperFor(Class<?> arg0) throws SQLException {
        return arg0.isInstance(this);
    }

    @Override
    public <T> T unwrap(Class<T> arg0) throws SQLException {
        if (arg0.isInstance(this)) {
            return arg0.cast(this);
        }
        throw new SQLException("not a wrapper for " + arg0.getName());
    }

    @Override
    public void abort(Executor arg0) throws SQLException {
    }

    @Override
    public void clearWarnings() throws SQLException {
    }

    @Override
    public void close() throws SQLException {
        closed = true;
    }

    @Override
    public void commit() throws SQLException {
    }

    @Override
    public Array createArrayOf(String arg0, Object[] arg1) throws SQLException {
        return null;
    }

    @Override
    public Blob createBlob() throws SQLException {
        return null;
    }

    @Override
    public Clob createClob() throws SQLException {
        return null;
    }

    @Override
    public NClob createNClob() throws SQLException {
        return null;
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return null;
    }

    @Override
    public Statement createStatement() throws SQLException {
        return plainStatement();
    }

    @Override
    public Statement createStatement(int arg0, int arg1) throws SQLException {
        return plainStatement();
    }

    @Override
    public Statement createStatement(int arg0, int arg1, int arg2) throws SQLException {
        return plainStatement();
    }

    @Override
    public Struct createStruct(String arg0, Object[] arg1) throws SQLException {
        return null;
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return autoCommit;
    }

    @Override
    public String getCatalog() throws SQLException {
        return catalog;
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return new Properties();
    }

    @Override
    public String getClientInfo(String arg0) throws SQLException {
        return null;
    }

    @Override
    public int getHoldability() throws SQLException {
        return holdability;
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return database.metaData();
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return networkTimeout;
    }

    @Override
    public String getSchema() throws SQLException {
        return schema;
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return isolation;
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return Map.of();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return null;
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed;
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return readOnly;
    }

    @Override
    public boolean isValid(int arg0) throws SQLException {
        return !closed;
    }

    @Override
    public String nativeSQL(String arg0) throws SQLException {
        return arg0;
    }

    @Override
    public CallableStatement prepareCall(String arg0) throws SQLException {
        throw new SQLFeatureNotSupportedException("the stub has no callable statements");
    }

    @Override
    public CallableStatement prepareCall(String arg0, int arg1, int arg2) throws SQLException {
        throw new SQLFeatureNotSupportedException("the stub has no callable statements");
    }

    @Override
    public CallableStatement prepareCall(String arg0, int arg1, int arg2, int arg3) throws SQLException {
        throw new SQLFeatureNotSupportedException("the stub has no callable statements");
    }

    @Override
    public PreparedStatement prepareStatement(String arg0) throws SQLException {
        return prepare(arg0);
    }

    @Override
    public PreparedStatement prepareStatement(String arg0, int[] arg1) throws SQLException {
        return prepare(arg0);
    }

    @Override
    public PreparedStatement prepareStatement(String arg0, String[] arg1) throws SQLException {
        return prepare(arg0);
    }

    @Override
    public PreparedStatement prepareStatement(String arg0, int arg1) throws SQLException {
        return prepare(arg0);
    }

    @Override
    public PreparedStatement prepareStatement(String arg0, int arg1, int arg2) throws SQLException {
        return prepare(arg0);
    }

    @Override
    public PreparedStatement prepareStatement(String arg0, int arg1, int arg2, int arg3) throws SQLException {
        return prepare(arg0);
    }

    @Override
    public void releaseSavepoint(Savepoint arg0) throws SQLException {
    }

    @Override
    public void rollback() throws SQLException {
    }

    @Override
    public void rollback(Savepoint arg0) throws SQLException {
    }

    @Override
    public void setAutoCommit(boolean arg0) throws SQLException {
        autoCommit = arg0;
    }

    @Override
    public void setCatalog(String arg0) throws SQLException {
        catalog = arg0;
    }

    @Override
    public void setClientInfo(Properties arg0) throws SQLClientInfoException {
    }

    @Override
    public void setClientInfo(String arg0, String arg1) throws SQLClientInfoException {
    }

    @Override
    public void setHoldability(int arg0) throws SQLException {
        holdability = arg0;
    }

    @Override
    public void setNetworkTimeout(Executor arg0, int arg1) throws SQLException {
        networkTimeout = arg1;
    }

    @Override
    public void setReadOnly(boolean arg0) throws SQLException {
        readOnly = arg0;
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return null;
    }

    @Override
    public Savepoint setSavepoint(String arg0) throws SQLException {
        return null;
    }

    @Override
    public void setSchema(String arg0) throws SQLException {
        schema = arg0;
    }

    @Override
    public void setTransactionIsolation(int arg0) throws SQLException {
        isolation = arg0;
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> arg0) throws SQLException {
    }
}
