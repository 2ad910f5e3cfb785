package io.incidentsdk.jdbc.internal.lockorder;

import io.incidentsdk.jdbc.internal.sql.LockingStatement;

/**
 * One statement shape that takes row locks, interned per data source by its sanitized fingerprint: what it
 * locks, which parameter picks its row, and its sanitized SQL for reports (never a value).
 *
 * <p>Internal: not part of the public API.
 */
final class LockStatement {

    /** The answer for a statement that takes no row lock. */
    static final LockStatement NOT_LOCKING = new LockStatement(0, LockingStatement.Kind.NONE, null, 0, null, null);

    final int id;
    final LockingStatement.Kind kind;
    final LockTable table;
    /** 1-based ordinal of the {@code ?} that picks the row; {@code 0}: none (several rows, or a literal). */
    final int keyParameter;
    final String fingerprint;
    final String sql;

    LockStatement(int id, LockingStatement.Kind kind, LockTable table, int keyParameter, String fingerprint,
                  String sql) {
        this.id = id;
        this.kind = kind;
        this.table = table;
        this.keyParameter = keyParameter;
        this.fingerprint = fingerprint;
        this.sql = sql;
    }

    boolean locks() {
        return table != null;
    }

    @Override
    public String toString() {
        return sql;
    }
}
