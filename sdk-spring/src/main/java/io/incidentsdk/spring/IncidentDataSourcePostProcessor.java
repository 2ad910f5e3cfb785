package io.incidentsdk.spring;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;

/**
 * Watches every {@link DataSource} bean: replaces it, after its initialization, with a {@link WatchedDataSource}
 * around {@link JdbcIncidents#watch(DataSource, IncidentSdk, JdbcWatchOptions)} named after the bean. The watched
 * data source {@code unwrap}s to the original (a {@code HikariDataSource}, its MXBeans and pool metrics stay
 * reachable), and the original is still the object Spring closes at shutdown.
 *
 * <p>A {@code HikariDataSource} that has not started yet (as Spring Boot creates it) and gets its connections
 * from a JDBC URL or a given data source is watched under the pool instead ({@code incident.jdbc.under-pool},
 * on by default): the pool makes its connections through the watch, and the bean becomes
 * {@link JdbcIncidents#watchPool(DataSource, DataSource)} of it, which still unwraps to the pool.
 *
 * <p>With {@code incident.context.*}, the incidents of a failed call carry the HTTP method and route template of
 * the Spring MVC request that made it, and the configured MDC values (see {@link RequestContextAttributes}).
 *
 * <p>Left alone: scoped-proxy targets ({@code scopedTarget.*}; the scoped proxy itself is watched), the
 * beans named in {@code incident.jdbc.excluded-beans}, and data sources that are already watched (also
 * through a wrapper such as a {@code DelegatingDataSource}). The SDK, the properties and the customizers are
 * looked up only when the first DataSource bean is processed, so this post-processor, created very early,
 * forces nothing else to be created early.
 */
final class IncidentDataSourcePostProcessor implements BeanPostProcessor, BeanClassLoaderAware {

    private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
            IncidentDataSourcePostProcessor.class.getClassLoader());

    /** {@code JdbcWatchOptions} accepts names of at most this length. */
    private static final int MAX_NAME_LENGTH = 100;

    private final ObjectProvider<IncidentSdk> sdk;
    private final ObjectProvider<IncidentProperties> properties;
    private final ObjectProvider<JdbcWatchOptionsCustomizer> customizers;
    /** Bean name to where the watch was placed, for the start-up line. */
    private final Map<String, String> placements = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile RequestContextAttributes requestContext;
    private volatile ClassLoader classLoader = IncidentDataSourcePostProcessor.class.getClassLoader();

    IncidentDataSourcePostProcessor(ObjectProvider<IncidentSdk> sdk, ObjectProvider<IncidentProperties> properties,
            ObjectProvider<JdbcWatchOptionsCustomizer> customizers) {
        this.sdk = sdk;
        this.properties = properties;
        this.customizers = customizers;
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
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
        RequestContextAttributes context = requestContext(settings.getContext());
        if (context != null) {
            options.contextAttributes(context);
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(beanName, options));
        JdbcWatchOptions watchOptions = options.build();
        if (settings.getJdbc().isUnderPool() && HIKARI_PRESENT) {
            DataSource underPool = HikariPlacement.watchUnderPool(dataSource, incidents, watchOptions);
            if (underPool != null) {
                return bean(underPool, beanName, "under the HikariCP pool");
            }
        }
        DataSource watched = JdbcIncidents.watch(dataSource, incidents, watchOptions);
        return bean(watched, beanName, "in front of " + dataSource.getClass().getSimpleName());
    }

    /** The bean that replaces the original: of a public, documented type (it shows in {@code /actuator/beans}). */
    private WatchedDataSource bean(DataSource watched, String beanName, String placement) {
        placements.put(beanName, placement);
        return new WatchedDataSource(watched, beanName, placement);
    }

    /**
     * The request context of {@code incident.context.*}, one for all DataSource beans; {@code null} when there is
     * nothing to add (then the watch asks no supplier at all).
     */
    private RequestContextAttributes requestContext(IncidentProperties.Context settings) {
        RequestContextAttributes context = requestContext;
        if (context == null) {
            context = new RequestContextAttributes(settings.isHttp()
                    && RequestContextAttributes.webMvcPresent(classLoader),
                    settings.getMdcKeys());
            requestContext = context;
        }
        return context.isEmpty() ? null : context;
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
                .spikeCoolDown(spike.getCoolDown())
                .lockOrderSampling(jdbc.getLockOrder().getSampling())
                .lockOrderAvoidance(jdbc.getLockOrder().getAvoidance());
    }
}
