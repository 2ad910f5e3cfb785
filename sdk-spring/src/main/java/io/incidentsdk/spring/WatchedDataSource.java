package io.incidentsdk.spring;

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
 * A {@link DataSource} bean as Incident SDK watches it: what the auto-configuration puts in the place of each
 * DataSource bean of the application, and so the type that {@code /actuator/beans} and the bean factory show for
 * it. Every call goes to the data source that {@code JdbcIncidents.watch} (or {@code watchPool}, with the watch
 * under a HikariCP pool) returned, unchanged: failures become incidents, and the application gets the driver's
 * own exceptions.
 *
 * <p>{@code unwrap} and {@code isWrapperFor} reach what the bean wraps: {@code unwrap(HikariDataSource.class)}
 * gives the pool (its MXBeans and Boot's pool metrics keep working), and {@code unwrap(DataSource.class)} gives
 * the original data source, which is how Spring Boot derives a data source from it (Flyway or Liquibase with a
 * user of their own, {@code DataSourceBuilder.derivedFrom}). The original bean is still the object Spring closes
 * at shutdown.
 *
 * <p>Applications do not create it; inject {@code DataSource} as usual.
 *
 * @since 0.1.0
 */
public final class WatchedDataSource implements DataSource {

    private final DataSource watched;
    private final String beanName;
    private final String placement;

    WatchedDataSource(DataSource watched, String beanName, String placement) {
        this.watched = Objects.requireNonNull(watched, "watched");
        this.beanName = Objects.requireNonNull(beanName, "beanName");
        this.placement = Objects.requireNonNull(placement, "placement");
    }

    /**
     * The name of the DataSource bean, which is also its name in incidents and metric tags (cut to 100
     * characters).
     *
     * @return the bean name
     */
    public String beanName() {
        return beanName;
    }

    /**
     * Where the watch sits: {@code "under the HikariCP pool"} (each physical connection wrapped once for its life
     * in the pool) or {@code "in front of <class>"} (each borrowed connection wrapped).
     *
     * @return the placement, as the start-up line says it
     */
    public String placement() {
        return placement;
    }

    @Override
    public String toString() {
        return "WatchedDataSource[" + beanName + ", " + placement + "]";
    }

    // ---- javax.sql.DataSource: all to the watched data source, which reports and rethrows unchanged ----

    @Override
    public Connection getConnection() throws SQLException {
        return watched.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return watched.getConnection(username, password);
    }

    @Override
    public ConnectionBuilder createConnectionBuilder() throws SQLException {
        return watched.createConnectionBuilder();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return watched.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        watched.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        watched.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return watched.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return watched.getParentLogger();
    }

    @Override
    public ShardingKeyBuilder createShardingKeyBuilder() throws SQLException {
        return watched.createShardingKeyBuilder();
    }

    // ---- java.sql.Wrapper ----

    /**
     * Returns this bean for its own type, otherwise what the watched data source returns: the pool or driver data
     * source for their types, and the original data source for {@code DataSource.class}.
     *
     * @param iface the type asked for
     * @return the object of that type
     * @throws SQLException when nothing wrapped is of that type
     */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface != DataSource.class && iface.isInstance(this)) {
            return iface.cast(this);
        }
        return watched.unwrap(iface);
    }

    /**
     * Whether this bean is, or wraps, an object of the given type.
     *
     * @param iface the type asked for
     * @return {@code true} for this type and for what the watched data source wraps
     * @throws SQLException when the wrapped data source cannot answer
     */
    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || watched.isWrapperFor(iface);
    }
}
