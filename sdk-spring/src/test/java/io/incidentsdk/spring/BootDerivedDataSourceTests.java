package io.incidentsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.testing.DatabaseAccount;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Issue 13, point 1: Spring Boot derives a DataSource from the watched one ({@code DataSourceBuilder.derivedFrom},
 * which Flyway and Liquibase use when they have a user of their own and no URL): it sees through the watch to
 * the pool, copies its URL and driver, and connects as the other user; the application's DataSource stays
 * watched and still unwraps to HikariDataSource. On H2 with a second user, and on PostgreSQL with the admin
 * user as the migration user.
 */
@ExtendWith(RealDatabases.class)
class BootDerivedDataSourceTests {

    private static final String MIGRATOR = "MIGRATOR";
    private static final String MIGRATOR_PASSWORD = "migrate";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
                    LiquibaseAutoConfiguration.class, IncidentAutoConfiguration.class,
                    IncidentJdbcAutoConfiguration.class))
            .withUserConfiguration(IncidentJdbcAutoConfigurationTests.MemorySink.class);

    @ParameterizedTest(name = "under the pool: {0}, pool: {1}")
    @CsvSource({"true, hikari", "false, hikari", "true, simple"})
    void flywayWithItsOwnUserMigratesThroughTheWatchedDataSource(boolean underPool, String pool) throws SQLException {
        String url = h2WithSecondUser();
        runner.withPropertyValues(h2Application(url, underPool, pool))
                .withPropertyValues("spring.liquibase.enabled=false",
                        "spring.flyway.locations=classpath:db/incident-derived/flyway",
                        "spring.flyway.user=" + MIGRATOR, "spring.flyway.password=" + MIGRATOR_PASSWORD)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DataSource dataSource = context.getBean(DataSource.class);
                    assertThat(JdbcIncidents.isWatched(dataSource)).isTrue();
                    assertThat(currentUser(dataSource)).isEqualTo("SA");
                    assertThat(query(dataSource, "SELECT who FROM migrated_by")).containsExactly(MIGRATOR);
                    assertThat(query(dataSource,
                            "SELECT \"installed_by\" FROM \"flyway_schema_history\" WHERE \"version\" = '1'"))
                            .containsExactly(MIGRATOR);
                });
    }

    @ParameterizedTest(name = "under the pool: {0}")
    @CsvSource({"true", "false"})
    void liquibaseWithItsOwnUserMigratesThroughTheWatchedDataSource(boolean underPool) throws SQLException {
        String url = h2WithSecondUser();
        runner.withPropertyValues(h2Application(url, underPool, "hikari"))
                .withPropertyValues("spring.flyway.enabled=false",
                        "spring.liquibase.change-log=classpath:db/incident-derived/liquibase/changelog.sql",
                        "spring.liquibase.user=" + MIGRATOR, "spring.liquibase.password=" + MIGRATOR_PASSWORD)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DataSource dataSource = context.getBean(DataSource.class);
                    assertThat(JdbcIncidents.isWatched(dataSource)).isTrue();
                    assertThat(query(dataSource, "SELECT who FROM migrated_by")).containsExactly(MIGRATOR);
                });
    }

    @ParameterizedTest(name = "under the pool: {0}")
    @CsvSource({"true", "false"})
    void derivedFromTheWatchedDataSourceConnectsAsTheOtherUserAndHikariIsStillReachable(boolean underPool)
            throws SQLException {
        String url = h2WithSecondUser();
        runner.withPropertyValues(h2Application(url, underPool, "hikari"))
                .withPropertyValues("spring.flyway.enabled=false", "spring.liquibase.enabled=false")
                .run(context -> {
                    DataSource dataSource = context.getBean(DataSource.class);
                    HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
                    assertThat(pool).isNotSameAs(dataSource);
                    assertThat(DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class,
                            HikariDataSource.class)).as("Boot's JMX/metrics lookup").isSameAs(pool);

                    DataSource derived = DataSourceBuilder.derivedFrom(dataSource)
                            .username(MIGRATOR).password(MIGRATOR_PASSWORD).build();
                    try {
                        assertThat(derived).isInstanceOf(HikariDataSource.class).isNotSameAs(pool);
                        assertThat(((HikariDataSource) derived).getJdbcUrl()).isEqualTo(url);
                        assertThat(currentUser(derived)).isEqualTo(MIGRATOR);
                    } finally {
                        ((HikariDataSource) derived).close();
                    }
                    assertThat(currentUser(dataSource)).isEqualTo("SA");
                });
    }

    @Test
    void onPostgresqlFlywayAndLiquibaseMigrateAsTheirOwnUser(TestDatabases databases) throws SQLException {
        DatabaseAccount app = databases.accounts().postgres();
        DatabaseAccount admin = new DatabaseAccount(app.url(), env("INCIDENT_SDK_PG_ADMIN_USER", "postgres"),
                env("INCIDENT_SDK_PG_ADMIN_PASSWORD", "postgres"));
        String flywaySchema = TestDatabases.uniqueName("flyway_user");
        String liquibaseSchema = TestDatabases.uniqueName("liquibase_user");
        try (Connection connection = DriverManager.getConnection(admin.url(), admin.user(), admin.password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + liquibaseSchema);
        }
        try {
            runner.withPropertyValues("spring.datasource.url=" + app.url(), "spring.datasource.username=" + app.user(),
                            "spring.datasource.password=" + app.password(),
                            "spring.flyway.locations=classpath:db/incident-derived/flyway",
                            "spring.flyway.schemas=" + flywaySchema,
                            "spring.flyway.user=" + admin.user(), "spring.flyway.password=" + admin.password(),
                            "spring.liquibase.change-log=classpath:db/incident-derived/liquibase/changelog.sql",
                            "spring.liquibase.default-schema=" + liquibaseSchema,
                            "spring.liquibase.user=" + admin.user(), "spring.liquibase.password=" + admin.password())
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        DataSource dataSource = context.getBean(DataSource.class);
                        assertThat(JdbcIncidents.isWatched(dataSource)).isTrue();
                        assertThat(currentUser(dataSource)).isEqualTo(app.user());
                    });
            try (Connection connection = DriverManager.getConnection(admin.url(), admin.user(), admin.password())) {
                assertThat(query(connection, "SELECT who FROM " + flywaySchema + ".migrated_by"))
                        .containsExactly(admin.user());
                assertThat(query(connection, "SELECT installed_by FROM " + flywaySchema
                        + ".flyway_schema_history WHERE version = '1'"))
                        .containsExactly(admin.user());
                assertThat(query(connection, "SELECT who FROM " + liquibaseSchema + ".migrated_by"))
                        .containsExactly(admin.user());
            }
        } finally {
            try (Connection connection = DriverManager.getConnection(admin.url(), admin.user(), admin.password());
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + flywaySchema + " CASCADE");
                statement.execute("DROP SCHEMA IF EXISTS " + liquibaseSchema + " CASCADE");
            }
        }
    }

    private static String[] h2Application(String url, boolean underPool, String pool) {
        List<String> properties = new ArrayList<>(List.of("spring.datasource.url=" + url,
                "spring.datasource.username=sa", "spring.datasource.password=",
                "incident.jdbc.under-pool=" + underPool));
        if (pool.equals("simple")) {
            properties.add("spring.datasource.type=org.springframework.jdbc.datasource.SimpleDriverDataSource");
        }
        return properties.toArray(String[]::new);
    }

    /** A fresh in-memory H2 database (kept open) with the admin SA and a second admin user, MIGRATOR. */
    private static String h2WithSecondUser() throws SQLException {
        String url = "jdbc:h2:mem:derived-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE USER " + MIGRATOR + " PASSWORD '" + MIGRATOR_PASSWORD + "' ADMIN");
        }
        return url;
    }

    private static String currentUser(DataSource dataSource) throws SQLException {
        return query(dataSource, "SELECT CURRENT_USER").get(0);
    }

    private static List<String> query(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return query(connection, sql);
        }
    }

    private static List<String> query(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }
}
