package io.incidentsdk.jdbc.internal.wrap;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.ShardingKeyBuilder;
import java.util.Objects;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A watched {@link DataSource}: the connections it hands out (also through
 * {@link #createConnectionBuilder()}) are {@link WatchedConnection}s reporting to one
 * {@link JdbcObserver}, or, from a pool whose own connections are watched (see
 * {@link #wrapPool(DataSource, DataSource)}), the pool's connections as they are. Every method of JDBC 4.3
 * delegates to the wrapped data source; every {@link SQLException} is reported and rethrown unchanged (the
 * very object).
 *
 * <p>{@code unwrap}/{@code isWrapperFor} answer for this wrapper first, then ask the wrapped data source,
 * so pools stay reachable: a watched {@code HikariDataSource} unwraps to the {@code HikariDataSource}. The one
 * exception is {@code unwrap(DataSource.class)}, which peels the watch and returns the wrapped data source:
 * that is how Spring Boot's {@code DataSourceBuilder.derivedFrom} finds the data source whose URL and driver
 * it copies (Flyway or Liquibase with a user of their own), as it does through Spring's own wrappers.
 * Their failures, and those of {@code getParentLogger()}, are probes rather than database trouble and are
 * not reported.
 *
 * <p>Internal: not part of the public API.
 *
 * @since 0.1.0
 */
public final class WatchedDataSource implements DataSource {

    final DataSource delegate;
    private final DataSourceContext context;

    private WatchedDataSource(DataSource delegate, DataSourceContext context) {
        this.delegate = delegate;
        this.context = context;
    }

    /**
     * Watches a data source. A data source that is already watched (this class, or a wrapper for which
     * {@code isWrapperFor(WatchedDataSource.class)} is {@code true}) is returned as it is, with its own name
     * and observer: wrapping twice never watches twice.
     *
     * @param target   the data source to watch, not {@code null}
     * @param name     a name for it (a bean name, a pool name), may be {@code null}
     * @param observer where the wrappers report to, not {@code null}
     * @return the watched data source, or {@code target} when it is already watched
     * @since 0.1.0
     */
    public static DataSource wrap(DataSource target, String name, JdbcObserver observer) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(observer, "observer");
        if (isWatched(target)) {
            return target;
        }
        return new WatchedDataSource(target, new DataSourceContext(name, observer));
    }

    /**
     * Watches a pool whose connections are watched from under it: {@code below} is the watched data source
     * the pool makes its connections with. The pool's connections pass through as the pool hands them out
     * (they are watched already); failures to borrow one (a pool exhausted, timed out, closed) are reported
     * to {@code below}'s context, so one name, one observer and one spike window cover both.
     *
     * @param pool  the pool, not {@code null}
     * @param below the watched data source the pool makes its connections with, not {@code null}
     * @return the watched pool, or {@code pool} when it is a watched data source of ours already
     * @throws IllegalArgumentException when {@code below} is not (and does not wrap) a watched data source
     * @since 0.1.0
     */
    public static DataSource wrapPool(DataSource pool, DataSource below) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(below, "below");
        if (pool instanceof WatchedDataSource) {
            return pool;
        }
        return new WatchedDataSource(pool, watchedOf(below).context);
    }

    private static WatchedDataSource watchedOf(DataSource dataSource) {
        if (dataSource instanceof WatchedDataSource watched) {
            return watched;
        }
        try {
            if (dataSource.isWrapperFor(WatchedDataSource.class)) {
                return dataSource.unwrap(WatchedDataSource.class);
            }
        } catch (SQLException | RuntimeException e) {
            throw new IllegalArgumentException("The data source under the pool could not be asked for its watch ("
                    + e.getClass().getName() + "); pass the data source that JdbcIncidents.watch returned", e);
        }
        throw new IllegalArgumentException("The data source under the pool is not watched: " + dataSource.getClass()
                .getName() + "; pass the data source that JdbcIncidents.watch returned, and make the pool use it");
    }

    /**
     * The observer a watched data source reports to.
     *
     * @param dataSource a data source, not {@code null}
     * @return its observer, or {@code null} when it is not watched or cannot be asked
     * @since 0.1.0
     */
    public static JdbcObserver observerOf(DataSource dataSource) {
        try {
            return isWatched(dataSource) ? watchedOf(dataSource).context.observer() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Whether a data source is watched already: this class, or a wrapper for which
     * {@code isWrapperFor(WatchedDataSource.class)} is {@code true} (a data source that cannot answer is not).
     *
     * @param dataSource the data source, not {@code null}
     * @return {@code true} when it is one of ours or wraps one of ours
     * @since 0.1.0
     */
    public static boolean isWatched(DataSource dataSource) {
        if (dataSource instanceof WatchedDataSource) {
            return true;
        }
        try {
            return dataSource.isWrapperFor(WatchedDataSource.class);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The context every wrapper of this data source shares: name, observer, database facts.
     *
     * @return the context, never {@code null}
     * @since 0.1.0
     */
    public DataSourceContext context() {
        return context;
    }

    @Override
    public String toString() {
        return "WatchedDataSource[" + context.name() + "] " + delegate;
    }

    // ---- javax.sql.DataSource ----

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection;
        try {
            connection = delegate.getConnection();
        } catch (SQLException e) {
            throw context.failedWithoutConnection(e, JdbcOperation.GET_CONNECTION);
        }
        return WatchedConnection.watch(connection, context);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Connection connection;
        try {
            connection = delegate.getConnection(username, password);
        } catch (SQLException e) {
            throw context.failedWithoutConnection(e, JdbcOperation.GET_CONNECTION);
        }
        return WatchedConnection.watch(connection, context);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        try {
            return delegate.getLogWriter();
        } catch (SQLException e) {
            throw context.failedWithoutConnection(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        try {
            delegate.setLogWriter(out);
        } catch (SQLException e) {
            throw context.failedWithoutConnection(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        try {
            delegate.setLoginTimeout(seconds);
        } catch (SQLException e) {
            throw context.failedWithoutConnection(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        try {
            return delegate.getLoginTimeout();
        } catch (SQLException e) {
            throw context.failedWithoutConnection(e, JdbcOperation.OTHER);
        }
    }

    @Override
    public ConnectionBuilder createConnectionBuilder() throws SQLException {
        ConnectionBuilder builder;
        try {
            builder = delegate.createConnectionBuilder();
        } catch (SQLException e) {
            throw context.failedWithoutConnection(e, JdbcOperation.OTHER);
        }
        return builder == null ? null : new WatchedConnectionBuilder(builder, context);
    }

    // ---- javax.sql.CommonDataSource ----

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        // a logging framework's probe that many pools answer with this exception: no database trouble, not reported
        return delegate.getParentLogger();
    }

    @Override
    public ShardingKeyBuilder createShardingKeyBuilder() throws SQLException {
        try {
            return delegate.createShardingKeyBuilder();
        } catch (SQLException e) {
            throw context.failedWithoutConnection(e, JdbcOperation.OTHER);
        }
    }

    // ---- java.sql.Wrapper ----

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface == DataSource.class) {
            // asked for "the data source", a caller peels wrappers (Spring Boot's DataSourceBuilder.derivedFrom
            // unwraps until a data source answers with itself): give it the one under the watch
            return iface.cast(delegate);
        }
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
