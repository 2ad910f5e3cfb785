package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Impact;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.internal.forensics.ConnectionRegistry;
import io.incidentsdk.jdbc.internal.watch.RetryScope;
import io.incidentsdk.jdbc.internal.wrap.ConnectionState;
import io.incidentsdk.jdbc.internal.wrap.DataSourceContext;
import io.incidentsdk.jdbc.internal.wrap.JdbcObserver;
import io.incidentsdk.jdbc.internal.wrap.WatchedConnection;
import io.incidentsdk.jdbc.testing.DatabaseAccount;
import io.incidentsdk.jdbc.testing.DriverManagerDataSource;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A successful call is counted by its connection's own thread, without a shared counter, and the spike window
 * takes the counts from the connections (every 100 ms, before every evaluation, and at close). Many threads at
 * once, connections kept open for the whole test and connections closed after a few calls: the window must hold
 * every call exactly once.
 */
class SpikeCountsOnManyThreadsTest {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 2_500;
    private static final int FAILURES = 500;

    private final TestClock clock = new TestClock();
    private final InMemorySink memory = new InMemorySink(10_000);
    private final IncidentSdk sdk = IncidentSdk.builder().clock(clock).sink(memory)
            .updateInterval(Duration.ofMillis(1)).housekeepingInterval(Duration.ofMillis(10)).build();
    private final ExecutorService threads = Executors.newFixedThreadPool(2 * THREADS);

    @AfterEach
    void close() {
        threads.shutdownNow();
        sdk.close();
    }

    @Test
    void everySuccessfulCallOfManyThreadsCountsOnceWhetherItsConnectionStaysOpenOrCloses() throws Exception {
        DataSource ds = watchedH2("counts", "accounts", 0.01, 0.001,
                "CREATE TABLE account (id INT PRIMARY KEY, balance BIGINT)", "INSERT INTO account VALUES (1, 100)");

        CountDownLatch counted = new CountDownLatch(2 * THREADS);
        CountDownLatch finish = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            // a connection kept for the whole test: its counts reach the window only by being taken while open
            work.add(threads.submit(() -> {
                try (Connection c = ds.getConnection();
                     PreparedStatement read = c.prepareStatement("SELECT balance FROM account WHERE id = ?")) {
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        read.setInt(1, 1);
                        try (ResultSet rs = read.executeQuery()) {
                            rs.next();
                        }
                    }
                    counted.countDown();
                    finish.await(60, TimeUnit.SECONDS);
                }
                return null;
            }));
            // connections borrowed for 10 calls each, as a request does
            work.add(threads.submit(() -> {
                for (int borrow = 0; borrow < CALLS_PER_THREAD / 10; borrow++) {
                    try (Connection c = ds.getConnection();
                         PreparedStatement update = c.prepareStatement(
                                 "UPDATE account SET balance = balance WHERE id = ?")) {
                        for (int i = 0; i < 10; i++) {
                            update.setInt(1, 1);
                            update.executeUpdate();
                        }
                    }
                }
                counted.countDown();
                return null;
            }));
        }
        try {
            assertThat(counted.await(60, TimeUnit.SECONDS)).isTrue();
            // failures while the first connections are still open; the last one, later on the SDK's clock,
            // evaluates the window
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                failThenEvaluate(s, "INSERT INTO account VALUES (1, 0)", FAILURES);
            }
            long calls = 2L * THREADS * CALLS_PER_THREAD + FAILURES;
            Impact impact = spikeOfAtLeast(calls);
            assertThat(impact.calls()).as("every call once").isEqualTo(calls);
            assertThat(impact.failures()).isEqualTo(FAILURES);
        } finally {
            finish.countDown();
        }
        for (Future<?> f : work) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * With the connection registry full (thousands of connections open) a new connection gets no slot, so the
     * windows cannot take its counts while it is open: it counts in the windows directly, and a kept connection's
     * successes are not missing from a window its failures are in (which would report 100% failing).
     */
    @Test
    void aConnectionTheRegistryHasNoSlotForCountsItsCallsDirectly() throws Exception {
        DataSourceContext filler = new DataSourceContext("filler", JdbcObserver.NO_OP);
        Connection placeholder = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) ->
                        method.getName().equals("getAutoCommit") ? Boolean.TRUE : null);
        List<WatchedConnection> fillers = new ArrayList<>();
        try {
            for (int i = 0; i < 5_000; i++) {
                WatchedConnection state = WatchedConnection.open(placeholder, filler);
                fillers.add(state);
                ConnectionRegistry.GLOBAL.add(state);
            }
            DataSource ds = watchedH2("full", "full", 0.1, 0.01,
                    "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            try (Connection kept = ds.getConnection(); Statement s = kept.createStatement()) {
                assertThat(kept.unwrap(ConnectionState.class).countsTaken()).as("the registry is full").isFalse();
                for (int i = 0; i < 100; i++) {
                    s.executeQuery("SELECT id FROM t").close();
                }
                // 30 failures: 30 of 130 units (23%) while the connection is still open
                failThenEvaluate(s, "INSERT INTO t VALUES (1)", 30);
                Impact impact = spikeOfAtLeast(130);
                assertThat(impact.calls()).as("the open connection's successes are in the window").isEqualTo(130);
                assertThat(impact.failures()).isEqualTo(30);
            }
        } finally {
            fillers.forEach(ConnectionRegistry.GLOBAL::remove);
        }
    }

    /**
     * A connection counts its own auto-commit successes only while no unit of work is open anywhere: inside a unit
     * the unit counts once, and while another thread is inside one this thread's calls still count once each
     * (through the watch). Counting a unit's statements on the connection as well would count them twice.
     */
    @Test
    void autoCommitCallsCountOnceEachOutsideUnitsAndOncePerUnitInsideWhileOtherThreadsRunUnits() throws Exception {
        DataSource ds = watchedH2("units", "units", 0.1, 0.01,
                "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        try (Connection c = ds.getConnection();
             PreparedStatement read = c.prepareStatement("SELECT id FROM t WHERE id = ?");
             Statement s = c.createStatement()) {
            read.setInt(1, 1);
            // 10 calls outside any unit: 10 units
            for (int i = 0; i < 10; i++) {
                read.executeQuery().close();
            }
            // a unit of work on this thread running 7 auto-commit calls: 1 unit
            RetryScope unit = RetryScope.enter(category -> false, ds);
            try {
                for (int i = 0; i < 7; i++) {
                    read.executeQuery().close();
                }
            } finally {
                unit.exit();
            }
            // another thread inside a unit (with no call of its own): 5 calls here are 5 units
            Future<?> other = threads.submit(() -> {
                RetryScope scope = RetryScope.enter(category -> false, ds);
                try {
                    entered.countDown();
                    leave.await(60, TimeUnit.SECONDS);
                } finally {
                    scope.exit();
                }
                return null;
            });
            assertThat(entered.await(60, TimeUnit.SECONDS)).isTrue();
            try {
                for (int i = 0; i < 5; i++) {
                    read.executeQuery().close();
                }
            } finally {
                leave.countDown();
            }
            other.get(60, TimeUnit.SECONDS);
            // 4 failures (4 of 20 units), the last one later on the SDK's clock evaluates the window
            failThenEvaluate(s, "INSERT INTO t VALUES (1)", 4);
            Impact impact = spikeOfAtLeast(20);
            assertThat(impact.calls()).as("10 calls, 1 unit of 7 calls, 5 calls, 4 failures").isEqualTo(20);
            assertThat(impact.failures()).isEqualTo(4);
        }
    }

    /**
     * A new H2 database in memory set up by {@code setup} (on the raw driver), watched with a 60-s spike window of
     * 12 buckets, the given thresholds and at least 20 calls.
     */
    private DataSource watchedH2(String database, String name, double warning, double critical, String... setup)
            throws SQLException {
        DataSource raw = new DriverManagerDataSource(new DatabaseAccount("jdbc:h2:mem:"
                + TestDatabases.uniqueName(database) + ";DB_CLOSE_DELAY=-1", "sa", ""));
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            for (String sql : setup) {
                s.execute(sql);
            }
        }
        return JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder()
                .dataSourceName(name)
                .spikeWindow(Duration.ofSeconds(60), 12)
                .spikeThresholds(warning, critical)
                .spikeMinimumCalls(20)
                .build());
    }

    /**
     * Runs {@code sql}, which fails, {@code failures} times; the last failure comes later on the SDK's clock, so
     * it evaluates the spike window.
     */
    private void failThenEvaluate(Statement s, String sql, int failures) {
        for (int i = 0; i < failures; i++) {
            if (i == failures - 1) {
                clock.advance(Duration.ofMillis(200));
            }
            assertThatThrownBy(() -> s.execute(sql)).isInstanceOf(SQLException.class);
        }
    }

    /** The impact of the latest spike incident, once one reports at least {@code calls} calls (10 s at most). */
    private Impact spikeOfAtLeast(long calls) {
        await().atMost(Duration.ofSeconds(10)).until(() -> spike() != null && spike().impact().calls() >= calls);
        return spike().impact();
    }

    private Incident spike() {
        return memory.events().stream().filter(e -> e.incident().kind() == IncidentKind.ERROR_SPIKE)
                .reduce((a, b) -> b).map(e -> e.incident()).orElse(null);
    }
}
