package io.incidentsdk.jdbc.internal.lockorder;

import io.incidentsdk.Fingerprint;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.Severity;
import io.incidentsdk.jdbc.LockOrderAvoidance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gates of one data source's {@link io.incidentsdk.jdbc.TransactionRunner} units (opt-in avoidance, DESIGN
 * section 11). A gate is one of {@value #STRIPES} stripes, picked by a row's table and key (or by the table alone
 * for a statement that picks its rows without a single key); a unit takes the gate of each gated row before its
 * statement locks the row, and holds it until its transaction ends.
 *
 * <p>Gates follow one canonical order, their stripe number. Never a new deadlock:
 * <ul>
 *   <li><b>in order</b> (a gate above every gate the unit holds) a unit takes the gate <em>shared</em> and lets the
 *       database do the waiting on the row: waits in ascending order cannot form a cycle, and the database hands the
 *       row over without a round trip of ours;</li>
 *   <li><b>out of order</b> (below a gate it holds) it only <em>tries</em> the gate, exclusively: when any other
 *       unit holds it, the unit is refused with a {@link GateRestartException}, rolled back by the runner and run
 *       again at once;</li>
 *   <li>the new attempt first takes every gate the refused one needed, <em>exclusively and in canonical
 *       order</em>, waiting for them (it holds no gated row while it waits), then runs;</li>
 *   <li>a unit asking in order for a gate held exclusively waits for it in this process (the holder never waits
 *       for a gate below its own); any wait here lasts at most {@value #MAX_WAIT_MILLIS} ms (a cycle through a row
 *       that is not gated), then the unit restarts.</li>
 * </ul>
 * In the database ({@link LockOrderAvoidance#DATABASE}): PostgreSQL's {@code pg_advisory_xact_lock_shared},
 * {@code pg_try_advisory_xact_lock} and {@code pg_advisory_xact_lock} play these three parts (released by the
 * database at commit or rollback); MySQL and MariaDB have exclusive {@code GET_LOCK} only, so there a unit waits (with
 * a timeout) only in canonical order and tries otherwise.
 *
 * <p>Reported: when a table becomes gated, an {@code INFO} incident of kind {@code LOCK_ORDER_RISK} says which
 * rows are gated and why; the counts (gated transactions, waits, wait time, restarts) are in {@link #stats()}.
 *
 * <p>Internal: not part of the public API.
 */
public final class LockOrderGates {

    static final int STRIPES = 4096;
    static final long MAX_WAIT_MILLIS = 2_000;
    private static final long NAMESPACE = 0x1DC5_0000_0000L;

    private final LockOrderAnalysis analysis;
    private final LockOrderAvoidance mode;
    /** In-process: the unit holding each gate exclusively; guarded by this. */
    private final GateUnit[] exclusive = new GateUnit[STRIPES];
    /** In-process: how many units hold each gate shared; guarded by this. */
    private final int[] shared = new int[STRIPES];
    /** Units parked for a gate; guarded by this. */
    private int parked;
    private volatile boolean anyGated;
    /** 0 not known, 1 PostgreSQL, 2 MySQL/MariaDB, 3 another database (in-process gates). */
    private volatile int database;
    private final LongAdder gatedTransactions = new LongAdder();
    private final LongAdder waits = new LongAdder();
    private final LongAdder waitNanos = new LongAdder();
    private final LongAdder restarts = new LongAdder();
    private final AtomicLong maxWaitNanos = new AtomicLong();

    LockOrderGates(LockOrderAnalysis analysis, LockOrderAvoidance mode) {
        this.analysis = analysis;
        this.mode = mode;
        GateUnit.avoidanceConfigured();
    }

    /** Whether any table is gated (else runner units skip the gate entirely). */
    boolean active() {
        return anyGated;
    }

    /**
     * Gates the rows of a table from now on.
     *
     * @param table the table
     * @param why   what showed the conflict, for the report
     */
    void gate(LockTable table, String why) {
        if (table == null || table.gated) {
            return;
        }
        table.gated = true;
        anyGated = true;
        IncidentSdk sdk = analysis.sdk();
        if (sdk == null || sdk.isClosed()) {
            return;
        }
        sdk.record(Incident.builder(IncidentKind.LOCK_ORDER_RISK, "Lock-order gate on for rows of " + table.name)
                .fingerprint(Fingerprint.of(IncidentKind.LOCK_ORDER_RISK, analysis.dataSourceName(), "gate", table.name))
                .severity(Severity.INFO)
                .database(analysis.database())
                .summary("TransactionRunner units on data source " + analysis.dataSourceName() + " now take a gate "
                        + "per row of " + table.name + " (" + (mode == LockOrderAvoidance.DATABASE
                        ? "a database advisory lock" : "in this process") + ") before locking it, because of " + why
                        + ". Units that want the same rows wait at the gate, a wait that would close a lock cycle "
                        + "restarts the unit at once with its gates taken in canonical order, and no deadlock forms "
                        + "between them. The lock order is still a bug to fix.")
                .hint("Fix the lock order (see the LOCK_ORDER_RISK or DEADLOCK incident); the gate keeps throughput "
                        + "meanwhile")
                .attribute("gate.table", table.name)
                .attribute("gate.mode", mode.name())
                .build());
    }

    /** The stripe of a row (or of a whole table, without a key). */
    static int stripe(LockTable table, boolean hasKey, long key) {
        long h = table.id * 0x9E3779B97F4A7C15L;
        if (hasKey) {
            h ^= key * 0xC2B2AE3D27D4EB4FL;
            h ^= h >>> 31;
            h *= 0x165667B19E3779F9L;
        }
        h ^= h >>> 29;
        return (int) (h & (STRIPES - 1));
    }

    /**
     * Takes what a unit needs before one of its statements locks a gated row: first, once per attempt, every gate
     * an earlier attempt learned it needs (ascending), then the row's own.
     *
     * @param unit   the runner unit
     * @param stripe the row's gate
     * @param raw    the driver's connection (for database gates)
     * @param table  the table, for the message of a restart
     * @throws SQLException a {@link GateRestartException} when the unit must restart
     */
    void acquire(GateUnit unit, int stripe, Connection raw, LockTable table) throws SQLException {
        unit.heldAt = this;
        unit.heldOn = raw;
        unit.gated = true;
        if (!unit.preacquired) {
            unit.preacquired = true;
            if (unit.learnedCount > 0) {
                int[] order = Arrays.copyOf(unit.learned, unit.learnedCount);
                Arrays.sort(order);
                for (int s : order) {
                    one(unit, s, raw, table, Mode.EXCLUSIVE_WAIT);
                }
            }
        }
        one(unit, stripe, raw, table, stripe > unit.maxHeld() ? Mode.SHARED_WAIT : Mode.EXCLUSIVE_TRY);
    }

    /**
     * A transaction that began before its table was gated is about to lock a gated row: the gates of the rows it
     * locked before are tried first (out of order: it holds those rows already, so it may not wait for anyone).
     *
     * @param unit    the runner unit
     * @param stripes the gates of its earlier rows
     * @param n       how many
     * @param raw     the driver's connection
     * @param table   the table, for the message of a restart
     * @throws SQLException a {@link GateRestartException} when another unit holds one of them
     */
    void late(GateUnit unit, int[] stripes, int n, Connection raw, LockTable table) throws SQLException {
        unit.heldAt = this;
        unit.heldOn = raw;
        unit.gated = true;
        unit.preacquired = true; // a later restart learns these too
        for (int i = 0; i < n; i++) {
            one(unit, stripes[i], raw, table, Mode.EXCLUSIVE_TRY);
        }
    }

    /** How a gate is taken. */
    private enum Mode {
        /** In order: shared, waiting only for an exclusive holder. */
        SHARED_WAIT,
        /** Out of order: exclusive if nobody else holds it, else a restart. */
        EXCLUSIVE_TRY,
        /** A restarted unit's gates, in canonical order before it runs: exclusive, waiting for every holder. */
        EXCLUSIVE_WAIT
    }

    private void one(GateUnit unit, int stripe, Connection raw, LockTable table, Mode mode) throws SQLException {
        if (unit.holds(stripe)) {
            return;
        }
        if (unit.heldCount == 0) {
            gatedTransactions.increment();
        }
        int db = this.mode == LockOrderAvoidance.DATABASE ? database(raw) : 3;
        if (db == 1 || db == 2) {
            inDatabase(unit, stripe, raw, table, db, mode);
        } else {
            inProcess(unit, stripe, table, mode);
        }
    }

    private void inProcess(GateUnit unit, int stripe, LockTable table, Mode mode) throws SQLException {
        long start = 0L;
        for (;;) {
            long left;
            synchronized (this) {
                GateUnit owner = exclusive[stripe];
                boolean free = owner == null && (mode == Mode.SHARED_WAIT || shared[stripe] == 0);
                if (free) {
                    if (mode == Mode.SHARED_WAIT) {
                        shared[stripe]++;
                        unit.hold(stripe, false);
                    } else {
                        exclusive[stripe] = unit;
                        unit.hold(stripe, true);
                    }
                    if (unit.waitingFor >= 0) {
                        unit.waitingFor = -1;
                        parked--;
                    }
                    break;
                }
                long now = System.nanoTime();
                if (start == 0L) {
                    start = now;
                }
                left = TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS) - (now - start);
                if (mode == Mode.EXCLUSIVE_TRY || left <= 0) {
                    if (unit.waitingFor >= 0) {
                        unit.waitingFor = -1;
                        parked--;
                    }
                    throw restart(unit, stripe, table);
                }
                if (unit.waitingFor < 0) {
                    parked++;
                }
                unit.waitingFor = stripe;
                unit.waiter = Thread.currentThread();
            }
            // parked outside the monitor; a release unparks the units waiting for the gates it freed
            java.util.concurrent.locks.LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                synchronized (this) {
                    if (unit.waitingFor >= 0) {
                        unit.waitingFor = -1;
                        parked--;
                    }
                }
                Thread.currentThread().interrupt();
                return; // the application's thread is interrupted: go on without the gate
            }
        }
        if (start != 0L) {
            waited(System.nanoTime() - start);
        }
    }

    private void inDatabase(GateUnit unit, int stripe, Connection raw, LockTable table, int db, Mode mode)
            throws SQLException {
        long start = System.nanoTime();
        boolean got;
        boolean exclusiveHold = mode != Mode.SHARED_WAIT;
        try {
            if (db == 1) {
                String sql = mode == Mode.SHARED_WAIT ? "SELECT pg_advisory_xact_lock_shared(?)"
                        : mode == Mode.EXCLUSIVE_WAIT ? "SELECT pg_advisory_xact_lock(?)"
                        : "SELECT pg_try_advisory_xact_lock(?)";
                try (PreparedStatement s = raw.prepareStatement(sql)) {
                    s.setLong(1, NAMESPACE | stripe);
                    try (ResultSet r = s.executeQuery()) {
                        got = mode != Mode.EXCLUSIVE_TRY || (r.next() && r.getBoolean(1));
                    }
                }
            } else {
                // GET_LOCK is exclusive only: wait in canonical order, try out of order
                exclusiveHold = true;
                try (PreparedStatement s = raw.prepareStatement("SELECT GET_LOCK(?, ?)")) {
                    s.setString(1, "incident_sdk_gate_" + stripe);
                    s.setInt(2, mode == Mode.EXCLUSIVE_TRY ? 0 : (int) TimeUnit.MILLISECONDS.toSeconds(MAX_WAIT_MILLIS));
                    try (ResultSet r = s.executeQuery()) {
                        got = r.next() && r.getInt(1) == 1;
                    }
                }
            }
        } catch (SQLException e) {
            // the gate's own statement failed (a deadlock the database broke, a timeout): restart the unit
            throw restart(unit, stripe, table);
        }
        if (!got) {
            throw restart(unit, stripe, table);
        }
        unit.hold(stripe, exclusiveHold);
        long took = System.nanoTime() - start;
        if (took > 1_000_000L) {
            waited(took);
        }
    }

    /** Unparks the units waiting for a gate that {@code unit} freed (monitor held). */
    private void wake(GateUnit unit) {
        for (GateUnit waiting : GateUnit.all()) {
            int wants = waiting.waitingFor;
            if (wants >= 0 && waiting.waiter != null) {
                for (int i = 0; i < unit.heldCount; i++) {
                    if (unit.held[i] == wants) {
                        java.util.concurrent.locks.LockSupport.unpark(waiting.waiter);
                        break;
                    }
                }
            }
        }
    }

    private GateRestartException restart(GateUnit unit, int stripe, LockTable table) {
        unit.learn(stripe);
        restarts.increment();
        return new GateRestartException(table.name);
    }

    private void waited(long nanos) {
        waits.increment();
        waitNanos.add(nanos);
        maxWaitNanos.accumulateAndGet(nanos, Math::max);
    }

    /**
     * Releases what a unit holds: at the end of its transaction (commit or rollback).
     *
     * @param unit the unit
     * @param raw  the driver's connection (database gates on MySQL/MariaDB are released on it)
     */
    void release(GateUnit unit, Connection raw) {
        if (unit.heldCount == 0) {
            unit.heldAt = null;
            return;
        }
        int db = mode == LockOrderAvoidance.DATABASE ? database : 3;
        if (db == 2 && raw != null) {
            for (int i = 0; i < unit.heldCount; i++) {
                try (PreparedStatement s = raw.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                    s.setString(1, "incident_sdk_gate_" + unit.held[i]);
                    s.executeQuery().close();
                } catch (SQLException | RuntimeException e) {
                    break; // the session's end releases them
                }
            }
        } else if (db != 1) {
            synchronized (this) {
                for (int i = 0; i < unit.heldCount; i++) {
                    int stripe = unit.held[i];
                    if (unit.exclusiveHeld[i]) {
                        if (exclusive[stripe] == unit) {
                            exclusive[stripe] = null;
                        }
                    } else if (shared[stripe] > 0) {
                        shared[stripe]--;
                    }
                }
                if (parked > 0) {
                    wake(unit);
                }
            }
        }
        unit.heldCount = 0;
        unit.heldAt = null;
        unit.heldOn = null;
    }

    private int database(Connection raw) {
        int known = database;
        if (known != 0) {
            return known;
        }
        int kind = 3;
        try {
            String product = raw.getMetaData().getDatabaseProductName();
            String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
            kind = p.contains("postgres") ? 1 : p.contains("mysql") || p.contains("mariadb") ? 2 : 3;
        } catch (SQLException | RuntimeException e) {
            kind = 3;
        }
        database = kind;
        return kind;
    }

    /**
     * What the gates did so far.
     *
     * @return the counts
     */
    public Stats stats() {
        return new Stats(gatedTransactions.sum(), waits.sum(), TimeUnit.NANOSECONDS.toMillis(waitNanos.sum()),
                TimeUnit.NANOSECONDS.toMillis(maxWaitNanos.get()), restarts.sum());
    }

    /**
     * What the gates of one data source did.
     *
     * @param gatedTransactions transactions of runner units that took at least one gate
     * @param waits             gate acquisitions that had to wait
     * @param waitMillis        time spent waiting, in all
     * @param maxWaitMillis     the longest wait
     * @param restarts          attempts rolled back and run again because a wait would have closed a cycle
     */
    public record Stats(long gatedTransactions, long waits, long waitMillis, long maxWaitMillis, long restarts) {
    }
}
