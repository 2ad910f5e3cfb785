package io.incidentsdk.spring;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.DriverDataSource;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places the watch under a HikariCP pool: the pool is made to get its connections from a watched data
 * source, and is itself watched for failures to borrow. Loaded only when HikariCP is on the class path.
 */
final class HikariPlacement {

    private static final Logger LOG = LoggerFactory.getLogger(HikariPlacement.class);

    private HikariPlacement() {
    }

    /**
     * Watches a HikariCP pool from under it, when that is still possible.
     *
     * @return the watched pool, or {@code null} when {@code bean} is no HikariCP pool, or one that started
     *         already (its configuration is sealed), or one configured by data source class name, JNDI or a
     *         credentials provider (the pool creates that data source itself): watch it in front then
     */
    static DataSource watchUnderPool(DataSource bean, IncidentSdk sdk, JdbcWatchOptions options) {
        if (!(bean instanceof HikariDataSource pool) || pool.isRunning() || pool.isClosed()) {
            return null;
        }
        try {
            DataSource physical = pool.getDataSource();
            if (physical == null) {
                if (pool.getJdbcUrl() == null || pool.getDataSourceClassName() != null
                        || pool.getDataSourceJNDI() != null || hasCredentialsProvider(pool)) {
                    return null;
                }
                // what the pool would create itself from the same settings
                physical = new DriverDataSource(pool.getJdbcUrl(), pool.getDriverClassName(),
                        pool.getDataSourceProperties(), pool.getUsername(), pool.getPassword());
            }
            DataSource watched = JdbcIncidents.watch(physical, sdk, options);
            pool.setDataSource(watched);
            return JdbcIncidents.watchPool(pool, watched);
        } catch (RuntimeException | LinkageError e) {
            // a sealed configuration, a driver that is missing, another HikariCP version: the pool is unchanged
            // (only the exception's type is logged: a driver's message may quote the URL and its password)
            LOG.debug("Incident SDK watches pool {} in front of it: it could not be watched under it ({})",
                    pool.getPoolName(), e.getClass().getName());
            return null;
        }
    }

    /** Whether the pool takes its credentials from a provider (HikariCP 7); older versions have none. */
    private static boolean hasCredentialsProvider(HikariDataSource pool) {
        try {
            return pool.getCredentialsProvider() != null || pool.getCredentialsProviderClassName() != null;
        } catch (LinkageError olderHikari) {
            return false;
        }
    }
}
