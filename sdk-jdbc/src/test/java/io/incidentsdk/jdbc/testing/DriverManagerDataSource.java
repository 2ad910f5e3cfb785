package io.incidentsdk.jdbc.testing;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A plain {@link DataSource} without a pool: every {@link #getConnection()} opens a new physical
 * connection through {@link DriverManager}, and closing it really closes it. Tests that kill sessions or
 * count backends need exactly that.
 *
 * @since 0.1.0
 */
public final class DriverManagerDataSource implements DataSource {

    private final DatabaseAccount account;
    private volatile PrintWriter logWriter;
    private volatile int loginTimeoutSeconds;

    /**
     * Creates a data source for an account.
     *
     * @param account where and as whom to connect
     * @since 0.1.0
     */
    public DriverManagerDataSource(DatabaseAccount account) {
        this.account = Objects.requireNonNull(account, "account");
    }

    /**
     * The account this data source connects with.
     *
     * @return the account
     * @since 0.1.0
     */
    public DatabaseAccount account() {
        return account;
    }

    /**
     * Opens a new connection as the account's user.
     *
     * @return a new connection
     * @throws SQLException if the driver cannot connect
     * @since 0.1.0
     */
    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(account.user(), account.password());
    }

    /**
     * Opens a new connection as another user.
     *
     * @param username the user
     * @param password the password
     * @return a new connection
     * @throws SQLException if the driver cannot connect
     * @since 0.1.0
     */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", username);
        properties.setProperty("password", password);
        return DriverManager.getConnection(account.url(), properties);
    }

    /**
     * Returns the log writer set before; the drivers do not use it.
     *
     * @return the log writer, or null
     * @since 0.1.0
     */
    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    /**
     * Remembers a log writer; the drivers do not use it.
     *
     * @param out the log writer
     * @since 0.1.0
     */
    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /**
     * Remembers a login timeout; connections use the drivers' own defaults.
     *
     * @param seconds the timeout
     * @since 0.1.0
     */
    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds;
    }

    /**
     * Returns the login timeout set before.
     *
     * @return the timeout in seconds, 0 when unset
     * @since 0.1.0
     */
    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    /**
     * Not supported.
     *
     * @return never
     * @throws SQLFeatureNotSupportedException always
     * @since 0.1.0
     */
    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("DriverManagerDataSource has no parent logger");
    }

    /**
     * Returns this object if it implements the interface.
     *
     * @param iface the interface
     * @param <T> the interface type
     * @return this
     * @throws SQLException if this object does not implement the interface
     * @since 0.1.0
     */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("DriverManagerDataSource does not implement " + iface.getName());
    }

    /**
     * Tells whether this object implements the interface.
     *
     * @param iface the interface
     * @return whether {@link #unwrap(Class)} would succeed
     * @since 0.1.0
     */
    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    /**
     * The account without its password.
     *
     * @return a description for messages
     * @since 0.1.0
     */
    @Override
    public String toString() {
        return "DriverManagerDataSource[" + account + "]";
    }
}
