package io.incidentsdk.internal.postmortem;

import io.incidentsdk.Incident;
import java.util.List;
import java.util.Locale;

/**
 * The causes of a lock cycle that deadlock forensics tell apart, with the words both the incident's hints
 * and the postmortem use for them: one text per cause, so the two never disagree. No data goes in, only
 * table names (which the records carry anyway).
 *
 * <p>Internal: not part of the public API.
 *
 * @since 0.1.0
 */
public final class DeadlockCauses {

    /** The attribute of a deadlock incident that names its cause ({@link Cause#name()}). */
    public static final String ATTRIBUTE = "deadlock.cause";

    /** Why the transactions of a deadlock waited for each other. */
    public enum Cause {
        /** Two transactions locked the same rows (or tables) in opposite order. */
        OPPOSITE_ORDER,
        /** Three or more transactions, each waiting for the next: a ring. */
        RING,
        /** A child row's insert took a shared lock on its parent; both then updated the parent. */
        FK_LOCK_UPGRADE,
        /** Gap (next-key) locks from locking reads of a missing key, then inserts into the gap. */
        GAP_LOCKS,
        /** Both read a row with a shared lock, then both tried to update it. */
        SHARED_TO_EXCLUSIVE
    }

    private DeadlockCauses() {
    }

    /**
     * What the cause means and how to fix it, in one sentence for the incident's first hint.
     *
     * @param cause  the cause
     * @param tables the tables of the cycle in the order to lock them (may be empty)
     * @param participants how many transactions were in the cycle ({@code 0} when not known)
     * @return the hint
     * @since 0.1.0
     */
    public static String hint(Cause cause, List<String> tables, int participants) {
        String rows = tables.isEmpty() ? "the same rows" : "rows of " + String.join(" and ", tables);
        return switch (cause) {
            case OPPOSITE_ORDER -> tables.size() >= 2
                    ? "Opposite lock order: one code path locked " + tables.get(0) + " then " + tables.get(1)
                        + ", another the reverse. Lock " + String.join(" before ", tables) + " in every code path "
                        + "(and rows inside each table by ascending primary key)"
                    : "Opposite lock order: two transactions locked " + rows + " in opposite order. Lock them in "
                        + "one order in every code path: ascending primary key (sort the ids before updating)";
            case RING -> "Lock ring: " + (participants >= 3 ? participants + " transactions" : "three or more "
                    + "transactions") + " each waited for the next. One global order breaks every ring: lock "
                    + rows + " by ascending primary key in every code path"
                    + (tables.size() >= 2 ? ", tables in the order " + String.join(", ", tables) : "");
            case FK_LOCK_UPGRADE -> "Foreign-key lock upgrade: inserting a child row locked its parent row "
                    + (tables.isEmpty() ? "" : "in " + tables.get(tables.size() - 1) + " ") + "in shared mode for "
                    + "the foreign-key check, then both transactions updated the parent and each waited for the "
                    + "other's shared lock. Lock the parent first: SELECT ... FOR UPDATE the parent row (or update "
                    + "it) before inserting its children";
            case GAP_LOCKS -> "Gap (next-key) locks: both transactions ran a locking read (SELECT ... FOR UPDATE) "
                    + "of a key that did not exist, which locks the gap, then both inserted into that gap and each "
                    + "insert waited for the other's gap lock. Use READ COMMITTED for this transaction (no gap "
                    + "locks for searches), or insert first and handle the duplicate key (unique-key insert, "
                    + "INSERT ... ON DUPLICATE KEY UPDATE)";
            case SHARED_TO_EXCLUSIVE -> "Shared to exclusive lock upgrade: both transactions read " + rows
                    + " with a shared lock (FOR SHARE, LOCK IN SHARE MODE or a foreign-key check), then both tried "
                    + "to update it. Take the exclusive lock at the first read: SELECT ... FOR UPDATE";
        };
    }

    /**
     * The postmortem's measure for a cause: the same fix, said as a measure.
     *
     * @param cause the cause
     * @return one sentence
     * @since 0.1.0
     */
    public static String measure(Cause cause) {
        return switch (cause) {
            case OPPOSITE_ORDER -> "Opposite lock order: lock tables in one order and rows by ascending primary "
                    + "key in every code path that touches them.";
            case RING -> "Lock ring: one global lock order (tables in a fixed order, rows by ascending primary key) "
                    + "breaks every ring, however many transactions take part.";
            case FK_LOCK_UPGRADE -> "Foreign-key lock upgrade: lock the parent first (SELECT ... FOR UPDATE the "
                    + "parent row) before inserting its children.";
            case GAP_LOCKS -> "Gap (next-key) locks: use READ COMMITTED for this transaction, or insert first and "
                    + "handle the duplicate key instead of a locking read of a missing key.";
            case SHARED_TO_EXCLUSIVE -> "Shared to exclusive lock upgrade: take the exclusive lock at the first "
                    + "read (SELECT ... FOR UPDATE), not a shared one.";
        };
    }

    /**
     * The cause an incident records, or {@code null}.
     *
     * @param incident a deadlock incident
     * @return its cause, or {@code null} when it records none (or an unknown one)
     * @since 0.1.0
     */
    public static Cause of(Incident incident) {
        String value = incident.attributes().get(ATTRIBUTE);
        if (value == null) {
            return null;
        }
        try {
            return Cause.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
