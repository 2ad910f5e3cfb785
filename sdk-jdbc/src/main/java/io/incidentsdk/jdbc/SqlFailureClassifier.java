package io.incidentsdk.jdbc;

import io.incidentsdk.jdbc.internal.classify.ExceptionChain;
import io.incidentsdk.jdbc.internal.classify.GenericRule;
import io.incidentsdk.jdbc.internal.classify.GenericRules;
import io.incidentsdk.jdbc.internal.classify.VendorInference;
import io.incidentsdk.jdbc.internal.classify.VendorRule;
import io.incidentsdk.jdbc.internal.classify.VendorRuleTables;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps a {@link SQLException} and the database vendor to a {@link SqlFailure}: its
 * {@link SqlFailureCategory category}, what the database {@link RollbackScope rolled back}, and the rule
 * and exception that decided.
 *
 * <h2>What is looked at</h2>
 * The exception's chain: the thrown exception, then its {@code getCause()} chain, then its
 * {@code getNextException()} chain, depth first (each exception's causes before its next exceptions),
 * skipping throwables already seen (so cycles are harmless) and visiting at most 32 throwables. Causes
 * that are not {@code SQLException}s are walked through but not classified.
 *
 * <h2>In which order</h2>
 * Four tiers, from the most specific evidence to the least. Each tier is tried on every exception of the
 * chain, in chain order, before the next tier is tried; the first answer wins:
 * <ol>
 *   <li>the user's {@link ClassificationRule}s, in registration order (their answer is final even when it
 *       is {@link SqlFailureCategory#UNKNOWN});</li>
 *   <li>the vendor table of the exception's vendor: vendor codes, then vendor-specific SQLStates
 *       (e.g. {@code mysql:1205}, {@code postgresql:40P01}, {@code h2:40001-deadlock});</li>
 *   <li>SQLState rules: exact states first ({@code 40001}, {@code 57014}, {@code HYT00}, {@code 70100}
 *       ...), then classes ({@code 40}, {@code 08}, {@code 53}, {@code 23}, {@code 22}, {@code 42} ...);</li>
 *   <li>JDBC subclass rules ({@code SQLTransactionRollbackException}, {@code SQLTimeoutException},
 *       {@code SQLTransientConnectionException}, {@code SQLNonTransientConnectionException},
 *       {@code SQLRecoverableException}, {@code SQLIntegrityConstraintViolationException},
 *       {@code SQLDataException}, {@code SQLSyntaxErrorException},
 *       {@code SQLFeatureNotSupportedException}).</li>
 * </ol>
 * So a deadlock hidden behind a wrapper exception is still a deadlock, and a vendor code beats a
 * misleading SQLState or subclass anywhere in the chain (MySQL Connector/J reports the lock wait timeout
 * 1205 as a {@code SQLTransactionRollbackException} with SQLState {@code 40001}, yet only the statement
 * was undone). When nothing matches, the result is {@link SqlFailureCategory#UNKNOWN} for the thrown
 * exception with rule id {@code "unknown"}.
 *
 * <h2>Vendors</h2>
 * A vendor table only applies to its own vendor: MySQL's 1205 (lock wait timeout) never fires for SQL
 * Server, whose 1205 is a deadlock victim. With {@link DatabaseVendor#UNKNOWN} the vendor of each
 * exception is inferred from its driver's class ({@code org.postgresql.util.PSQLException} is PostgreSQL,
 * {@code org.sqlite.SQLiteException} is SQLite, {@code org.h2.jdbc.*} is H2 ...); exceptions of the
 * plain {@code java.sql} classes then get only the SQLState and subclass rules.
 *
 * <h2>Decisions on ambiguous codes</h2>
 * <ul>
 *   <li><b>PostgreSQL / CockroachDB</b>: only the SQLState counts (pgjdbc's vendor code is always 0).
 *       Every server error is {@link RollbackScope#TRANSACTION}, because PostgreSQL aborts the
 *       transaction on any error: the earlier work can no longer be committed and {@code rollback()} is
 *       required. pgjdbc's {@code autosave=always} turns that into a savepoint rollback, which the
 *       exception does not show; the classifier assumes the default ({@code autosave=never}).
 *       {@code 25P02} (a statement sent to an already failed transaction) is
 *       {@link SqlFailureCategory#PROGRAMMING_ERROR}: its real cause was reported earlier.</li>
 *   <li><b>MariaDB/MySQL 1317</b> ({@code KILL QUERY}, {@code Statement.cancel()}) is
 *       {@link SqlFailureCategory#QUERY_TIMEOUT} with rule id {@code mariadb:1317-query-killed}: the
 *       statement was cancelled and the connection and transaction survive, exactly like PostgreSQL's
 *       {@code 57014}, which does not tell a timeout from a cancel either. A real statement timeout is
 *       {@code mariadb:1969-statement-timeout}.</li>
 *   <li><b>H2 40001</b> ("Deadlock detected") is {@link SqlFailureCategory#DEADLOCK} when a cause says
 *       the transaction "has been chosen as a deadlock victim" (H2's {@code MVStoreException}), and
 *       {@link SqlFailureCategory#SERIALIZATION_FAILURE} otherwise: H2 uses the same text for snapshot
 *       write conflicts under REPEATABLE READ and SERIALIZABLE. Both are retried by default.</li>
 *   <li><b>HSQLDB -4861</b> is {@link SqlFailureCategory#SERIALIZATION_FAILURE}: its MVCC deadlocks and
 *       write conflicts are reported identically.</li>
 *   <li><b>Db2 -911/-913</b> are split by the reason code in the message (2 deadlock, 68 lock timeout);
 *       without one they count as a deadlock.</li>
 * </ul>
 *
 * <p>Instances are immutable and thread-safe. {@link #classify(SQLException, DatabaseVendor)} never
 * throws for a non-null exception and never returns {@code null}.
 *
 * @since 0.1.0
 */
public final class SqlFailureClassifier {

    private static final Logger LOG = LoggerFactory.getLogger(SqlFailureClassifier.class);

    private static final SqlFailureClassifier DEFAULTS = new SqlFailureClassifier(List.of());

    private final List<GuardedRule> userRules;

    private SqlFailureClassifier(List<GuardedRule> userRules) {
        this.userRules = userRules;
    }

    /**
     * The classifier with the built-in rules only.
     *
     * @return a shared instance
     * @since 0.1.0
     */
    public static SqlFailureClassifier defaults() {
        return DEFAULTS;
    }

    /**
     * Starts a classifier with user rules that run before the built-in ones.
     *
     * @return a new builder
     * @since 0.1.0
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Classifies a failure.
     *
     * @param exception the exception the driver threw
     * @param vendor the database in use; {@code null} is treated as {@link DatabaseVendor#UNKNOWN}
     * @return the classification, never {@code null}; {@link SqlFailureCategory#UNKNOWN} when no rule
     *     recognised any exception of the chain
     * @throws NullPointerException if {@code exception} is {@code null}
     * @since 0.1.0
     */
    public SqlFailure classify(SQLException exception, DatabaseVendor vendor) {
        Objects.requireNonNull(exception, "exception");
        DatabaseVendor given = vendor == null ? DatabaseVendor.UNKNOWN : vendor;
        try {
            return classifyChain(exception, given);
        } catch (RuntimeException e) {
            // an exception subclass whose accessors throw must not break the caller's error handling
            LOG.debug("Classification failed for {}; reporting UNKNOWN", exception.getClass().getName(), e);
            return unknown(exception, RollbackScope.UNKNOWN);
        }
    }

    private SqlFailure classifyChain(SQLException top, DatabaseVendor given) {
        List<SQLException> chain = ExceptionChain.of(top);
        DatabaseVendor[] vendors = new DatabaseVendor[chain.size()];
        for (int i = 0; i < vendors.length; i++) {
            vendors[i] = VendorInference.vendorOf(chain.get(i), given);
        }
        for (GuardedRule rule : userRules) {
            for (int i = 0; i < vendors.length; i++) {
                SqlFailure answer = rule.classify(chain.get(i), vendors[i]);
                if (answer != null) {
                    return answer;
                }
            }
        }
        for (int i = 0; i < vendors.length; i++) {
            SQLException candidate = chain.get(i);
            VendorRule rule = VendorRuleTables.find(candidate, vendors[i]);
            if (rule != null) {
                return failure(candidate, rule.category(), rule.rolledBack(), rule.id());
            }
        }
        for (int i = 0; i < vendors.length; i++) {
            SQLException candidate = chain.get(i);
            GenericRule rule = GenericRules.findBySqlState(candidate);
            if (rule != null) {
                return failure(candidate, rule.category(), rule.scopeFor(vendors[i], candidate), rule.id());
            }
        }
        for (int i = 0; i < vendors.length; i++) {
            SQLException candidate = chain.get(i);
            GenericRule rule = GenericRules.findBySubclass(candidate);
            if (rule != null) {
                return failure(candidate, rule.category(), rule.scopeFor(vendors[i], candidate), rule.id());
            }
        }
        DatabaseVendor topVendor = vendors[0];
        // on PostgreSQL a server error aborts the transaction even when we cannot name the error
        boolean postgresFamily = topVendor == DatabaseVendor.POSTGRESQL || topVendor == DatabaseVendor.COCKROACHDB;
        RollbackScope scope = postgresFamily
                && GenericRule.vendorDefaultScope(topVendor, top) == RollbackScope.TRANSACTION
                ? RollbackScope.TRANSACTION
                : RollbackScope.UNKNOWN;
        return unknown(top, scope);
    }

    private static SqlFailure failure(SQLException matched, SqlFailureCategory category, RollbackScope scope,
            String rule) {
        return new SqlFailure(category, scope, matched.getSQLState(), matched.getErrorCode(),
                matched.getClass().getName(), matched, rule);
    }

    private static SqlFailure unknown(SQLException exception, RollbackScope scope) {
        String state = null;
        int code = 0;
        try {
            state = exception.getSQLState();
            code = exception.getErrorCode();
        } catch (RuntimeException e) {
            LOG.debug("Cannot read SQLState or vendor code of {}", exception.getClass().getName(), e);
        }
        return new SqlFailure(SqlFailureCategory.UNKNOWN, scope, state, code, exception.getClass().getName(),
                exception, "unknown");
    }

    /**
     * Collects user rules for a {@link SqlFailureClassifier}. Not thread-safe; the classifier it builds
     * is.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private final List<ClassificationRule> rules = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a rule that runs before all built-in rules and after the rules added before it.
         *
         * @param rule the rule
         * @return this builder
         * @throws NullPointerException if {@code rule} is {@code null}
         * @since 0.1.0
         */
        public Builder rule(ClassificationRule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /**
         * Builds the classifier.
         *
         * @return a classifier with the rules added so far, then the built-in rules
         * @since 0.1.0
         */
        public SqlFailureClassifier build() {
            if (rules.isEmpty()) {
                return DEFAULTS;
            }
            List<GuardedRule> guarded = new ArrayList<>(rules.size());
            for (ClassificationRule rule : rules) {
                guarded.add(new GuardedRule(rule));
            }
            return new SqlFailureClassifier(List.copyOf(guarded));
        }
    }

    /** A user rule that cannot break classification; its first failure is logged. */
    private static final class GuardedRule {

        private final ClassificationRule rule;
        private final AtomicBoolean reported = new AtomicBoolean();

        GuardedRule(ClassificationRule rule) {
            this.rule = rule;
        }

        SqlFailure classify(SQLException exception, DatabaseVendor vendor) {
            try {
                return rule.classify(exception, vendor);
            } catch (RuntimeException e) {
                if (reported.compareAndSet(false, true)) {
                    LOG.warn("Classification rule {} threw {}; it is skipped whenever it throws "
                            + "(reported once)", rule.getClass().getName(), e.getClass().getName(), e);
                }
                return null;
            }
        }
    }
}
