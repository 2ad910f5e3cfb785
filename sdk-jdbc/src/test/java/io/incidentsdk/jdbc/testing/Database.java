package io.incidentsdk.jdbc.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * A database the tests run against for real.
 *
 * @since 0.1.0
 */
public enum Database {
    /** PostgreSQL 15 through pgjdbc. */
    POSTGRESQL,
    /** MariaDB 10.11 through mariadb-java-client. */
    MARIADB,
    /** H2 2.x, embedded, in memory. */
    H2;

    /**
     * Tells which database a connection belongs to, from its metadata's product name.
     *
     * @param connection an open connection
     * @return the database
     * @throws SQLException if the metadata cannot be read
     * @throws IllegalArgumentException if the product is none of these databases
     * @since 0.1.0
     */
    public static Database of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (product.contains("mariadb") || product.contains("mysql")) {
            return MARIADB;
        }
        if (product.equals("h2")) {
            return H2;
        }
        throw new IllegalArgumentException("not a test database: " + product);
    }
}
