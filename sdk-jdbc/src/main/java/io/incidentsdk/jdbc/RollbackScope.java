package io.incidentsdk.jdbc;

/**
 * How much work the <em>database</em> undid when a statement failed, as far as the exception tells.
 *
 * <p>This describes the database's reaction, not what the application should do: an application in
 * manual-commit mode should call {@code rollback()} after any failure it does not handle otherwise, and
 * the SDK's retry runner always rolls back fully before it retries.
 *
 * <p>In an incident record, {@code error.transactionRolledBack} is {@code true} for {@link #TRANSACTION},
 * {@code false} for {@link #STATEMENT} and {@code unknown} for {@link #UNKNOWN}.
 *
 * @since 0.1.0
 */
public enum RollbackScope {

    /**
     * The work of the whole transaction is lost; none of it can be committed any more. Either the
     * database has already rolled the transaction back (MySQL/MariaDB deadlock, H2 deadlock, SQL Server
     * deadlock victim; the connection is already in a new transaction), or the transaction is
     * <em>aborted</em> and only a rollback is accepted (PostgreSQL and CockroachDB after <em>any</em>
     * error: every further statement fails with {@code 25P02} until {@code rollback()}). In both cases
     * calling {@code rollback()} is correct; where the database already rolled back it is a no-op.
     */
    TRANSACTION,

    /**
     * Only the failing statement was undone. The transaction is still open and still holds its earlier
     * writes and locks; the application must choose to commit or roll back (MySQL/MariaDB lock wait
     * timeout {@code 1205}, H2 lock timeout {@code 50200}, Oracle's statement-level rollback).
     */
    STATEMENT,

    /**
     * Cannot be told from the exception: the connection broke (the server may or may not have rolled
     * back, and a commit in flight may have succeeded), the answer depends on a server setting that the
     * exception does not show (SQL Server {@code XACT_ABORT}), or the vendor is unknown.
     */
    UNKNOWN
}
