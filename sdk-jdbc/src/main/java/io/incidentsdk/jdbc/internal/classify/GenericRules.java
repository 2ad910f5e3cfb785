package io.incidentsdk.jdbc.internal.classify;

import static io.incidentsdk.jdbc.SqlFailureCategory.CONNECTION_FAILURE;
import static io.incidentsdk.jdbc.SqlFailureCategory.CONSTRAINT_VIOLATION;
import static io.incidentsdk.jdbc.SqlFailureCategory.DATA_ERROR;
import static io.incidentsdk.jdbc.SqlFailureCategory.DEADLOCK;
import static io.incidentsdk.jdbc.SqlFailureCategory.LOCK_TIMEOUT;
import static io.incidentsdk.jdbc.SqlFailureCategory.PROGRAMMING_ERROR;
import static io.incidentsdk.jdbc.SqlFailureCategory.QUERY_TIMEOUT;
import static io.incidentsdk.jdbc.SqlFailureCategory.RESOURCE_EXHAUSTED;
import static io.incidentsdk.jdbc.SqlFailureCategory.SERIALIZATION_FAILURE;

import io.incidentsdk.jdbc.RollbackScope;
import io.incidentsdk.jdbc.SqlFailureCategory;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.List;

/**
 * The vendor-independent rules: SQLState rules (exact states first, then longer prefixes, then the
 * two-character classes) and JDBC subclass rules (most specific first). Not API.
 */
public final class GenericRules {

    private static final RollbackScope VENDOR_DEFAULT = null;

    private static final List<GenericRule> SQL_STATE_RULES = List.of(
            exact("40001", SERIALIZATION_FAILURE, RollbackScope.TRANSACTION),
            // PostgreSQL-family states, also used by CockroachDB, YugabyteDB, Redshift and others
            exact("40P01", DEADLOCK, RollbackScope.TRANSACTION),
            exact("40002", CONSTRAINT_VIOLATION, RollbackScope.TRANSACTION),
            // statement completion unknown: a commit may or may not have happened
            exact("40003", CONNECTION_FAILURE, RollbackScope.UNKNOWN),
            exact("55P03", LOCK_TIMEOUT, VENDOR_DEFAULT),
            exact("57014", QUERY_TIMEOUT, VENDOR_DEFAULT),
            exact("HYT00", QUERY_TIMEOUT, VENDOR_DEFAULT),
            exact("HYT01", CONNECTION_FAILURE, RollbackScope.UNKNOWN),
            exact("HY008", QUERY_TIMEOUT, VENDOR_DEFAULT),
            exact("S1T00", QUERY_TIMEOUT, VENDOR_DEFAULT),
            exact("70100", QUERY_TIMEOUT, VENDOR_DEFAULT),
            prefix("57P0", CONNECTION_FAILURE, RollbackScope.UNKNOWN),
            prefix("40", SERIALIZATION_FAILURE, RollbackScope.TRANSACTION),
            prefix("08", CONNECTION_FAILURE, RollbackScope.UNKNOWN),
            prefix("53", RESOURCE_EXHAUSTED, VENDOR_DEFAULT),
            prefix("23", CONSTRAINT_VIOLATION, VENDOR_DEFAULT),
            prefix("44", CONSTRAINT_VIOLATION, VENDOR_DEFAULT),
            prefix("22", DATA_ERROR, VENDOR_DEFAULT),
            prefix("21", DATA_ERROR, VENDOR_DEFAULT),
            prefix("42", PROGRAMMING_ERROR, VENDOR_DEFAULT),
            prefix("07", PROGRAMMING_ERROR, VENDOR_DEFAULT),
            prefix("24", PROGRAMMING_ERROR, VENDOR_DEFAULT),
            prefix("25", PROGRAMMING_ERROR, VENDOR_DEFAULT),
            prefix("26", PROGRAMMING_ERROR, VENDOR_DEFAULT),
            prefix("34", PROGRAMMING_ERROR, VENDOR_DEFAULT),
            prefix("3D", PROGRAMMING_ERROR, VENDOR_DEFAULT),
            prefix("3F", PROGRAMMING_ERROR, VENDOR_DEFAULT));

    private static final List<GenericRule> SUBCLASS_RULES = List.of(
            subclass(SQLTransactionRollbackException.class, SERIALIZATION_FAILURE, RollbackScope.TRANSACTION),
            subclass(SQLTimeoutException.class, QUERY_TIMEOUT, VENDOR_DEFAULT),
            subclass(SQLTransientConnectionException.class, CONNECTION_FAILURE, RollbackScope.UNKNOWN),
            subclass(SQLNonTransientConnectionException.class, CONNECTION_FAILURE, RollbackScope.UNKNOWN),
            subclass(SQLRecoverableException.class, CONNECTION_FAILURE, RollbackScope.UNKNOWN),
            subclass(SQLIntegrityConstraintViolationException.class, CONSTRAINT_VIOLATION, VENDOR_DEFAULT),
            subclass(SQLDataException.class, DATA_ERROR, VENDOR_DEFAULT),
            subclass(SQLSyntaxErrorException.class, PROGRAMMING_ERROR, VENDOR_DEFAULT),
            subclass(SQLFeatureNotSupportedException.class, PROGRAMMING_ERROR, VENDOR_DEFAULT));

    private GenericRules() {
    }

    /**
     * The SQLState rules in the order they are tried.
     *
     * @return an unmodifiable list
     */
    public static List<GenericRule> sqlStateRules() {
        return SQL_STATE_RULES;
    }

    /**
     * The JDBC subclass rules in the order they are tried.
     *
     * @return an unmodifiable list
     */
    public static List<GenericRule> subclassRules() {
        return SUBCLASS_RULES;
    }

    /**
     * The first SQLState rule that matches {@code exception}.
     *
     * @param exception the exception
     * @return the rule, or {@code null}
     */
    public static GenericRule findBySqlState(SQLException exception) {
        return exception.getSQLState() == null ? null : first(SQL_STATE_RULES, exception);
    }

    /**
     * The first subclass rule that matches {@code exception}.
     *
     * @param exception the exception
     * @return the rule, or {@code null}
     */
    public static GenericRule findBySubclass(SQLException exception) {
        return first(SUBCLASS_RULES, exception);
    }

    private static GenericRule first(List<GenericRule> rules, SQLException exception) {
        for (GenericRule rule : rules) {
            if (rule.matches(exception)) {
                return rule;
            }
        }
        return null;
    }

    private static GenericRule exact(String state, SqlFailureCategory category, RollbackScope scope) {
        return new GenericRule("sqlstate:" + state, state, true, null, category, scope);
    }

    private static GenericRule prefix(String prefix, SqlFailureCategory category, RollbackScope scope) {
        String id = "sqlstate:" + prefix + "x".repeat(5 - prefix.length());
        return new GenericRule(id, prefix, false, null, category, scope);
    }

    private static GenericRule subclass(Class<? extends SQLException> type, SqlFailureCategory category,
            RollbackScope scope) {
        return new GenericRule("jdbc:" + type.getSimpleName(), null, false, type, category, scope);
    }
}
