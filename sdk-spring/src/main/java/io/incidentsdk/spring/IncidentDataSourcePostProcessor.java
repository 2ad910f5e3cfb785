package io.incidentsdk.spring;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;

/**
 * Watches every {@link DataSource} bean: replaces it, after its initialization, with
 * {@link JdbcIncidents#watch(DataSource, IncidentSdk, JdbcWatchOptions)} named after the bean. The watched
 * data source {@code unwrap}s to the original (a {@code HikariDataSource}, its MXBeans and pool metrics stay
 * reachable), and the original is still the object Spring closes at shutdown.
 *
 * <p>A {@code HikariDataSource} that has not started yet (as Spring Boot creates it) and gets its connections
 * from a JDBC URL or a given data source is watched under the pool instead ({@code incident.jdbc.under-pool},
 * on by default): the pool makes its connections through the watch, and the bean becomes
 * {@link JdbcIncidents#watchPool(DataSource, DataSource)} of it, which still unwraps to the pool.
 *
 * <p>Left alone: scoped-proxy targets ({@code scopedTarget.*}; the scoped proxy itself is watched), the
 * beans named in {@code incident.jdbc.excluded-beans}, and data sources that are already watched (also
 * through a wrapper such as a {@code DelegatingDataSource}). The SDK, the properties and the customizers are
 * looked up only when the first DataSource bean is processed, so this post-processor, created very early,
 * forces nothing else to be created early.
 */
final class IncidentDataSourcePostProcessor implements BeanPostProcessor {

    private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
            IncidentDataSourcePostProcessor.class.getClassLoader());

    /** {@code JdbcWatchOptions} accepts names of at most this length. */
    private static final int MAX_NAME_LENGTH = 100;

    private final ObjectProvider<IncidentSdk> sdk;
    private final ObjectProvider<IncidentProperties> properties;
    private final ObjectProvider<JdbcWatchOptionsCustomizer> customizers;
    /** Bean name to where the watch was placed, for the start-up line. */
    private final Map<String, String> placements = Collections.synchronizedMap(new LinkedHashMap<>());

    IncidentDataSourcePostProcessor(ObjectProvider<IncidentSdk> sdk, ObjectProvider<IncidentProperties> properties,
            ObjectProvider<JdbcWatchOptionsCustomizer> customizers) {
        this.sdk = sdk;
        this.properties = properties;
        this.customizers = customizers;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof DataSource dataSource) || ScopedProxyUtils.isScopedTarget(beanName)) {
            return bean;
        }
        IncidentProperties settings = properties.getIfAvailable(IncidentProperties::new);
        if (settings.getJdbc().getExcludedBeans().contains(beanName) || JdbcIncidents.isWatched(dataSource)) {
            return bean;
        }
        IncidentSdk incidents = sdk.getIfUnique();
        if (incidents == null) {
            return bean;
        }
        JdbcWatchOptions.Builder options = options(settings.getJdbc(), beanName);
        customizers.orderedStream().forEach(customizer -> customizer.customize(beanName, options));
        JdbcWatchOptions watchOptions = options.build();
        if (settings.getJdbc().isUnderPool() && HIKARI_PRESENT) {
            DataSource underPool = HikariPlacement.watchUnderPool(dataSource, incidents, watchOptions);
            if (underPool != null) {
                placements.put(beanName, "under the HikariCP pool");
                return underPool;
            }
        }
        DataSource watched = JdbcIncidents.watch(dataSource, incidents, watchOptions);
        placements.put(beanName, "in front of " + dataSource.getClass().getSimpleName());
        return watched;
    }

    /** The DataSource beans watched so far, by bean name, with where the watch was placed. */
    Map<String, String> placements() {
        synchronized (placements) {
            return new LinkedHashMap<>(placements);
        }
    }

    static JdbcWatchOptions.Builder options(IncidentProperties.Jdbc jdbc, String beanName) {
        IncidentProperties.Spike spike = jdbc.getSpike();
        return JdbcWatchOptions.builder()
                .dataSourceName(beanName.length() <= MAX_NAME_LENGTH ? beanName : beanName.substring(0, MAX_NAME_LENGTH))
                .incidentCategories(jdbc.getIncidentCategories())
                .autoCommitRetry(jdbc.isAutoCommitRetry(), jdbc.getAutoCommitMaxAttempts())
                .spikeDetection(spike.isEnabled())
                .spikeWindow(spike.getWindow(), spike.getBuckets())
                .spikeThresholds(spike.getThreshold(), spike.getRecoveryThreshold())
                .spikeMinimumCalls(spike.getMinimumCalls())
                .spikeCoolDown(spike.getCoolDown());
    }
}
