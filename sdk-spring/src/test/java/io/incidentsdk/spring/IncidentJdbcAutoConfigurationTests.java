package io.incidentsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariCredentialsProvider;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.Credentials;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.internal.wrap.ConnectionState;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.SqlFailureCategory;
import io.incidentsdk.jdbc.TransactionRunner;
import io.incidentsdk.micrometer.IncidentSdkMetrics;
import io.incidentsdk.sink.InMemorySink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every DataSource bean watched: on real H2 databases behind Boot's own Hikari auto-configuration, failures
 * become incidents, and every condition (off by property, excluded beans, already watched, scoped targets,
 * no Micrometer) holds.
 */
class IncidentJdbcAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    IncidentAutoConfiguration.class, IncidentJdbcAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=" + freshH2Url())
            .withUserConfiguration(MemorySink.class);

    @Test
    void everyDataSourceIsWatchedByDefaultAndStillUnwrapsToHikari() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(IncidentSdk.class).hasSingleBean(TransactionRunner.class)
                    .hasSingleBean(RetryPolicy.class);
            DataSource dataSource = context.getBean(DataSource.class);
            assertThat(JdbcIncidents.isWatched(dataSource)).isTrue();
            assertThat(dataSource).isNotInstanceOf(HikariDataSource.class);
            assertThat(dataSource.isWrapperFor(HikariDataSource.class)).isTrue();

            HikariDataSource hikari = dataSource.unwrap(HikariDataSource.class);
            try (Connection connection = dataSource.getConnection()) {
                assertThat(connection.isValid(1)).isTrue();
                // the pool's MXBean is reached through the watched data source
                assertThat(hikari.getHikariPoolMXBean().getActiveConnections()).isEqualTo(1);
            }
        });
    }

    @Test
    void bootsHikariPoolIsWatchedUnderThePoolEachPhysicalConnectionOnce() {
        runner.withPropertyValues("spring.datasource.hikari.maximum-pool-size=1").run(context -> {
            DataSource dataSource = context.getBean(DataSource.class);
            HikariDataSource hikari = dataSource.unwrap(HikariDataSource.class);
            assertThat(JdbcIncidents.isWatched(hikari.getDataSource())).as("the pool's own data source").isTrue();

            ConnectionState physical;
            try (Connection connection = dataSource.getConnection()) {
                assertThat(connection).as("the pool's proxy").isNotInstanceOf(ConnectionState.class);
                physical = connection.unwrap(ConnectionState.class);
            }
            try (Connection again = dataSource.getConnection()) {
                assertThat(again.unwrap(ConnectionState.class)).as("one wrapper per physical connection")
                        .isSameAs(physical);
            }
        });
    }

    @Test
    void underThePoolAnExhaustedPoolBecomesAnIncidentOfTheDataSourceBean() {
        runner.withPropertyValues("spring.datasource.hikari.maximum-pool-size=1",
                "spring.datasource.hikari.connection-timeout=250").run(context -> {
            DataSource dataSource = context.getBean(DataSource.class);
            try (Connection held = dataSource.getConnection()) {
                assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
                assertThat(held.isValid(1)).isTrue();
            }

            Incident incident = awaitIncident(context, IncidentKind.CONNECTION_FAILURE);
            assertThat(incident.database().dataSource()).isEqualTo("dataSource");
            assertThat(incident.error().category()).isEqualTo("CONNECTION_FAILURE");
        });
    }

    @Test
    void underPoolFalseWatchesInFrontOfThePoolAndAStartedPoolIsWatchedInFrontToo() {
        runner.withPropertyValues("incident.jdbc.under-pool=false").run(context -> {
            DataSource dataSource = context.getBean(DataSource.class);
            assertThat(dataSource.unwrap(HikariDataSource.class).getDataSource()).isNull();
            try (Connection connection = dataSource.getConnection()) {
                assertThat(connection).isInstanceOf(ConnectionState.class);
            }
        });
        runner.withPropertyValues("spring.datasource.hikari.credentials-provider-class-name="
                + FixedCredentials.class.getName()).run(context -> {
            DataSource dataSource = context.getBean(DataSource.class);
            assertThat(dataSource.unwrap(HikariDataSource.class).getDataSource())
                    .as("the pool makes its data source from the provider's credentials itself").isNull();
            try (Connection connection = dataSource.getConnection()) {
                assertThat(connection).isInstanceOf(ConnectionState.class);
            }
        });
        String url = freshH2Url();
        runner.withBean("dataSource", DataSource.class, () -> {
            HikariDataSource started = hikari(url);
            try (Connection warmUp = started.getConnection()) {
                assertThat(warmUp.isValid(1)).isTrue();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return started;
        }).run(context -> {
            DataSource dataSource = context.getBean(DataSource.class);
            assertThat(JdbcIncidents.isWatched(dataSource)).isTrue();
            try (Connection connection = dataSource.getConnection()) {
                assertThat(connection).as("the running pool is left as it is").isInstanceOf(ConnectionState.class);
            }
        });
    }

    @Test
    void aRealLockTimeoutBecomesAnIncidentNamingTheDataSourceBean() {
        runner.run(context -> {
            DataSource dataSource = context.getBean(DataSource.class);
            try (Connection holder = dataSource.getConnection(); Connection waiter = dataSource.getConnection()) {
                execute(holder, "CREATE TABLE account (id INT PRIMARY KEY, balance INT)");
                execute(holder, "INSERT INTO account VALUES (1, 100)");
                holder.setAutoCommit(false);
                execute(holder, "UPDATE account SET balance = balance - 10 WHERE id = 1");
                execute(waiter, "SET LOCK_TIMEOUT 100");

                assertThatThrownBy(() -> execute(waiter, "UPDATE account SET balance = balance + 10 WHERE id = 1"))
                        .isInstanceOf(SQLTimeoutException.class);
                holder.rollback();
            }

            Incident incident = awaitIncident(context, IncidentKind.LOCK_TIMEOUT);
            assertThat(incident.database().dataSource()).isEqualTo("dataSource");
            assertThat(incident.error().category()).isEqualTo("LOCK_TIMEOUT");
            assertThat(incident.statements()).extracting(s -> s.sql())
                    .containsExactly("UPDATE account SET balance = balance + ? WHERE id = ?");
        });
    }

    @Test
    void theIncidentCategoriesPropertyDecidesWhatOpensIncidents() {
        runner.withPropertyValues("incident.jdbc.incident-categories=deadlock,programming-error").run(context -> {
            DataSource dataSource = context.getBean(DataSource.class);
            try (Connection connection = dataSource.getConnection()) {
                assertThatThrownBy(() -> execute(connection, "SELECT * FROM no_such_table WHERE id = 42"))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("42"));
            }

            Incident incident = awaitIncident(context, IncidentKind.CUSTOM);
            assertThat(incident.error().category()).isEqualTo("PROGRAMMING_ERROR");
            assertThat(incident.database().dataSource()).isEqualTo("dataSource");
            assertThat(incident.statements()).extracting(s -> s.sql())
                    .containsExactly("SELECT * FROM no_such_table WHERE id = ?");
        });
    }

    @Test
    void withTheDefaultCategoriesAProgrammingErrorOpensNoIncident() {
        runner.withUserConfiguration(Registry.class).run(context -> {
            DataSource dataSource = context.getBean(DataSource.class);
            try (Connection connection = dataSource.getConnection()) {
                assertThatThrownBy(() -> execute(connection, "SELECT * FROM no_such_table"))
                        .isInstanceOf(SQLException.class);
            }
            // counted synchronously on the failing call, so nothing to wait for
            SimpleMeterRegistry registry = context.getBean(SimpleMeterRegistry.class);
            assertThat(registry.get("incident.jdbc.failures").tag("category", "PROGRAMMING_ERROR")
                    .tag("dataSource", "dataSource").counter().count()).isEqualTo(1.0);
            IncidentSdk sdk = context.getBean(IncidentSdk.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> sdk.queueSize() == 0);
            assertThat(sdk.openIncidents()).isZero();
            assertThat(context.getBean(InMemorySink.class).events()).isEmpty();
        });
    }

    @Test
    void incidentJdbcEnabledFalseLeavesDataSourcesAlone() {
        runner.withPropertyValues("incident.jdbc.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(IncidentSdk.class).doesNotHaveBean(TransactionRunner.class);
            assertThat(context.getBeansOfType(BeanPostProcessor.class).values())
                    .noneMatch(IncidentDataSourcePostProcessor.class::isInstance);
            assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
        });
    }

    @Test
    void incidentEnabledFalseLeavesDataSourcesAlone() {
        runner.withPropertyValues("incident.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(IncidentSdk.class).doesNotHaveBean(TransactionRunner.class);
            assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
        });
    }

    @Test
    void dataSourcesAreWatchedWithTheApplicationsOwnSdk() {
        runner.withUserConfiguration(OwnSdk.class).withPropertyValues("incident.jdbc.incident-categories=programming-error")
                .run(context -> {
                    assertThat(context).hasSingleBean(IncidentSdk.class);
                    assertThat(context.getBean(IncidentSdk.class).service().name()).isEqualTo("hand-made");
                    DataSource dataSource = context.getBean(DataSource.class);
                    try (Connection connection = dataSource.getConnection()) {
                        assertThatThrownBy(() -> execute(connection, "SELECT nope FROM nowhere"))
                                .isInstanceOf(SQLException.class);
                    }
                    InMemorySink own = context.getBean("ownSink", InMemorySink.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> !own.events().isEmpty());
                    assertThat(own.events().get(0).incident().service().name()).isEqualTo("hand-made");
                });
    }

    @Test
    void excludedBeansAndScopedTargetsAreLeftAloneAndTheOthersAreNamedAfterTheirBean() {
        runner.withUserConfiguration(ThreeDataSources.class)
                .withPropertyValues("incident.jdbc.excluded-beans=reportingDataSource",
                        "incident.jdbc.incident-categories=programming-error")
                .run(context -> {
                    DataSource orders = context.getBean("ordersDataSource", DataSource.class);
                    assertThat(JdbcIncidents.isWatched(orders)).isTrue();
                    assertThat(context.getBean("reportingDataSource")).isInstanceOf(HikariDataSource.class);
                    assertThat(context.getBean("scopedTarget.auditDataSource")).isInstanceOf(HikariDataSource.class);

                    try (Connection connection = orders.getConnection()) {
                        assertThatThrownBy(() -> execute(connection, "SELECT * FROM missing_orders"))
                                .isInstanceOf(SQLException.class);
                    }
                    assertThat(awaitIncident(context, IncidentKind.CUSTOM).database().dataSource())
                            .isEqualTo("ordersDataSource");
                });
    }

    @Test
    void aDataSourceWatchedByTheApplicationIsNotWatchedAgain() throws Exception {
        InMemorySink ownSink = new InMemorySink(10);
        try (IncidentSdk ownSdk = IncidentSdk.builder().service("own", null).sink(ownSink).build();
                HikariDataSource hikari = hikari(freshH2Url())) {
            DataSource watched = JdbcIncidents.watch(hikari, ownSdk, JdbcWatchOptions.builder()
                    .dataSourceName("hand-watched").incidentCategories(EnumSet.of(SqlFailureCategory.PROGRAMMING_ERROR))
                    .build());
            AtomicInteger customized = new AtomicInteger();
            runner.withBean("dataSource", DataSource.class, () -> watched)
                    .withBean(JdbcWatchOptionsCustomizer.class, () -> (beanName, options) -> customized.incrementAndGet())
                    .withPropertyValues("incident.jdbc.incident-categories=programming-error").run(context -> {
                        assertThat(context.getBean("dataSource")).isSameAs(watched);
                        assertThat(customized).as("options are not even built for a watched data source").hasValue(0);
                        try (Connection connection = watched.getConnection()) {
                            assertThatThrownBy(() -> execute(connection, "SELECT * FROM missing"))
                                    .isInstanceOf(SQLException.class);
                        }
                        await().atMost(Duration.ofSeconds(10)).until(() -> !ownSink.events().isEmpty());
                        assertThat(ownSink.events()).singleElement().satisfies(event -> {
                            assertThat(event.incident().occurrences()).isEqualTo(1);
                            assertThat(event.incident().database().dataSource()).isEqualTo("hand-watched");
                        });
                        IncidentSdk contextSdk = context.getBean(IncidentSdk.class);
                        await().atMost(Duration.ofSeconds(10)).until(() -> contextSdk.queueSize() == 0);
                        assertThat(context.getBean(InMemorySink.class).events()).isEmpty();
                    });
        }
    }

    @Test
    void closingTheContextClosesThePoolBehindTheWatchedDataSource() {
        HikariDataSource[] hikari = new HikariDataSource[1];
        runner.run(context -> {
            hikari[0] = context.getBean(DataSource.class).unwrap(HikariDataSource.class);
            try (Connection connection = context.getBean(DataSource.class).getConnection()) {
                assertThat(connection.isValid(1)).isTrue();
            }
            assertThat(hikari[0].isClosed()).isFalse();
        });
        assertThat(hikari[0].isClosed()).isTrue();
    }

    @Test
    void customizerBeansAdjustTheOptionsOfEachDataSource() {
        AtomicInteger calls = new AtomicInteger();
        runner.withBean(JdbcWatchOptionsCustomizer.class, () -> (beanName, options) -> {
            calls.incrementAndGet();
            options.incidentCategories(EnumSet.of(SqlFailureCategory.PROGRAMMING_ERROR));
        }).run(context -> {
            try (Connection connection = context.getBean(DataSource.class).getConnection()) {
                assertThatThrownBy(() -> execute(connection, "SELECT * FROM missing")).isInstanceOf(SQLException.class);
            }
            assertThat(awaitIncident(context, IncidentKind.CUSTOM).error().category()).isEqualTo("PROGRAMMING_ERROR");
            assertThat(calls).hasValue(1);
        });
    }

    @Test
    void theTransactionRunnerRunsOnTheWatchedDataSourceWithTheRetrySettings() {
        runner.withPropertyValues("incident.retry.max-attempts=3", "incident.retry.initial-backoff=5ms",
                "incident.retry.max-backoff=50ms", "incident.retry.max-total-time=2s",
                "incident.retry.lock-timeouts=true").run(context -> {
                    TransactionRunner tx = context.getBean(TransactionRunner.class);
                    RetryPolicy policy = tx.policy();
                    assertThat(policy).isSameAs(context.getBean(RetryPolicy.class));
                    assertThat(policy.maxAttempts()).isEqualTo(3);
                    assertThat(policy.initialBackoff()).isEqualTo(Duration.ofMillis(5));
                    assertThat(policy.maxBackoff()).isEqualTo(Duration.ofMillis(50));
                    assertThat(policy.maxTotalTime()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(policy.retries(SqlFailureCategory.LOCK_TIMEOUT)).isTrue();

                    tx.run(connection -> execute(connection, "CREATE TABLE item (id INT PRIMARY KEY)"));
                    tx.run(connection -> execute(connection, "INSERT INTO item VALUES (1)"));
                    int count = tx.inTransaction(connection -> {
                        try (Statement statement = connection.createStatement();
                                var rows = statement.executeQuery("SELECT COUNT(*) FROM item")) {
                            rows.next();
                            return rows.getInt(1);
                        }
                    });
                    assertThat(count).isEqualTo(1);
                });
    }

    @Test
    void noTransactionRunnerWhenNoDataSourceIsPrimary() {
        runner.withUserConfiguration(ThreeDataSources.class).run(context -> assertThat(context)
                .hasNotFailed().hasSingleBean(RetryPolicy.class).doesNotHaveBean(TransactionRunner.class));
    }

    @Test
    void withoutMicrometerDataSourcesAreStillWatched() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .withPropertyValues("incident.jdbc.incident-categories=programming-error").run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(JdbcWatchOptionsCustomizer.class);
                    DataSource dataSource = context.getBean(DataSource.class);
                    assertThat(JdbcIncidents.isWatched(dataSource)).isTrue();
                    try (Connection connection = dataSource.getConnection()) {
                        assertThatThrownBy(() -> execute(connection, "SELECT * FROM missing"))
                                .isInstanceOf(SQLException.class);
                    }
                    awaitIncident(context, IncidentKind.CUSTOM);
                });
    }

    @Test
    void withBootsMetricsThePoolMetricsAndTheIncidentMetricsBothWork() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                DataSourcePoolMetricsAutoConfiguration.class))
                .withPropertyValues("incident.jdbc.incident-categories=programming-error").run(context -> {
                    assertThat(context).hasNotFailed();
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    DataSource dataSource = context.getBean(DataSource.class);
                    try (Connection connection = dataSource.getConnection()) {
                        assertThatThrownBy(() -> execute(connection, "SELECT * FROM missing"))
                                .isInstanceOf(SQLException.class);
                    }
                    awaitIncident(context, IncidentKind.CUSTOM);
                    // Boot found the Hikari pool behind the watched data source
                    assertThat(registry.find("hikaricp.connections").tag("pool", hikariPoolName(dataSource)).gauge())
                            .isNotNull();
                    assertThat(registry.get("incident.jdbc.failures").tag("dataSource", "dataSource")
                            .tag("category", "PROGRAMMING_ERROR").counter().count())
                            .isEqualTo(1.0);
                    await().atMost(Duration.ofSeconds(10)).until(() -> registry.find(IncidentSdkMetrics.EVENTS)
                            .tag("event", "OPENED").counter() != null);
                });
    }

    private static String hikariPoolName(DataSource dataSource) throws SQLException {
        return dataSource.unwrap(HikariDataSource.class).getPoolName();
    }

    private static Incident awaitIncident(AssertableApplicationContext context, IncidentKind kind) {
        InMemorySink memory = context.getBean("memorySink", InMemorySink.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> opened(memory, kind).isPresent());
        return opened(memory, kind).orElseThrow();
    }

    private static Optional<Incident> opened(InMemorySink memory, IncidentKind kind) {
        return memory.events().stream().filter(e -> e.event() == IncidentEvent.Type.OPENED)
                .map(IncidentEvent::incident).filter(i -> i.kind() == kind).findFirst();
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static String freshH2Url() {
        return "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    static HikariDataSource hikari(String url) {
        HikariDataSource hikari = new HikariDataSource();
        hikari.setJdbcUrl(url);
        hikari.setMaximumPoolSize(2);
        return hikari;
    }

    /** A HikariCP credentials provider: H2's default user. */
    public static class FixedCredentials implements HikariCredentialsProvider {
        @Override
        public Credentials getCredentials() {
            return Credentials.of("sa", "");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MemorySink {
        @Bean
        InMemorySink memorySink() {
            return new InMemorySink(100);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSdk {
        @Bean
        InMemorySink ownSink() {
            return new InMemorySink(10);
        }

        @Bean(destroyMethod = "close")
        IncidentSdk ownSdk(InMemorySink ownSink) {
            return IncidentSdk.builder().service("hand-made", null).sink(ownSink).build();
        }
    }

    /** Three pools; Boot's own DataSource backs off because these exist. */
    @Configuration(proxyBeanMethods = false)
    static class ThreeDataSources {
        @Bean(destroyMethod = "close")
        HikariDataSource ordersDataSource() {
            return hikari(freshH2Url());
        }

        @Bean(destroyMethod = "close")
        HikariDataSource reportingDataSource() {
            return hikari(freshH2Url());
        }

        @Bean(name = "scopedTarget.auditDataSource", destroyMethod = "close")
        HikariDataSource auditTarget() {
            return hikari(freshH2Url());
        }
    }
}
