package io.incidentsdk.jdbc.internal.lockorder;

/**
 * One table as the analysis knows it, interned per data source: its name and, once read from the database's
 * metadata, the tables its foreign keys point to (an {@code INSERT} checks the parent row under a shared lock).
 *
 * <p>Internal: not part of the public API.
 */
final class LockTable {

    private static final LockTable[] NONE = new LockTable[0];

    final int id;
    final String name;
    /** The tables its foreign keys reference; {@code null} while not known (read asynchronously). */
    private volatile LockTable[] parents;
    /**
     * Whether the database checks a foreign key to another table by a key-share lock on the parent row, which
     * an {@code UPDATE} that changes no key column does not block (PostgreSQL's {@code FOR KEY SHARE} against
     * {@code FOR NO KEY UPDATE}); otherwise the check is a shared lock that every row update blocks (InnoDB).
     */
    private volatile boolean keyShareParents;
    /** Whether runner units take a gate before locking its rows (avoidance on, and a risk or deadlock seen). */
    volatile boolean gated;

    LockTable(int id, String name) {
        this.id = id;
        this.name = name;
    }

    /** The referenced tables as known now, never {@code null}. */
    LockTable[] parents() {
        LockTable[] known = parents;
        return known == null ? NONE : known;
    }

    boolean parentsKnown() {
        return parents != null;
    }

    void parents(LockTable[] tables) {
        parents = tables;
    }

    void parents(LockTable[] tables, boolean keyShare) {
        keyShareParents = keyShare;
        parents = tables;
    }

    /** See {@link #keyShareParents}: read after {@link #parentsKnown()}. */
    boolean keyShareParents() {
        return keyShareParents;
    }

    @Override
    public String toString() {
        return name;
    }
}
