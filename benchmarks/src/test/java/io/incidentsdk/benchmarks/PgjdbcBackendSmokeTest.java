package io.incidentsdk.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.benchmarks.support.Backend;
import io.incidentsdk.benchmarks.support.Variant;
import io.incidentsdk.jdbc.testing.DatabaseAccount;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code pgjdbc} backend of {@link JdbcPathsBench} on the tests' PostgreSQL: every path runs through every variant
 * with the expected outcome, and the backend's schema is gone after the tear-down. (Nothing here measures anything.)
 */
@ExtendWith(RealDatabases.class)
class PgjdbcBackendSmokeTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Variant.RAW, Variant.INCIDENT_SDK, Variant.INCIDENT_SDK_UNDER_POOL, Variant.HANDWRITTEN,
        Variant.DSPROXY_NOOP, Variant.P6SPY_NOLOG})
    void everyJdbcPathRunsOnPostgresqlThroughTheVariant(String variant, TestDatabases databases) throws SQLException {
        DatabaseAccount account = databases.accounts().postgres();
        JdbcPathsBench bench = new JdbcPathsBench();
        bench.backend = Backend.PGJDBC;
        bench.variant = variant;
        bench.setUp(Backend.pgjdbc(account.url(), account.user(), account.password()));
        try {
            assertThat(bench.pointSelect()).isGreaterThanOrEqualTo(1_000);
            assertThat(bench.pointSelectMapped(BenchmarkSmokeTest.ROW_MAPPER)).isGreaterThanOrEqualTo(1_000);
            assertThat(bench.updateByPk()).isEqualTo(1);
            assertThat(bench.borrowPrepareExecuteClose()).isGreaterThanOrEqualTo(1_000);
            Object failure = bench.duplicateKeyInsert();
            assertThat(failure).isInstanceOf(SQLException.class);
            assertThat(((SQLException) failure).getSQLState()).isEqualTo("23505");
            assertThat(bench.duplicateKeyInsert()).as("a new exception per failure").isNotSameAs(failure);
        } finally {
            bench.tearDown();
        }
        try (Connection c = databases.dataSource(io.incidentsdk.jdbc.testing.Database.POSTGRESQL).getConnection();
             Statement s = c.createStatement();
             ResultSet left = s.executeQuery("SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE "
                     + "'incident_bench_" + ProcessHandle.current().pid() + "_%'")) {
            assertThat(left.next()).isTrue();
            assertThat(left.getInt(1)).as("schemas left behind by this JVM").isZero();
        }
    }
}
