package io.incidentsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.RetryInfo;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.jdbc.RetryBudget;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.RollbackScope;
import io.incidentsdk.jdbc.SqlFailure;
import io.incidentsdk.jdbc.SqlFailureCategory;
import io.incidentsdk.jdbc.SqlFailureClassifier;
import io.incidentsdk.jdbc.TransactionRunner;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 10, point 5: a {@link TransactionRunner} called inside a Spring-managed transaction, which it cannot
 * see, never retries there (a retry inside it could run in a doomed transaction or apply work twice), and
 * the incident says why.
 */
class TransactionRunnerInsideSpringTransactionTests {

    /** Classifies a division by zero (22012) as a deadlock: a deadlock on demand. */
    private static final SqlFailureClassifier FAKE_DEADLOCKS = SqlFailureClassifier.builder()
            .rule((e, vendor) -> "22012".equals(e.getSQLState())
                    ? SqlFailure.of(e, SqlFailureCategory.DEADLOCK, RollbackScope.TRANSACTION, "test:fake-deadlock")
                    : null)
            .build();

    private final InMemorySink memory = new InMemorySink(1_000);
    private final IncidentSdk sdk = IncidentSdk.builder().sink(memory).updateInterval(Duration.ofMillis(1)).build();

    @AfterEach
    void close() {
        sdk.close();
    }

    @ParameterizedTest(name = "through a TransactionAwareDataSourceProxy: {0}")
    @ValueSource(booleans = {false, true})
    void aDeadlockInsideASpringTransactionIsNotRetriedAndTheIncidentSaysWhy(boolean transactionAware) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:spring-tx-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        DataSource ds = JdbcIncidents.watch(h2, sdk, JdbcWatchOptions.builder().dataSourceName("orders")
                .classifier(FAKE_DEADLOCKS).build());
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(ds));
        TransactionRunner runner = TransactionRunner.on(transactionAware ? new TransactionAwareDataSourceProxy(ds) : ds,
                RetryPolicy.builder().classifier(FAKE_DEADLOCKS).backoff(Duration.ZERO, Duration.ZERO)
                        .budget(RetryBudget.builder().maxTokens(100).build()).build());
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            try {
                runner.run(c -> {
                    attempts.incrementAndGet();
                    fakeDeadlock(c);
                });
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        })).hasRootCauseInstanceOf(SQLException.class);

        assertThat(attempts).as("no retry inside the Spring transaction").hasValue(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !deadlocks().isEmpty());
        RetryInfo retry = deadlocks().get(0).retry();
        assertThat(retry.outcome()).isEqualTo(RetryInfo.Outcome.NOT_RETRIED);
        assertThat(retry.reason()).contains("Spring-managed transaction");
    }

    private List<Incident> deadlocks() {
        return memory.events().stream().map(e -> e.incident()).filter(i -> i.kind() == IncidentKind.DEADLOCK).toList();
    }

    private static void fakeDeadlock(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1 / 0").close();
        }
    }
}
