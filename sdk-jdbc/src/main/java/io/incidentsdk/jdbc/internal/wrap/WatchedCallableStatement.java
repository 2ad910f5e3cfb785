package io.incidentsdk.jdbc.internal.wrap;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * A watched {@link CallableStatement}: the {@link WatchedPreparedStatement} behaviour, plus every method
 * {@code CallableStatement} adds, delegated.
 *
 * <p>Internal: not part of the public API.
 *
 * @since 0.1.0
 */
public final class WatchedCallableStatement extends WatchedPreparedStatement implements CallableStatement {

    final CallableStatement callableDelegate;

    WatchedCallableStatement(WatchedConnection connection, CallableStatement delegate, String sql) {
        super(connection, delegate, sql);
        this.callableDelegate = delegate;
    }

    // ---- java.sql.CallableStatement ----

    @Override
    public void registerOutParameter(int parameterIndex, int sqlType) throws SQLException {
        try {
            callableDelegate.registerOutParameter(parameterIndex, sqlType);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void registerOutParameter(int parameterIndex, int sqlType, int scale) throws SQLException {
        try {
            callableDelegate.registerOutParameter(parameterIndex, sqlType, scale);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public boolean wasNull() throws SQLException {
        try {
            return callableDelegate.wasNull();
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public String getString(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getString(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public boolean getBoolean(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getBoolean(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public byte getByte(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getByte(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public short getShort(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getShort(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public int getInt(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getInt(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public long getLong(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getLong(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public float getFloat(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getFloat(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public double getDouble(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getDouble(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    /** @deprecated delegated unchanged, like the interface method it implements. */
    @Deprecated
    @Override
    public BigDecimal getBigDecimal(int parameterIndex, int scale) throws SQLException {
        try {
            return callableDelegate.getBigDecimal(parameterIndex, scale);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public byte[] getBytes(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getBytes(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Date getDate(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getDate(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Time getTime(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getTime(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Timestamp getTimestamp(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getTimestamp(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Object getObject(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getObject(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public BigDecimal getBigDecimal(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getBigDecimal(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Object getObject(int parameterIndex, Map<String, Class<?>> map) throws SQLException {
        try {
            return callableDelegate.getObject(parameterIndex, map);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Ref getRef(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getRef(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Blob getBlob(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getBlob(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Clob getClob(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getClob(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Array getArray(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getArray(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Date getDate(int parameterIndex, Calendar cal) throws SQLException {
        try {
            return callableDelegate.getDate(parameterIndex, cal);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Time getTime(int parameterIndex, Calendar cal) throws SQLException {
        try {
            return callableDelegate.getTime(parameterIndex, cal);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Timestamp getTimestamp(int parameterIndex, Calendar cal) throws SQLException {
        try {
            return callableDelegate.getTimestamp(parameterIndex, cal);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void registerOutParameter(int parameterIndex, int sqlType, String typeName) throws SQLException {
        try {
            callableDelegate.registerOutParameter(parameterIndex, sqlType, typeName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void registerOutParameter(String parameterName, int sqlType) throws SQLException {
        try {
            callableDelegate.registerOutParameter(parameterName, sqlType);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void registerOutParameter(String parameterName, int sqlType, int scale) throws SQLException {
        try {
            callableDelegate.registerOutParameter(parameterName, sqlType, scale);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void registerOutParameter(String parameterName, int sqlType, String typeName) throws SQLException {
        try {
            callableDelegate.registerOutParameter(parameterName, sqlType, typeName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public URL getURL(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getURL(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setURL(String parameterName, URL val) throws SQLException {
        try {
            callableDelegate.setURL(parameterName, val);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setNull(String parameterName, int sqlType) throws SQLException {
        try {
            callableDelegate.setNull(parameterName, sqlType);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setBoolean(String parameterName, boolean x) throws SQLException {
        try {
            callableDelegate.setBoolean(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setByte(String parameterName, byte x) throws SQLException {
        try {
            callableDelegate.setByte(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setShort(String parameterName, short x) throws SQLException {
        try {
            callableDelegate.setShort(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setInt(String parameterName, int x) throws SQLException {
        try {
            callableDelegate.setInt(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setLong(String parameterName, long x) throws SQLException {
        try {
            callableDelegate.setLong(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setFloat(String parameterName, float x) throws SQLException {
        try {
            callableDelegate.setFloat(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setDouble(String parameterName, double x) throws SQLException {
        try {
            callableDelegate.setDouble(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setBigDecimal(String parameterName, BigDecimal x) throws SQLException {
        try {
            callableDelegate.setBigDecimal(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setString(String parameterName, String x) throws SQLException {
        try {
            callableDelegate.setString(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setBytes(String parameterName, byte[] x) throws SQLException {
        try {
            callableDelegate.setBytes(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setDate(String parameterName, Date x) throws SQLException {
        try {
            callableDelegate.setDate(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setTime(String parameterName, Time x) throws SQLException {
        try {
            callableDelegate.setTime(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setTimestamp(String parameterName, Timestamp x) throws SQLException {
        try {
            callableDelegate.setTimestamp(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setAsciiStream(String parameterName, InputStream x, int length) throws SQLException {
        try {
            callableDelegate.setAsciiStream(parameterName, x, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setBinaryStream(String parameterName, InputStream x, int length) throws SQLException {
        try {
            callableDelegate.setBinaryStream(parameterName, x, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setObject(String parameterName, Object x, int targetSqlType, int scale) throws SQLException {
        try {
            callableDelegate.setObject(parameterName, x, targetSqlType, scale);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setObject(String parameterName, Object x, int targetSqlType) throws SQLException {
        try {
            callableDelegate.setObject(parameterName, x, targetSqlType);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setObject(String parameterName, Object x) throws SQLException {
        try {
            callableDelegate.setObject(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setCharacterStream(String parameterName, Reader reader, int length) throws SQLException {
        try {
            callableDelegate.setCharacterStream(parameterName, reader, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setDate(String parameterName, Date x, Calendar cal) throws SQLException {
        try {
            callableDelegate.setDate(parameterName, x, cal);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setTime(String parameterName, Time x, Calendar cal) throws SQLException {
        try {
            callableDelegate.setTime(parameterName, x, cal);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setTimestamp(String parameterName, Timestamp x, Calendar cal) throws SQLException {
        try {
            callableDelegate.setTimestamp(parameterName, x, cal);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setNull(String parameterName, int sqlType, String typeName) throws SQLException {
        try {
            callableDelegate.setNull(parameterName, sqlType, typeName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public String getString(String parameterName) throws SQLException {
        try {
            return callableDelegate.getString(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public boolean getBoolean(String parameterName) throws SQLException {
        try {
            return callableDelegate.getBoolean(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public byte getByte(String parameterName) throws SQLException {
        try {
            return callableDelegate.getByte(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public short getShort(String parameterName) throws SQLException {
        try {
            return callableDelegate.getShort(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public int getInt(String parameterName) throws SQLException {
        try {
            return callableDelegate.getInt(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public long getLong(String parameterName) throws SQLException {
        try {
            return callableDelegate.getLong(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public float getFloat(String parameterName) throws SQLException {
        try {
            return callableDelegate.getFloat(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public double getDouble(String parameterName) throws SQLException {
        try {
            return callableDelegate.getDouble(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public byte[] getBytes(String parameterName) throws SQLException {
        try {
            return callableDelegate.getBytes(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Date getDate(String parameterName) throws SQLException {
        try {
            return callableDelegate.getDate(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Time getTime(String parameterName) throws SQLException {
        try {
            return callableDelegate.getTime(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Timestamp getTimestamp(String parameterName) throws SQLException {
        try {
            return callableDelegate.getTimestamp(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Object getObject(String parameterName) throws SQLException {
        try {
            return callableDelegate.getObject(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public BigDecimal getBigDecimal(String parameterName) throws SQLException {
        try {
            return callableDelegate.getBigDecimal(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Object getObject(String parameterName, Map<String, Class<?>> map) throws SQLException {
        try {
            return callableDelegate.getObject(parameterName, map);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Ref getRef(String parameterName) throws SQLException {
        try {
            return callableDelegate.getRef(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Blob getBlob(String parameterName) throws SQLException {
        try {
            return callableDelegate.getBlob(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Clob getClob(String parameterName) throws SQLException {
        try {
            return callableDelegate.getClob(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Array getArray(String parameterName) throws SQLException {
        try {
            return callableDelegate.getArray(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Date getDate(String parameterName, Calendar cal) throws SQLException {
        try {
            return callableDelegate.getDate(parameterName, cal);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Time getTime(String parameterName, Calendar cal) throws SQLException {
        try {
            return callableDelegate.getTime(parameterName, cal);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Timestamp getTimestamp(String parameterName, Calendar cal) throws SQLException {
        try {
            return callableDelegate.getTimestamp(parameterName, cal);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public URL getURL(String parameterName) throws SQLException {
        try {
            return callableDelegate.getURL(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public RowId getRowId(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getRowId(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public RowId getRowId(String parameterName) throws SQLException {
        try {
            return callableDelegate.getRowId(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setRowId(String parameterName, RowId x) throws SQLException {
        try {
            callableDelegate.setRowId(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setNString(String parameterName, String value) throws SQLException {
        try {
            callableDelegate.setNString(parameterName, value);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setNCharacterStream(String parameterName, Reader value, long length) throws SQLException {
        try {
            callableDelegate.setNCharacterStream(parameterName, value, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setNClob(String parameterName, NClob value) throws SQLException {
        try {
            callableDelegate.setNClob(parameterName, value);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setClob(String parameterName, Reader reader, long length) throws SQLException {
        try {
            callableDelegate.setClob(parameterName, reader, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setBlob(String parameterName, InputStream inputStream, long length) throws SQLException {
        try {
            callableDelegate.setBlob(parameterName, inputStream, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setNClob(String parameterName, Reader reader, long length) throws SQLException {
        try {
            callableDelegate.setNClob(parameterName, reader, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public NClob getNClob(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getNClob(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public NClob getNClob(String parameterName) throws SQLException {
        try {
            return callableDelegate.getNClob(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setSQLXML(String parameterName, SQLXML xmlObject) throws SQLException {
        try {
            callableDelegate.setSQLXML(parameterName, xmlObject);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public SQLXML getSQLXML(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getSQLXML(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public SQLXML getSQLXML(String parameterName) throws SQLException {
        try {
            return callableDelegate.getSQLXML(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public String getNString(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getNString(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public String getNString(String parameterName) throws SQLException {
        try {
            return callableDelegate.getNString(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Reader getNCharacterStream(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getNCharacterStream(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Reader getNCharacterStream(String parameterName) throws SQLException {
        try {
            return callableDelegate.getNCharacterStream(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Reader getCharacterStream(int parameterIndex) throws SQLException {
        try {
            return callableDelegate.getCharacterStream(parameterIndex);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public Reader getCharacterStream(String parameterName) throws SQLException {
        try {
            return callableDelegate.getCharacterStream(parameterName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setBlob(String parameterName, Blob x) throws SQLException {
        try {
            callableDelegate.setBlob(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setClob(String parameterName, Clob x) throws SQLException {
        try {
            callableDelegate.setClob(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setAsciiStream(String parameterName, InputStream x, long length) throws SQLException {
        try {
            callableDelegate.setAsciiStream(parameterName, x, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setBinaryStream(String parameterName, InputStream x, long length) throws SQLException {
        try {
            callableDelegate.setBinaryStream(parameterName, x, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setCharacterStream(String parameterName, Reader reader, long length) throws SQLException {
        try {
            callableDelegate.setCharacterStream(parameterName, reader, length);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setAsciiStream(String parameterName, InputStream x) throws SQLException {
        try {
            callableDelegate.setAsciiStream(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setBinaryStream(String parameterName, InputStream x) throws SQLException {
        try {
            callableDelegate.setBinaryStream(parameterName, x);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setCharacterStream(String parameterName, Reader reader) throws SQLException {
        try {
            callableDelegate.setCharacterStream(parameterName, reader);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setNCharacterStream(String parameterName, Reader value) throws SQLException {
        try {
            callableDelegate.setNCharacterStream(parameterName, value);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setClob(String parameterName, Reader reader) throws SQLException {
        try {
            callableDelegate.setClob(parameterName, reader);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setBlob(String parameterName, InputStream inputStream) throws SQLException {
        try {
            callableDelegate.setBlob(parameterName, inputStream);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setNClob(String parameterName, Reader reader) throws SQLException {
        try {
            callableDelegate.setNClob(parameterName, reader);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public <T> T getObject(int parameterIndex, Class<T> type) throws SQLException {
        try {
            return callableDelegate.getObject(parameterIndex, type);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public <T> T getObject(String parameterName, Class<T> type) throws SQLException {
        try {
            return callableDelegate.getObject(parameterName, type);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setObject(String parameterName, Object x, SQLType targetSqlType,
                          int scaleOrLength) throws SQLException {
        try {
            callableDelegate.setObject(parameterName, x, targetSqlType, scaleOrLength);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setObject(String parameterName, Object x, SQLType targetSqlType) throws SQLException {
        try {
            callableDelegate.setObject(parameterName, x, targetSqlType);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void registerOutParameter(int parameterIndex, SQLType sqlType) throws SQLException {
        try {
            callableDelegate.registerOutParameter(parameterIndex, sqlType);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void registerOutParameter(int parameterIndex, SQLType sqlType, int scale) throws SQLException {
        try {
            callableDelegate.registerOutParameter(parameterIndex, sqlType, scale);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void registerOutParameter(int parameterIndex, SQLType sqlType, String typeName) throws SQLException {
        try {
            callableDelegate.registerOutParameter(parameterIndex, sqlType, typeName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void registerOutParameter(String parameterName, SQLType sqlType) throws SQLException {
        try {
            callableDelegate.registerOutParameter(parameterName, sqlType);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void registerOutParameter(String parameterName, SQLType sqlType, int scale) throws SQLException {
        try {
            callableDelegate.registerOutParameter(parameterName, sqlType, scale);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void registerOutParameter(String parameterName, SQLType sqlType, String typeName) throws SQLException {
        try {
            callableDelegate.registerOutParameter(parameterName, sqlType, typeName);
        } catch (SQLException e) {
            throw failed(e, JdbcOperation.OTHER);
        }
    }
}
