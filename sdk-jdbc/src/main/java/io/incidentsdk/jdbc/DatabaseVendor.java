package io.incidentsdk.jdbc;

import java.util.Locale;

/**
 * The database product behind a connection; it decides which vendor rules {@link SqlFailureClassifier}
 * applies, because the same error code means different things on different databases (1205 is a
 * deadlock victim on SQL Server and a lock wait timeout on MySQL).
 *
 * <p>Detect it once per data source with {@link #fromMetadata(String, String, String)}, or with
 * {@link #fromProductName(String)} or {@link #fromUrl(String)} when only one of them is at hand.
 *
 * @since 0.1.0
 */
public enum DatabaseVendor {

    /** PostgreSQL (and servers that speak its protocol without being detected as something else). */
    POSTGRESQL("postgresql"),
    /** Oracle MySQL. */
    MYSQL("mysql"),
    /** MariaDB. */
    MARIADB("mariadb"),
    /** Oracle Database. */
    ORACLE("oracle"),
    /** Microsoft SQL Server and Azure SQL. */
    SQL_SERVER("mssql"),
    /** IBM Db2 (LUW, z/OS, i). */
    DB2("db2"),
    /** H2 Database Engine. */
    H2("h2"),
    /** HyperSQL (HSQLDB). */
    HSQLDB("hsqldb"),
    /** Apache Derby. */
    DERBY("derby"),
    /** SQLite (through sqlite-jdbc). */
    SQLITE("sqlite"),
    /** CockroachDB (it reports PostgreSQL error codes and product name). */
    COCKROACHDB("cockroachdb"),
    /** Not recognised; only the SQLState and JDBC subclass rules apply. */
    UNKNOWN("other");

    /** JDBC URL sub-protocols of drivers that wrap another driver's URL. */
    private static final String[] WRAPPER_SUBPROTOCOLS = {
        "p6spy", "log4jdbc", "tc", "otel", "aws-wrapper"
    };

    private final String systemName;

    DatabaseVendor(String systemName) {
        this.systemName = systemName;
    }

    /**
     * The stable lowercase id of this vendor as written into incident records ({@code database.system}) and
     * metric tags: {@code postgresql, mysql, mariadb, oracle, mssql, db2, h2, hsqldb, derby, sqlite,
     * cockroachdb}, and {@code other} for {@link #UNKNOWN}.
     *
     * @return the id, never {@code null}
     * @since 0.1.0
     */
    public String systemName() {
        return systemName;
    }

    /**
     * Recognises the vendor from {@code DatabaseMetaData.getDatabaseProductName()}.
     *
     * <p>Known names: {@code PostgreSQL}, {@code MySQL}, {@code MariaDB}, {@code Oracle},
     * {@code Microsoft SQL Server}, {@code DB2/LINUXX8664} (any {@code DB2...}), {@code H2},
     * {@code HSQL Database Engine}, {@code Apache Derby}, {@code SQLite}, {@code CockroachDB}. The match
     * ignores case and surrounding text. CockroachDB usually reports {@code PostgreSQL} and MariaDB, through
     * MySQL's driver, {@code MySQL}: use {@link #fromMetadata(String, String, String)} to see through that.
     *
     * @param databaseProductName the product name; may be {@code null}
     * @return the vendor, {@link #UNKNOWN} when not recognised or {@code null}
     * @since 0.1.0
     */
    public static DatabaseVendor fromProductName(String databaseProductName) {
        if (databaseProductName == null) {
            return UNKNOWN;
        }
        String name = databaseProductName.trim().toLowerCase(Locale.ROOT);
        if (name.contains("cockroach")) {
            return COCKROACHDB;
        }
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb")) {
            return MARIADB;
        }
        if (name.contains("mysql")) {
            return MYSQL;
        }
        if (name.contains("oracle")) {
            return ORACLE;
        }
        if (name.contains("sql server")) {
            return SQL_SERVER;
        }
        if (name.startsWith("db2")) {
            return DB2;
        }
        if (name.contains("hsql")) {
            return HSQLDB;
        }
        if (name.contains("derby")) {
            return DERBY;
        }
        if (name.contains("sqlite")) {
            return SQLITE;
        }
        if (name.equals("h2")) {
            return H2;
        }
        return UNKNOWN;
    }

    /**
     * Recognises the vendor from a JDBC URL.
     *
     * <p>Known sub-protocols: {@code postgresql}, {@code mysql}, {@code mariadb}, {@code oracle},
     * {@code sqlserver}, {@code jtds:sqlserver}, {@code db2}, {@code as400}, {@code h2}, {@code hsqldb},
     * {@code derby}, {@code sqlite}, {@code cockroachdb}. Wrapping prefixes are skipped:
     * {@code jdbc:p6spy:}, {@code jdbc:log4jdbc:}, {@code jdbc:tc:} (Testcontainers, which also knows
     * {@code cockroach}, {@code timescaledb} and {@code postgis}), {@code jdbc:otel:},
     * {@code jdbc:aws-wrapper:}. The match ignores case.
     *
     * @param jdbcUrl the URL; may be {@code null}
     * @return the vendor, {@link #UNKNOWN} when not recognised or {@code null}
     * @since 0.1.0
     */
    public static DatabaseVendor fromUrl(String jdbcUrl) {
        if (jdbcUrl == null) {
            return UNKNOWN;
        }
        String rest = jdbcUrl.trim().toLowerCase(Locale.ROOT);
        // a few rounds are enough for any realistic nesting (jdbc:p6spy:jdbc:tc:...), and bound the loop
        for (int round = 0; round < 4; round++) {
            if (rest.startsWith("jdbc:")) {
                rest = rest.substring("jdbc:".length());
            }
            String subprotocol = firstToken(rest);
            if (!isWrapper(subprotocol)) {
                return fromSubprotocol(subprotocol, rest);
            }
            rest = rest.substring(subprotocol.length() + (rest.length() > subprotocol.length() ? 1 : 0));
        }
        return UNKNOWN;
    }

    /**
     * Recognises the vendor from everything {@code DatabaseMetaData} tells, resolving the cases that the
     * product name alone gets wrong.
     *
     * <ul>
     *   <li>A product version that mentions {@code CockroachDB} or {@code MariaDB} wins (MariaDB through
     *       MySQL's driver reports product {@code MySQL} and a version such as {@code 10.11.19-MariaDB}).</li>
     *   <li>A {@code PostgreSQL} product behind a CockroachDB URL ({@code jdbc:cockroachdb:},
     *       {@code jdbc:tc:cockroach:}) is {@link #COCKROACHDB}. CockroachDB reached through pgjdbc with a
     *       plain {@code jdbc:postgresql:} URL is indistinguishable here and is reported as
     *       {@link #POSTGRESQL}, whose rules it shares.</li>
     *   <li>Otherwise the product name decides; when it is not recognised, the URL.</li>
     * </ul>
     *
     * @param productName {@code getDatabaseProductName()}; may be {@code null}
     * @param productVersion {@code getDatabaseProductVersion()}; may be {@code null}
     * @param url {@code getURL()} or the configured JDBC URL; may be {@code null}
     * @return the vendor, never {@code null}
     * @since 0.1.0
     */
    public static DatabaseVendor fromMetadata(String productName, String productVersion, String url) {
        if (productVersion != null) {
            String version = productVersion.toLowerCase(Locale.ROOT);
            if (version.contains("cockroachdb")) {
                return COCKROACHDB;
            }
            if (version.contains("mariadb")) {
                return MARIADB;
            }
        }
        DatabaseVendor byName = fromProductName(productName);
        DatabaseVendor byUrl = fromUrl(url);
        if (byName == POSTGRESQL && byUrl == COCKROACHDB) {
            return COCKROACHDB;
        }
        return byName != UNKNOWN ? byName : byUrl;
    }

    private static String firstToken(String rest) {
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }

    private static boolean isWrapper(String subprotocol) {
        for (String wrapper : WRAPPER_SUBPROTOCOLS) {
            if (wrapper.equals(subprotocol)) {
                return true;
            }
        }
        return false;
    }

    private static DatabaseVendor fromSubprotocol(String subprotocol, String rest) {
        return switch (subprotocol) {
            case "postgresql", "postgres", "pgsql", "timescaledb", "postgis" -> POSTGRESQL;
            case "mysql" -> MYSQL;
            case "mariadb" -> MARIADB;
            case "oracle" -> ORACLE;
            case "sqlserver" -> SQL_SERVER;
            case "jtds" -> rest.startsWith("jtds:sqlserver:") ? SQL_SERVER : UNKNOWN;
            case "db2", "as400" -> DB2;
            case "h2" -> H2;
            case "hsqldb" -> HSQLDB;
            case "derby" -> DERBY;
            case "sqlite" -> SQLITE;
            case "cockroachdb", "cockroach" -> COCKROACHDB;
            default -> UNKNOWN;
        };
    }
}
