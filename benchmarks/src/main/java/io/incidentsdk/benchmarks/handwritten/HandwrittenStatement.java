package io.incidentsdk.benchmarks.handwritten;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * The hand-written floor of a {@link Statement} wrapper: every method delegates, every
 * {@link SQLException} is noted by its SQLState and rethrown unchanged.
 *
 * @since 0.1.0
 */
public class HandwrittenStatement implements Statement {

    final HandwrittenConnection connection;
    private final Statement delegate;

    HandwrittenStatement(HandwrittenConnection connection, Statement delegate) {
        this.connection = connection;
        this.delegate = delegate;
    }

    final <E extends SQLException> E failed(E e) {
        return connection.failed(e);
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
    public void addBatch(String arg0) throws SQLException {
        try {
            delegate.addBatch(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void cancel() throws SQLException {
        try {
            delegate.cancel();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void clearBatch() throws SQLException {
        try {
            delegate.clearBatch();
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
    public void closeOnCompletion() throws SQLException {
        try {
            delegate.closeOnCompletion();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public String enquoteIdentifier(String arg0, boolean arg1) throws SQLException {
        try {
            return delegate.enquoteIdentifier(arg0, arg1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public String enquoteLiteral(String arg0) throws SQLException {
        try {
            return delegate.enquoteLiteral(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public String enquoteNCharLiteral(String arg0) throws SQLException {
        try {
            return delegate.enquoteNCharLiteral(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute(String arg0) throws SQLException {
        try {
            return delegate.execute(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute(String arg0, int[] arg1) throws SQLException {
        try {
            return delegate.execute(arg0, arg1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute(String arg0, String[] arg1) throws SQLException {
        try {
            return delegate.execute(arg0, arg1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean execute(String arg0, int arg1) throws SQLException {
        try {
            return delegate.execute(arg0, arg1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int[] executeBatch() throws SQLException {
        try {
            return delegate.executeBatch();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        try {
            return delegate.executeLargeBatch();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate(String arg0) throws SQLException {
        try {
            return delegate.executeLargeUpdate(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate(String arg0, int[] arg1) throws SQLException {
        try {
            return delegate.executeLargeUpdate(arg0, arg1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate(String arg0, String[] arg1) throws SQLException {
        try {
            return delegate.executeLargeUpdate(arg0, arg1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long executeLargeUpdate(String arg0, int arg1) throws SQLException {
        try {
            return delegate.executeLargeUpdate(arg0, arg1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public ResultSet executeQuery(String arg0) throws SQLException {
        try {
            return delegate.executeQuery(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate(String arg0) throws SQLException {
        try {
            return delegate.executeUpdate(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate(String arg0, int[] arg1) throws SQLException {
        try {
            return delegate.executeUpdate(arg0, arg1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate(String arg0, String[] arg1) throws SQLException {
        try {
            return delegate.executeUpdate(arg0, arg1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int executeUpdate(String arg0, int arg1) throws SQLException {
        try {
            return delegate.executeUpdate(arg0, arg1);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connection;
    }

    @Override
    public int getFetchDirection() throws SQLException {
        try {
            return delegate.getFetchDirection();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getFetchSize() throws SQLException {
        try {
            return delegate.getFetchSize();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        try {
            return delegate.getGeneratedKeys();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        try {
            return delegate.getLargeMaxRows();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        try {
            return delegate.getLargeUpdateCount();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        try {
            return delegate.getMaxFieldSize();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getMaxRows() throws SQLException {
        try {
            return delegate.getMaxRows();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        try {
            return delegate.getMoreResults();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean getMoreResults(int arg0) throws SQLException {
        try {
            return delegate.getMoreResults(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        try {
            return delegate.getQueryTimeout();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        try {
            return delegate.getResultSet();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        try {
            return delegate.getResultSetConcurrency();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        try {
            return delegate.getResultSetHoldability();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getResultSetType() throws SQLException {
        try {
            return delegate.getResultSetType();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int getUpdateCount() throws SQLException {
        try {
            return delegate.getUpdateCount();
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
    public boolean isCloseOnCompletion() throws SQLException {
        try {
            return delegate.isCloseOnCompletion();
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
    public boolean isPoolable() throws SQLException {
        try {
            return delegate.isPoolable();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean isSimpleIdentifier(String arg0) throws SQLException {
        try {
            return delegate.isSimpleIdentifier(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setCursorName(String arg0) throws SQLException {
        try {
            delegate.setCursorName(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setEscapeProcessing(boolean arg0) throws SQLException {
        try {
            delegate.setEscapeProcessing(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setFetchDirection(int arg0) throws SQLException {
        try {
            delegate.setFetchDirection(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setFetchSize(int arg0) throws SQLException {
        try {
            delegate.setFetchSize(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setLargeMaxRows(long arg0) throws SQLException {
        try {
            delegate.setLargeMaxRows(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setMaxFieldSize(int arg0) throws SQLException {
        try {
            delegate.setMaxFieldSize(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setMaxRows(int arg0) throws SQLException {
        try {
            delegate.setMaxRows(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setPoolable(boolean arg0) throws SQLException {
        try {
            delegate.setPoolable(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void setQueryTimeout(int arg0) throws SQLException {
        try {
            delegate.setQueryTimeout(arg0);
        } catch (SQLException e) {
            throw failed(e);
        }
    }
}
