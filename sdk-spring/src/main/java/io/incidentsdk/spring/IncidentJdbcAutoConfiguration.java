package io.incidentsdk.spring;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.TransactionRunner;
import io.incidentsdk.spring.internal.RetryableTransactionInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import javax.sql.DataSource;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.Advisor;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.transaction.interceptor.TransactionAttributeSource;

/**
 * Auto-configuration that watches every {@link DataSource} bean with the {@link IncidentSdk} bean, and
 * offers a {@link TransactionRunner} on the application's DataSource.
 *
 * <p>Active when JDBC is on the class path, an {@code IncidentSdk} bean exists (the auto-configured one or
 * the application's) and neither {@code incident.enabled} nor {@code incident.jdbc.enabled} is
 * {@code false}. Each DataSource bean is replaced by a watched one named after the bean (see
 * {@code incident.jdbc.*}); it {@code unwrap}s to the original, which Spring still closes at shutdown. With
 * Micrometer and a {@code MeterRegistry} bean, failures are counted as {@code incident.jdbc.failures}.
 * Every {@link JdbcWatchOptionsCustomizer} bean is applied to the options of every watched DataSource. The
 * incidents of a failed call carry the HTTP method and route template of the Spring MVC request that made it
 * and the configured MDC values ({@code incident.context.*}).
 *
 * <p>Beans, each only when the application has none of its type: a {@link RetryPolicy} from
 * {@code incident.retry.*}, and, when there is a single (or a primary) DataSource, a {@link TransactionRunner}
 * on it with that policy. The runner takes its own connections and owns their transactions: use it for
 * plain JDBC units of work, not inside a Spring-managed transaction.
 *
 * <p>With Spring's transaction support on the class path, methods annotated {@link RetryableTransaction} are
 * retried as a whole, each attempt in a new transaction, with that policy ({@code incident.retry.annotation-enabled},
 * on by default; an application bean named {@code incidentRetryableTransactionAdvisor} replaces the advice).
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
    static IncidentJdbcStartupReport incidentJdbcStartupReport(ListableBeanFactory beans,
            IncidentDataSourcePostProcessor incidentDataSourcePostProcessor, Environment environment) {
        List<String> excluded = Binder.get(environment).bind("incident.jdbc.excluded-beans", Bindable.listOf(String.class))
                .orElse(List.of());
        return new IncidentJdbcStartupReport(beans, incidentDataSourcePostProcessor, excluded);
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

    /** The advice of {@link RetryableTransaction}; only loaded when Spring's transaction support is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.transaction.support.TransactionSynchronizationManager",
            "org.aopalliance.intercept.MethodInterceptor"})
    @ConditionalOnBooleanProperty(name = "incident.retry.annotation-enabled", matchIfMissing = true)
    @Import(RetryableTransactionConfiguration.AutoProxy.class)
    static class RetryableTransactionConfiguration {

        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        @ConditionalOnMissingBean(name = "incidentRetryableTransactionAdvisor")
        static Advisor incidentRetryableTransactionAdvisor(ObjectProvider<RetryPolicy> policies,
                ObjectProvider<TransactionAttributeSource> transactionAttributes) {
            MethodInterceptor advice = new RetryableTransactionInterceptor(policies, transactionAttributes);
            ComposablePointcut pointcut = new ComposablePointcut(
                    new AnnotationMatchingPointcut(RetryableTransaction.class, true))
                    .union(new AnnotationMatchingPointcut(null, RetryableTransaction.class, true));
            DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(pointcut, advice);
            advisor.setOrder(RetryableTransaction.ORDER);
            return advisor;
        }

        /**
         * Reports the failures retried by Spring's own {@code @Retryable} as {@code @RetryableTransaction} does
         * (see {@link IncidentRetryPredicate}).
         */
        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        @ConditionalOnClass(name = "org.springframework.resilience.retry.AbstractRetryInterceptor")
        @ConditionalOnMissingBean(name = "incidentSpringRetryIncidents")
        static SpringRetryIncidents incidentSpringRetryIncidents(ObjectProvider<RetryPolicy> policies) {
            return new SpringRetryIncidents(policies);
        }

        /** Makes sure beans are proxied for advisors even without Boot's AOP or transaction auto-configuration. */
        static class AutoProxy implements ImportBeanDefinitionRegistrar {

            @Override
            public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
                AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
            }
        }
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
