package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The dialect's quoting (issue 12): where MySQL or MariaDB may read {@code "..."} as a string, an
 * identifier-shaped string (the hardest case: {@code "alice"} looks like a name) never survives in any position
 * that is not a name position; credentials never survive whatever their quoting.
 */
class SqlSanitizerDialectTest {

    private static final List<String> VALUE_POSITIONS = List.of(
            "SELECT %s FROM t",
            "SELECT a, %s FROM t",
            "SELECT * FROM t WHERE email = (%s)",
            "SELECT * FROM t WHERE (a, b) = (1, %s)",
            "SELECT * FROM t WHERE ((%s))",
            "SELECT * FROM t LIMIT 1 OFFSET %s",
            "SELECT * FROM t LIMIT %s",
            "SELECT * FROM t ORDER BY %s",
            "SELECT * FROM t GROUP BY a HAVING a = %s",
            "UPDATE t SET a = %s WHERE b = 1",
            "UPDATE t SET a = 1, b = %s",
            "SELECT CASE WHEN a THEN %s ELSE %s END FROM t",
            "INSERT INTO t (a, b) VALUES (%s, %s)",
            "INSERT INTO t (a) SELECT %s FROM u",
            "SELECT concat(a, %s) FROM t",
            "SELECT a || %s FROM t",
            "SELECT %s AS x",
            "SELECT * FROM t WHERE a IN (1, %s)",
            "SELECT * FROM t WHERE a LIKE %s ESCAPE %s",
            "SELECT * FROM t WHERE a BETWEEN %s AND %s",
            "SELECT * FROM t WHERE %s = a",
            "CALL p(%s)",
            "SELECT * FROM t WHERE a = ANY(ARRAY[%s])");

    @ParameterizedTest
    @EnumSource(value = DatabaseVendor.class, names = {"MYSQL", "MARIADB", "UNKNOWN"})
    void aDoubleQuotedStringThatLooksLikeANameNeverSurvivesOutsideNamePositions(DatabaseVendor vendor) {
        Random random = new Random(12_2026L);
        for (String template : VALUE_POSITIONS) {
            for (int round = 0; round < 20; round++) {
                String secret = "Zq" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
                String sql = template.replace("%s", "\"" + secret + "\"");

                String sanitized = SqlSanitizer.defaults().sanitize(sql, vendor).sql();

                assertThat(sanitized).as(sql).doesNotContain(secret);
                assertThat(SqlSanitizer.defaults().sanitize(sql).sql()).as(sql).isEqualTo(sanitized);
            }
        }
    }

    @Test
    void namePositionsKeepTheirDoubleQuotedIdentifiersInEveryDialect() {
        String sql = "INSERT INTO \"Orders\" (\"Id\", \"Total\") SELECT o.\"Id\", \"s\".\"Total\" FROM \"Staging\" \"s\" "
                + "JOIN \"Other\" o ON o.\"Id\" = \"s\".\"Id\"";
        for (DatabaseVendor vendor : DatabaseVendor.values()) {
            String sanitized = SqlSanitizer.defaults().sanitize(sql, vendor).sql();

            assertThat(sanitized).as(vendor.name()).contains("INTO \"Orders\" (\"Id\", \"Total\")", "o.\"Id\"",
                    "\"s\".\"Total\"", "FROM \"Staging\"", "JOIN \"Other\"");
        }
    }

    @Test
    void credentialsNeverSurviveWhateverTheirQuotingAndDialect() {
        Random random = new Random(2026_12L);
        List<String> templates = List.of(
                "ALTER USER scott IDENTIFIED BY %s",
                "ALTER USER scott IDENTIFIED BY %s ACCOUNT UNLOCK",
                "CREATE USER app IDENTIFIED BY %s",
                "CREATE USER 'app'@'%%' IDENTIFIED BY %s",
                "CREATE USER app IDENTIFIED WITH caching_sha2_password BY %s",
                "ALTER USER app IDENTIFIED WITH mysql_native_password AS %s",
                "CREATE DATABASE LINK remote CONNECT TO scott IDENTIFIED BY %s USING 'db'",
                "ALTER ROLE app PASSWORD %s",
                "ALTER ROLE app WITH LOGIN ENCRYPTED PASSWORD %s VALID UNTIL 'infinity'",
                "CREATE ROLE app LOGIN PASSWORD %s",
                "CREATE USER app WITH PASSWORD %s",
                "ALTER USER app SET PASSWORD %s",
                "ALTER LOGIN sa WITH PASSWORD = %s OLD_PASSWORD = %s",
                "CREATE LOGIN app WITH PASSWORD = %s",
                "SET PASSWORD = PASSWORD(%s)",
                "SET PASSWORD FOR 'app'@'localhost' = %s",
                "GRANT ALL ON db.* TO 'app'@'%%' IDENTIFIED BY %s");
        for (String template : templates) {
            for (int round = 0; round < 10; round++) {
                String secret = "Tg" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
                for (String quoted : List.of(secret, "'" + secret + "'", "\"" + secret + "\"", "`" + secret + "`")) {
                    String sql = template.replace("%%", "%").replace("%s", quoted);
                    for (DatabaseVendor vendor : DatabaseVendor.values()) {
                        assertThat(SqlSanitizer.defaults().sanitize(sql, vendor).sql()).as(vendor + ": " + sql)
                                .doesNotContain(secret);
                    }
                }
            }
        }
    }
}
