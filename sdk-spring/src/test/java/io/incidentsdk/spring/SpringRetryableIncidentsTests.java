package io.incidentsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.RetryInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.sink.InMemorySink;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issue 13, point 2: Spring Framework's own {@code @Retryable} with {@link IncidentRetryPredicate} gets the
 * incidents {@link RetryableTransaction} gets: the attempts counted, absorbed deadlocks {@code WARNING}/
 * {@code SUCCEEDED}, exhausted ones {@code ERROR}/{@code EXHAUSTED}; the predicate retries only what the
 * {@code RetryPolicy} retries. Deadlocks on demand on H2 (see {@link RetryableTransactionTests}).
 */
class SpringRetryableIncidentsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
                    JdbcTemplateAutoConfiguration.class, IncidentAutoConfiguration.class,
                    IncidentJdbcAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:spring-retry-" + UUID.randomUUID()
                    + ";DB_CLOSE_DELAY=-1", "incident.update-interval=1ms")
            .withUserConfiguration(RetryableTransactionTests.Application.class, Resilient.class);

    @Test
    void absorbedDeadlocksAreWarningsWithTheAttemptsCounted() {
        runner.run(context -> {
            Payments payments = context.getBean(Payments.class);
            payments.failAttempts(2);

            payments.debit(1, 100);

            assertThat(payments.attempts()).isEqualTo(3);
            assertThat(context.getBean(RetryableTransactionTests.Bank.class).balance(1)).isEqualTo(900);
            Incident deadlock = awaitDeadlock(context);
            assertThat(deadlock.severity()).isEqualTo(Severity.WARNING);
            assertThat(deadlock.retry()).isEqualTo(new RetryInfo(3, RetryInfo.Outcome.SUCCEEDED, null));
        });
    }

    @Test
    void deadlocksThatOutlastSpringsRetriesAreExhaustedErrors() {
        runner.run(context -> {
            Payments payments = context.getBean(Payments.class);
            payments.failAttempts(Integer.MAX_VALUE);

            assertThatThrownBy(() -> payments.debit(1, 100)).isInstanceOf(DataAccessException.class);

            assertThat(payments.attempts()).isEqualTo(4);
            Incident deadlock = awaitDeadlock(context);
            assertThat(deadlock.severity()).isEqualTo(Severity.ERROR);
            assertThat(deadlock.retry()).isEqualTo(new RetryInfo(4, RetryInfo.Outcome.EXHAUSTED, null));
        });
    }

    @Test
    void thePredicateRetriesOnlyWhatThePolicyRetries() {
        runner.run(context -> {
            Payments payments = context.getBean(Payments.class);

            assertThatThrownBy(() -> payments.debit(42, 1)).isInstanceOf(IllegalArgumentException.class);

            assertThat(payments.attempts()).isEqualTo(1);
        });
    }

    @Test
    void offByPropertyTheDeadlocksAreReportedAsTheyHappen() {
        runner.withPropertyValues("incident.retry.annotation-enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(SpringRetryIncidents.class);
            Payments payments = context.getBean(Payments.class);
            payments.failAttempts(1);

            payments.debit(1, 100);

            assertThat(payments.attempts()).isEqualTo(2);
            assertThat(awaitDeadlock(context).retry()).isNull();
        });
    }

    private static Incident awaitDeadlock(AssertableApplicationContext context) {
        InMemorySink sink = context.getBean(InMemorySink.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !deadlocks(sink).isEmpty());
        List<Incident> deadlocks = deadlocks(sink);
        return deadlocks.get(deadlocks.size() - 1);
    }

    private static List<Incident> deadlocks(InMemorySink sink) {
        return sink.events().stream().map(e -> e.incident()).filter(i -> i.kind() == IncidentKind.DEADLOCK).toList();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableResilientMethods
    static class Resilient {

        @Bean
        Payments payments(JdbcTemplate jdbc) {
            return new Payments(jdbc);
        }
    }

    /** Spring's {@code @Retryable} around {@code @Transactional}, with the SDK's predicate. */
    static class Payments {

        private final JdbcTemplate jdbc;
        private final AtomicInteger attempts = new AtomicInteger();
        private volatile int failingAttempts;

        Payments(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Retryable(predicate = IncidentRetryPredicate.class, maxRetries = 3, delay = 1)
        @Transactional
        public void debit(long account, long cents) {
            int attempt = attempts.incrementAndGet();
            if (jdbc.update("UPDATE account SET balance = balance - ? WHERE id = ?", cents, account) != 1) {
                throw new IllegalArgumentException("no account " + account);
            }
            if (attempt <= failingAttempts) {
                jdbc.queryForObject("SELECT 1 / 0", Integer.class);
            }
        }

        public void failAttempts(int attempts) {
            failingAttempts = attempts;
        }

        public int attempts() {
            return attempts.get();
        }
    }
}
