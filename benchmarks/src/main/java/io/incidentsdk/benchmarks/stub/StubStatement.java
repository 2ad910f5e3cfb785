package io.incidentsdk.benchmarks.stub;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

/**
 * A statement of the {@linkplain StubDataSource stub driver}, plain or prepared. Success answers at once
 * and allocates nothing: {@code executeQuery} re-opens the statement's one {@link StubResultSet} (one row,
 * every column 1), {@code executeUpdate} returns 1. A prepared statement whose SQL fails by the
 * {@link StubDatabase}'s rule throws a new exception from its {@link StubFailure} on every execution; a
 * plain statement asks the rule on every execution. Setters do nothing.
 *
 * @since 0.1.0
 */
public final class StubStatement implements PreparedStatement {

    private static final int[] NO_COUNTS = new int[0];

    private final StubConnection connection;
    private final StubDatabase database;
    private final StubFailure failure;
    private final StubResultSet resultSet;
    private boolean query;
    private boolean closed;
    private int queryTimeout;

    StubStatement(StubConnection connection, StubDatabase database, String sql, StubFailure failure) {
        this.connection = connection;
        this.database = database;
        this.failure = failure;
        this.query = isQuery(sql);
        this.resultSet = new StubResultSet(this);
    }

    StubStatement reopen() {
        closed = false;
        return this;
    }

    private boolean executedPlain(String sql) {
        query = isQuery(sql);
        if (query) {
            resultSet.open();
        }
        return query;
    }

    private static boolean isQuery(String sql) {
        return sql != null && sql.regionMatches(true, 0, "SELECT", 0, 6);
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
    public void addBatch(String arg0) throws SQLException {
    }

    @Override
    public void cancel() throws SQLException {
    }

    @Override
    public void clearBatch() throws SQLException {
    }

    @Override
    public void clearWarnings() throws SQLException {
    }

    @Override
    public void close() throws SQLException {
        closed = true;
    }

    @Override
    public void closeOnCompletion() throws SQLException {
    }

    @Override
    public boolean execute(String arg0) throws SQLException {
        StubFailure f = database.failureFor(arg0);
        if (f != null) {
            throw f.create();
        }
        return executedPlain(arg0);
    }

    @Override
    public boolean execute(String arg0, int[] arg1) throws SQLException {
        StubFailure f = database.failureFor(arg0);
        if (f != null) {
            throw f.create();
        }
        return executedPlain(arg0);
    }

    @Override
    public boolean execute(String arg0, String[] arg1) throws SQLException {
        StubFailure f = database.failureFor(arg0);
        if (f != null) {
            throw f.create();
        }
        return executedPlain(arg0);
    }

    @Override
    public boolean execute(String arg0, int arg1) throws SQLException {
        StubFailure f = database.failureFor(arg0);
        if (f != null) {
            throw f.create();
        }
        return executedPlain(arg0);
    }

    @Override
    public int[] executeBatch() throws SQLException {
        if (failure != null) {
            throw failure.create();
        }
        return NO_COUNTS;
    }

    @Override
    public ResultSet executeQuery(String arg0) throws SQLException {
        StubFailure f = database.failureFor(arg0);
        if (f != null) {
            throw f.create();
        }
        return resultSet.open();
    }

    @Override
    public int executeUpdate(String arg0) throws SQLException {
        StubFailure f = database.failureFor(arg0);
        if (f != null) {
            throw f.create();
        }
        return 1;
    }

    @Override
    public int executeUpdate(String arg0, int[] arg1) throws SQLException {
        StubFailure f = database.failureFor(arg0);
        if (f != null) {
            throw f.create();
        }
        return 1;
    }

    @Override
    public int executeUpdate(String arg0, String[] arg1) throws SQLException {
        StubFailure f = database.failureFor(arg0);
        if (f != null) {
            throw f.create();
        }
        return 1;
    }

    @Override
    public int executeUpdate(String arg0, int arg1) throws SQLException {
        StubFailure f = database.failureFor(arg0);
        if (f != null) {
            throw f.create();
        }
        return 1;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connection;
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return ResultSet.FETCH_FORWARD;
    }

    @Override
    public int getFetchSize() throws SQLException {
        return 0;
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        return null;
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        return 0;
    }

    @Override
    public int getMaxRows() throws SQLException {
        return 0;
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return false;
    }

    @Override
    public boolean getMoreResults(int arg0) throws SQLException {
        return false;
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        return queryTimeout;
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return query ? resultSet : null;
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        return ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        return ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public int getResultSetType() throws SQLException {
        return ResultSet.TYPE_FORWARD_ONLY;
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return query ? -1 : 1;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return null;
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        return false;
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed;
    }

    @Override
    public boolean isPoolable() throws SQLException {
        return false;
    }

    @Override
    public void setCursorName(String arg0) throws SQLException {
    }

    @Override
    public void setEscapeProcessing(boolean arg0) throws SQLException {
    }

    @Override
    public void setFetchDirection(int arg0) throws SQLException {
    }

    @Override
    public void setFetchSize(int arg0) throws SQLException {
    }

    @Override
    public void setMaxFieldSize(int arg0) throws SQLException {
    }

    @Override
    public void setMaxRows(int arg0) throws SQLException {
    }

    @Override
    public void setPoolable(boolean arg0) throws SQLException {
    }

    @Override
    public void setQueryTimeout(int arg0) throws SQLException {
        queryTimeout = arg0;
    }

    @Override
    public void addBatch() throws SQLException {
    }

    @Override
    public void clearParameters() throws SQLException {
    }

    @Override
    public boolean execute() throws SQLException {
        if (failure != null) {
            throw failure.create();
        }
        if (query) {
            resultSet.open();
        }
        return query;
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        if (failure != null) {
            throw failure.create();
        }
        return resultSet.open();
    }

    @Override
    public int executeUpdate() throws SQLException {
        if (failure != null) {
            throw failure.create();
        }
        return 1;
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return null;
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        return null;
    }

    @Override
    public void setArray(int arg0, Array arg1) throws SQLException {
    }

    @Override
    public void setAsciiStream(int arg0, InputStream arg1) throws SQLException {
    }

    @Override
    public void setAsciiStream(int arg0, InputStream arg1, int arg2) throws SQLException {
    }

    @Override
    public void setAsciiStream(int arg0, InputStream arg1, long arg2) throws SQLException {
    }

    @Override
    public void setBigDecimal(int arg0, BigDecimal arg1) throws SQLException {
    }

    @Override
    public void setBinaryStream(int arg0, InputStream arg1) throws SQLException {
    }

    @Override
    public void setBinaryStream(int arg0, InputStream arg1, int arg2) throws SQLException {
    }

    @Override
    public void setBinaryStream(int arg0, InputStream arg1, long arg2) throws SQLException {
    }

    @Override
    public void setBlob(int arg0, InputStream arg1) throws SQLException {
    }

    @Override
    public void setBlob(int arg0, Blob arg1) throws SQLException {
    }

    @Override
    public void setBlob(int arg0, InputStream arg1, long arg2) throws SQLException {
    }

    @Override
    public void setBoolean(int arg0, boolean arg1) throws SQLException {
    }

    @Override
    public void setByte(int arg0, byte arg1) throws SQLException {
    }

    @Override
    public void setBytes(int arg0, byte[] arg1) throws SQLException {
    }

    @Override
    public void setCharacterStream(int arg0, Reader arg1) throws SQLException {
    }

    @Override
    public void setCharacterStream(int arg0, Reader arg1, int arg2) throws SQLException {
    }

    @Override
    public void setCharacterStream(int arg0, Reader arg1, long arg2) throws SQLException {
    }

    @Override
    public void setClob(int arg0, Reader arg1) throws SQLException {
    }

    @Override
    public void setClob(int arg0, Clob arg1) throws SQLException {
    }

    @Override
    public void setClob(int arg0, Reader arg1, long arg2) throws SQLException {
    }

    @Override
    public void setDate(int arg0, Date arg1) throws SQLException {
    }

    @Override
    public void setDate(int arg0, Date arg1, Calendar arg2) throws SQLException {
    }

    @Override
    public void setDouble(int arg0, double arg1) throws SQLException {
    }

    @Override
    public void setFloat(int arg0, float arg1) throws SQLException {
    }

    @Override
    public void setInt(int arg0, int arg1) throws SQLException {
    }

    @Override
    public void setLong(int arg0, long arg1) throws SQLException {
    }

    @Override
    public void setNCharacterStream(int arg0, Reader arg1) throws SQLException {
    }

    @Override
    public void setNCharacterStream(int arg0, Reader arg1, long arg2) throws SQLException {
    }

    @Override
    public void setNClob(int arg0, Reader arg1) throws SQLException {
    }

    @Override
    public void setNClob(int arg0, NClob arg1) throws SQLException {
    }

    @Override
    public void setNClob(int arg0, Reader arg1, long arg2) throws SQLException {
    }

    @Override
    public void setNString(int arg0, String arg1) throws SQLException {
    }

    @Override
    public void setNull(int arg0, int arg1) throws SQLException {
    }

    @Override
    public void setNull(int arg0, int arg1, String arg2) throws SQLException {
    }

    @Override
    public void setObject(int arg0, Object arg1) throws SQLException {
    }

    @Override
    public void setObject(int arg0, Object arg1, int arg2) throws SQLException {
    }

    @Override
    public void setObject(int arg0, Object arg1, int arg2, int arg3) throws SQLException {
    }

    @Override
    public void setRef(int arg0, Ref arg1) throws SQLException {
    }

    @Override
    public void setRowId(int arg0, RowId arg1) throws SQLException {
    }

    @Override
    public void setSQLXML(int arg0, SQLXML arg1) throws SQLException {
    }

    @Override
    public void setShort(int arg0, short arg1) throws SQLException {
    }

    @Override
    public void setString(int arg0, String arg1) throws SQLException {
    }

    @Override
    public void setTime(int arg0, Time arg1) throws SQLException {
    }

    @Override
    public void setTime(int arg0, Time arg1, Calendar arg2) throws SQLException {
    }

    @Override
    public void setTimestamp(int arg0, Timestamp arg1) throws SQLException {
    }

    @Override
    public void setTimestamp(int arg0, Timestamp arg1, Calendar arg2) throws SQLException {
    }

    @Override
    public void setURL(int arg0, URL arg1) throws SQLException {
    }

    @Deprecated
    @Override
    public void setUnicodeStream(int arg0, InputStream arg1, int arg2) throws SQLException {
    }
}
