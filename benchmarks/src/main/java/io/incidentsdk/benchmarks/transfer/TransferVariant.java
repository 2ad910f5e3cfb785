package io.incidentsdk.benchmarks.transfer;

import io.incidentsdk.jdbc.LockOrderAvoidance;

/**
 * The variants of the transfer workload ({@link TransferWorkload}).
 *
 * @since 0.1.0
 */
public enum TransferVariant {

    /**
     * The race condition and the safe retry: half the transfers lock the two rows debit first, the other half
     * credit first (two code paths taking the same rows in opposite order), every transfer through
     * {@code TransactionRunner} on the watched data source.
     */
    RACE_SAFE_RETRY("A", "race + safe retry", true, true),
    /** The bug fixed: the two rows always locked in ascending id order, the same runner. */
    ORDERED_LOCKS("B", "bug fixed (ascending lock order)", false, true),
    /**
     * The race condition without the runner: as {@link #RACE_SAFE_RETRY}, but each transfer run once by hand
     * on the watched data source; a deadlock reaches the application as a failed transfer.
     */
    RACE_NO_RETRY("C", "race, no retry (by hand)", true, false),
    /**
     * As {@link #RACE_SAFE_RETRY}, with the lock-order gate on (in-process): once the analysis reported the risk
     * (default sampling) or the first deadlock happened, the runner's units take a gate per account row.
     */
    RACE_GATED("D", "race + safe retry + lock-order gate (in-process)", true, true, LockOrderAvoidance.IN_PROCESS),
    /** As {@link #RACE_GATED}, with the gate in the database ({@code pg_advisory_xact_lock}). */
    RACE_GATED_DATABASE("E", "race + safe retry + lock-order gate (advisory locks)", true, true,
            LockOrderAvoidance.DATABASE);

    private final String label;
    private final String description;
    private final boolean race;
    private final boolean runner;
    private final LockOrderAvoidance avoidance;

    TransferVariant(String label, String description, boolean race, boolean runner) {
        this(label, description, race, runner, LockOrderAvoidance.OFF);
    }

    TransferVariant(String label, String description, boolean race, boolean runner, LockOrderAvoidance avoidance) {
        this.label = label;
        this.description = description;
        this.race = race;
        this.runner = runner;
        this.avoidance = avoidance;
    }

    /**
     * The lock-order avoidance of the watched data source.
     *
     * @return {@link LockOrderAvoidance#OFF} but for D and E
     */
    public LockOrderAvoidance avoidance() {
        return avoidance;
    }

    /**
     * The short label in the report.
     *
     * @return {@code A} to {@code E}
     */
    public String label() {
        return label;
    }

    /**
     * What the variant does, in words.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * Whether half the transfers lock the rows in the opposite order.
     *
     * @return {@code true} for the race condition
     */
    public boolean race() {
        return race;
    }

    /**
     * Whether transfers run through the {@code TransactionRunner}.
     *
     * @return {@code true} when they do
     */
    public boolean runner() {
        return runner;
    }

    /**
     * The variant of a label.
     *
     * @param label {@code A} to {@code E} (any case)
     * @return the variant
     */
    public static TransferVariant ofLabel(String label) {
        for (TransferVariant v : values()) {
            if (v.label.equalsIgnoreCase(label.strip())) {
                return v;
            }
        }
        throw new IllegalArgumentException("transfer variant must be A, B, C, D or E, was " + label);
    }
}
