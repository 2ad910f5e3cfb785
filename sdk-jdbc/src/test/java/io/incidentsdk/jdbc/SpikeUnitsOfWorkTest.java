package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Impact;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.testing.DatabaseAccount;
import io.incidentsdk.jdbc.testing.DriverManagerDataSource;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The error-spike window counts units of work, the way users meet them: a {@link TransactionRunner} unit counts
 * once however many statements and attempts it ran, a failure a retry absorbed counts as a success, an explicit
 * transaction outside a runner counts once, an auto-commit statement counts on its own. Real H2 lock timeouts
 * (a row held by a second, unwatched connection), retried by the runner.
 */
class SpikeUnitsOfWorkTest {

    private final TestClock clock = new TestClock();
    private final InMemorySink memory = new InMemorySink(10_000);
    private final IncidentSdk sdk = IncidentSdk.builder().clock(clock).sink(memory)
            .updateInterval(Duration.ofMillis(1)).housekeepingInterval(Duration.ofMillis(10)).build();

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void aRetryingRunnersUnitsCountOnceAndAbsorbedFailuresCountAsSuccesses() throws Exception {
        DataSource raw = new DriverManagerDataSource(new DatabaseAccount("jdbc:h2:mem:"
                + TestDatabases.uniqueName("units") + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=40", "sa", ""));
        DataSource ds = JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder()
                .dataSourceName("accounts")
                .spikeWindow(Duration.ofSeconds(60), 12)
                .spikeThresholds(0.25, 0.1)
                .spikeMinimumCalls(20)
                .build());
        TransactionRunner runner = TransactionRunner.on(ds, RetryPolicy.builder().retryLockTimeouts(true)
                .maxAttempts(2).backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build());
        try (Connection setup = raw.getConnection()) {
            execute(setup, "CREATE TABLE account (id INT PRIMARY KEY, balance BIGINT)");
            execute(setup, "INSERT INTO account VALUES (1, 100), (2, 100), (3, 100)");
        }

        // 10 auto-commit statements outside any unit: 10 units
        try (Connection c = ds.getConnection(); PreparedStatement read = c.prepareStatement(
                "SELECT balance FROM account WHERE id = ?")) {
            for (int i = 0; i < 10; i++) {
                read.setInt(1, 1);
                read.executeQuery().close();
            }
        }
        // 10 runner units of 3 statements and a commit each: 10 units (40 calls)
        for (int i = 0; i < 10; i++) {
            runner.run(c -> {
                execute(c, "UPDATE account SET balance = balance - 1 WHERE id = 1");
                execute(c, "UPDATE account SET balance = balance + 1 WHERE id = 2");
                execute(c, "SELECT balance FROM account WHERE id = 1");
            });
        }
        // 2 explicit transactions outside a runner, 2 statements and a commit each: 2 units
        for (int i = 0; i < 2; i++) {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                execute(c, "UPDATE account SET balance = balance + 1 WHERE id = 1");
                execute(c, "UPDATE account SET balance = balance - 1 WHERE id = 2");
                c.commit();
                c.setAutoCommit(true);
            }
        }
        try (Connection holder = raw.getConnection()) {
            holder.setAutoCommit(false);
            // 5 units whose first attempt waits for the held row and times out; the second attempt finds it free:
            // users saw 5 successes (5 failed calls absorbed)
            AtomicInteger absorbed = new AtomicInteger();
            for (int i = 0; i < 5; i++) {
                execute(holder, "UPDATE account SET balance = balance WHERE id = 3");
                AtomicInteger attempt = new AtomicInteger();
                runner.run(c -> {
                    if (attempt.incrementAndGet() == 2) {
                        holder.commit(); // the other transaction ends between the attempts
                        absorbed.incrementAndGet();
                    }
                    execute(c, "UPDATE account SET balance = balance + 1 WHERE id = 1");
                    execute(c, "UPDATE account SET balance = balance + 1 WHERE id = 3");
                });
            }
            assertThat(absorbed).hasValue(5);
            // 5 units that time out on both attempts: 5 failed units (10 failed calls)
            execute(holder, "UPDATE account SET balance = balance WHERE id = 3");
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> runner.run(c -> {
                    execute(c, "UPDATE account SET balance = balance + 1 WHERE id = 1");
                    execute(c, "UPDATE account SET balance = balance + 1 WHERE id = 3");
                })).isInstanceOf(SQLException.class);
            }
            holder.rollback();
        }
        // an explicit transaction outside a runner that fails twice and rolls back: 1 failed unit
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> execute(c, "INSERT INTO account VALUES (1, 0)")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> execute(c, "INSERT INTO account VALUES (2, 0)")).isInstanceOf(SQLException.class);
            c.rollback();
            c.setAutoCommit(true);
        }
        // 4 auto-commit statements that fail (duplicate key, not retried): 4 failed units; the last one, a moment
        // later on the SDK's clock, evaluates the window
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < 4; i++) {
                if (i == 3) {
                    clock.advance(Duration.ofMillis(200));
                }
                assertThatThrownBy(() -> execute(c, "INSERT INTO account VALUES (1, 0)"))
                        .isInstanceOf(SQLException.class);
            }
        }

        // units: 10 + 10 + 2 + 5 + 5 + 1 + 4 = 37, of which 5 + 1 + 4 = 10 failed (27%); counted by calls it would
        // have been 84 calls with 17 failures (20%, below the threshold)
        await().atMost(Duration.ofSeconds(10)).until(() -> spike() != null && spike().impact().calls() == 37);
        Incident spike = spike();
        Impact impact = spike.impact();
        assertThat(impact.calls()).isEqualTo(37);
        assertThat(impact.failures()).isEqualTo(10);
        assertThat(impact.failuresByCategory()).containsEntry("LOCK_TIMEOUT", 5L)
                .containsEntry("CONSTRAINT_VIOLATION", 5L);
        assertThat(spike.summary()).startsWith("27% of units of work failing (10 of 37 in 60 s)");
        assertThat(spike.attributes().get("spike.counts")).contains("units of work", "TransactionRunner",
                "auto-commit statement");
    }

    @Test
    void aUnitThatUsedTwoDataSourcesCountsOnceInTheProcessWideWindow() throws Exception {
        JdbcWatchOptions.Builder options = JdbcWatchOptions.builder().spikeWindow(Duration.ofSeconds(60), 12)
                .spikeThresholds(0.25, 0.1).spikeMinimumCalls(20);
        DataSource rawOrders = new DriverManagerDataSource(new DatabaseAccount("jdbc:h2:mem:"
                + TestDatabases.uniqueName("orders") + ";DB_CLOSE_DELAY=-1", "sa", ""));
        DataSource rawStock = new DriverManagerDataSource(new DatabaseAccount("jdbc:h2:mem:"
                + TestDatabases.uniqueName("stock") + ";DB_CLOSE_DELAY=-1", "sa", ""));
        DataSource orders = JdbcIncidents.watch(rawOrders, sdk, options.dataSourceName("orders").build());
        DataSource stock = JdbcIncidents.watch(rawStock, sdk, options.dataSourceName("stock").build());
        try (Connection c = rawOrders.getConnection()) {
            execute(c, "CREATE TABLE orders (id INT PRIMARY KEY)");
            execute(c, "INSERT INTO orders VALUES (1)");
        }
        try (Connection c = rawStock.getConnection()) {
            execute(c, "CREATE TABLE stock (sku INT PRIMARY KEY, qty INT)");
            execute(c, "INSERT INTO stock VALUES (1, 5)");
        }
        TransactionRunner runner = TransactionRunner.on(orders, RetryPolicy.builder().maxAttempts(1).build());
        // 30 units, each reads the stock and then fails on the orders (duplicate key): 30 units, 30 failed
        for (int i = 0; i < 30; i++) {
            if (i == 29) {
                clock.advance(Duration.ofMillis(200)); // the last one evaluates the windows
            }
            assertThatThrownBy(() -> runner.run(c -> {
                try (Connection s = stock.getConnection()) {
                    execute(s, "SELECT qty FROM stock WHERE sku = 1");
                }
                execute(c, "INSERT INTO orders VALUES (1)");
            })).isInstanceOf(SQLException.class);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> processWideSpike() != null);
        Impact impact = processWideSpike().impact();
        assertThat(impact.calls()).as("each unit once, not once per data source it used").isEqualTo(30);
        assertThat(impact.failures()).isEqualTo(30);
    }

    private Incident processWideSpike() {
        return memory.events().stream().filter(e -> e.incident().kind() == IncidentKind.ERROR_SPIKE)
                .map(e -> e.incident()).filter(i -> i.title().contains("all data sources")).reduce((a, b) -> b)
                .orElse(null);
    }

    private Incident spike() {
        return memory.events().stream().filter(e -> e.incident().kind() == IncidentKind.ERROR_SPIKE)
                .reduce((a, b) -> b).map(e -> e.incident()).orElse(null);
    }
}
