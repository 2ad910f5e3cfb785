package io.incidentsdk.jdbc;

/**
 * What kind of database failure a {@link java.sql.SQLException} reports, independent of the vendor.
 *
 * <p>Produced by {@link SqlFailureClassifier}. The same logical failure gets the same category on every
 * database: a PostgreSQL {@code 40P01}, a MySQL/MariaDB {@code 1213}, an Oracle {@code ORA-00060} and a
 * SQL Server {@code 1205} are all {@link #DEADLOCK}.
 *
 * @since 0.1.0
 */
public enum SqlFailureCategory {

    /**
     * The database detected a cycle of lock waits and chose this transaction (or statement) as the victim,
     * e.g. PostgreSQL {@code 40P01}, MySQL/MariaDB {@code 1213}, SQL Server {@code 1205}, Oracle
     * {@code ORA-00060}, H2 {@code 40001} whose cause names a deadlock victim.
     */
    DEADLOCK,

    /**
     * The transaction could not be serialized with concurrent ones (a write conflict on a snapshot, an SSI
     * dependency cycle, a cluster retry error), e.g. PostgreSQL/CockroachDB {@code 40001}, MariaDB
     * {@code 1020}, SQL Server {@code 3960}, Oracle {@code ORA-08177}. Retrying the whole transaction is
     * the documented remedy.
     */
    SERIALIZATION_FAILURE,

    /**
     * A lock could not be acquired within the configured wait (or immediately, with {@code NOWAIT}), e.g.
     * PostgreSQL {@code 55P03}, MySQL/MariaDB {@code 1205}, H2 {@code 50200}, SQL Server {@code 1222},
     * SQLite {@code SQLITE_BUSY}. No deadlock was proven; the other holder simply held the lock too long.
     */
    LOCK_TIMEOUT,

    /**
     * The statement was cancelled before it completed: by a query timeout, by {@code Statement.cancel()}
     * or by an operator ({@code pg_cancel_backend}, {@code KILL QUERY}). Databases cannot always tell
     * these apart (PostgreSQL reports all of them as {@code 57014}); the rule id of the
     * {@link SqlFailure} says which one it was where the vendor does (MariaDB {@code 1969} timeout versus
     * {@code 1317} killed).
     */
    QUERY_TIMEOUT,

    /**
     * The connection is broken or could not be established (SQLState class {@code 08}, PostgreSQL
     * {@code 57P01} administrator shutdown, MariaDB socket errors, Oracle {@code ORA-03113}). The connection
     * should be discarded. If the failing call was a commit, its outcome is unknown.
     */
    CONNECTION_FAILURE,

    /**
     * The database ran out of something: connections, memory, disk, log or undo space (SQLState class
     * {@code 53}, MySQL {@code 1040}, Oracle {@code ORA-01555}, SQL Server {@code 9002}, SQLite
     * {@code SQLITE_FULL}).
     */
    RESOURCE_EXHAUSTED,

    /**
     * An integrity constraint rejected the change: unique, foreign key, not-null, check or exclusion
     * (SQLState class {@code 23}).
     */
    CONSTRAINT_VIOLATION,

    /**
     * A value was invalid for its type or target: truncation, out of range, bad format, division by zero
     * (SQLState class {@code 22}).
     */
    DATA_ERROR,

    /**
     * The statement itself is wrong or was issued in a wrong state: syntax error, unknown table or column,
     * missing privilege (SQLState class {@code 42}), or a statement sent to a PostgreSQL transaction that
     * has already failed ({@code 25P02}).
     */
    PROGRAMMING_ERROR,

    /** No rule recognised the failure. */
    UNKNOWN;

    /**
     * Whether the same work may succeed if it is tried again later, without any change to the code or the
     * data.
     *
     * <p>True for {@link #DEADLOCK}, {@link #SERIALIZATION_FAILURE}, {@link #LOCK_TIMEOUT},
     * {@link #QUERY_TIMEOUT} and {@link #CONNECTION_FAILURE}; false for the others. {@link #QUERY_TIMEOUT}
     * counts as transient as in JDBC ({@code SQLTimeoutException} is a {@code SQLTransientException}),
     * although a query that is simply too slow will time out again. {@link #RESOURCE_EXHAUSTED} does not
     * count: a full disk or an exhausted connection limit rarely clears within a retry's backoff.
     *
     * <p>Transient does not mean "retried": which categories are retried, and how (always the whole
     * transaction), is decided by the retry policy, not by this method.
     *
     * @return {@code true} if the failure is of a kind that can go away by itself
     * @since 0.1.0
     */
    public boolean isTransient() {
        return switch (this) {
            case DEADLOCK, SERIALIZATION_FAILURE, LOCK_TIMEOUT, QUERY_TIMEOUT, CONNECTION_FAILURE -> true;
            case RESOURCE_EXHAUSTED, CONSTRAINT_VIOLATION, DATA_ERROR, PROGRAMMING_ERROR, UNKNOWN -> false;
        };
    }
}
