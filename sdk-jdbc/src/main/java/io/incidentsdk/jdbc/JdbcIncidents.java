package io.incidentsdk.jdbc;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.internal.watch.JdbcWatch;
import io.incidentsdk.jdbc.internal.wrap.WatchedDataSource;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Watches JDBC: the one call that puts a {@link DataSource} under Incident SDK.
 *
 * <pre>{@code
 * DataSource dataSource = JdbcIncidents.watch(hikariDataSource, incidents);
 * }</pre>
 *
 * <p>Every connection, statement and result set obtained through the returned data source is a thin
 * hand-written wrapper. On success it counts the call and does nothing else. On failure it classifies the
 * exception per vendor ({@link SqlFailureClassifier}), counts it for error-spike detection and metrics,
 * and for deadlocks, serialization failures, lock timeouts, query timeouts and connection failures records
 * an incident naming the statement (sanitized), the database, the data source and, for deadlocks, the
 * statements of the other transactions in the cycle. The application always receives the driver's
 * original exception object, unchanged; nothing of ours is ever thrown into a JDBC call.
 *
 * <p>{@code unwrap}/{@code isWrapperFor} reach the original objects (a wrapped {@code HikariDataSource}
 * still unwraps to it). Watching a watched data source with the same SDK returns it as it is; watching it
 * with another SDK is refused with an {@link IllegalArgumentException} (each call is reported to one SDK, so
 * the second watch would report nothing).
 *
 * <p><b>Under the pool.</b> Watching the pool, as above, wraps each borrowed connection anew. Watching the
 * data source the pool makes its connections with wraps each physical connection once, for its whole life
 * in the pool: a borrow then allocates nothing of ours, and a statement and its result set 24 bytes each.
 * {@link #watchPool(DataSource, DataSource)} adds what only the pool's side sees, failures to borrow:
 *
 * <pre>{@code
 * DataSource physical = JdbcIncidents.watch(driverDataSource, incidents);
 * HikariConfig config = new HikariConfig();
 * config.setDataSource(physical);
 * DataSource dataSource = JdbcIncidents.watchPool(new HikariDataSource(config), physical);
 * }</pre>
 *
 * <p>Under the pool, the SDK also sees what the pool does with its connections (validation, resets, the
 * rollback of a transaction left open), and incidents carry the same facts. The Spring Boot
 * auto-configuration places the watch under a HikariCP pool it can still configure.
 *
 * @since 0.1.0
 */
public final class JdbcIncidents {

    private JdbcIncidents() {
    }

    /**
     * Watches a data source with the default options.
     *
     * @param dataSource the data source, not {@code null}
     * @param sdk        where incidents go, not {@code null}
     * @return the watched data source (the same object when already watched by {@code sdk})
     * @throws IllegalArgumentException when {@code dataSource} is watched already by another SDK
     */
    public static DataSource watch(DataSource dataSource, IncidentSdk sdk) {
        return watch(dataSource, sdk, JdbcWatchOptions.defaults());
    }

    /**
     * Watches a data source.
     *
     * @param dataSource the data source, not {@code null}
     * @param sdk        where incidents go, not {@code null}
     * @param options    how to watch, not {@code null}
     * @return the watched data source (the same object when already watched by {@code sdk})
     * @throws IllegalArgumentException when {@code dataSource} is watched already by another SDK
     */
    public static DataSource watch(DataSource dataSource, IncidentSdk sdk, JdbcWatchOptions options) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        Objects.requireNonNull(sdk, "sdk must not be null");
        Objects.requireNonNull(options, "options must not be null");
        if (isWatched(dataSource)) {
            if (WatchedDataSource.observerOf(dataSource) instanceof JdbcWatch existing && !existing.reportsTo(sdk)) {
                throw new IllegalArgumentException("The data source " + dataSource.getClass().getName() + " is "
                        + "watched already, by another IncidentSdk; a JDBC call is reported to one SDK only, so "
                        + "this watch would report nothing. Watch the unwatched data source with the SDK that "
                        + "should report it, or give that SDK more sinks.");
            }
            return dataSource;
        }
        return WatchedDataSource.wrap(dataSource, options.dataSourceName(), new JdbcWatch(sdk, options, dataSource));
    }

    /**
     * Watches a pool whose connections are watched from under it. {@code watchedConnections} is the data
     * source the pool makes its connections with, as {@link #watch(DataSource, IncidentSdk)} returned it. The
     * returned data source hands out the pool's connections as they are (they are watched already) and
     * reports failures to borrow one (pool exhausted, timed out, closed) like any other failure of that
     * watched data source: same name, same options, same spike window.
     *
     * @param pool               the pool, not {@code null}
     * @param watchedConnections the watched data source under the pool, not {@code null}
     * @return the watched pool (the same object when {@code pool} is one of ours already)
     * @throws IllegalArgumentException when {@code watchedConnections} is not a watched data source
     */
    public static DataSource watchPool(DataSource pool, DataSource watchedConnections) {
        Objects.requireNonNull(pool, "pool must not be null");
        Objects.requireNonNull(watchedConnections, "watchedConnections must not be null");
        return WatchedDataSource.wrapPool(pool, watchedConnections);
    }

    /**
     * Whether a data source is already watched.
     *
     * @param dataSource the data source, not {@code null}
     * @return {@code true} when it is one of ours or wraps one of ours
     */
    public static boolean isWatched(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        return WatchedDataSource.isWatched(dataSource);
    }
}
