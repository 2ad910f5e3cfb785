package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.sink.InMemorySink;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13, request context: {@link JdbcWatchOptions.Builder#contextAttributes(Supplier)} adds what the
 * application was doing to the incident of a failed call, asked on the application thread and only on the
 * failure path; a supplier that throws never changes what the application's call returns or throws.
 */
@ExtendWith(RealDatabases.class)
class ContextAttributesTest {

    private final InMemorySink memory = new InMemorySink(1_000);
    private final IncidentSdk sdk = IncidentSdk.builder().sink(memory).updateInterval(Duration.ofMillis(1)).build();

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    /** Duplicate keys open incidents here, so that H2 gives a failure of that category on every call. */
    private DataSource watched(TestDatabases dbs, Supplier<? extends Map<String, String>> context) throws SQLException {
        DataSource ds = JdbcIncidents.watch(dbs.freshH2(), sdk, JdbcWatchOptions.builder()
                .dataSourceName("orders")
                .incidentCategories(EnumSet.of(SqlFailureCategory.CONSTRAINT_VIOLATION))
                .contextAttributes(context)
                .build());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customer (id INT PRIMARY KEY, email VARCHAR(100))");
            s.execute("INSERT INTO customer VALUES (1, 'jane@example.com')");
        }
        return ds;
    }

    private static SQLException insertDuplicate(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO customer VALUES (?, ?)")) {
            insert.setInt(1, 1);
            insert.setString(2, "jane@example.com");
            return catchThrowableOfType(SQLException.class, insert::executeUpdate);
        }
    }

    private Incident awaitIncident() {
        await().atMost(Duration.ofSeconds(10)).until(() -> !memory.events().isEmpty());
        return memory.events().get(0).incident();
    }

    @Test
    void theSuppliersAttributesAreInTheIncidentAskedOnTheApplicationThreadOnlyOnFailure(TestDatabases dbs)
            throws SQLException {
        AtomicInteger asked = new AtomicInteger();
        List<String> threads = new CopyOnWriteArrayList<>();
        DataSource ds = watched(dbs, () -> {
            asked.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            return Map.of("http.method", "POST", "http.route", "/customers/{id}");
        });
        try (Connection c = ds.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT email FROM customer WHERE id = ?")) {
            for (int i = 0; i < 100; i++) {
                select.setInt(1, 1);
                select.executeQuery().close();
            }
        }
        assertThat(asked).as("never asked on the success path").hasValue(0);

        SQLException error = insertDuplicate(ds);

        assertThat(error.getSQLState()).isEqualTo("23505");
        assertThat(asked).hasValue(1);
        assertThat(threads).containsExactly(Thread.currentThread().getName());
        Incident incident = awaitIncident();
        assertThat(incident.attributes()).containsEntry("http.method", "POST")
                .containsEntry("http.route", "/customers/{id}").containsKey("operation");

        // a repeat only counts the open incident: the supplier is not asked again
        for (int i = 0; i < 5; i++) {
            assertThat(insertDuplicate(ds).getSQLState()).isEqualTo("23505");
        }
        assertThat(asked).hasValue(1);
    }

    @Test
    void valuesAreBoundedCleanedAndCannotReplaceTheSdksOwnAttributes(TestDatabases dbs) throws SQLException {
        Map<String, String> context = new LinkedHashMap<>();
        context.put("operation", "spoofed");
        context.put("tenant", "acme\n\u001b[31mred");
        context.put("origin", "jdbc:postgresql://db.internal:5432/app?user=app&password=hunter2");
        context.put("huge", "x".repeat(100_000));
        for (int i = 0; i < 40; i++) {
            context.put("k" + i, "v" + i);
        }
        DataSource ds = watched(dbs, () -> context);

        insertDuplicate(ds);

        Incident incident = awaitIncident();
        Map<String, String> attributes = incident.attributes();
        assertThat(attributes.get("operation")).isEqualTo("EXECUTE_UPDATE");
        assertThat(attributes.get("tenant")).isEqualTo("acme red");
        assertThat(attributes.get("origin")).doesNotContain("hunter2").doesNotContain("user=app");
        assertThat(attributes.get("huge")).hasSizeLessThanOrEqualTo(256);
        assertThat(attributes.keySet()).filteredOn(key -> key.matches("k\\d+")).hasSize(16 - 4);
        assertThat(IncidentJson.toJson(memory.events().get(0))).doesNotContain("hunter2");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"runtime exception", "error", "checked exception thrown sneakily", "null map",
            "map that throws while read"})
    void aSupplierThatFailsNeitherBreaksTheApplicationsCallNorTheIncident(String failure, TestDatabases dbs)
            throws SQLException {
        Supplier<Map<String, String>> broken = switch (failure) {
            case "runtime exception" -> () -> {
                throw new IllegalStateException("no request bound to this thread");
            };
            case "error" -> () -> {
                throw new AssertionError("a broken hook");
            };
            case "checked exception thrown sneakily" -> () -> ContextAttributesTest.<RuntimeException>sneaky(
                    new java.io.IOException("sneaky"));
            case "null map" -> () -> null;
            default -> () -> new LinkedHashMap<>(Map.of("a", "b")) {
                @Override
                public java.util.Set<Map.Entry<String, String>> entrySet() {
                    throw new java.util.ConcurrentModificationException();
                }
            };
        };
        DataSource ds = watched(dbs, broken);

        SQLException error = insertDuplicate(ds);

        assertThat((Throwable) error).as("the driver's exception, unchanged").isNotNull()
                .isInstanceOf(org.h2.jdbc.JdbcSQLIntegrityConstraintViolationException.class);
        assertThat(error.getSQLState()).isEqualTo("23505");
        assertThat(error.getSuppressed()).isEmpty();
        Incident incident = awaitIncident();
        assertThat(incident.attributes()).containsKeys("operation", "rule").doesNotContainKey("a");
        // and the next call of the application is served as ever
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("INSERT INTO customer VALUES (2, 'x@example.com')")).isEqualTo(1);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> Map<String, String> sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
