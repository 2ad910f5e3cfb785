package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.sink.InMemorySink;
import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Spikes, redaction of driver messages and metrics through a watched data source. */
@ExtendWith(RealDatabases.class)
class WatchedDataSourceIncidentsTest {

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

    private Incident awaitIncident(IncidentKind kind) {
        await().atMost(Duration.ofSeconds(10)).until(() -> memory.events().stream()
                .anyMatch(e -> e.incident().kind() == kind));
        return memory.events().stream().filter(e -> e.incident().kind() == kind).reduce((a, b) -> b).orElseThrow()
                .incident();
    }

    @Test
    void anErrorSpikeOpensWithTheRateTheCategoriesAndTheTopStatementAndResolvesAfterRecovery(TestDatabases dbs)
            throws Exception {
        DataSource ds = JdbcIncidents.watch(dbs.freshH2(), sdk, JdbcWatchOptions.builder()
                .dataSourceName("orders")
                .spikeWindow(Duration.ofSeconds(10), 10)
                .spikeThresholds(0.3, 0.1)
                .spikeMinimumCalls(20)
                .spikeCoolDown(Duration.ofSeconds(5))
                .build());
        try (Connection c = ds.getConnection()) {
            execute(c, "CREATE TABLE customer (id INT PRIMARY KEY, email VARCHAR(100))");
            execute(c, "INSERT INTO customer VALUES (1, 'jane@example.com')");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO customer VALUES (?, ?)");
                 PreparedStatement select = c.prepareStatement("SELECT email FROM customer WHERE id = ?")) {
                for (int i = 0; i < 20; i++) {
                    select.setInt(1, 1);
                    select.executeQuery().close();
                }
                for (int i = 0; i < 15; i++) {
                    insert.setInt(1, 1);
                    insert.setString(2, "jane@example.com");
                    assertThatThrownBy(insert::executeUpdate).isInstanceOf(SQLException.class);
                }
                clock.advance(Duration.ofMillis(200)); // the next failure evaluates the window
                assertThatThrownBy(insert::executeUpdate).isInstanceOf(SQLException.class);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> memory.events().stream()
                .anyMatch(e -> e.incident().kind() == IncidentKind.ERROR_SPIKE && e.incident().impact().failures() == 16));
        Incident spike = awaitIncident(IncidentKind.ERROR_SPIKE);
        assertThat(spike.title()).isEqualTo("Error spike on orders");
        assertThat(spike.impact().failures()).isEqualTo(16);
        assertThat(spike.impact().failuresByCategory()).containsOnlyKeys("CONSTRAINT_VIOLATION");
        assertThat(spike.attributes()).containsKey("spike.counts");
        assertThat(spike.summary()).contains("of units of work failing").contains("CONSTRAINT_VIOLATION")
                .contains("INSERT customer");
        assertThat(spike.database().system()).isEqualTo("h2");
        // a constraint violation alone opens no incident of its own (not in the default categories)
        assertThat(memory.events()).allSatisfy(e -> assertThat(e.incident().kind()).isEqualTo(IncidentKind.ERROR_SPIKE));

        // recovery: healthy traffic for longer than window + cool-down; one failure per step (3 %) makes the
        // watch evaluate the window at that moment of the test clock
        try (Connection c = ds.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT email FROM customer WHERE id = ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO customer VALUES (?, ?)")) {
            for (int step = 0; step < 4; step++) {
                clock.advance(Duration.ofSeconds(5));
                for (int i = 0; i < 30; i++) {
                    select.setInt(1, 1);
                    select.executeQuery().close();
                }
                insert.setInt(1, 1);
                insert.setString(2, "x");
                assertThatThrownBy(insert::executeUpdate).isInstanceOf(SQLException.class);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> memory.events().stream()
                .anyMatch(e -> e.event() == IncidentEvent.Type.RESOLVED && e.incident().kind() == IncidentKind.ERROR_SPIKE));
    }

    @Test
    void failuresSpreadOverTwoDataSourcesOpenAProcessWideSpike(TestDatabases dbs) throws Exception {
        JdbcWatchOptions.Builder options = JdbcWatchOptions.builder()
                .spikeWindow(Duration.ofSeconds(10), 10).spikeThresholds(0.5, 0.1).spikeMinimumCalls(20);
        DataSource orders = JdbcIncidents.watch(dbs.freshH2(), sdk, options.dataSourceName("orders").build());
        DataSource billing = JdbcIncidents.watch(dbs.freshH2(), sdk, options.dataSourceName("billing").build());
        // each data source alone has too few calls for a spike (15 < 20); the process has 30
        for (DataSource ds : new DataSource[] {orders, billing}) {
            try (Connection c = ds.getConnection()) {
                for (int i = 0; i < 5; i++) {
                    execute(c, "SELECT 1");
                }
                for (int i = 0; i < 9; i++) {
                    assertThatThrownBy(() -> execute(c, "SELECT * FROM missing")).isInstanceOf(SQLException.class);
                }
            }
        }
        clock.advance(Duration.ofMillis(200)); // the next failure evaluates the windows
        try (Connection c = billing.getConnection()) {
            assertThatThrownBy(() -> execute(c, "SELECT * FROM missing")).isInstanceOf(SQLException.class);
        }
        Incident spike = awaitIncident(IncidentKind.ERROR_SPIKE);
        assertThat(spike.title()).isEqualTo("Error spike on all data sources");
        assertThat(spike.impact().calls()).isEqualTo(29);
        assertThat(spike.impact().failures()).isEqualTo(19);
        assertThat(spike.impact().failuresByCategory()).containsOnlyKeys("PROGRAMMING_ERROR");
        assertThat(memory.events()).extracting(e -> e.incident().title())
                .doesNotContain("Error spike on orders", "Error spike on billing");
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void driverMessagesReachTheRecordOnlyWithoutTheirData(Database database, TestDatabases dbs) throws Exception {
        DataSource raw = database == Database.H2 ? dbs.freshH2() : dbs.dataSource(database);
        DataSource ds = JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder().dataSourceName("customers")
                .incidentCategories(EnumSet.of(SqlFailureCategory.CONSTRAINT_VIOLATION)).build());
        String table = TestDatabases.uniqueName("customer");
        try (Connection c = ds.getConnection()) {
            execute(c, "CREATE TABLE " + table + " (id INT PRIMARY KEY, email VARCHAR(100) UNIQUE)");
            execute(c, "INSERT INTO " + table + " VALUES (1, 'jane.doe@example.com')");
            SQLException duplicate = null;
            try {
                execute(c, "INSERT INTO " + table + " VALUES (2, 'jane.doe@example.com')");
            } catch (SQLException e) {
                duplicate = e;
            }
            // the driver's message carries the data ...
            assertThat((Throwable) duplicate).isNotNull();
            assertThat(duplicate.getMessage()).contains("jane.doe@example.com");
        } finally {
            try (Connection c = raw.getConnection()) {
                execute(c, "DROP TABLE " + table);
            }
        }
        // ... the record does not
        Incident incident = awaitIncident(IncidentKind.CUSTOM);
        assertThat(incident.error().category()).isEqualTo("CONSTRAINT_VIOLATION");
        assertThat(incident.error().message()).isNotBlank();
        String json = IncidentJson.toJson(memory.events().get(0));
        assertThat(json).doesNotContain("jane.doe@example.com").doesNotContain("jane.doe").doesNotContain("example.com");
    }

    @Test
    void failuresAreCountedByCategoryAndDataSourceInMicrometer(TestDatabases dbs) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DataSource ds = JdbcIncidents.watch(dbs.freshH2(), sdk, JdbcWatchOptions.builder()
                .dataSourceName("billing").meterRegistry(registry).build());
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> execute(c, "SELECT * FROM no_such_table")).isInstanceOf(SQLException.class);
            }
        }
        assertThat(registry.get("incident.jdbc.failures").tag("category", "PROGRAMMING_ERROR")
                .tag("dataSource", "billing").counter().count()).isEqualTo(3.0);
        assertThat(registry.get("incident.jdbc.failures").tag("category", "DEADLOCK").counter().count()).isZero();
        assertThat(registry.getMeters()).flatExtracting(m -> m.getId().getTags())
                .noneMatch(t -> t.getValue().contains("no_such_table"));
    }

    @Test
    void watchingTwiceDoesNotWatchTwiceAndUnwrapReachesTheOriginal(TestDatabases dbs) throws Exception {
        DataSource raw = dbs.freshH2();
        DataSource once = JdbcIncidents.watch(raw, sdk);
        assertThat(JdbcIncidents.watch(once, sdk)).isSameAs(once);
        assertThat(JdbcIncidents.isWatched(once)).isTrue();
        assertThat(JdbcIncidents.isWatched(raw)).isFalse();
        assertThat(once.unwrap(raw.getClass())).isSameAs(raw);
    }
}
