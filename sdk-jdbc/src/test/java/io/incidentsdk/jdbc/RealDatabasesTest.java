package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(RealDatabases.class)
class RealDatabasesTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void eachDatabaseIsTheRealProductInTheMeasuredVersion(Database database, TestDatabases databases)
            throws SQLException {
        try (Connection connection = databases.dataSource(database).getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();

            assertThat(Database.of(connection)).isEqualTo(database);
            switch (database) {
                case POSTGRESQL -> assertThat(metaData.getDatabaseMajorVersion()).isEqualTo(15);
                case MARIADB -> assertThat(metaData.getDatabaseProductVersion()).startsWith("10.11.");
                case H2 -> assertThat(metaData.getDatabaseProductVersion()).startsWith("2.");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Database.class, names = {"POSTGRESQL", "MARIADB"})
    void serverTestsRunAsTheApplicationUser(Database database, TestDatabases databases) throws SQLException {
        String currentUser = database == Database.POSTGRESQL ? "SELECT current_user" : "SELECT CURRENT_USER()";

        assertThat(queryString(databases.dataSource(database), currentUser)).startsWith("app");
    }

    @Test
    void postgresApplicationRoleIsNoSuperuserButMaySignalOtherBackends(TestDatabases databases) throws SQLException {
        DataSource postgres = databases.dataSource(Database.POSTGRESQL);

        assertThat(queryString(postgres, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"))
                .isEqualTo("false");
        assertThat(queryString(postgres, "SELECT pg_has_role(current_user, 'pg_signal_backend', 'MEMBER')::text"))
                .isEqualTo("true");
    }

    @Test
    void mariaDbApplicationUserMayReadTheInnodbStatus(TestDatabases databases) throws SQLException {
        try (Connection connection = databases.dataSource(Database.MARIADB).getConnection();
                Statement statement = connection.createStatement();
                ResultSet status = statement.executeQuery("SHOW ENGINE INNODB STATUS")) {
            assertThat(status.next()).isTrue();
            assertThat(status.getString("Status")).contains("TRANSACTIONS");
        }
    }

    @Test
    void mariaDbUserWithoutProcessIsDeniedTheInnodbStatus(TestDatabases databases) throws SQLException {
        try (Connection connection = databases.mariaDbWithoutProcess().getConnection();
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SHOW ENGINE INNODB STATUS"))
                    .isInstanceOfSatisfying(SQLSyntaxErrorException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("42000");
                        assertThat(e.getErrorCode()).isEqualTo(1227);
                        assertThat(e.getMessage()).contains("PROCESS");
                    });
            try (ResultSet tables = statement.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES")) {
                assertThat(tables.next()).isTrue();
            }
        }
    }

    @Test
    void everyH2DataSourceIsAFreshDatabase(TestDatabases databases) throws SQLException {
        DataSource first = databases.freshH2();
        DataSource second = databases.freshH2();
        try (Connection connection = first.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE only_in_first (id INT)");
        }

        assertThat(queryString(first, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'ONLY_IN_FIRST'"))
                .as("the table outlives the connection that created it").isEqualTo("1");
        assertThat(queryString(second, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'ONLY_IN_FIRST'"))
                .isEqualTo("0");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void uniqueNamesAreDistinctTablesOnEveryDatabase(Database database, TestDatabases databases) throws SQLException {
        String first = TestDatabases.uniqueName("orders");
        String second = TestDatabases.uniqueName("orders");
        DataSource dataSource = databases.dataSource(database);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + first + " (id INT PRIMARY KEY)");
            statement.execute("CREATE TABLE " + second + " (id INT PRIMARY KEY)");
            statement.execute("INSERT INTO " + first + " (id) VALUES (1)");

            assertThat(first).isNotEqualTo(second).matches("orders_[a-z0-9]{6}_[0-9]+").hasSizeLessThan(64);
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + second)) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
            }
            statement.execute("DROP TABLE " + first);
            statement.execute("DROP TABLE " + second);
        }
    }

    @Test
    void uniqueNamesRejectPrefixesThatWouldNeedQuoting() {
        assertThatThrownBy(() -> TestDatabases.uniqueName("Orders")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestDatabases.uniqueName("1orders")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestDatabases.uniqueName("orders;drop")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void backendIdsTellConnectionsApart(Database database, TestDatabases databases) throws SQLException {
        DataSource dataSource = databases.dataSource(database);
        Set<Long> ids = new HashSet<>();
        try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection()) {
            long firstId = TestDatabases.backendId(first);

            assertThat(TestDatabases.backendId(first)).as("stable for the connection's life").isEqualTo(firstId);
            ids.add(firstId);
            ids.add(TestDatabases.backendId(second));
        }

        assertThat(ids).hasSize(2).allSatisfy(id -> assertThat(id).isPositive());
    }

    private static String queryString(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).as("a row from %s", sql).isTrue();
            return result.getString(1);
        }
    }
}
