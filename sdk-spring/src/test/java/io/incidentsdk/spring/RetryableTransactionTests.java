package io.incidentsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.RetryInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.jdbc.RetryBudget;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.RollbackScope;
import io.incidentsdk.jdbc.SqlFailure;
import io.incidentsdk.jdbc.SqlFailureCategory;
import io.incidentsdk.jdbc.SqlFailureClassifier;
import io.incidentsdk.jdbc.TransactionRunner;
import io.incidentsdk.sink.InMemorySink;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 13, point 2: {@link RetryableTransaction} retries the whole method, each attempt a new Spring
 * transaction, so a {@code JdbcTemplate} debit made in a failed attempt is rolled back with it and applied once
 * (with a {@code TransactionRunner}, whose connection {@code JdbcTemplate} does not join, it would be applied
 * once per attempt). Deadlocks are made on demand on H2 (a division by zero classified as a deadlock); the real
 * ones are in {@link RetryableTransactionPostgresTests}.
 */
class RetryableTransactionTests {

    /** Classifies a division by zero (22012) as a deadlock: a deadlock on demand. */
    static final SqlFailureClassifier FAKE_DEADLOCKS = SqlFailureClassifier.builder()
            .rule((e, vendor) -> "22012".equals(e.getSQLState())
                    ? SqlFailure.of(e, SqlFailureCategory.DEADLOCK, RollbackScope.TRANSACTION, "test:fake-deadlock")
                    : null)
            .build();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
                    JdbcTemplateAutoConfiguration.class, IncidentAutoConfiguration.class,
                    IncidentJdbcAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:retryable-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "incident.update-interval=1ms")
            .withUserConfiguration(Application.class);

    @Test
    void aJdbcTemplateDebitInAFailedAttemptIsRolledBackWithItAndAppliedOnce() {
        runner.run(context -> {
            Bank bank = context.getBean(Bank.class);
            bank.failAttempts(2);

            bank.debit(1, 100);

            assertThat(bank.attempts()).as("the whole method ran again").isEqualTo(3);
            assertThat(bank.balance(1)).as("debited once, not three times").isEqualTo(900);
            Incident deadlock = awaitDeadlock(context);
            assertThat(deadlock.severity()).isEqualTo(Severity.WARNING);
            assertThat(deadlock.retry()).isEqualTo(new RetryInfo(3, RetryInfo.Outcome.SUCCEEDED, null));
        });
    }

    @Test
    void theSameUnitWithATransactionRunnerAndJdbcTemplateWouldDebitOncePerAttempt() {
        // why the annotation exists: JdbcTemplate does not join the runner's connection
        runner.run(context -> {
            Bank bank = context.getBean(Bank.class);
            TransactionRunner runner = context.getBean(TransactionRunner.class);
            AtomicInteger attempts = new AtomicInteger();

            runner.run(connection -> {
                bank.jdbc().update("UPDATE account SET balance = balance - 100 WHERE id = 1");
                if (attempts.incrementAndGet() <= 2) {
                    connection.createStatement().executeQuery("SELECT 1 / 0");
                }
            });

            assertThat(bank.balance(1)).isEqualTo(700);
        });
    }

    @Test
    void exhaustedRetriesRollEveryAttemptBackAndPropagateTheLastFailure() {
        runner.withPropertyValues("incident.retry.max-attempts=3").run(context -> {
            Bank bank = context.getBean(Bank.class);
            bank.failAttempts(Integer.MAX_VALUE);

            assertThatThrownBy(() -> bank.debit(1, 100)).isInstanceOf(DataAccessException.class)
                    .hasRootCauseInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));

            assertThat(bank.attempts()).isEqualTo(3);
            assertThat(bank.balance(1)).isEqualTo(1000);
            Incident deadlock = awaitDeadlock(context);
            assertThat(deadlock.severity()).isEqualTo(Severity.ERROR);
            assertThat(deadlock.retry()).isEqualTo(new RetryInfo(3, RetryInfo.Outcome.EXHAUSTED, null));
        });
    }

    @Test
    void insideATransactionActiveOnEntryNothingIsRetriedAndTheIncidentSaysWhy() {
        runner.run(context -> {
            Bank bank = context.getBean(Bank.class);
            bank.failAttempts(1);
            TransactionTemplate outer = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));

            assertThatThrownBy(() -> outer.executeWithoutResult(status -> bank.debit(1, 100)))
                    .isInstanceOf(DataAccessException.class);

            assertThat(bank.attempts()).isEqualTo(1);
            assertThat(bank.balance(1)).isEqualTo(1000);
            Incident deadlock = awaitDeadlock(context);
            assertThat(deadlock.severity()).isEqualTo(Severity.ERROR);
            assertThat(deadlock.retry().outcome()).isEqualTo(RetryInfo.Outcome.NOT_RETRIED);
            assertThat(deadlock.retry().reason()).contains("already active", "Bank.debit");
        });
    }

    @Test
    void insideATransactionActiveOnEntryEachRequestCountsOnceInTheSpikeWindow() {
        // issue 14: the open transaction is the unit of work; the advice's scope must not count it a second time
        runner.withPropertyValues("incident.jdbc.spike.threshold=0.25", "incident.jdbc.spike.recovery-threshold=0.1",
                "incident.jdbc.spike.minimum-calls=20").run(context -> {
            Bank bank = context.getBean(Bank.class);
            TransactionTemplate outer = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            for (int i = 0; i < 20; i++) {
                outer.executeWithoutResult(status -> bank.debit(1, 1)); // a request that succeeds
            }
            bank.failAttempts(Integer.MAX_VALUE);
            for (int i = 0; i < 10; i++) {
                assertThatThrownBy(() -> outer.executeWithoutResult(status -> bank.debit(2, 1)))
                        .isInstanceOf(DataAccessException.class); // a request that fails
            }

            InMemorySink sink = context.getBean(InMemorySink.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> spike(sink) != null
                    && spike(sink).impact().calls() >= 32);
            Incident spike = spike(sink);
            // 30 requests, each once, and the two auto-commit statements that set the bank up (CREATE, INSERT)
            assertThat(spike.impact().calls()).as("30 requests, each once").isEqualTo(32);
            assertThat(spike.impact().failures()).as("10 failed requests").isEqualTo(10);
            assertThat(bank.balance(1)).isEqualTo(980);
            assertThat(bank.balance(2)).isEqualTo(1000);
        });
    }

    private static Incident spike(InMemorySink sink) {
        List<Incident> spikes = sink.events().stream().map(e -> e.incident())
                .filter(i -> i.kind() == IncidentKind.ERROR_SPIKE).toList();
        return spikes.isEmpty() ? null : spikes.get(spikes.size() - 1);
    }

    @Test
    void aMethodWithoutATransactionOfItsOwnIsNotRetriedSinceItsStatementsCommittedOneByOne() {
        runner.run(context -> {
            Bank bank = context.getBean(Bank.class);
            bank.failAttempts(1);

            assertThatThrownBy(() -> bank.debitWithoutTransaction(1, 100)).isInstanceOf(DataAccessException.class);

            assertThat(bank.attempts()).isEqualTo(1);
            assertThat(bank.balance(1)).as("the committed debit is not applied again").isEqualTo(900);
            Incident deadlock = awaitDeadlock(context);
            assertThat(deadlock.retry().outcome()).isEqualTo(RetryInfo.Outcome.NOT_RETRIED);
            assertThat(deadlock.retry().reason()).contains("no Spring transaction of its own", "add @Transactional");
        });
    }

    @Test
    void onAClassEveryPublicMethodIsRetried() {
        runner.run(context -> {
            AnnotatedBank bank = context.getBean(AnnotatedBank.class);

            bank.debitFailingOnce(1, 10);

            assertThat(bank.attempts()).isEqualTo(2);
            assertThat(context.getBean(Bank.class).balance(1)).isEqualTo(990);
        });
    }

    @Test
    void aFailureThePolicyDoesNotRetryPropagatesAtOnce() {
        runner.run(context -> {
            Bank bank = context.getBean(Bank.class);

            assertThatThrownBy(() -> bank.debit(42, 1)).isInstanceOf(IllegalArgumentException.class);

            assertThat(bank.attempts()).isEqualTo(1);
        });
    }

    @Test
    void offByProperty() {
        runner.withPropertyValues("incident.retry.annotation-enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean("incidentRetryableTransactionAdvisor");
            Bank bank = context.getBean(Bank.class);
            bank.failAttempts(1);
            assertThatThrownBy(() -> bank.debit(1, 100)).isInstanceOf(DataAccessException.class);
            assertThat(bank.attempts()).isEqualTo(1);
        });
    }

    @Test
    void backsOffForABeanOfTheApplication() {
        runner.withUserConfiguration(OwnAdvisor.class).run(context -> {
            assertThat(context.getBean("incidentRetryableTransactionAdvisor")).isSameAs(OwnAdvisor.ADVISOR);
            Bank bank = context.getBean(Bank.class);
            bank.failAttempts(1);
            assertThatThrownBy(() -> bank.debit(1, 100)).isInstanceOf(DataAccessException.class);
            assertThat(bank.attempts()).isEqualTo(1);
        });
    }

    @Test
    void withoutSpringTransactionsThereIsNoAdvice() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        IncidentAutoConfiguration.class, IncidentJdbcAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:h2:mem:no-tx-" + UUID.randomUUID())
                .withClassLoader(new FilteredClassLoader(TransactionSynchronizationManager.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean("incidentRetryableTransactionAdvisor");
                    assertThat(context).hasSingleBean(TransactionRunner.class);
                });
    }

    @Test
    void beansWithoutTheAnnotationAreNotProxied() {
        runner.withBean(PlainService.class).run(context ->
                assertThat(AopUtils.isAopProxy(context.getBean(PlainService.class))).isFalse());
    }

    private static Incident awaitDeadlock(AssertableApplicationContext context) {
        InMemorySink sink = context.getBean(InMemorySink.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !deadlocks(sink).isEmpty());
        List<Incident> deadlocks = deadlocks(sink);
        assertThat(deadlocks.stream().map(Incident::incidentId).distinct()).hasSize(1);
        return deadlocks.get(deadlocks.size() - 1);
    }

    private static List<Incident> deadlocks(InMemorySink sink) {
        return sink.events().stream().map(e -> e.incident()).filter(i -> i.kind() == IncidentKind.DEADLOCK).toList();
    }

    @Configuration(proxyBeanMethods = false)
    static class Application {

        @Bean
        InMemorySink memorySink() {
            return new InMemorySink(1_000);
        }

        @Bean
        RetryPolicy retryPolicy(IncidentProperties properties) {
            return RetryPolicy.builder().classifier(FAKE_DEADLOCKS)
                    .maxAttempts(properties.getRetry().getMaxAttempts())
                    .backoff(Duration.ZERO, Duration.ZERO)
                    .budget(RetryBudget.builder().maxTokens(1_000).build()).build();
        }

        @Bean
        JdbcWatchOptionsCustomizer fakeDeadlocks() {
            return (beanName, options) -> options.classifier(FAKE_DEADLOCKS);
        }

        @Bean
        Bank bank(JdbcTemplate jdbc) {
            jdbc.execute("CREATE TABLE account (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)");
            jdbc.update("INSERT INTO account VALUES (1, 1000), (2, 1000)");
            return new Bank(jdbc);
        }

        @Bean
        AnnotatedBank annotatedBank(JdbcTemplate jdbc) {
            return new AnnotatedBank(jdbc);
        }
    }

    /** A service as users write it: the annotation outside {@code @Transactional}, JdbcTemplate inside. */
    static class Bank {

        private final JdbcTemplate jdbc;
        private final AtomicInteger attempts = new AtomicInteger();
        private volatile int failingAttempts;

        Bank(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        // state through methods: the bean is a class proxy, whose own fields are empty

        public void failAttempts(int attempts) {
            failingAttempts = attempts;
        }

        public int attempts() {
            return attempts.get();
        }

        public JdbcTemplate jdbc() {
            return jdbc;
        }

        @RetryableTransaction
        @Transactional
        public void debit(long account, long cents) {
            int attempt = attempts.incrementAndGet();
            if (jdbc.update("UPDATE account SET balance = balance - ? WHERE id = ?", cents, account) != 1) {
                throw new IllegalArgumentException("no account " + account);
            }
            if (attempt <= failingAttempts) {
                jdbc.queryForObject("SELECT 1 / 0", Integer.class); // a deadlock, on demand
            }
        }

        @RetryableTransaction
        public void debitWithoutTransaction(long account, long cents) {
            int attempt = attempts.incrementAndGet();
            jdbc.update("UPDATE account SET balance = balance - ? WHERE id = ?", cents, account);
            if (attempt <= failingAttempts) {
                jdbc.queryForObject("SELECT 1 / 0", Integer.class);
            }
        }

        public long balance(long account) {
            return jdbc.queryForObject("SELECT balance FROM account WHERE id = ?", Long.class, account);
        }
    }

    /** The annotation on the class. */
    @RetryableTransaction
    @Transactional
    static class AnnotatedBank {

        private final JdbcTemplate jdbc;
        private final AtomicInteger attempts = new AtomicInteger();

        AnnotatedBank(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        public void debitFailingOnce(long account, long cents) {
            jdbc.update("UPDATE account SET balance = balance - ? WHERE id = ?", cents, account);
            if (attempts.incrementAndGet() == 1) {
                jdbc.queryForObject("SELECT 1 / 0", Integer.class);
            }
        }

        public int attempts() {
            return attempts.get();
        }
    }

    static class PlainService {
        public void work() {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnAdvisor {

        static final Advisor ADVISOR = new DefaultPointcutAdvisor(
                new AnnotationMatchingPointcut(null, Deprecated.class, true), (MethodInterceptor) i -> i.proceed());

        @Bean
        static Advisor incidentRetryableTransactionAdvisor() {
            return ADVISOR;
        }
    }
}
