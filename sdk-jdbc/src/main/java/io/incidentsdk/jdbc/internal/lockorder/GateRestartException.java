package io.incidentsdk.jdbc.internal.lockorder;

import java.sql.SQLTransactionRollbackException;

/**
 * Thrown into a statement of a {@link io.incidentsdk.jdbc.TransactionRunner} unit whose gate wait would have
 * closed a lock cycle: the runner rolls the attempt back and runs the unit again at once, with the gates it needs
 * taken first in canonical order. Never thrown outside a runner unit. SQLState {@code 40001}, so code that looks
 * at it sees what the database would have said a moment later.
 *
 * <p>Internal: not part of the public API.
 */
public final class GateRestartException extends SQLTransactionRollbackException {

    private static final long serialVersionUID = 1L;

    GateRestartException(String table) {
        super("Incident SDK: lock-order gate: this unit of work would have closed a lock cycle on rows of " + table
                + "; the transaction runner runs it again with its gates taken in canonical order", "40001");
    }

    /** No stack trace: a restart is an expected step of a gated unit, and the runner catches it at once. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
