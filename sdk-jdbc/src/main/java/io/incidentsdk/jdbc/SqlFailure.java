package io.incidentsdk.jdbc;

import java.sql.SQLException;
import java.util.Objects;

/**
 * The classification of a failed JDBC call: what went wrong, what the database undid, and which
 * exception of the chain (and which rule) told us.
 *
 * <p>{@link #toString()} leaves out the exception and its message, which can carry data values; use
 * {@link DriverMessageRedactor#redact(String)} before the message goes anywhere.
 *
 * @param category what kind of failure it is; never {@code null}
 * @param rolledBack what the database undid; never {@code null}
 * @param sqlState the SQLState of {@link #matched()}; {@code null} when the driver gave none (SQLite)
 * @param vendorCode the vendor error code of {@link #matched()} ({@code getErrorCode()}); 0 when the
 *     driver gives none (pgjdbc)
 * @param exceptionClass the fully qualified class name of {@link #matched()}; never {@code null}
 * @param matched the exception of the chain that the rule recognised: the thrown exception itself, one
 *     of its causes or one of its next exceptions; for {@link SqlFailureCategory#UNKNOWN} the thrown
 *     exception; never {@code null}
 * @param rule a short id of the rule that decided, e.g. {@code "postgresql:40P01"},
 *     {@code "mariadb:1317-query-killed"}, {@code "sqlstate:23xxx"},
 *     {@code "jdbc:SQLTimeoutException"}, or {@code "unknown"}; never {@code null}
 * @since 0.1.0
 */
public record SqlFailure(SqlFailureCategory category, RollbackScope rolledBack, String sqlState, int vendorCode,
        String exceptionClass, SQLException matched, String rule) {

    /**
     * Creates a classification; every field except {@code sqlState} is required.
     *
     * @param category what kind of failure it is
     * @param rolledBack what the database undid
     * @param sqlState the SQLState of {@code matched}, or {@code null}
     * @param vendorCode the vendor error code of {@code matched}
     * @param exceptionClass the class name of {@code matched}
     * @param matched the exception the rule recognised
     * @param rule the id of the rule that decided
     * @throws NullPointerException naming the missing field
     * @since 0.1.0
     */
    public SqlFailure {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(rolledBack, "rolledBack");
        Objects.requireNonNull(exceptionClass, "exceptionClass");
        Objects.requireNonNull(matched, "matched");
        Objects.requireNonNull(rule, "rule");
    }

    /**
     * Creates a classification whose SQLState, vendor code and exception class are read from
     * {@code matched}; the convenient way for a {@link ClassificationRule} to answer.
     *
     * @param matched the exception the rule recognised
     * @param category what kind of failure it is
     * @param rolledBack what the database undid
     * @param rule a short, stable id of the rule, e.g. {@code "myapp:lock-busy"}
     * @return the classification
     * @throws NullPointerException naming the missing argument
     * @since 0.1.0
     */
    public static SqlFailure of(SQLException matched, SqlFailureCategory category, RollbackScope rolledBack,
            String rule) {
        Objects.requireNonNull(matched, "matched");
        return new SqlFailure(category, rolledBack, matched.getSQLState(), matched.getErrorCode(),
                matched.getClass().getName(), matched, rule);
    }

    /**
     * Describes the classification without the exception or its message (which may hold data values).
     *
     * @return e.g. {@code SqlFailure[category=DEADLOCK, rolledBack=TRANSACTION, sqlState=40P01,
     *     vendorCode=0, exceptionClass=org.postgresql.util.PSQLException, rule=postgresql:40P01]}
     */
    @Override
    public String toString() {
        return "SqlFailure[category=" + category + ", rolledBack=" + rolledBack + ", sqlState=" + sqlState
                + ", vendorCode=" + vendorCode + ", exceptionClass=" + exceptionClass + ", rule=" + rule + "]";
    }
}
