package io.incidentsdk.benchmarks.handwritten;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The floor of any JDBC wrapper, written by hand for the benchmarks: plain delegating classes whose only
 * work is a {@code try/catch} around each call and, on failure, reading the exception's SQLState and
 * counting it. No classification, no incident, no allocation on success. Whatever a real wrapper costs
 * beyond this is the price of what it does.
 *
 * @since 0.1.0
 */
public final class HandwrittenDataSource implements DataSource {

    private final DataSource delegate;
    private final LongAdder failures = new LongAdder();
    private volatile String lastSqlState;

    /**
     * Wraps a data source.
     *
     * @param delegate the data source
     */
    public HandwrittenDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** Notes a failure (its SQLState and the count) and returns the very exception. */
    <E extends SQLException> E failed(E e) {
        lastSqlState = e.getSQLState();
        failures.increment();
        return e;
    }

    /**
     * How many failures the wrappers saw.
     *
     * @return the count
     */
    public long failures() {
        return failures.sum();
    }

    /**
     * The SQLState of the latest failure.
     *
     * @return the SQLState, or {@code null} before the first failure
     */
    public String lastSqlState() {
        return lastSqlState;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return new HandwrittenConnection(this, delegate.getConnection());
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        try {
            return new HandwrittenConnection(this, delegate.getConnection(username, password));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

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
