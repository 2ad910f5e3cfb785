package io.incidentsdk.jdbc;

/**
 * Whether and how {@link TransactionRunner} units on a watched data source avoid the lock cycles that the
 * lock-order analysis predicted or that a deadlock revealed (opt-in; {@link #OFF} by default).
 *
 * <p>Once a table is known to be locked in conflicting orders (a reported {@code LOCK_ORDER_RISK}, or a deadlock
 * inside a runner unit), every runner unit that locks a row of it first takes that row's <em>gate</em>, held until
 * its transaction commits or rolls back. Two units that want the same rows therefore meet at the gate instead of in
 * the database, and a wait that would close a cycle is never entered: the unit that would close it is rolled back at
 * once and run again by the runner with the gates it needs taken first, in one canonical order. The database never
 * has to detect the deadlock (which costs its detection timeout each time), and the restart costs neither a retry
 * attempt nor a token of the retry budget. Statements outside runner units are never gated.
 *
 * @since 0.2.0
 */
public enum LockOrderAvoidance {
    /** No gate (the default). */
    OFF,
    /** A gate inside this process: units of one instance never deadlock each other on gated rows. */
    IN_PROCESS,
    /**
     * A gate in the database, shared by every instance of a fleet: {@code pg_advisory_xact_lock} on PostgreSQL
     * (released by the database at commit or rollback), {@code GET_LOCK} on MySQL and MariaDB (released after the
     * commit or rollback); other databases use the in-process gate.
     */
    DATABASE
}
