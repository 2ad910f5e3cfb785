package io.incidentsdk.jdbc;

import java.sql.SQLException;

/**
 * A user-supplied rule that classifies one exception, registered with
 * {@link SqlFailureClassifier.Builder#rule(ClassificationRule)}.
 *
 * <p>User rules run before every built-in rule, on every exception of the chain that the classifier
 * walks, in registration order. The first non-null answer is final, even when its category is
 * {@link SqlFailureCategory#UNKNOWN}: returning {@code UNKNOWN} silences a built-in rule for that
 * exception. A rule that throws is skipped for that call (the classifier logs its first failure).
 *
 * <p>Example: treat a custom application error raised by a stored procedure as a lock timeout.
 * <pre>{@code
 * ClassificationRule appLock = (e, vendor) ->
 *         vendor == DatabaseVendor.POSTGRESQL && "P0001".equals(e.getSQLState())
 *                 && String.valueOf(e.getMessage()).contains("row busy")
 *             ? SqlFailure.of(e, SqlFailureCategory.LOCK_TIMEOUT, RollbackScope.TRANSACTION, "app:row-busy")
 *             : null;
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ClassificationRule {

    /**
     * Classifies one exception of the chain.
     *
     * <p>Implementations must be thread-safe, fast and free of side effects; they run on the application
     * thread that saw the failure.
     *
     * @param exception one exception of the chain, never {@code null}; it may be a wrapper or a
     *     {@code getNextException()} of the exception that was thrown
     * @param vendor the database in use, never {@code null}; {@link DatabaseVendor#UNKNOWN} when neither
     *     the caller nor the exception's class says which database it is
     * @return the classification, or {@code null} when this rule does not apply to {@code exception}
     * @since 0.1.0
     */
    SqlFailure classify(SQLException exception, DatabaseVendor vendor);
}
