package io.incidentsdk.jdbc.internal.wrap;

import io.incidentsdk.jdbc.internal.sql.RowKeys;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

/**
 * A watched {@link PreparedStatement}: the {@link WatchedStatement} behaviour, plus every method
 * {@code PreparedStatement} adds, delegated. Its {@linkplain #sql() SQL} is the one it was prepared with.
 *
 * <p>Internal: not part of the public API.
 *
 * @since 0.1.0
 */
public class WatchedPreparedStatement extends WatchedStatement implements PreparedStatement {

    WatchedPreparedStatement(WatchedConnection connection, PreparedStatement delegate, String sql) {
        super(connection, delegate, sql);
        // looked at once for SQL-level transaction control, not per execute (no field: the wrapper stays 24 B)
        notePreparedSql();
    }

    /** Notes the execution about to start with the connection. */
    private void beginExecute() {
        beginPrepared(connection);
    }

    /** The driver's statement, as what it is (one field for both views keeps the wrapper small). */
    private PreparedStatement prepared() {
        return (PreparedStatement) delegate;
    }

    // ---- java.sql.PreparedStatement ----

    @Override
    public ResultSet executeQuery() throws SQLException {
        beginExecute();
        ResultSet result;
        try {
            result = prepared().executeQuery();
        } catch (SQLException e) {
            result = reexecute(e, JdbcOperation.EXECUTE_QUERY, () -> prepared().executeQuery());
        }
        connection.succeeded();
        return watch(result);
    }

    @Override
    public int executeUpdate() throws SQLException {
        beginExecute();
        int result;
        try {
            result = prepared().executeUpdate();
        } catch (SQLException e) {
            result = reexecute(e, JdbcOperation.EXECUTE_UPDATE, () -> prepared().executeUpdate());
        }
        connection.succeeded();
        return result;
    }

    @Override
    public void setNull(int parameterIndex, int sqlType) throws SQLException {
        try {
            prepared().setNull(parameterIndex, sqlType);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
        connection.rowKey(this, parameterIndex, 0);
    }

    @Override
    public void setBoolean(int parameterIndex, boolean x) throws SQLException {
        try {
            prepared().setBoolean(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setByte(int parameterIndex, byte x) throws SQLException {
        try {
            prepared().setByte(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
        connection.integralKey(this, parameterIndex, x);
    }

    @Override
    public void setShort(int parameterIndex, short x) throws SQLException {
        try {
            prepared().setShort(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
        connection.integralKey(this, parameterIndex, x);
    }

    @Override
    public void setInt(int parameterIndex, int x) throws SQLException {
        try {
            prepared().setInt(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
        connection.integralKey(this, parameterIndex, x);
    }

    @Override
    public void setLong(int parameterIndex, long x) throws SQLException {
        try {
            prepared().setLong(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
        connection.integralKey(this, parameterIndex, x);
    }

    @Override
    public void setFloat(int parameterIndex, float x) throws SQLException {
        try {
            prepared().setFloat(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setDouble(int parameterIndex, double x) throws SQLException {
        try {
            prepared().setDouble(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException {
        try {
            prepared().setBigDecimal(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
        connection.objectKey(this, parameterIndex, x);
    }

    @Override
    public void setString(int parameterIndex, String x) throws SQLException {
        try {
            prepared().setString(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
        connection.rowKey(this, parameterIndex, RowKeys.ofString(x));
    }

    @Override
    public void setBytes(int parameterIndex, byte[] x) throws SQLException {
        try {
            prepared().setBytes(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setDate(int parameterIndex, Date x) throws SQLException {
        try {
            prepared().setDate(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setTime(int parameterIndex, Time x) throws SQLException {
        try {
            prepared().setTime(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
        try {
            prepared().setTimestamp(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, int length) throws SQLException {
        try {
            prepared().setAsciiStream(parameterIndex, x, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    /** @deprecated delegated unchanged, like the interface method it implements. */
    @Deprecated
    @Override
    public void setUnicodeStream(int parameterIndex, InputStream x, int length) throws SQLException {
        try {
            prepared().setUnicodeStream(parameterIndex, x, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, int length) throws SQLException {
        try {
            prepared().setBinaryStream(parameterIndex, x, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void clearParameters() throws SQLException {
        try {
            prepared().clearParameters();
            connection.rowKeysCleared(this);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
        try {
            prepared().setObject(parameterIndex, x, targetSqlType);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
        connection.objectKey(this, parameterIndex, x);
    }

    @Override
    public void setObject(int parameterIndex, Object x) throws SQLException {
        try {
            prepared().setObject(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
        connection.objectKey(this, parameterIndex, x);
    }

    @Override
    public boolean execute() throws SQLException {
        beginExecute();
        boolean result;
        try {
            result = prepared().execute();
        } catch (SQLException e) {
            result = reexecute(e, JdbcOperation.EXECUTE, () -> prepared().execute());
        }
        connection.succeeded();
        return result;
    }

    @Override
    public void addBatch() throws SQLException {
        try {
            prepared().addBatch();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, int length) throws SQLException {
        try {
            prepared().setCharacterStream(parameterIndex, reader, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setRef(int parameterIndex, Ref x) throws SQLException {
        try {
            prepared().setRef(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setBlob(int parameterIndex, Blob x) throws SQLException {
        try {
            prepared().setBlob(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setClob(int parameterIndex, Clob x) throws SQLException {
        try {
            prepared().setClob(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setArray(int parameterIndex, Array x) throws SQLException {
        try {
            prepared().setArray(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        try {
            return prepared().getMetaData();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setDate(int parameterIndex, Date x, Calendar cal) throws SQLException {
        try {
            prepared().setDate(parameterIndex, x, cal);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setTime(int parameterIndex, Time x, Calendar cal) throws SQLException {
        try {
            prepared().setTime(parameterIndex, x, cal);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp x, Calendar cal) throws SQLException {
        try {
            prepared().setTimestamp(parameterIndex, x, cal);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
        try {
            prepared().setNull(parameterIndex, sqlType, typeName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
        connection.rowKey(this, parameterIndex, 0);
    }

    @Override
    public void setURL(int parameterIndex, URL x) throws SQLException {
        try {
            prepared().setURL(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        try {
            return prepared().getParameterMetaData();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setRowId(int parameterIndex, RowId x) throws SQLException {
        try {
            prepared().setRowId(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setNString(int parameterIndex, String value) throws SQLException {
        try {
            prepared().setNString(parameterIndex, value);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
        connection.rowKey(this, parameterIndex, RowKeys.ofString(value));
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader value, long length) throws SQLException {
        try {
            prepared().setNCharacterStream(parameterIndex, value, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setNClob(int parameterIndex, NClob value) throws SQLException {
        try {
            prepared().setNClob(parameterIndex, value);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
        try {
            prepared().setClob(parameterIndex, reader, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream, long length) throws SQLException {
        try {
            prepared().setBlob(parameterIndex, inputStream, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
        try {
            prepared().setNClob(parameterIndex, reader, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setSQLXML(int parameterIndex, SQLXML xmlObject) throws SQLException {
        try {
            prepared().setSQLXML(parameterIndex, xmlObject);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        try {
            prepared().setObject(parameterIndex, x, targetSqlType, scaleOrLength);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
        connection.objectKey(this, parameterIndex, x);
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
        try {
            prepared().setAsciiStream(parameterIndex, x, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
        try {
            prepared().setBinaryStream(parameterIndex, x, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
        try {
            prepared().setCharacterStream(parameterIndex, reader, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
        try {
            prepared().setAsciiStream(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
        try {
            prepared().setBinaryStream(parameterIndex, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
        try {
            prepared().setCharacterStream(parameterIndex, reader);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader value) throws SQLException {
        try {
            prepared().setNCharacterStream(parameterIndex, value);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setClob(int parameterIndex, Reader reader) throws SQLException {
        try {
            prepared().setClob(parameterIndex, reader);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream) throws SQLException {
        try {
            prepared().setBlob(parameterIndex, inputStream);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader) throws SQLException {
        try {
            prepared().setNClob(parameterIndex, reader);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        try {
            prepared().setObject(parameterIndex, x, targetSqlType, scaleOrLength);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
        connection.objectKey(this, parameterIndex, x);
    }

    @Override
    public void setObject(int parameterIndex, Object x, SQLType targetSqlType) throws SQLException {
        try {
            prepared().setObject(parameterIndex, x, targetSqlType);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
        connection.objectKey(this, parameterIndex, x);
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        beginExecute();
        long result;
        try {
            result = prepared().executeLargeUpdate();
        } catch (SQLException e) {
            result = reexecute(e, JdbcOperation.EXECUTE_UPDATE, () -> prepared().executeLargeUpdate());
        }
        connection.succeeded();
        return result;
    }
}
