package io.incidentsdk.jdbc.internal.wrap;

import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last few explicit transactions of one (physical) connection: for each, the thread, its start and end,
 * and its statements (raw SQL, when each began and ended). Deadlock forensics asks it "which transaction of
 * this connection was open at that moment, and which of its statements was running then", after the
 * transaction has committed and the connection moved on (DESIGN section 6).
 *
 * <p><b>Writer</b>: the thread using the connection, through {@link ConnectionState}. Everything is
 * preallocated when the connection runs its first explicit transaction and overwritten in place: recording a
 * statement is a few array stores and one volatile write, no allocation, and reuses the clock readings the
 * connection state takes anyway.
 *
 * <p><b>Readers</b> may be on any thread. {@link #transactionOpenAt} returns a copy checked against the
 * slot's sequence number before and after copying: a slot reused while it was copied (after
 * {@value #TRANSACTIONS} more transactions) gives {@code null}, never a mix of two transactions.
 *
 * <p>Internal: not part of the public API.
 *
 * @since 0.1.0
 */
public final class TransactionHistory {

    /** Transactions kept per connection. */
    public static final int TRANSACTIONS = 4;
    /** Statements kept per transaction (the last ones). */
    public static final int STATEMENTS = 16;

    private static final int TX_MASK = TRANSACTIONS - 1;
    private static final int ST_MASK = STATEMENTS - 1;

    private final String[] sql = new String[TRANSACTIONS * STATEMENTS];
    private final long[] begins = new long[TRANSACTIONS * STATEMENTS];
    private final long[] ends = new long[TRANSACTIONS * STATEMENTS];
    /** Per transaction slot: its sequence number (1, 2, ...), start, wall-clock start, end, thread, statements. */
    private final long[] sequence = new long[TRANSACTIONS];
    private final long[] starts = new long[TRANSACTIONS];
    private final long[] startMillis = new long[TRANSACTIONS];
    private final long[] txEnds = new long[TRANSACTIONS];
    private final String[] threads = new String[TRANSACTIONS];
    private final int[] counts = new int[TRANSACTIONS];

    /** Transactions ever begun; the current (or last) one is in slot {@code (begun - 1) & TX_MASK}. */
    private long begun;
    private boolean open;
    /** Written last by every change: readers read it first, so they see what was written before it. */
    private volatile long stamp;

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
        for (int i = 0; i < FREE.length(); i++) {
            if (FREE.get(i) == null && FREE.compareAndSet(i, null, history)) {
                return;
            }
        }
    }

    /** A statement of an explicit transaction begins (the first one begins the transaction). */
    void statementBegan(String statementSql, long nowNanos, long transactionStartMillis, String thread) {
        int tx;
        if (!open) {
            long seq = begun + 1;
            begun = seq;
            open = true;
            tx = (int) (seq - 1) & TX_MASK;
            sequence[tx] = -seq; // being rewritten: readers skip it until the sign flips back
            VarHandle.storeStoreFence();
            starts[tx] = nowNanos;
            startMillis[tx] = transactionStartMillis;
            txEnds[tx] = 0L;
            threads[tx] = thread;
            counts[tx] = 0;
            VarHandle.storeStoreFence();
            sequence[tx] = seq;
        } else {
            tx = (int) (begun - 1) & TX_MASK;
            if (threads[tx] != thread) {
                threads[tx] = thread;
            }
        }
        int n = counts[tx];
        int slot = tx * STATEMENTS + (n & ST_MASK);
        sql[slot] = statementSql;
        begins[slot] = nowNanos;
        ends[slot] = 0L;
        counts[tx] = n + 1;
        stamp = nowNanos;
    }

    /** The statement begun last has returned or thrown. */
    void statementEnded(long nowNanos) {
        if (!open) {
            return;
        }
        int tx = (int) (begun - 1) & TX_MASK;
        int n = counts[tx];
        if (n == 0) {
            return;
        }
        int slot = tx * STATEMENTS + ((n - 1) & ST_MASK);
        if (ends[slot] == 0L) {
            ends[slot] = nowNanos;
            stamp = nowNanos;
        }
    }

    /** Commit, rollback or a change of the auto-commit mode ended the transaction. */
    void transactionEnded(long nowNanos) {
        if (!open) {
            return;
        }
        open = false;
        int tx = (int) (begun - 1) & TX_MASK;
        int n = counts[tx];
        if (n > 0) {
            int slot = tx * STATEMENTS + ((n - 1) & ST_MASK);
            if (ends[slot] == 0L) {
                ends[slot] = nowNanos;
            }
        }
        txEnds[tx] = nowNanos;
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
     * @since 0.1.0
     */
    public record Transaction(String thread, long startNanos, long startMillis, long endNanos, String[] statements,
                              long[] begins, long[] ends, int statementCount) {

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
        long seen = stamp; // read first: the arrays are then at least as new as this write
        if (seen == 0L) {
            return null;
        }
        Transaction best = null;
        long bestSeq = Long.MAX_VALUE;
        for (int tx = 0; tx < TRANSACTIONS; tx++) {
            long seq = sequence[tx];
            if (seq <= 0) {
                continue;
            }
            long start = starts[tx];
            long end = txEnds[tx];
            if (start - beforeNanos >= 0 || (end != 0L && end - openAtNanos <= 0) || seq >= bestSeq) {
                continue;
            }
            Transaction copy = copy(tx, seq);
            if (copy != null) {
                best = copy;
                bestSeq = seq;
            }
        }
        return best;
    }

    /** The latest kept transaction, open or not (tests, and the victim's own view). */
    Transaction latest() {
        if (stamp == 0L) {
            return null;
        }
        long seq = begun;
        return seq == 0 ? null : copy((int) (seq - 1) & TX_MASK, seq);
    }

    private Transaction copy(int tx, long seq) {
        int count = counts[tx];
        int kept = Math.min(count, STATEMENTS);
        String[] statements = new String[kept];
        long[] b = new long[kept];
        long[] e = new long[kept];
        for (int i = 0; i < kept; i++) {
            int slot = tx * STATEMENTS + ((count - kept + i) & ST_MASK);
            statements[i] = sql[slot];
            b[i] = begins[slot];
            e[i] = ends[slot];
        }
        Transaction t = new Transaction(threads[tx], starts[tx], startMillis[tx], txEnds[tx], statements, b, e, count);
        VarHandle.loadLoadFence();
        if (sequence[tx] != seq || counts[tx] - count >= STATEMENTS) {
            return null; // reused, or lapped, while we copied
        }
        for (String s : statements) {
            if (s == null) {
                return null;
            }
        }
        return t;
    }

    @Override
    public String toString() {
        return "TransactionHistory[begun=" + begun + ", kept=" + Arrays.toString(sequence) + "]";
    }
}
