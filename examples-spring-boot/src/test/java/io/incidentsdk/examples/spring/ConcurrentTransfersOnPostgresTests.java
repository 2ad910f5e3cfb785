package io.incidentsdk.examples.spring;

import io.incidentsdk.jdbc.testing.DatabaseAccount;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link ConcurrentTransfersTests} on PostgreSQL (the server of {@code scripts/test-databases.sh}), with the
 * application's {@code postgres} profile; Flyway migrates a schema of this run's own, dropped afterwards. The
 * issue's load: 8 threads x 200 transfers through each endpoint, between the four accounts.
 */
@ExtendWith(RealDatabases.class)
@ActiveProfiles("postgres")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "incident.update-interval=100ms")
class ConcurrentTransfersOnPostgresTests extends ConcurrentTransfersTests {

    private static final String SCHEMA = TestDatabases.uniqueName("bank_example");
    private static DatabaseAccount postgres;

    @BeforeAll
    static void databases(TestDatabases databases) {
        postgres = databases.accounts().postgres();
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> postgres.url() + (postgres.url().contains("?") ? "&" : "?")
                + "currentSchema=" + SCHEMA);
        registry.add("spring.datasource.username", () -> postgres.user());
        registry.add("spring.datasource.password", () -> postgres.password());
        registry.add("spring.flyway.schemas", () -> SCHEMA);
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.url(), postgres.user(), postgres.password());
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Override
    boolean deadlocksExpected() {
        return true;
    }

    @Override
    int transfersPerThread(String path) {
        return 200;
    }
}
