package io.incidentsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.RetryInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.testing.DatabaseAccount;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issue 13, point 2, on PostgreSQL: a Spring Boot application whose transfer service is written the ordinary
 * way ({@code @RetryableTransaction @Transactional}, two {@code JdbcTemplate} updates, the accounts locked in
 * the order the caller gives them) runs 8 threads x 200 transfers between a few accounts, so real deadlocks
 * (40P01) happen. No transfer fails, the money is conserved, and the deadlocks are reported as absorbed
 * ({@code WARNING}, {@code retry.outcome = SUCCEEDED}) and counted in {@code incident.jdbc.retries}. The same
 * with Spring Framework's own {@code @Retryable} and {@link IncidentRetryPredicate}.
 */
@ExtendWith(RealDatabases.class)
@SpringBootTest(classes = RetryableTransactionPostgresTests.BankApplication.class, properties = {
        "spring.flyway.enabled=false", "spring.liquibase.enabled=false",
        "incident.retry.max-attempts=10", "incident.update-interval=1ms",
        "management.endpoints.web.exposure.include=health,incidents"})
class RetryableTransactionPostgresTests {

    private static final Logger LOG = LoggerFactory.getLogger(RetryableTransactionPostgresTests.class);

    private static final int THREADS = 8;
    private static final int TRANSFERS_PER_THREAD = 200;
    private static final int ACCOUNTS = 6;
    private static final long OPENING_BALANCE = 1_000_000;

    private static DatabaseAccount postgres;
    private static final String TABLE = TestDatabases.uniqueName("retryable_account");

    @Autowired
    TransferService transfers;

    @Autowired
    SpringRetryTransferService springRetryTransfers;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    InMemorySink sink;

    @Autowired
    MeterRegistry meters;

    @Autowired
    IncidentsEndpoint endpoint;

    @BeforeAll
    static void databases(TestDatabases databases) {
        postgres = databases.accounts().postgres();
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> postgres.url());
        registry.add("spring.datasource.username", () -> postgres.user());
        registry.add("spring.datasource.password", () -> postgres.password());
        registry.add("bank.table", () -> TABLE);
    }

    @BeforeEach
    void accounts() {
        jdbc.execute("CREATE TABLE " + TABLE + " (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)");
        for (int id = 1; id <= ACCOUNTS; id++) {
            jdbc.update("INSERT INTO " + TABLE + " VALUES (?, ?)", id, OPENING_BALANCE);
        }
    }

    @AfterEach
    void drop() {
        jdbc.execute("DROP TABLE IF EXISTS " + TABLE);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"@RetryableTransaction", "Spring's @Retryable with IncidentRetryPredicate"})
    void concurrentTransfersNeverFailConserveTheMoneyAndReportTheDeadlocksAsAbsorbed(String retry) throws Exception {
        Transfers service = retry.startsWith("@RetryableTransaction") ? transfers : springRetryTransfers;
        sink.clear();
        double deadlocksBefore = count("incident.jdbc.failures", "category", "DEADLOCK");
        double absorbedBefore = count("incident.jdbc.retries", "outcome", "SUCCEEDED");
        double lostBefore = count("incident.jdbc.retries", "outcome", "EXHAUSTED")
                + count("incident.jdbc.retries", "outcome", "NOT_RETRIED");
        assertThat(JdbcIncidents.isWatched(dataSource)).isTrue();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < TRANSFERS_PER_THREAD; i++) {
                    long from = 1 + random.nextInt(ACCOUNTS);
                    long to = 1 + (from + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                    try {
                        service.transfer(from, to, 1 + random.nextInt(100));
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        LOG.warn("transfer failed", e);
                    }
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        double deadlocks = count("incident.jdbc.failures", "category", "DEADLOCK") - deadlocksBefore;
        double absorbed = count("incident.jdbc.retries", "outcome", "SUCCEEDED") - absorbedBefore;
        double lost = count("incident.jdbc.retries", "outcome", "EXHAUSTED")
                + count("incident.jdbc.retries", "outcome", "NOT_RETRIED") - lostBefore;
        LOG.info("{}: {} x {} transfers over {} accounts in {} ms: {} failed, {} deadlocks (40P01), {} units retried "
                + "successfully, {} not", retry, THREADS, TRANSFERS_PER_THREAD, ACCOUNTS, millis, failed.get(), deadlocks,
                absorbed, lost);

        assertThat(failed).as("failed transfers").hasValue(0);
        assertThat(jdbc.queryForObject("SELECT SUM(balance) FROM " + TABLE, Long.class))
                .as("the money is conserved").isEqualTo(ACCOUNTS * OPENING_BALANCE);
        assertThat(deadlocks).as("real deadlocks happened").isPositive();
        assertThat(absorbed).as("incident.jdbc.retries{outcome=SUCCEEDED}").isPositive();
        assertThat(lost).isZero();

        await().atMost(Duration.ofSeconds(10)).until(() -> !deadlockEvents().isEmpty());
        List<Incident> reported = deadlockEvents();
        assertThat(reported).allSatisfy(incident -> {
            assertThat(incident.severity()).isEqualTo(Severity.WARNING);
            assertThat(incident.retry().outcome()).isEqualTo(RetryInfo.Outcome.SUCCEEDED);
            assertThat(incident.error().sqlState()).isEqualTo("40P01");
        });
        // and so the incidents endpoint shows them
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> shown = (List<Map<String, Object>>) endpoint.incidents().get("recent");
        assertThat(shown).filteredOn(summary -> "DEADLOCK".equals(summary.get("kind"))).isNotEmpty()
                .allSatisfy(summary -> assertThat(summary).containsEntry("severity", "WARNING")
                        .containsEntry("retry", "SUCCEEDED"));
    }

    private double count(String name, String tag, String value) {
        return meters.find(name).tag(tag, value).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private List<Incident> deadlockEvents() {
        return sink.events().stream().map(IncidentEvent::incident).filter(i -> i.kind() == IncidentKind.DEADLOCK)
                .toList();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableResilientMethods
    static class BankApplication {

        @Bean
        InMemorySink memorySink() {
            return new InMemorySink(10_000);
        }

        @Bean
        TransferService transferService(JdbcTemplate jdbc, org.springframework.core.env.Environment environment) {
            return new TransferService(jdbc, environment.getRequiredProperty("bank.table"));
        }

        @Bean
        SpringRetryTransferService springRetryTransferService(JdbcTemplate jdbc,
                org.springframework.core.env.Environment environment) {
            return new SpringRetryTransferService(jdbc, environment.getRequiredProperty("bank.table"));
        }
    }

    /** A transfer between two accounts. */
    interface Transfers {
        void transfer(long from, long to, long cents);
    }

    /** The founding transfer service, written as users write it. */
    static class TransferService implements Transfers {

        private final JdbcTemplate jdbc;
        private final String table;

        TransferService(JdbcTemplate jdbc, String table) {
            this.jdbc = jdbc;
            this.table = table;
        }

        @Override
        @RetryableTransaction
        @Transactional
        public void transfer(long from, long to, long cents) {
            jdbc.update("UPDATE " + table + " SET balance = balance - ? WHERE id = ?", cents, from);
            jdbc.update("UPDATE " + table + " SET balance = balance + ? WHERE id = ?", cents, to);
        }
    }

    /** The same with Spring Framework's own {@code @Retryable} and the SDK's predicate. */
    static class SpringRetryTransferService implements Transfers {

        private final JdbcTemplate jdbc;
        private final String table;

        SpringRetryTransferService(JdbcTemplate jdbc, String table) {
            this.jdbc = jdbc;
            this.table = table;
        }

        @Override
        @Retryable(predicate = IncidentRetryPredicate.class, maxRetries = 9, delay = 10, jitter = 10, multiplier = 2,
                maxDelay = 1000)
        @Transactional
        public void transfer(long from, long to, long cents) {
            jdbc.update("UPDATE " + table + " SET balance = balance - ? WHERE id = ?", cents, from);
            jdbc.update("UPDATE " + table + " SET balance = balance + ? WHERE id = ?", cents, to);
        }
    }
}
