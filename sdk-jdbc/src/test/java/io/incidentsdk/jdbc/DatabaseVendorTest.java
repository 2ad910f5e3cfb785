package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatabaseVendorTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "PostgreSQL | POSTGRESQL",
        "MariaDB | MARIADB",
        "MySQL | MYSQL",
        "H2 | H2",
        "HSQL Database Engine | HSQLDB",
        "Apache Derby | DERBY",
        "SQLite | SQLITE",
        "Microsoft SQL Server | SQL_SERVER",
        "Oracle | ORACLE",
        "DB2/LINUXX8664 | DB2",
        "DB2/NT64 | DB2",
        "DB2 UDB for AS/400 | DB2",
        "CockroachDB | COCKROACHDB",
        "  postgresql  | POSTGRESQL",
        "Informix Dynamic Server | UNKNOWN",
        "H2 Console | UNKNOWN",
        "'' | UNKNOWN",
    })
    void recognisesTheProductNamesDriversReport(String productName, DatabaseVendor expected) {
        assertThat(DatabaseVendor.fromProductName(productName)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://db:5432/app?autosave=always | POSTGRESQL",
        "jdbc:mariadb://db:3306/app | MARIADB",
        "jdbc:mysql://db:3306/app | MYSQL",
        "jdbc:mysql:loadbalance://a,b/app | MYSQL",
        "jdbc:oracle:thin:@//db:1521/XEPDB1 | ORACLE",
        "jdbc:sqlserver://db:1433;databaseName=app | SQL_SERVER",
        "jdbc:jtds:sqlserver://db:1433/app | SQL_SERVER",
        "jdbc:jtds:sybase://db:5000/app | UNKNOWN",
        "jdbc:db2://db:50000/APP | DB2",
        "jdbc:as400://host/APP | DB2",
        "jdbc:h2:mem:probe;DB_CLOSE_DELAY=-1 | H2",
        "jdbc:hsqldb:mem:probe | HSQLDB",
        "jdbc:derby:memory:probe;create=true | DERBY",
        "jdbc:sqlite:/tmp/app.db | SQLITE",
        "jdbc:cockroachdb://db:26257/app | COCKROACHDB",
        "JDBC:PostgreSQL://DB/APP | POSTGRESQL",
        "jdbc:p6spy:postgresql://db/app | POSTGRESQL",
        "jdbc:p6spy:mariadb://db/app | MARIADB",
        "jdbc:log4jdbc:h2:mem:x | H2",
        "jdbc:otel:postgresql://db/app | POSTGRESQL",
        "jdbc:aws-wrapper:postgresql://db/app | POSTGRESQL",
        "jdbc:tc:postgresql:15:///app | POSTGRESQL",
        "jdbc:tc:mysql:8.0:///app | MYSQL",
        "jdbc:tc:cockroach:v23.1.0:///app | COCKROACHDB",
        "jdbc:tc:timescaledb:2.1.0-pg13:///app | POSTGRESQL",
        "jdbc:p6spy:jdbc:tc:postgresql:15:///app | POSTGRESQL",
        "jdbc:tc:p6spy:tc:log4jdbc:tc:h2:mem:x | UNKNOWN",
        "jdbc:informix-sqli://db:9088/app | UNKNOWN",
        "postgresql://db/app | POSTGRESQL",
        "jdbc: | UNKNOWN",
        "jdbc:p6spy: | UNKNOWN",
        "'' | UNKNOWN",
    })
    void recognisesJdbcUrlsIncludingWrappingPrefixes(String url, DatabaseVendor expected) {
        assertThat(DatabaseVendor.fromUrl(url)).isEqualTo(expected);
    }

    @Test
    void nullsAreUnknown() {
        assertThat(DatabaseVendor.fromProductName(null)).isEqualTo(DatabaseVendor.UNKNOWN);
        assertThat(DatabaseVendor.fromUrl(null)).isEqualTo(DatabaseVendor.UNKNOWN);
        assertThat(DatabaseVendor.fromMetadata(null, null, null)).isEqualTo(DatabaseVendor.UNKNOWN);
    }

    @ParameterizedTest(name = "{0} / {1} / {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        // CockroachDB through pgjdbc reports PostgreSQL; its URL or version gives it away
        "PostgreSQL | 13.0.0 | jdbc:cockroachdb://db:26257/app | COCKROACHDB",
        "PostgreSQL | 13.0.0 | jdbc:tc:cockroach:v23.1.0:///app | COCKROACHDB",
        "PostgreSQL | CockroachDB CCL v23.1.11 | jdbc:postgresql://db:26257/app | COCKROACHDB",
        "PostgreSQL | 15.18 (Debian 15.18-1.pgdg120+1) | jdbc:postgresql://db:5432/app | POSTGRESQL",
        // MariaDB through MySQL's driver reports MySQL with a MariaDB version
        "MySQL | 10.11.19-MariaDB-0+deb12u1 | jdbc:mysql://db:3306/app | MARIADB",
        "MySQL | 8.4.3 | jdbc:mariadb://db:3306/app | MYSQL",
        "MariaDB | 10.11.19-MariaDB | jdbc:mariadb://db:3306/app | MARIADB",
        "H2 | 2.5.252 (2026-01-01) | jdbc:h2:mem:x | H2",
        "null | null | jdbc:sqlite:/tmp/app.db | SQLITE",
        "Some Proxy | 1.0 | jdbc:postgresql://db/app | POSTGRESQL",
        "Oracle | Oracle Database 23ai | jdbc:p6spy:oracle:thin:@db | ORACLE",
    })
    void metadataResolvesWhatTheProductNameAloneGetsWrong(String product, String version, String url,
            DatabaseVendor expected) {
        assertThat(DatabaseVendor.fromMetadata(product, version, url)).isEqualTo(expected);
    }

    @Test
    void systemNamesAreTheStableLowerCaseIdsOfTheRecordSchema() {
        assertThat(Arrays.stream(DatabaseVendor.values()).map(DatabaseVendor::systemName))
                .containsExactly("postgresql", "mysql", "mariadb", "oracle", "mssql", "db2", "h2", "hsqldb", "derby",
                        "sqlite", "cockroachdb", "other");
    }
}
