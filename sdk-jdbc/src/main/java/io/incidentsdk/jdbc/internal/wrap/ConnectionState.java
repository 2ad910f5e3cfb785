package io.incidentsdk.jdbc.internal.wrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What we know about one watched connection, kept up to date in place as the application uses it: the
 * statement running (or last run), the thread of the last explicit transaction, the transaction in progress
 * (start time and the SQL of its statements so far, bounded), the auto-commit mode, whether the transaction is
 * doomed, and the database's id for the session.
 *
 * <p><b>Writers</b> are the wrappers, on the thread that uses the connection. Updating costs a few field
 * writes per statement of an explicit transaction and no allocation: {@link WatchedConnection} extends this
 * class, and the SQL of the transaction goes into a fixed ring of slots (the last
 * {@value #TRANSACTION_STATEMENTS} are kept). A statement in auto-commit mode writes nothing once the connection
 * has run it (the SQL is written only when it changes; the counters say "one statement" from then on).
 *
 * <p><b>Readers</b> may be on any thread (an in-flight registry matching the participants of a deadlock,
 * for example). Every scalar field is volatile, so each accessor returns a value that was current at some
 * recent moment; two accessors called one after the other may describe different moments (a statement
 * or transaction may have ended in between). SQL strings are immutable, so reading them across threads
 * is safe. {@link #transactionStatements()} returns a copy that is consistent: statements of one
 * transaction, in order, none torn (see there).
 *
 * <p>A state that {@linkplain #hasConnection() has no connection} stands for a failed attempt to obtain
 * one; it only carries its {@link #dataSource()}.
 *
 * <p>Internal: not part of the public API.
 *
 * @since 0.1.0
 */
public class ConnectionState {

    /** Capacity of the ring of SQL strings of the current transaction. */
    public static final int TRANSACTION_STATEMENTS = 16;

    /**
     * Slots in the ring: twice what we hand out, so a reader copying the last 16 is not overtaken by a
     * writer that runs up to 16 more statements meanwhile (no extra write per statement needed for that).
     */
    private static final int SLOTS = 2 * TRANSACTION_STATEMENTS;
    private static final int MASK = SLOTS - 1;
    private static final String[] NONE = new String[0];
    private static final Object UNRESOLVED = new Object();
    private static final Object NO_SESSION_ID = new Object();
    private static final AtomicLong IDS = new AtomicLong();
    /**
     * Units of work (retry scopes) open on any thread. While none is, no thread is inside one: a success in
     * auto-commit mode on a connection that {@linkplain #countOwnSuccesses() counts its own successes} is counted
     * there without a call to the observer, and the observer skips its thread-local look-up. Written per unit of
     * work, never per call; read per call by every thread, so it sits alone in the middle of a padded array
     * (element {@value #UNITS_SLOT}, 64 bytes from either end): no object written per call or per connection (the
     * id counter above is written at every open) can share its cache line.
     */
    private static final int[] UNITS_OPEN = new int[2 * 16 + 1];
    private static final int UNITS_SLOT = 16;
    private static final VarHandle UNITS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle CLOSED;
    private static final VarHandle COUNTED_CALLS;
    private static final VarHandle TAKEN_CALLS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLOSED = lookup.findVarHandle(ConnectionState.class, "closed", boolean.class);
            COUNTED_CALLS = lookup.findVarHandle(ConnectionState.class, "countedCalls", long.class);
            TAKEN_CALLS = lookup.findVarHandle(ConnectionState.class, "takenCalls", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The driver's (or pool's) connection; {@code null} for a failed attempt to get one. */
    final Connection delegate;

    private final DataSourceContext dataSource;
    private final long id;
    /**
     * The ring of the current explicit transaction's SQL; allocated at the first statement of the first
     * explicit transaction, so a connection used in auto-commit mode never pays for it.
     */
    private volatile String[] ring;
    /**
     * When each statement of {@link #ring} ended (same slots), and in the extra last slot when the latest
     * statement began (read by the owning thread only): in {@linkplain #ticks ticks} since the transaction's
     * start, plus one; {@code 0} while a statement runs. Allocated just before the ring, so a reader that
     * sees the ring sees this array too. Kept out of the connection's own fields: a connection used in
     * auto-commit mode never pays for it; {@code int}s halve what an explicit transaction's connection pays.
     */
    private volatile int[] ends;

    private volatile String currentSql;
    /**
     * The name of the thread that ran the current (or last) statement of an explicit transaction (a statement in
     * auto-commit mode, a transaction of its own, is reported by its own thread).
     */
    private volatile String threadName;
    private volatile boolean autoCommit = true;
    private volatile String doomReason;
    /** When the current explicit transaction ran its first statement; {@code 0} outside one. */
    private volatile long transactionStartNanos;
    /** The same moment on the wall clock (a value derived from the monotonic one would not be stable). */
    private volatile long transactionStartMillis;
    /** Statements ever recorded on this connection; the next one goes to {@code ring[written & MASK]}. */
    private volatile long written;
    /** Value of {@link #written} when the current transaction began. */
    private volatile long transactionFirst;
    private volatile Object sessionId = UNRESOLVED;
    /**
     * Whether the current doom may be lifted by a rollback to a savepoint set before it: the database kept the
     * transaction usable (PostgreSQL aborts only up to the savepoint; MariaDB, MySQL and H2 roll the whole
     * transaction back, so there nothing before the failure survives).
     */
    private boolean doomLiftable;
    /** Value of {@link #savepointsSet} when the current doom began: savepoints numbered up to it predate it. */
    private long doomSavepointMark;
    /** Savepoints set through the wrapper in the current transaction, counted (owning thread only). */
    private long savepointsSet;
    /** The savepoints of the current transaction with their numbers, lazily made (owning thread only). */
    private java.util.IdentityHashMap<java.sql.Savepoint, Long> savepoints;
    /**
     * Whether the application ran SQL-level transaction control on this connection ({@code BEGIN},
     * {@code START TRANSACTION}, {@code SET autocommit ...}) in auto-commit mode: from then on the auto-commit
     * mode the driver reports is not trusted for re-running a statement. Sticky for the connection's life.
     */
    private volatile boolean sqlTransactionControl;
    /** The last few transactions (DESIGN section 6); allocated with the ring, at the first explicit one. */
    private volatile TransactionHistory history;
    /** Set once, through {@link #CLOSED}. */
    private volatile boolean closed;
    /**
     * Units of work that succeeded on this connection for the error-spike windows (an auto-commit statement, a
     * commit outside a runner's unit). Written by the owning thread alone, with an opaque store: counting a call
     * is a plain increment of a line the connection's thread owns, no atomic instruction and no line shared with
     * other threads (DESIGN section 7). The spike windows take what was counted every 100 ms, before every
     * evaluation and when the connection closes ({@link #takeCountedCalls()}).
     */
    private long countedCalls;
    /** How many of {@link #countedCalls} the spike windows have taken (any thread, compare-and-set). */
    private volatile long takenCalls;
    /**
     * Whether the spike windows can take {@link #countedCalls} while the connection is open: {@code false} when
     * the connection registry had no slot for it, so its calls are counted in the windows directly. Set before
     * the connection is handed out (a pool hands it on with a happens-before).
     */
    private boolean countsTaken = true;
    /** Set by {@link #countOwnSuccesses()} (before the connection is handed out). */
    private boolean countsOwnSuccesses;
    /**
     * Whether a failure of the current explicit transaction was counted in the error-spike window already (the
     * transaction is one unit of work: it counts once). Owning thread only; cleared when the transaction ends.
     */
    private boolean unitFailureCounted;
    /**
     * The lock-order analysis of this connection's transactions (DESIGN section 11); made at the first analysed or
     * gated transaction and reused. Owning thread only.
     */
    private io.incidentsdk.jdbc.internal.lockorder.LockOrderTracker lockOrder;
    /** Whether the current explicit transaction was looked at for the lock-order analysis yet (owning thread). */
    private boolean lockOrderDecided;
    /** Whether the tracker follows the current explicit transaction (owning thread). */
    private boolean lockOrderFollowing;

    ConnectionState(DataSourceContext dataSource, Connection delegate) {
        this.dataSource = dataSource;
        this.delegate = delegate;
        this.id = delegate == null ? 0L : IDS.incrementAndGet();
    }

    /**
     * The data source this connection came from.
     *
     * @return the shared context of the watched data source, never {@code null}
     * @since 0.1.0
     */
    public final DataSourceContext dataSource() {
        return dataSource;
    }

    /**
     * Our own id for this connection, unique within the process (the database's id is
     * {@link #sessionId()}).
     *
     * @return a positive id, or {@code 0} when this state {@linkplain #hasConnection() has no connection}
     * @since 0.1.0
     */
    public final long id() {
        return id;
    }

    /**
     * Whether this state belongs to a connection; {@code false} for the state reported with a failed
     * attempt to obtain one.
     *
     * @return {@code true} when there is a connection behind this state
     * @since 0.1.0
     */
    public final boolean hasConnection() {
        return delegate != null;
    }

    /**
     * Whether the application closed (or aborted) this connection through its wrapper.
     *
     * @return {@code true} once closed; {@code true} for a state without connection
     * @since 0.1.0
     */
    public final boolean isClosedByApplication() {
        return delegate == null || (boolean) CLOSED.getVolatile(this);
    }

    /**
     * The raw SQL of the statement running now, or of the last one that ran. Set before the driver is
     * called, so while a statement waits for a lock this is that statement.
     *
     * @return the SQL as the application wrote it (literals included), {@code null} before the first statement
     * @since 0.1.0
     */
    public final String currentSql() {
        return currentSql;
    }

    /**
     * The name of the thread that ran the current (or last) statement of an explicit transaction (it may describe
     * an earlier transaction than {@link #currentSql()} when auto-commit statements ran since).
     *
     * @return the thread's name, {@code null} before the first statement of an explicit transaction
     * @since 0.1.0
     */
    public final String threadName() {
        return threadName;
    }

    /**
     * The auto-commit mode as last set or seen through the wrapper (read from the driver when the
     * connection was obtained).
     *
     * @return {@code true} in auto-commit mode
     * @since 0.1.0
     */
    public final boolean autoCommit() {
        return autoCommit;
    }

    /**
     * Whether a statement (or a commit, or a result set read) failed inside the current explicit
     * transaction with a deadlock or a serialization failure. Such a transaction must be rolled back before
     * its work is retried. Cleared when the transaction ends (commit, rollback, auto-commit switched), and by a
     * rollback to a savepoint set before the failure where the database kept the transaction usable
     * (PostgreSQL); any other rollback to a savepoint leaves it.
     *
     * @return {@code true} when the current explicit transaction is doomed
     * @since 0.1.0
     */
    public final boolean isDoomed() {
        return doomReason != null;
    }

    /**
     * When the current explicit transaction ran its first statement, in {@link System#currentTimeMillis()}
     * terms.
     *
     * @return the wall-clock start, or {@code 0} when no explicit transaction is in progress (idle, or
     *         auto-commit mode)
     * @since 0.1.0
     */
    public final long transactionStartMillis() {
        return transactionStartNanos == 0L ? 0L : transactionStartMillis;
    }

    /**
     * When the current explicit transaction ran its first statement, in {@link System#nanoTime()} terms
     * (for measuring its age).
     *
     * @return the monotonic start, or {@code 0} when no explicit transaction is in progress
     * @since 0.1.0
     */
    public final long transactionStartNanos() {
        return transactionStartNanos;
    }

    /**
     * How many statements the current transaction has run so far (in auto-commit mode: the last statement,
     * so {@code 1}, or {@code 0} before the first). May exceed the {@value #TRANSACTION_STATEMENTS} that
     * {@link #transactionStatements()} keeps.
     *
     * @return the count, never negative
     * @since 0.1.0
     */
    public final long transactionStatementCount() {
        return Math.max(0L, written - transactionFirst);
    }

    /**
     * A copy of the raw SQL of the current transaction's statements, oldest first: at most the last
     * {@value #TRANSACTION_STATEMENTS}; in auto-commit mode the last statement alone.
     *
     * <p>Consistency for a reader on another thread: the copy holds statements of a single transaction, in
     * the order they ran, and none that the writer was overwriting while it was copied (the ring has twice
     * the slots it hands out; should the writer still lap the reader, the overwritten statements are dropped
     * from the front). When the transaction ended during the copy, the copy is retried a few times and then
     * given up as empty. The owning thread always gets an exact answer.
     *
     * @return a fresh array, empty when nothing is known
     * @since 0.1.0
     */
    public final String[] transactionStatements() {
        return copyTransactionStatements(false, 0L);
    }

    /**
     * Like {@link #transactionStatements()}, but only up to the statement the transaction was in at a given
     * moment: the earliest statement that had not ended by then (the one it was running, or waiting in, or
     * else the next one it began). A reader on another thread uses this to tell the statement a transaction
     * was waiting in from the ones it ran after it was freed. Statements of auto-commit mode are not timed:
     * there the last statement is returned, as by {@link #transactionStatements()}.
     *
     * @param nanos the moment, in {@link System#nanoTime()} terms
     * @return a fresh array, oldest first, ending with the statement of that moment; empty when nothing is
     *         known
     * @since 0.1.0
     */
    public final String[] transactionStatementsUntilRunningAt(long nanos) {
        return copyTransactionStatements(true, nanos);
    }

    /**
     * When the current (or last) statement of the current explicit transaction began, in
     * {@link System#nanoTime()} terms. Exact on the owning thread.
     *
     * @return the start, or {@code 0} in auto-commit mode or before the transaction's first statement
     * @since 0.1.0
     */
    public final long statementStartNanos() {
        int[] ended = ends;
        long start = transactionStartNanos;
        if (autoCommit || ended == null || start == 0L || written - transactionFirst <= 0) {
            return 0L;
        }
        return start + ((ended[SLOTS] - 1L) << TICK_SHIFT);
    }

    /** A tick is 2^10 ns (about a microsecond). */
    private static final int TICK_SHIFT = 10;

    /** {@code nanos} in ticks since {@code startNanos}, plus one (so never {@code 0}), saturated to an int. */
    private static int ticks(long nanos, long startNanos) {
        long t = ((nanos - startNanos) >> TICK_SHIFT) + 1L;
        return t < 1L ? 1 : t > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) t;
    }

    private String[] copyTransactionStatements(boolean bounded, long atNanos) {
        String[] slots = ring;
        int[] ended = ends;
        if (autoCommit || slots == null) {
            // auto-commit: the transaction is the last statement alone
            String current = currentSql;
            return current != null && written - transactionFirst > 0 ? new String[] {current} : NONE;
        }
        for (int attempt = 0; attempt < 4; attempt++) {
            long first = transactionFirst;
            long start = transactionStartNanos;
            long end = written;
            // the moment in the ticks of this transaction (before its start: every statement ended after it)
            if (bounded && start == 0L) {
                continue; // the transaction is ending right now
            }
            long at = bounded ? ((atNanos - start) >> TICK_SHIFT) + 1L : 0L;
            long from = Math.max(first, end - TRANSACTION_STATEMENTS);
            if (end <= from) {
                return NONE;
            }
            String[] copy = new String[(int) (end - from)];
            int kept = 0;
            for (int i = 0; i < copy.length; i++) {
                int slot = (int) (from + i) & MASK;
                copy[i] = slots[slot];
                kept++;
                int endedAt = ended[slot];
                if (bounded && (endedAt == 0 || endedAt > at)) {
                    // the first statement still running at that moment: the ones after it came later
                    break;
                }
            }
            // the slots were read with plain loads, which the compiler may move below a volatile load: the
            // fence keeps them above the second read of the counter (a sequence lock's validation)
            VarHandle.loadLoadFence();
            long endAfter = written;
            if (transactionFirst != first) {
                continue;
            }
            // while the copy ran, the writer may have been filling the slot of statement endAfter (which held
            // statement endAfter - SLOTS): keep only what cannot have been overwritten
            long validFrom = Math.max(from, endAfter - SLOTS + 1);
            if (validFrom >= end) {
                return NONE;
            }
            return withoutNulls(Arrays.copyOfRange(copy, (int) Math.min(validFrom - from, kept), kept));
        }
        return NONE;
    }

    /**
     * The database's id for this session, read from the driver without a query the first time it is asked
     * for (PostgreSQL {@code PGConnection#getBackendPID()}, MariaDB {@code Connection#getThreadId()}, MySQL
     * {@code JdbcConnection#getId()}), then cached. May be called from any thread; the drivers named answer
     * from a field.
     *
     * @return the id, or {@code null} when the driver does not expose one, or reading it failed
     * @since 0.1.0
     */
    public final Long sessionId() {
        Object known = sessionId;
        if (known == UNRESOLVED) {
            Long read = delegate == null ? null : SessionIdReader.DEFAULT.read(delegate);
            known = read == null ? NO_SESSION_ID : read;
            sessionId = known;
        }
        return known == NO_SESSION_ID ? null : (Long) known;
    }

    /**
     * The database's id for this session as far as it is known without asking the driver (a connection
     * returned to its pool cannot be asked any more).
     *
     * @param mayRead whether the driver may be asked when the id was not read yet (an open connection)
     * @return the id, or {@code null} when not known
     * @since 0.1.0
     */
    public final Long knownSessionId(boolean mayRead) {
        Object known = sessionId;
        if (known == UNRESOLVED) {
            return mayRead && !isClosedByApplication() ? sessionId() : null;
        }
        return known == NO_SESSION_ID ? null : (Long) known;
    }

    /**
     * Counts one successful unit of work for the error-spike windows. Owning thread only: like the rest of this
     * state it has one writer at a time (two threads running statements on one connection at once, which JDBC
     * allows but no pool does, could lose a count).
     *
     * @since 0.2.0
     */
    public final void countCall() {
        COUNTED_CALLS.setOpaque(this, countedCalls + 1);
    }

    /**
     * Whether the spike windows take this connection's counts while it is open (see {@link #countCall()}); when not,
     * its calls must be counted in the windows directly.
     *
     * @return {@code false} when the connection could not be registered for it
     * @since 0.2.0
     */
    public final boolean countsTaken() {
        return countsTaken;
    }

    /**
     * Lets this connection count its successes in auto-commit mode itself ({@link #countCall()}) while no unit of
     * work is open anywhere, instead of reporting each to the observer: for an observer whose
     * {@link JdbcObserver#succeeded} would do exactly that. Call before the connection is handed out.
     *
     * @since 0.2.0
     */
    public final void countOwnSuccesses() {
        countsOwnSuccesses = true;
    }

    /**
     * Notes that a unit of work (a retry scope) opened on this thread; {@link #unitClosed()} when it ends.
     *
     * @since 0.2.0
     */
    public static void unitOpened() {
        UNITS.getAndAdd(UNITS_OPEN, UNITS_SLOT, 1);
    }

    /**
     * Notes that a unit of work noted by {@link #unitOpened()} ended.
     *
     * @since 0.2.0
     */
    public static void unitClosed() {
        UNITS.getAndAdd(UNITS_OPEN, UNITS_SLOT, -1);
    }

    /**
     * Units of work open on any thread now.
     *
     * @return {@code 0} when no thread is inside one
     * @since 0.2.0
     */
    public static int unitsOpen() {
        return (int) UNITS.getVolatile(UNITS_OPEN, UNITS_SLOT);
    }

    /**
     * Counts a success in auto-commit mode here when this connection counts its own and no unit of work is open.
     *
     * @return {@code false} when the observer must be told
     */
    final boolean countedOwnSuccess() {
        if (countsOwnSuccesses && (int) UNITS.getVolatile(UNITS_OPEN, UNITS_SLOT) == 0) {
            countCall();
            return true;
        }
        return false;
    }

    /**
     * Notes that the spike windows cannot take this connection's counts while it is open (the connection registry
     * had no slot for it). Call before the connection is handed out.
     *
     * @since 0.2.0
     */
    public final void countsNotTaken() {
        countsTaken = false;
    }

    /**
     * Takes the units of work counted by {@link #countCall()} since the last take, for the error-spike windows.
     * May be called from any thread, several at once: each counted unit is taken once.
     *
     * @return how many were counted since the last take, {@code 0} when none
     * @since 0.2.0
     */
    public final long takeCountedCalls() {
        long counted = (long) COUNTED_CALLS.getOpaque(this);
        for (;;) {
            long taken = takenCalls;
            if (counted <= taken) {
                return 0L;
            }
            if (TAKEN_CALLS.compareAndSet(this, taken, counted)) {
                return counted - taken;
            }
        }
    }

    /**
     * Records a statement about to run: current SQL; in an explicit transaction also thread, transaction start,
     * ring slot. No allocation (but the ring itself, once, at the first statement of the connection's first
     * explicit transaction).
     */
    final void beginStatement(String sql) {
        beginStatement(sql, null);
    }

    /**
     * Notes the row-key hash of a parameter a prepared statement was given, for the history (DESIGN section
     * 6): inside an explicit transaction only, a field check and an array store, no allocation after the first.
     *
     * @param statement the statement
     * @param index     the parameter's index (1-based)
     * @param hash      its {@link io.incidentsdk.jdbc.internal.sql.RowKeys} hash, {@code 0} for none
     */
    final void rowKey(Object statement, int index, int hash) {
        if (autoCommit || index < 1) {
            return;
        }
        TransactionHistory h = history;
        if (h == null) {
            h = obtainHistory();
        }
        h.rowKey(statement, index, hash);
    }

    /**
     * Notes an integral parameter a prepared statement was given: its row-key hash for the history, and for the
     * lock-order analysis, when it follows this transaction, the key's direction (see
     * {@link io.incidentsdk.jdbc.internal.lockorder.LockOrderTracker}). In auto-commit mode one field check.
     *
     * @param statement the statement
     * @param index     the parameter's index (1-based)
     * @param value     the value
     */
    final void integralKey(Object statement, int index, long value) {
        if (autoCommit || index < 1) {
            return;
        }
        rowKey(statement, index, io.incidentsdk.jdbc.internal.sql.RowKeys.ofLong(value));
        if (!lockOrderDecided) {
            followLockOrder();
        }
        if (lockOrderFollowing) {
            try {
                lockOrder.keyBound(statement, statement instanceof StatementState st ? st.sql() : null, index, value);
            } catch (RuntimeException e) {
                abandonLockOrder(); // an analysis aid: never a reason to fail the application's call
            }
        }
    }

    /**
     * Notes an object parameter: {@link #integralKey} for an integral one, its row-key hash otherwise.
     *
     * @param statement the statement
     * @param index     the parameter's index (1-based)
     * @param value     the value
     */
    final void objectKey(Object statement, int index, Object value) {
        if (autoCommit || index < 1) {
            return;
        }
        if (io.incidentsdk.jdbc.internal.lockorder.LockOrderTracker.integral(value)) {
            integralKey(statement, index, io.incidentsdk.jdbc.internal.lockorder.LockOrderTracker.integralValue(value));
        } else {
            rowKey(statement, index, io.incidentsdk.jdbc.internal.sql.RowKeys.ofObject(value));
        }
    }

    /** Decides, at the first bind or statement of an explicit transaction, whether the tracker follows it. */
    private void followLockOrder() {
        lockOrderDecided = true;
        io.incidentsdk.jdbc.internal.lockorder.LockOrderAnalysis analysis = dataSource.lockOrder();
        if (analysis == null) {
            return;
        }
        try {
            io.incidentsdk.jdbc.internal.lockorder.LockOrderTracker t =
                    io.incidentsdk.jdbc.internal.lockorder.LockOrderTracker.follow(analysis, lockOrder);
            if (t != null) {
                lockOrder = t;
                lockOrderFollowing = true;
            }
        } catch (RuntimeException e) {
            lockOrderFollowing = false;
        }
    }

    /** A statement of a followed transaction is about to run; a gate's restart is the only exception let out. */
    private void lockOrderStatement(String sql, Object statement) {
        try {
            lockOrder.statement(sql, statement, delegate);
        } catch (io.incidentsdk.jdbc.internal.lockorder.GateRestartException restart) {
            doom("a lock-order gate restart");
            throw ConnectionState.<RuntimeException>sneaky(restart);
        } catch (java.sql.SQLException | RuntimeException e) {
            abandonLockOrder();
        }
    }

    /**
     * Stops following the current transaction after an unexpected error of the analysis: its gates are released
     * and every key it kept is forgotten now, not at the transaction's end.
     */
    private void abandonLockOrder() {
        lockOrderFollowing = false;
        try {
            lockOrder.end(delegate, false);
        } catch (RuntimeException e) {
            // nothing more to do: the runner's unit releases what is left when it ends
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /** A prepared statement's parameters were cleared. */
    final void rowKeysCleared(Object statement) {
        TransactionHistory h = history;
        if (h != null) {
            h.rowKeysCleared(statement);
        }
    }

    /**
     * Records a statement about to run, with the prepared statement whose parameters it binds ({@code null}
     * for a plain statement).
     */
    final void beginStatement(String sql, Object statement) {
        beginStatement(sql, statement, false, false);
    }

    /**
     * {@link #beginStatement(String, Object)} for a prepared statement, whose SQL never changes: it was looked
     * at for SQL-level transaction control once, when it was prepared.
     *
     * @param sql         the statement's SQL
     * @param statement   the prepared statement
     * @param mayControl  {@link #mayControlTransaction(String) mayControlTransaction(sql)}, computed once
     */
    final void beginPrepared(String sql, Object statement, boolean mayControl) {
        beginStatement(sql, statement, true, mayControl);
    }

    /**
     * Whether a statement may begin a transaction or switch the auto-commit mode at SQL level ({@code null} never
     * does), for a prepared statement to compute once.
     *
     * @param sql the statement's SQL
     * @return {@code true} when it does
     */
    static boolean mayControlTransactionAtSqlLevel(String sql) {
        return sql != null && mayControlTransaction(sql);
    }

    private void beginStatement(String sql, Object statement, boolean controlKnown, boolean mayControl) {
        if (currentSql != sql) {
            currentSql = sql;
        }
        long index = written;
        if (autoCommit) {
            // in auto-commit mode every statement is a transaction of its own: currentSql says it all, and the
            // counters only say "one statement" (written = transactionFirst + 1), which they say from the second
            // statement on already: no write then, so a statement in auto-commit mode writes no line of the
            // connection per call (a volatile store is a fence, and a store to a connection allocated beside
            // another thread's would invalidate that thread's line)
            if (controlKnown ? mayControl && !sqlTransactionControl
                    : !sqlTransactionControl && sql != null && mayControlTransaction(sql)) {
                sqlTransactionControl = true;
            }
            if (index - transactionFirst != 1L) {
                transactionFirst = index;
                written = index + 1;
            }
            return;
        }
        long now = System.nanoTime();
        if (transactionStartNanos == 0L) {
            transactionStartMillis = System.currentTimeMillis();
            // (a clock reading of exactly 0 would read as "no transaction": take the next nanosecond)
            transactionStartNanos = now == 0L ? 1L : now;
        }
        String[] slots = ring;
        int[] ended = ends;
        if (slots == null) {
            ended = new int[SLOTS + 1];
            ends = ended;
            slots = new String[SLOTS];
            ring = slots;
        }
        // the slot of this statement holds statement index - SLOTS until now, and a reader trusts it while
        // it sees written <= index: the stores into the slot must not move above the store of written
        VarHandle.storeStoreFence();
        ended[(int) index & MASK] = 0;
        ended[SLOTS] = ticks(now, transactionStartNanos);
        slots[(int) index & MASK] = sql;
        String thread = Thread.currentThread().getName();
        if (threadName != thread) {
            threadName = thread;
        }
        historyStatementBegan(sql, now, thread, statement);
        dataSource.statementStarting(sql, this);
        written = index + 1;
        if (!lockOrderDecided) {
            followLockOrder();
        }
        if (lockOrderFollowing) {
            lockOrderStatement(sql, statement);
        }
    }

    /**
     * Records that the statement begun last has returned or thrown (explicit transactions only: one clock
     * reading). A later call for the same statement changes nothing.
     */
    final void endStatement() {
        if (!autoCommit) {
            int[] ended = ends;
            long last = written - 1;
            long start = transactionStartNanos;
            if (ended != null && start != 0L && last - transactionFirst >= 0) {
                int slot = (int) last & MASK;
                if (ended[slot] == 0) {
                    long now = System.nanoTime();
                    ended[slot] = ticks(now, start);
                    historyStatementEnded(now);
                }
            }
        }
    }

    /**
     * A cheap first look (one or two characters) at whether a statement may begin a transaction or switch
     * the auto-commit mode at SQL level; {@link #controlsTransaction(String)} decides.
     */
    private static boolean mayControlTransaction(String sql) {
        if (sql.isEmpty()) {
            return false;
        }
        char c = sql.charAt(0);
        if (c == 'S' || c == 's') {
            // SET / START, not SELECT: the second and third characters tell them apart (SELECT has the E of SET)
            int n = sql.length();
            char d = n > 1 ? (char) (sql.charAt(1) | 0x20) : ' ';
            char e = n > 2 ? (char) (sql.charAt(2) | 0x20) : ' ';
            return (d == 't' || d == 'e' && e == 't') && controlsTransaction(sql);
        }
        return (c == 'B' || c == 'b' || c <= ' ' || c == '/' || c == '-' || c == '(' || c == '{')
                && controlsTransaction(sql);
    }

    /**
     * Whether a statement begins a transaction or sets the auto-commit mode at SQL level: {@code BEGIN},
     * {@code START TRANSACTION}, {@code SET [SESSION|LOCAL|@@...] autocommit ...},
     * {@code SET AUTOCOMMIT ...} (leading blanks and comments skipped).
     *
     * @param sql the statement, not {@code null}
     * @return {@code true} when it does
     * @since 0.1.0
     */
    public static boolean controlsTransaction(String sql) {
        int i = skipBlanksAndComments(sql, 0);
        if (startsWithWord(sql, i, "BEGIN") || startsWithWord(sql, i, "START")) {
            return true;
        }
        if (!startsWithWord(sql, i, "SET")) {
            return false;
        }
        // SET ... autocommit: the word within the first few tokens (SET SESSION autocommit, SET @@autocommit)
        int end = Math.min(sql.length(), i + 64);
        String head = sql.substring(i, end).toLowerCase(java.util.Locale.ROOT);
        return head.contains("autocommit");
    }

    private static int skipBlanksAndComments(String sql, int from) {
        int i = from;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c <= ' ' || c == '(' || c == '{') {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else {
                break;
            }
        }
        return i;
    }

    private static boolean startsWithWord(String sql, int at, String word) {
        int end = at + word.length();
        if (!sql.regionMatches(true, at, word, 0, word.length())) {
            return false;
        }
        return end >= sql.length() || !Character.isLetterOrDigit(sql.charAt(end)) && sql.charAt(end) != '_';
    }

    /**
     * Whether SQL-level transaction control ran on this connection in auto-commit mode (see
     * {@link #controlsTransaction(String)}): the auto-commit mode the driver reports may then be wrong about
     * the server's transaction, so nothing is re-run on this connection.
     *
     * @return {@code true} once seen
     * @since 0.1.0
     */
    public final boolean sqlTransactionControlSeen() {
        return sqlTransactionControl;
    }

    /** A savepoint was set through the wrapper in the current transaction. */
    final void savepointSet(java.sql.Savepoint savepoint) {
        if (savepoint == null || autoCommit) {
            return;
        }
        if (savepoints == null) {
            savepoints = new java.util.IdentityHashMap<>(4);
        }
        if (savepoints.size() < 1024) {
            savepoints.put(savepoint, ++savepointsSet);
        }
    }

    /** A savepoint was released: it can no longer be rolled back to. */
    final void savepointReleased(java.sql.Savepoint savepoint) {
        if (savepoints != null && savepoint != null) {
            savepoints.remove(savepoint);
        }
    }

    /**
     * The database rolled back to a savepoint: when the savepoint was set before the failure that doomed the
     * transaction, and the database keeps the transaction usable after such a rollback, the failure's work is
     * undone and what remains may be committed exactly as without the SDK, so the doom is lifted.
     */
    final void rolledBackTo(java.sql.Savepoint savepoint) {
        if (doomReason == null || !doomLiftable || savepoints == null || savepoint == null) {
            return;
        }
        Long number = savepoints.get(savepoint);
        if (number != null && number <= doomSavepointMark) {
            doomReason = null;
        }
    }

    /** Commit, rollback or a switch of the auto-commit mode ended the transaction. */
    final void endTransaction() {
        if (lockOrderFollowing) {
            lockOrderFollowing = false;
            try {
                lockOrder.end(delegate, doomReason == null);
            } catch (RuntimeException e) {
                // an analysis aid: never a reason to fail the application's commit or rollback
            }
        }
        lockOrderDecided = false;
        historyTransactionEnded();
        transactionStartNanos = 0L;
        long end = written;
        long first = transactionFirst;
        transactionFirst = end;
        // let go of the SQL strings (a huge generated statement should not stay reachable); a reader that still
        // sees the old transactionFirst must not see a slot emptied: the stores stay below its store
        VarHandle.storeStoreFence();
        String[] slots = ring;
        if (slots != null) {
            for (long i = Math.max(first, end - SLOTS); i < end; i++) {
                slots[(int) i & MASK] = null;
            }
        }
        doomReason = null;
        unitFailureCounted = false;
        if (savepoints != null) {
            savepoints.clear();
        }
    }

    /**
     * Notes that the current explicit transaction counted as a failed unit of work in the error-spike window.
     *
     * @return {@code true} the first time in a transaction, {@code false} when it was counted already
     */
    public final boolean countUnitFailure() {
        if (unitFailureCounted) {
            return false;
        }
        unitFailureCounted = true;
        return true;
    }

    /**
     * Whether the current explicit transaction counted as a failed unit of work already.
     *
     * @return {@code true} after {@link #countUnitFailure()}, until the transaction ends
     */
    public final boolean unitFailureCounted() {
        return unitFailureCounted;
    }

    /**
     * The last few explicit transactions of this connection, kept after they ended (DESIGN section 6).
     *
     * @return the history, or {@code null} before the connection's first explicit transaction
     * @since 0.1.0
     */
    public final TransactionHistory history() {
        return history;
    }

    private void historyStatementBegan(String sql, long now, String thread, Object statement) {
        TransactionHistory h = history;
        if (h == null) {
            h = obtainHistory();
        }
        h.statementBegan(sql, now, transactionStartMillis, thread, h.rowKeysOf(statement));
    }

    /** The connection's history, made (or recycled) at its first explicit transaction. */
    private TransactionHistory obtainHistory() {
        // read the session id while the connection is open: a pool's proxy cannot be asked once returned
        sessionId();
        TransactionHistory h = TransactionHistory.obtain();
        history = h;
        return h;
    }

    /**
     * The connection was closed: its open transaction (if any) ended now, as far as its history says.
     *
     * @since 0.1.0
     */
    public final void historyClosed() {
        TransactionHistory h = history;
        if (h != null) {
            h.transactionEnded(System.nanoTime());
        }
    }

    /**
     * Takes the history away from this closed connection, for reuse by another one (forensics no longer look
     * at this connection).
     *
     * @return the history, or {@code null}
     * @since 0.1.0
     */
    public final TransactionHistory releaseHistory() {
        TransactionHistory h = history;
        history = null;
        return h;
    }

    private void historyStatementEnded(long now) {
        TransactionHistory h = history;
        if (h != null) {
            h.statementEnded(now);
        }
    }

    private void historyTransactionEnded() {
        TransactionHistory h = history;
        if (h != null && transactionStartNanos != 0L) {
            h.transactionEnded(System.nanoTime());
        }
    }

    /** The auto-commit mode was set, or read from the driver. A change ends the transaction (JDBC commits). */
    final void autoCommitSeen(boolean value) {
        if (autoCommit != value) {
            autoCommit = value;
            endTransaction();
        }
    }

    /**
     * Dooms the current explicit transaction: the database rolled it back (or will only roll it back), so
     * committing what follows would commit part of a transaction. A later {@code commit()} is refused.
     * Ignored in auto-commit mode. Cleared by a full rollback, a commit attempt or a change of the
     * auto-commit mode.
     *
     * @param reason what failed, for the exception a refused commit throws (no data in it)
     * @since 0.1.0
     */
    public final void doom(String reason) {
        doom(reason, false);
    }

    /**
     * Dooms the current explicit transaction (see {@link #doom(String)}), saying whether a rollback to a
     * savepoint set before this failure lifts the doom: {@code true} only where the database keeps the
     * transaction usable after such a rollback (the work before the savepoint, its locks included, is then
     * exactly what the application chose to keep).
     *
     * @param reason             what failed (no data in it)
     * @param liftableBySavepoint whether a rollback to an earlier savepoint lifts the doom
     * @since 0.1.0
     */
    public final void doom(String reason, boolean liftableBySavepoint) {
        if (!autoCommit) {
            doomLiftable = liftableBySavepoint;
            doomSavepointMark = savepointsSet;
            doomReason = reason == null ? "an earlier statement failed" : reason;
        }
    }

    /**
     * Why the current transaction is doomed.
     *
     * @return the reason, or {@code null} when it is not doomed
     * @since 0.1.0
     */
    public final String doomReason() {
        return doomReason;
    }

    /** Marks this connection closed; {@code true} only for the first call. */
    final boolean markClosed() {
        return CLOSED.compareAndSet(this, false, true);
    }

    private static String[] withoutNulls(String[] statements) {
        int nulls = 0;
        for (String sql : statements) {
            if (sql == null) {
                nulls++;
            }
        }
        if (nulls == 0) {
            return statements;
        }
        String[] kept = new String[statements.length - nulls];
        int next = 0;
        for (String sql : statements) {
            if (sql != null) {
                kept[next++] = sql;
            }
        }
        return kept;
    }

    @Override
    public String toString() {
        return "ConnectionState[id=" + id + ", dataSource=" + dataSource.name() + "]";
    }
}
