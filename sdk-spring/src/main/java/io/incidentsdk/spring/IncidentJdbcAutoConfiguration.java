package io.incidentsdk.spring;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.TransactionRunner;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration that watches every {@link DataSource} bean with the {@link IncidentSdk} bean, and
 * offers a {@link TransactionRunner} on the application's DataSource.
 *
 * <p>Active when JDBC is on the class path, an {@code IncidentSdk} bean exists (the auto-configured one or
 * the application's) and neither {@code incident.enabled} nor {@code incident.jdbc.enabled} is
 * {@code false}. Each DataSource bean is replaced by a watched one named after the bean (see
 * {@code incident.jdbc.*}); it {@code unwrap}s to the original, which Spring still closes at shutdown. With
 * Micrometer and a {@code MeterRegistry} bean, failures are counted as {@code incident.jdbc.failures}.
 * Every {@link JdbcWatchOptionsCustomizer} bean is applied to the options of every watched DataSource.
 *
 * <p>Beans, each only when the application has none of its type: a {@link RetryPolicy} from
 * {@code incident.retry.*}, and, when there is a single (or a primary) DataSource, a {@link TransactionRunner}
 * on it with that policy. The runner takes its own connections and owns their transactions: use it for
 * plain JDBC units of work, not inside a Spring-managed transaction.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = IncidentAutoConfiguration.class,
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(DataSource.class)
@ConditionalOnBooleanProperty(name = "incident.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "incident.jdbc.enabled", matchIfMissing = true)
@ConditionalOnBean(IncidentSdk.class)
@EnableConfigurationProperties(IncidentProperties.class)
public final class IncidentJdbcAutoConfiguration {

    /**
     * Creates the auto-configuration (Spring does).
     */
    public IncidentJdbcAutoConfiguration() {
    }

    @Bean
    static IncidentDataSourcePostProcessor incidentDataSourcePostProcessor(ObjectProvider<IncidentSdk> sdk,
            ObjectProvider<IncidentProperties> properties, ObjectProvider<JdbcWatchOptionsCustomizer> customizers) {
        return new IncidentDataSourcePostProcessor(sdk, properties, customizers);
    }

    @Bean
    @ConditionalOnMissingBean
    RetryPolicy incidentRetryPolicy(IncidentProperties properties) {
        IncidentProperties.Retry retry = properties.getRetry();
        return RetryPolicy.builder()
                .maxAttempts(retry.getMaxAttempts())
                .backoff(retry.getInitialBackoff(), retry.getMaxBackoff())
                .maxTotalTime(retry.getMaxTotalTime())
                .retryLockTimeouts(retry.isLockTimeouts())
                .build();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(DataSource.class)
    TransactionRunner incidentTransactionRunner(DataSource dataSource, RetryPolicy retryPolicy) {
        return TransactionRunner.on(dataSource, retryPolicy);
    }

    /** Counts JDBC failures in the application's meter registry; only loaded when Micrometer is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MicrometerConfiguration {

        @Bean
        JdbcWatchOptionsCustomizer incidentJdbcMeterRegistryCustomizer(ObjectProvider<MeterRegistry> registries) {
            return (beanName, options) -> registries.ifUnique(options::meterRegistry);
        }
    }
}
