package io.incidentsdk.examples.spring;

/**
 * A transfer the bank refuses (the caller's mistake, not the database's): answered with a 4xx status.
 */
public class TransferRefused extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a transfer was refused. */
    public enum Reason {
        /** No such account. */
        UNKNOWN_ACCOUNT,
        /** The balance is lower than the amount. */
        INSUFFICIENT_FUNDS,
        /** A non-positive amount, or the same account twice. */
        INVALID
    }

    private final Reason reason;

    /**
     * Creates the refusal.
     *
     * @param reason  why
     * @param message what to tell the caller
     */
    public TransferRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Why the transfer was refused.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
