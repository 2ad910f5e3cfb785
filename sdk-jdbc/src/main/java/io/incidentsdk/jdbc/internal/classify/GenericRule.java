package io.incidentsdk.jdbc.internal.classify;

import io.incidentsdk.jdbc.DatabaseVendor;
import io.incidentsdk.jdbc.RollbackScope;
import io.incidentsdk.jdbc.SqlFailureCategory;
import java.sql.SQLException;
import java.util.Objects;

/**
 * A vendor-independent rule: a SQLState (exact, or a prefix such as a two-character class) or a JDBC
 * exception subclass, and what it means. Not API.
 *
 * @param id the rule id reported in {@code SqlFailure.rule()}: {@code sqlstate:40001},
 *     {@code sqlstate:23xxx} for a class, {@code jdbc:SQLTimeoutException} for a subclass
 * @param sqlState the exact SQLState or SQLState prefix to match, or {@code null} for a subclass rule
 * @param exact whether {@code sqlState} must equal the exception's SQLState (otherwise: be its prefix)
 * @param type the JDBC subclass to match, or {@code null} for a SQLState rule
 * @param category what the rule means
 * @param fixedScope what the database undid, or {@code null} when that depends on the vendor (see
 *     {@link #scopeFor(DatabaseVendor, SQLException)})
 */
public record GenericRule(String id, String sqlState, boolean exact, Class<? extends SQLException> type,
        SqlFailureCategory category, RollbackScope fixedScope) {

    /**
     * Creates a rule; exactly one of {@code sqlState} and {@code type} must be given.
     *
     * @param id the rule id
     * @param sqlState the SQLState or prefix, or {@code null}
     * @param exact whether {@code sqlState} is exact
     * @param type the subclass, or {@code null}
     * @param category what the rule means
     * @param fixedScope the scope, or {@code null} for the vendor's default
     */
    public GenericRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(category, "category");
        if ((sqlState == null) == (type == null)) {
            throw new IllegalArgumentException("exactly one of sqlState and type must be given: " + id);
        }
    }

    /**
     * Whether this rule matches {@code exception}.
     *
     * @param exception the exception
     * @return {@code true} if it matches
     */
    public boolean matches(SQLException exception) {
        if (type != null) {
            return type.isInstance(exception);
        }
        String state = exception.getSQLState();
        if (state == null) {
            return false;
        }
        return exact ? state.equals(sqlState) : state.startsWith(sqlState);
    }

    /**
     * What the database undid when this rule matched {@code exception} of {@code vendor}: the fixed scope
     * if there is one, otherwise {@link #vendorDefaultScope(DatabaseVendor, SQLException)}.
     *
     * @param vendor the vendor
     * @param exception the exception the rule matched
     * @return the scope, never {@code null}
     */
    public RollbackScope scopeFor(DatabaseVendor vendor, SQLException exception) {
        return fixedScope != null ? fixedScope : vendorDefaultScope(vendor, exception);
    }

    /**
     * What {@code vendor} undoes when a statement fails with an ordinary error.
     *
     * <ul>
     *   <li>{@link DatabaseVendor#POSTGRESQL}, {@link DatabaseVendor#COCKROACHDB}:
     *       {@link RollbackScope#TRANSACTION} when the server reported the error, because any server error
     *       aborts the transaction; {@link RollbackScope#STATEMENT} for an error the driver raised itself
     *       (a bad column index, a closed result set), which leaves the transaction untouched. Server
     *       errors are recognised by pgjdbc's message format, which starts with the severity
     *       ({@code ERROR: }, {@code FATAL: }, or a translation such as {@code FEHLER: }).</li>
     *   <li>MySQL, MariaDB, Oracle, Db2, H2, HSQLDB, Derby, SQLite: {@link RollbackScope#STATEMENT}
     *       (statement-level atomicity).</li>
     *   <li>{@link DatabaseVendor#SQL_SERVER}: {@link RollbackScope#UNKNOWN} ({@code XACT_ABORT}
     *       decides).</li>
     *   <li>{@link DatabaseVendor#UNKNOWN}: {@link RollbackScope#UNKNOWN}.</li>
     * </ul>
     *
     * @param vendor the vendor
     * @param exception the exception
     * @return the scope, never {@code null}
     */
    public static RollbackScope vendorDefaultScope(DatabaseVendor vendor, SQLException exception) {
        return switch (vendor) {
            case POSTGRESQL, COCKROACHDB -> startsWithSeverity(exception.getMessage())
                    ? RollbackScope.TRANSACTION
                    : RollbackScope.STATEMENT;
            case MYSQL, MARIADB, ORACLE, DB2, H2, HSQLDB, DERBY, SQLITE -> RollbackScope.STATEMENT;
            case SQL_SERVER, UNKNOWN -> RollbackScope.UNKNOWN;
        };
    }

    /**
     * Whether {@code message} starts like pgjdbc's rendering of a server error: a word of one to twenty
     * letters, none of them lower case, then a colon ({@code ERROR:}, {@code FATAL:}, {@code FEHLER:}).
     *
     * @param message the message, may be {@code null}
     * @return {@code true} for a server error
     */
    static boolean startsWithSeverity(String message) {
        if (message == null) {
            return false;
        }
        int limit = Math.min(message.length(), 21);
        for (int i = 0; i < limit; i++) {
            char c = message.charAt(i);
            if (c == ':') {
                return i > 0;
            }
            if (!Character.isLetter(c) || Character.isLowerCase(c)) {
                return false;
            }
        }
        return false;
    }
}
