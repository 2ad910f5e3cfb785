package io.incidentsdk;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * What kind of trouble an incident describes.
 *
 * @since 0.1.0
 */
public enum IncidentKind {
    /** The database broke a lock cycle by rolling back one transaction. */
    DEADLOCK(Severity.ERROR),
    /** A transaction conflicted with a concurrent one under snapshot or serializable isolation. */
    SERIALIZATION_FAILURE(Severity.ERROR),
    /** A statement waited too long for a lock held by another transaction. */
    LOCK_TIMEOUT(Severity.ERROR),
    /** A statement ran into its time limit or was cancelled. */
    QUERY_TIMEOUT(Severity.ERROR),
    /** The connection to the database was refused, lost or closed by the server. */
    CONNECTION_FAILURE(Severity.ERROR),
    /** The connection broke during commit: nobody knows whether the transaction was committed. */
    COMMIT_OUTCOME_UNKNOWN(Severity.CRITICAL),
    /** A unit of work failed even after all allowed retries. */
    RETRY_EXHAUSTED(Severity.ERROR),
    /** Retries were refused because the process-wide retry budget was spent. */
    RETRY_BUDGET_EXHAUSTED(Severity.ERROR),
    /** The share of failing calls crossed a threshold. */
    ERROR_SPIKE(Severity.ERROR),
    /**
     * A sink could not deliver incident events and some had to be dropped; also the SDK's report that the
     * bound of open incidents refused or evicted incidents ({@code IncidentSdk.OVERFLOW_FINGERPRINT}).
     */
    SINK_DEGRADED(Severity.WARNING),
    /**
     * Two code paths take row locks in opposite orders (two tables, or the rows of one table by key), or one code
     * path takes them in an order that depends on its data: a deadlock waiting to happen, found before it did.
     *
     * @since 0.2.0
     */
    LOCK_ORDER_RISK(Severity.WARNING),
    /** Recorded by the application itself; also what a kind unknown to this version reads as. */
    @JsonEnumDefaultValue
    CUSTOM(Severity.ERROR);

    private final Severity defaultSeverity;

    IncidentKind(Severity defaultSeverity) {
        this.defaultSeverity = defaultSeverity;
    }

    /**
     * The severity an incident of this kind gets when none is given.
     *
     * @return the default severity
     */
    public Severity defaultSeverity() {
        return defaultSeverity;
    }
}
