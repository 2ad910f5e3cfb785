package io.incidentsdk.benchmarks.handwritten;

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
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * The hand-written floor of a JDBC wrapper: every {@link Connection} method delegates; every
 * {@link SQLException} is noted by its SQLState ({@link HandwrittenDataSource#failed}) and rethrown
 * unchanged. Statements (plain and prepared) are wrapped; callable statements, metadata and result sets
 * are not (no benchmark path uses them through the wrapper).
 *
 * @since 0.1.0
 */
public final class HandwrittenConnection implements Connection {

    private final HandwrittenDataSource dataSource;
    private final Connection delegate;

    HandwrittenConnection(HandwrittenDataSource dataSource, Connection delegate) {
        this.dataSource = dataSource;
        this.delegate = delegate;
    }

    <E extends SQLException> E failed(E e) {
        return dataSource.failed(e);
    }

    @Override
    public boolean isWrapperFor(Class<?> arg0) throws SQLException {
        return arg0.isInstance(this) || delegate.isWrapperFor(arg0);
    }

    @Override
    public <T> T unwrap(Class<T> arg0) throws SQLException {
        if (arg0.isInstance(this)) {
            return arg0.cast(this);
        }
        return delegate.unwrap(arg0);
    }

    @Override
    public void abort(Executor arg0) throws SQLException {
        try {
            delegate.abort(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void beginRequest() throws SQLException {
        try {
            delegate.beginRequest();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void clearWarnings() throws SQLException {
        try {
            delegate.clearWarnings();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            delegate.close();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void commit() throws SQLException {
        try {
            delegate.commit();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Array createArrayOf(String arg0, Object[] arg1) throws SQLException {
        try {
            return delegate.createArrayOf(arg0, arg1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Blob createBlob() throws SQLException {
        try {
            return delegate.createBlob();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Clob createClob() throws SQLException {
        try {
            return delegate.createClob();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public NClob createNClob() throws SQLException {
        try {
            return delegate.createNClob();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        try {
            return delegate.createSQLXML();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Statement createStatement() throws SQLException {
        try {
            return new HandwrittenStatement(this, delegate.createStatement());
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Statement createStatement(int arg0, int arg1) throws SQLException {
        try {
            return new HandwrittenStatement(this, delegate.createStatement(arg0, arg1));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Statement createStatement(int arg0, int arg1, int arg2) throws SQLException {
        try {
            return new HandwrittenStatement(this, delegate.createStatement(arg0, arg1, arg2));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Struct createStruct(String arg0, Object[] arg1) throws SQLException {
        try {
            return delegate.createStruct(arg0, arg1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void endRequest() throws SQLException {
        try {
            delegate.endRequest();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        try {
            return delegate.getAutoCommit();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public String getCatalog() throws SQLException {
        try {
            return delegate.getCatalog();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        try {
            return delegate.getClientInfo();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public String getClientInfo(String arg0) throws SQLException {
        try {
            return delegate.getClientInfo(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getHoldability() throws SQLException {
        try {
            return delegate.getHoldability();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        try {
            return delegate.getMetaData();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        try {
            return delegate.getNetworkTimeout();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public String getSchema() throws SQLException {
        try {
            return delegate.getSchema();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        try {
            return delegate.getTransactionIsolation();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        try {
            return delegate.getTypeMap();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        try {
            return delegate.getWarnings();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        try {
            return delegate.isClosed();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        try {
            return delegate.isReadOnly();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean isValid(int arg0) throws SQLException {
        try {
            return delegate.isValid(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public String nativeSQL(String arg0) throws SQLException {
        try {
            return delegate.nativeSQL(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public CallableStatement prepareCall(String arg0) throws SQLException {
        try {
            return delegate.prepareCall(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public CallableStatement prepareCall(String arg0, int arg1, int arg2) throws SQLException {
        try {
            return delegate.prepareCall(arg0, arg1, arg2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public CallableStatement prepareCall(String arg0, int arg1, int arg2, int arg3) throws SQLException {
        try {
            return delegate.prepareCall(arg0, arg1, arg2, arg3);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String arg0) throws SQLException {
        try {
            return new HandwrittenPreparedStatement(this, delegate.prepareStatement(arg0));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String arg0, int[] arg1) throws SQLException {
        try {
            return new HandwrittenPreparedStatement(this, delegate.prepareStatement(arg0, arg1));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String arg0, String[] arg1) throws SQLException {
        try {
            return new HandwrittenPreparedStatement(this, delegate.prepareStatement(arg0, arg1));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String arg0, int arg1) throws SQLException {
        try {
            return new HandwrittenPreparedStatement(this, delegate.prepareStatement(arg0, arg1));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String arg0, int arg1, int arg2) throws SQLException {
        try {
            return new HandwrittenPreparedStatement(this, delegate.prepareStatement(arg0, arg1, arg2));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String arg0, int arg1, int arg2, int arg3) throws SQLException {
        try {
            return new HandwrittenPreparedStatement(this, delegate.prepareStatement(arg0, arg1, arg2, arg3));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void releaseSavepoint(Savepoint arg0) throws SQLException {
        try {
            delegate.releaseSavepoint(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void rollback() throws SQLException {
        try {
            delegate.rollback();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void rollback(Savepoint arg0) throws SQLException {
        try {
            delegate.rollback(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setAutoCommit(boolean arg0) throws SQLException {
        try {
            delegate.setAutoCommit(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setCatalog(String arg0) throws SQLException {
        try {
            delegate.setCatalog(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setClientInfo(Properties arg0) throws SQLClientInfoException {
        try {
            delegate.setClientInfo(arg0);
        } catch (SQLClientInfoException e) {
            throw failed(e);
        }
    }

    @Override
    public void setClientInfo(String arg0, String arg1) throws SQLClientInfoException {
        try {
            delegate.setClientInfo(arg0, arg1);
        } catch (SQLClientInfoException e) {
            throw failed(e);
        }
    }

    @Override
    public void setHoldability(int arg0) throws SQLException {
        try {
            delegate.setHoldability(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setNetworkTimeout(Executor arg0, int arg1) throws SQLException {
        try {
            delegate.setNetworkTimeout(arg0, arg1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setReadOnly(boolean arg0) throws SQLException {
        try {
            delegate.setReadOnly(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        try {
            return delegate.setSavepoint();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Savepoint setSavepoint(String arg0) throws SQLException {
        try {
            return delegate.setSavepoint(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setSchema(String arg0) throws SQLException {
        try {
            delegate.setSchema(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setShardingKey(ShardingKey arg0) throws SQLException {
        try {
            delegate.setShardingKey(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setShardingKey(ShardingKey arg0, ShardingKey arg1) throws SQLException {
        try {
            delegate.setShardingKey(arg0, arg1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey arg0, int arg1) throws SQLException {
        try {
            return delegate.setShardingKeyIfValid(arg0, arg1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey arg0, ShardingKey arg1, int arg2) throws SQLException {
        try {
            return delegate.setShardingKeyIfValid(arg0, arg1, arg2);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setTransactionIsolation(int arg0) throws SQLException {
        try {
            delegate.setTransactionIsolation(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> arg0) throws SQLException {
        try {
            delegate.setTypeMap(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }
}
