package io.incidentsdk.jdbc.internal.wrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last explicit transactions of one (physical) connection: for each, the thread, its start and end, and
 * its statements (raw SQL, when each began and ended, and hashes of the row keys it bound). Deadlock forensics
 * asks it "which transaction of this connection was open at that moment, and which of its statements was
 * running then", after the transaction has committed and the connection moved on (DESIGN section 6).
 *
 * <p>Statements go into one ring of {@value #STATEMENT_SLOTS} slots shared by the transactions, which are kept
 * in a ring of {@value #TRANSACTIONS}: a connection running short transactions keeps many of them, one running
 * long ones keeps the last statements of fewer (at most {@value #STATEMENTS} of each are handed out).
 *
 * <p><b>Writer</b>: the thread using the connection, through {@link ConnectionState}. Everything is
 * preallocated when the connection runs its first explicit transaction and overwritten in place: recording a
 * statement is a few array stores and two ordered (not volatile) writes, no allocation, and reuses the clock
 * readings the connection state takes anyway.
 *
 * <p><b>Readers</b> may be on any thread. A statement slot is announced before it is rewritten and published
 * after (a sequence lock): a reader keeps only the statements it copied that were published before and not
 * announced for rewriting by the time it finished, and a transaction slot being rewritten is skipped, so a
 * copy never mixes two transactions or two statements.
 *
 * <p>Internal: not part of the public API.
 *
 * @since 0.1.0
 */
public final class TransactionHistory {

    /** Transactions kept per connection (the last ones). */
    public static final int TRANSACTIONS = 32;
    /** Statement slots per connection, shared by the kept transactions (the last statements). */
    public static final int STATEMENT_SLOTS = 64;
    /** Statements handed out per transaction at most (its last ones). */
    public static final int STATEMENTS = 16;
    /**
     * Row-key hashes kept per statement ({@link io.incidentsdk.jdbc.internal.sql.RowKeys}): parameter
     * {@code i} goes to slot {@code (i - 1) % BINDS}, so of a statement with more parameters the later ones
     * (usually the {@code WHERE} keys) win.
     */
    public static final int BINDS = 8;

    private static final int TX_MASK = TRANSACTIONS - 1;
    private static final int ST_FIELDS = 2 + BINDS / 2;
    private static final int BEGIN = 0;
    private static final int END = 1;
    private static final int KEYS = 2;
    private static final int TX_FIELDS = 8;
    private static final int SEQ = 0;
    private static final int START = 1;
    private static final int START_MILLIS = 2;
    private static final int TX_END = 3;
    private static final int FIRST = 4;
    private static final int COUNT = 5;
    private static final int ST_MASK = STATEMENT_SLOTS - 1;
    private static final VarHandle ANNOUNCED;
    private static final VarHandle PUBLISHED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ANNOUNCED = lookup.findVarHandle(TransactionHistory.class, "announced", long.class);
            PUBLISHED = lookup.findVarHandle(TransactionHistory.class, "published", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String[] sql = new String[STATEMENT_SLOTS];
    /**
     * Per statement slot, {@value #ST_FIELDS} longs side by side (one or two cache lines, not one per array:
     * a history recycled for a connection in front of a pool is cold, and each line touched is a miss): when it
     * began, when it ended, and its {@link #BINDS} row-key hashes two to a long ({@code 0}: none; never values).
     */
    private final long[] stmts = new long[STATEMENT_SLOTS * ST_FIELDS];
    /**
     * Per transaction slot, {@value #TX_FIELDS} longs side by side: its sequence number (1, 2, ...; negative while
     * rewritten), start, wall-clock start, end, the number of its first statement, how many it ran.
     */
    private final long[] txs = new long[TRANSACTIONS * TX_FIELDS];
    private final String[] threads = new String[TRANSACTIONS];

    /** Transactions ever begun; the current (or last) one is in slot {@code (begun - 1) & TX_MASK}. */
    private long begun;
    private boolean open;
    /** Statements whose slot may be being written: statement {@code n} is in slot {@code n & ST_MASK}. */
    private long announced;
    /** Statements written completely. */
    private long published;
    /** Written last by every change of a transaction slot: readers read it first. */
    private volatile long stamp;
    /**
     * The prepared statement whose parameters {@link #pendingKeys} describe (owning thread only): a connection
     * may have several statements with parameters set, and only the last one's are kept. Here rather than in
     * the connection state, so a connection watched in front of a pool (new at every borrow) reuses them with
     * the recycled history instead of allocating them.
     */
    private Object pendingOwner;
    /** Row-key hashes of {@link #pendingOwner}'s parameters so far (owning thread only). */
    private final int[] pendingKeys = new int[BINDS];

    /**
     * Histories of connections closed long enough ago that forensics no longer look at them, for reuse: a
     * connection watched in front of a pool is new at every borrow, and its history must not cost an
     * allocation per borrow. Bounded; a full pool drops what it is given.
     */
    private static final AtomicReferenceArray<TransactionHistory> FREE = new AtomicReferenceArray<>(64);

    TransactionHistory() {
    }

    /** A history to use: a recycled one when there is one, else a new one. */
    static TransactionHistory obtain() {
        for (int i = 0; i < FREE.length(); i++) {
            TransactionHistory h = FREE.get(i);
            if (h != null && FREE.compareAndSet(i, h, null)) {
                return h;
            }
        }
        return new TransactionHistory();
    }

    /**
     * Gives a history back for reuse. Its transaction numbers go on from where they were, and everything it
     * keeps began before it was given back, so a reader that still holds it and asks about a later moment
     * finds nothing of the next connection's in it.
     *
     * @param history a history no connection uses any more, or {@code null}
     */
    public static void recycle(TransactionHistory history) {
        if (history == null) {
            return;
        }
        history.transactionEnded(System.nanoTime());
        history.pendingOwner = null; // the old connection's statement is not kept reachable
        for (int i = 0; i < FREE.length(); i++) {
            if (FREE.get(i) == null && FREE.compareAndSet(i, null, history)) {
                return;
            }
        }
    }

    /** Notes the row-key hash of a parameter a prepared statement was given (owning thread). */
    void rowKey(Object statement, int index, int hash) {
        if (pendingOwner != statement) {
            clear(pendingKeys, 0);
            pendingOwner = statement;
        }
        pendingKeys[(index - 1) & (BINDS - 1)] = hash;
    }

    /** The statement's parameters were cleared (owning thread). */
    void rowKeysCleared(Object statement) {
        if (pendingOwner == statement) {
            clear(pendingKeys, 0);
        }
    }

    /** Zeroes {@link #BINDS} ints from {@code at} (plain stores: {@code Arrays.fill} costs more for eight). */
    private static void clear(int[] keys, int at) {
        for (int i = 0; i < BINDS; i++) {
            keys[at + i] = 0;
        }
    }

    /** The row-key hashes of the statement about to run, or {@code null} when its parameters are not known. */
    int[] rowKeysOf(Object statement) {
        return statement != null && statement == pendingOwner ? pendingKeys : null;
    }

    /** A statement of an explicit transaction begins (the first one begins the transaction). */
    void statementBegan(String statementSql, long nowNanos, long transactionStartMillis, String thread,
                        int[] rowKeys) {
        long n = published;
        int tx;
        if (!open) {
            long seq = begun + 1;
            begun = seq;
            open = true;
            tx = (int) (seq - 1) & TX_MASK;
            txs[tx * TX_FIELDS + SEQ] = -seq; // being rewritten: readers skip it until the sign flips back
            VarHandle.storeStoreFence();
            txs[tx * TX_FIELDS + START] = nowNanos;
            txs[tx * TX_FIELDS + START_MILLIS] = transactionStartMillis;
            txs[tx * TX_FIELDS + TX_END] = 0L;
            threads[tx] = thread;
            txs[tx * TX_FIELDS + FIRST] = n;
            txs[tx * TX_FIELDS + COUNT] = 0L;
            VarHandle.storeStoreFence();
            txs[tx * TX_FIELDS + SEQ] = seq;
        } else {
            tx = (int) (begun - 1) & TX_MASK;
            if (threads[tx] != thread) {
                threads[tx] = thread;
            }
        }
        ANNOUNCED.setOpaque(this, n + 1);
        VarHandle.storeStoreFence();
        int slot = (int) n & ST_MASK;
        sql[slot] = statementSql;
        stmts[slot * ST_FIELDS + BEGIN] = nowNanos;
        stmts[slot * ST_FIELDS + END] = 0L;
        int at = slot * ST_FIELDS + KEYS;
        for (int i = 0; i < BINDS; i += 2) {
            stmts[at + i / 2] = rowKeys == null ? 0L
                    : (rowKeys[i] & 0xFFFF_FFFFL) | ((long) rowKeys[i + 1] << 32);
        }
        PUBLISHED.setRelease(this, n + 1);
        txs[tx * TX_FIELDS + COUNT]++;
        stamp = nowNanos;
    }

    /** The statement begun last has returned or thrown. */
    void statementEnded(long nowNanos) {
        if (!open) {
            return;
        }
        int tx = (int) (begun - 1) & TX_MASK;
        if (txs[tx * TX_FIELDS + COUNT] == 0) {
            return;
        }
        int slot = (int) (published - 1) & ST_MASK;
        if (stmts[slot * ST_FIELDS + END] == 0L) {
            stmts[slot * ST_FIELDS + END] = nowNanos;
        }
    }

    /** Commit, rollback or a change of the auto-commit mode ended the transaction. */
    void transactionEnded(long nowNanos) {
        if (!open) {
            return;
        }
        open = false;
        int tx = (int) (begun - 1) & TX_MASK;
        if (txs[tx * TX_FIELDS + COUNT] > 0) {
            int slot = (int) (published - 1) & ST_MASK;
            if (stmts[slot * ST_FIELDS + END] == 0L) {
                stmts[slot * ST_FIELDS + END] = nowNanos;
            }
        }
        txs[tx * TX_FIELDS + TX_END] = nowNanos;
        stamp = nowNanos;
    }

    /**
     * One transaction of the history, copied.
     *
     * @param thread         the thread that ran its (last) statement
     * @param startNanos     when its first statement began ({@link System#nanoTime()})
     * @param startMillis    the same moment on the wall clock
     * @param endNanos       when it committed or rolled back; {@code 0} while open
     * @param statements     raw SQL of its last statements, oldest first
     * @param begins         when each began
     * @param ends           when each ended; {@code 0} while running
     * @param statementCount statements it ran in all (may exceed the ones kept)
     * @param rowKeys        per statement kept, {@link #BINDS} row-key hashes of its bind values ({@code 0}: none)
     * @since 0.1.0
     */
    public record Transaction(String thread, long startNanos, long startMillis, long endNanos, String[] statements,
                              long[] begins, long[] ends, int statementCount, int[] rowKeys) {

        /**
         * The row-key hashes of one kept statement: its bind values' ({@code 0}: none).
         *
         * @param statement index into {@link #statements()}
         * @return a copy of its {@link #BINDS} hashes
         */
        public int[] rowKeysOf(int statement) {
            return Arrays.copyOfRange(rowKeys, statement * BINDS, statement * BINDS + BINDS);
        }

        /**
         * Whether it was open at a moment.
         *
         * @param nanos the moment ({@link System#nanoTime()})
         * @return {@code true} when it began before and had not ended by then
         * @since 0.1.0
         */
        public boolean openAt(long nanos) {
            return startNanos - nanos <= 0 && (endNanos == 0L || endNanos - nanos > 0);
        }
    }

    /**
     * The earliest kept transaction that began before {@code beforeNanos} and had not ended by
     * {@code openAtNanos}: the transaction that held its locks at that moment (a transaction that began after
     * {@code beforeNanos} is never returned).
     *
     * @param openAtNanos the moment it must have been open at (or have begun after)
     * @param beforeNanos the moment it must have begun before
     * @return a copy, or {@code null} when no kept transaction fits (or it was overwritten while copied)
     * @since 0.1.0
     */
    public Transaction transactionOpenAt(long openAtNanos, long beforeNanos) {
        java.util.List<Transaction> open = transactionsOpenBetween(openAtNanos, beforeNanos);
        return open.isEmpty() ? null : open.get(0);
    }

    /**
     * Every kept transaction that began before {@code beforeNanos} and had not ended by {@code openAtNanos},
     * oldest first.
     *
     * @param openAtNanos the moment each must have been open at (or have begun after)
     * @param beforeNanos the moment each must have begun before
     * @return copies, possibly none
     * @since 0.1.0
     */
    public java.util.List<Transaction> transactionsOpenBetween(long openAtNanos, long beforeNanos) {
        if (stamp == 0L) {
            return java.util.List.of();
        }
        java.util.List<Transaction> found = new java.util.ArrayList<>(2);
        long[] seqs = new long[TRANSACTIONS];
        for (int tx = 0; tx < TRANSACTIONS; tx++) {
            long seq = txs[tx * TX_FIELDS + SEQ];
            long start = txs[tx * TX_FIELDS + START];
            long end = txs[tx * TX_FIELDS + TX_END];
            if (seq <= 0 || start - beforeNanos >= 0 || (end != 0L && end - openAtNanos <= 0)) {
                continue;
            }
            Transaction copy = copy(tx, seq);
            if (copy != null) {
                int at = found.size();
                while (at > 0 && seqs[at - 1] > seq) {
                    at--;
                }
                found.add(at, copy);
                System.arraycopy(seqs, at, seqs, at + 1, found.size() - 1 - at);
                seqs[at] = seq;
            }
        }
        return found;
    }

    /**
     * The latest kept transaction, open or not (the victim's own view, and tests).
     *
     * @return a copy, or {@code null}
     * @since 0.1.0
     */
    public Transaction latest() {
        if (stamp == 0L) {
            return null;
        }
        long seq = begun;
        return seq == 0 ? null : copy((int) (seq - 1) & TX_MASK, seq);
    }

    private Transaction copy(int tx, long seq) {
        long publishedBefore = (long) PUBLISHED.getAcquire(this);
        long first = txs[tx * TX_FIELDS + FIRST];
        int count = (int) txs[tx * TX_FIELDS + COUNT];
        long last = Math.min(first + count, publishedBefore); // statement numbers [from, last)
        long from = Math.max(first, Math.max(last - STATEMENTS, publishedBefore - STATEMENT_SLOTS));
        int kept = (int) Math.max(0L, last - from);
        if (kept == 0) {
            return null; // none of its statements is left (or it has not run one yet)
        }
        String[] statements = new String[kept];
        long[] b = new long[kept];
        long[] e = new long[kept];
        int[] keys = new int[kept * BINDS];
        for (int i = 0; i < kept; i++) {
            int slot = (int) (from + i) & ST_MASK;
            statements[i] = sql[slot];
            b[i] = stmts[slot * ST_FIELDS + BEGIN];
            e[i] = stmts[slot * ST_FIELDS + END];
            for (int k = 0; k < BINDS; k += 2) {
                long packed = stmts[slot * ST_FIELDS + KEYS + k / 2];
                keys[i * BINDS + k] = (int) packed;
                keys[i * BINDS + k + 1] = (int) (packed >>> 32);
            }
        }
        Transaction t = new Transaction(threads[tx], txs[tx * TX_FIELDS + START], txs[tx * TX_FIELDS + START_MILLIS], txs[tx * TX_FIELDS + TX_END], statements, b, e,
                count, keys);
        VarHandle.loadLoadFence();
        long announcedAfter = (long) ANNOUNCED.getOpaque(this);
        if (txs[tx * TX_FIELDS + SEQ] != seq) {
            return null; // the transaction slot was reused while we copied
        }
        long overwritten = announcedAfter - STATEMENT_SLOTS; // statements below this number may be torn
        if (from < overwritten) {
            int drop = (int) Math.min(kept, overwritten - from);
            if (drop == kept) {
                return null;
            }
            t = new Transaction(t.thread(), t.startNanos(), t.startMillis(), t.endNanos(),
                    Arrays.copyOfRange(statements, drop, kept), Arrays.copyOfRange(b, drop, kept),
                    Arrays.copyOfRange(e, drop, kept), count, Arrays.copyOfRange(keys, drop * BINDS, kept * BINDS));
        }
        for (String st : t.statements()) {
            if (st == null) {
                return null;
            }
        }
        return t;
    }

    @Override
    public String toString() {
        StringBuilder kept = new StringBuilder();
        for (int tx = 0; tx < TRANSACTIONS; tx++) {
            kept.append(tx == 0 ? "" : ", ").append(txs[tx * TX_FIELDS + SEQ]);
        }
        return "TransactionHistory[begun=" + begun + ", kept=[" + kept + "]]";
    }
}
