package io.incidentsdk.jdbc.testing;

/**
 * What a failure left of the failing connection's transaction, observed on the same connection without
 * rolling back: before failing, the connection had written a row of its own in the transaction, and
 * afterwards it reads that row back.
 *
 * @since 0.1.0
 */
public enum TransactionAfterFailure {
    /** Only the failed statement was undone: the earlier write is still there and the transaction goes on. */
    ALIVE,
    /** The server rolled the whole transaction back; the next statement works and starts a new one. */
    ROLLED_BACK,
    /** The transaction is aborted: every statement fails (PostgreSQL 25P02) until {@code rollback()}. */
    ABORTED,
    /** The connection is gone: closed, and every call fails. */
    CONNECTION_LOST
}
