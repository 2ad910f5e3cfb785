package io.incidentsdk.benchmarks.stub;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A do-nothing JDBC "driver" behind a {@link DataSource}: every call answers at once, success allocates
 * nothing per execution, and failures (by the {@link StubDatabase}'s rule) throw a new exception each time,
 * as a real driver does. It makes the cost of whatever wraps it visible.
 *
 * <p>{@link #getConnection()} creates a new {@link StubConnection} (a pool keeps it); it is the only
 * allocation besides the first {@code prepareStatement} of each SQL text on a connection.
 *
 * @since 0.1.0
 */
public final class StubDataSource implements DataSource {

    private final StubDatabase database;
    private PrintWriter logWriter;
    private int loginTimeout;

    /**
     * Creates the data source.
     *
     * @param database what it pretends to be and which statements fail
     */
    public StubDataSource(StubDatabase database) {
        this.database = database;
    }

    @Override
    public Connection getConnection() {
        return new StubConnection(database);
    }

    @Override
    public Connection getConnection(String username, String password) {
        return new StubConnection(database);
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("the stub has no parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "StubDataSource[" + database + "]";
    }
}
