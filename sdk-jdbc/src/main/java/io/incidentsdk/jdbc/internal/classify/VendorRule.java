package io.incidentsdk.jdbc.internal.classify;

import io.incidentsdk.jdbc.DatabaseVendor;
import io.incidentsdk.jdbc.RollbackScope;
import io.incidentsdk.jdbc.SqlFailureCategory;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One row of a vendor table: an error code (or SQLState) of one vendor, an optional extra condition, and
 * what it means. Not API.
 *
 * @param id the rule id reported in {@code SqlFailure.rule()}, e.g. {@code "mysql:1205"}; unique over all
 *     tables
 * @param vendor the vendor whose exceptions this row applies to
 * @param matchOn whether {@link #vendorCode()} or {@link #sqlState()} is the key
 * @param sqlState the SQLState key, or, for a vendor-code row, {@code null}
 * @param vendorCode the vendor-code key; 0 for a SQLState row
 * @param sqlStateClass for a vendor-code row, the SQLState class (two characters) the exception must also
 *     have, or {@code null} for any
 * @param condition a further test on the exception (message, cause); never {@code null}
 * @param conditionText what {@code condition} checks, for documentation; empty when it always holds
 * @param category what the row means
 * @param rolledBack what the database undid
 */
public record VendorRule(String id, DatabaseVendor vendor, MatchOn matchOn, String sqlState, int vendorCode,
        String sqlStateClass, Predicate<SQLException> condition, String conditionText,
        SqlFailureCategory category, RollbackScope rolledBack) {

    /** What a row is keyed by. */
    public enum MatchOn {
        /** {@code SQLException.getErrorCode()}. */
        VENDOR_CODE,
        /** {@code SQLException.getSQLState()}. */
        SQL_STATE
    }

    /**
     * Creates a row.
     *
     * @param id the rule id
     * @param vendor the vendor
     * @param matchOn the key kind
     * @param sqlState the SQLState key, or {@code null}
     * @param vendorCode the vendor-code key
     * @param sqlStateClass the required SQLState class, or {@code null}
     * @param condition a further test
     * @param conditionText what the test checks
     * @param category what the row means
     * @param rolledBack what the database undid
     */
    public VendorRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(matchOn, "matchOn");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(conditionText, "conditionText");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(rolledBack, "rolledBack");
        if (matchOn == MatchOn.SQL_STATE) {
            Objects.requireNonNull(sqlState, "sqlState");
        }
    }

    /**
     * Whether this row applies to {@code exception}, whose key already matched; checks the SQLState
     * class and the condition.
     *
     * @param exception the exception
     * @return {@code true} if the row applies
     */
    boolean applies(SQLException exception) {
        if (sqlStateClass != null) {
            String state = exception.getSQLState();
            if (state == null || !state.startsWith(sqlStateClass)) {
                return false;
            }
        }
        return condition.test(exception);
    }
}
