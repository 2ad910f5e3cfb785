package io.incidentsdk.jdbc.internal.lockorder;

import io.incidentsdk.jdbc.internal.sql.LockingStatement;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What one connection's current explicit transaction locked so far, for the lock-order analysis and the gate:
 * its locking statements in order (consecutive repeats collapsed), per step the direction of its key against the
 * previous key of the same table in this transaction, and the application's call site where the shape is new.
 *
 * <p><b>No value is kept.</b> A key bound to the parameter that picks a statement's row is compared, when bound,
 * with the previous key of that table in the same transaction; the sign of the comparison is kept. The key itself
 * stays in a primitive field until the next key of that table replaces it or the transaction ends (then it is
 * zeroed); it is never copied anywhere else, never reaches a record, a log or another thread.
 *
 * <p>Owned by one connection and used only by the thread using it. Allocated at the connection's first analysed
 * (or gated) transaction and reused for the next ones.
 *
 * <p>Internal: not part of the public API.
 */
public final class LockOrderTracker {

    static final int MAX_STEPS = 16;
    private static final int KEY_TABLES = 8;

    private final LockOrderAnalysis analysis;
    private boolean sampled;
    private GateUnit gate;
    /**
     * The runner unit of a transaction on a data source with avoidance on, gated or not yet: a transaction that
     * began before its table became gated takes the gates of the rows it locked so far at its next statement.
     */
    private GateUnit candidate;
    /** The gates of the rows this transaction locked while it was not gated yet (avoidance on only). */
    private final int[] lockedStripes = new int[MAX_STEPS];
    private int lockedCount;
    private final LockStatement[] steps = new LockStatement[MAX_STEPS];
    private final byte[] directions = new byte[MAX_STEPS];
    private final String[] callSites = new String[MAX_STEPS];
    private int n;
    private long prefix;
    private final LockTable[] keyTables = new LockTable[KEY_TABLES];
    private final long[] lastKeys = new long[KEY_TABLES];
    private int keyTablesUsed;
    private Object boundOwner;
    private LockStatement boundStatement;
    private boolean pendingKey;
    private long pendingValue;
    private byte pendingDirection;

    /**
     * Creates the tracker of one connection.
     *
     * @param analysis its data source's analysis
     */
    public LockOrderTracker(LockOrderAnalysis analysis) {
        this.analysis = analysis;
    }

    /**
     * An explicit transaction begins (its first bind or statement): decides whether it is analysed (sampled) and
     * whether it runs behind the gate (a runner unit on a data source with avoidance on and gated tables).
     *
     * @param analysis the data source's analysis
     * @param existing the connection's tracker, {@code null} before its first followed transaction
     * @return the tracker that follows this transaction, or {@code null} when none does (nothing is allocated then)
     */
    public static LockOrderTracker follow(LockOrderAnalysis analysis, LockOrderTracker existing) {
        boolean sampled = analysis.sample();
        LockOrderGates gates = analysis.gates();
        GateUnit unit = gates == null ? null : GateUnit.current();
        GateUnit gate = null;
        if (unit != null) {
            unit.avoidance = true;
            gate = gates.active() ? unit : null;
        }
        if (!sampled && unit == null) {
            return null;
        }
        LockOrderTracker t = existing != null ? existing : new LockOrderTracker(analysis);
        t.sampled = sampled;
        t.gate = gate;
        t.candidate = unit;
        return t;
    }

    /**
     * A key was bound to a parameter of a prepared statement.
     *
     * @param statement the statement wrapper (identity only)
     * @param sql       its SQL, read only when the statement differs from the last one bound
     * @param index     the parameter's index (1-based)
     * @param value     the key; compared at once, kept only until the next key of its table (see the class)
     */
    public void keyBound(Object statement, String sql, int index, long value) {
        if (statement != boundOwner) {
            boundOwner = statement;
            boundStatement = analysis.prepared(sql);
            pendingKey = false;
        }
        LockStatement s = boundStatement;
        if (s.keyParameter != index || !s.locks()) {
            return;
        }
        pendingKey = true;
        pendingValue = value;
        pendingDirection = direction(s.table, value);
    }

    /**
     * A statement of the transaction is about to run.
     *
     * @param sql       its raw SQL
     * @param statement the prepared statement wrapper, {@code null} for a plain statement
     * @param raw       the driver's connection (for database gates)
     * @throws SQLException a {@link GateRestartException} when a gated unit must restart
     */
    public void statement(String sql, Object statement, Connection raw) throws SQLException {
        LockStatement s;
        boolean hasKey;
        long key;
        byte direction;
        if (statement != null) {
            if (statement != boundOwner) {
                boundOwner = statement;
                boundStatement = analysis.prepared(sql);
                pendingKey = false;
            }
            s = boundStatement;
            hasKey = pendingKey;
            key = pendingValue;
            direction = pendingDirection;
            pendingKey = false;
            pendingValue = 0L;
        } else {
            LockingStatement parsed = LockingStatement.of(sql);
            s = analysis.intern(parsed, sql);
            hasKey = parsed.hasLiteralKey();
            key = parsed.literalKey();
            direction = hasKey && s.locks() ? direction(s.table, key) : 0;
        }
        if (!s.locks()) {
            return;
        }
        if (candidate != null) {
            int stripe = LockOrderGates.stripe(s.table, hasKey, key);
            if (gate == null && s.table.gated) {
                // the table became gated while this transaction ran: its earlier rows' gates are tried first
                // (it holds those rows already: a gate another unit holds restarts it)
                gate = candidate;
                analysis.gates().late(gate, lockedStripes, lockedCount, raw, s.table);
            }
            if (gate != null && s.table.gated) {
                analysis.gates().acquire(gate, stripe, raw, s.table);
            } else if (gate == null && lockedCount < MAX_STEPS) {
                lockedStripes[lockedCount++] = stripe;
            }
        }
        if (hasKey) {
            remember(s.table, key);
        }
        if (!sampled) {
            return;
        }
        if (n > 0 && steps[n - 1] == s) {
            directions[n - 1] |= direction;
            return;
        }
        if (n == MAX_STEPS) {
            return;
        }
        steps[n] = s;
        directions[n] = direction;
        long next = (prefix ^ s.id) * 0x9E3779B97F4A7C15L + n;
        prefix = next;
        callSites[n] = analysis.knownPrefix(next) ? null : CodeSite.current();
        n++;
    }

    /**
     * The transaction ended (commit, rollback, a switch of the auto-commit mode): the analysis records it, the
     * gates are released, every key is forgotten.
     *
     * @param raw    the driver's connection
     * @param record whether the transaction is recorded: not one a deadlock or a gate cut short (its shape is a
     *               fragment of a real one)
     */
    public void end(Connection raw, boolean record) {
        if (gate != null) {
            analysis.gates().release(gate, raw);
            gate = null;
        }
        candidate = null;
        lockedCount = 0;
        if (sampled && n > 0 && record) {
            try {
                analysis.transactionEnded(steps, directions, callSites, n);
                long p = 0L;
                for (int i = 0; i < n; i++) {
                    p = (p ^ steps[i].id) * 0x9E3779B97F4A7C15L + i;
                    analysis.prefixSeen(p);
                }
            } finally {
                clear();
            }
        } else {
            clear();
        }
        sampled = false;
    }

    private void clear() {
        for (int i = 0; i < n; i++) {
            steps[i] = null;
            callSites[i] = null;
            directions[i] = 0;
        }
        n = 0;
        prefix = 0L;
        for (int i = 0; i < keyTablesUsed; i++) {
            keyTables[i] = null;
            lastKeys[i] = 0L;
        }
        keyTablesUsed = 0;
        boundOwner = null;
        boundStatement = null;
        pendingKey = false;
        pendingValue = 0L;
        pendingDirection = 0;
    }

    /** The sign of a key against the previous key of its table in this transaction, as a direction bit. */
    private byte direction(LockTable table, long key) {
        for (int i = 0; i < keyTablesUsed; i++) {
            if (keyTables[i] == table) {
                long last = lastKeys[i];
                return key > last ? LockOrderGraph.ASCENDING : key < last ? LockOrderGraph.DESCENDING : 0;
            }
        }
        return 0;
    }

    private void remember(LockTable table, long key) {
        for (int i = 0; i < keyTablesUsed; i++) {
            if (keyTables[i] == table) {
                lastKeys[i] = key;
                return;
            }
        }
        if (keyTablesUsed < KEY_TABLES) {
            keyTables[keyTablesUsed] = table;
            lastKeys[keyTablesUsed++] = key;
        }
    }

    /**
     * The integral value of a bound object, for {@code setObject} and {@code setBigDecimal}.
     *
     * @param value the bound value
     * @return whether it is an integral key (then {@link #integralValue} holds it)
     */
    public static boolean integral(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof java.math.BigInteger && ((java.math.BigInteger) value).bitLength() < 64
                || value instanceof java.math.BigDecimal && integralDecimal((java.math.BigDecimal) value);
    }

    /**
     * The value of an {@linkplain #integral integral} bound object.
     *
     * @param value the bound value
     * @return it as a {@code long}
     */
    public static long integralValue(Object value) {
        return ((Number) value).longValue();
    }

    private static boolean integralDecimal(java.math.BigDecimal d) {
        return (d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0) && d.abs().compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
    }
}
