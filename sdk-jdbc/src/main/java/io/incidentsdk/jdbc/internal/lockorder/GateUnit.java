package io.incidentsdk.jdbc.internal.lockorder;

import java.util.Arrays;

/**
 * The gates of one {@link io.incidentsdk.jdbc.TransactionRunner} unit on one thread: the ones held by its current
 * attempt, and the ones an attempt that had to restart learned it needs (taken first, in canonical order, by the
 * next attempt). One per thread, reused by its units; active only between {@link #enter()} and {@link #exit}.
 *
 * <p>Internal: not part of the public API.
 */
public final class GateUnit {

    /** Gate restarts of one unit at most; then it runs ungated (the database's deadlock detection still works). */
    static final int MAX_RESTARTS = 32;

    private static final ThreadLocal<GateUnit> UNITS = ThreadLocal.withInitial(GateUnit::created);
    /** Every unit made, weakly: a release wakes the ones waiting for its gates. Copy on write, rarely written. */
    private static volatile java.lang.ref.WeakReference<GateUnit>[] everyUnit = newArray(0);
    private static volatile boolean avoidanceSomewhere;

    int[] held = new int[8];
    boolean[] exclusiveHeld = new boolean[8];
    int heldCount;
    LockOrderGates heldAt;
    java.sql.Connection heldOn;
    int[] learned = new int[8];
    int learnedCount;
    boolean preacquired;
    /** The stripe this unit waits for in-process; guarded by the gates' monitor. */
    int waitingFor = -1;
    /** The thread parked while {@link #waitingFor} is set; guarded by the gates' monitor. */
    Thread waiter;
    int restarts;
    boolean restartPending;
    boolean avoidance;
    boolean gated;
    private boolean active;
    final String thread = Thread.currentThread().getName();

    private GateUnit() {
    }

    private static GateUnit created() {
        GateUnit u = new GateUnit();
        synchronized (GateUnit.class) {
            java.lang.ref.WeakReference<GateUnit>[] old = everyUnit;
            int alive = 0;
            for (java.lang.ref.WeakReference<GateUnit> r : old) {
                if (r.get() != null) {
                    alive++;
                }
            }
            java.lang.ref.WeakReference<GateUnit>[] next = newArray(alive + 1);
            int i = 0;
            for (java.lang.ref.WeakReference<GateUnit> r : old) {
                if (r.get() != null) {
                    next[i++] = r;
                }
            }
            next[i] = new java.lang.ref.WeakReference<>(u);
            everyUnit = next;
        }
        return u;
    }

    @SuppressWarnings("unchecked")
    private static java.lang.ref.WeakReference<GateUnit>[] newArray(int n) {
        return (java.lang.ref.WeakReference<GateUnit>[]) new java.lang.ref.WeakReference<?>[n];
    }

    /** The units alive now (threads that ran a runner unit with avoidance somewhere). */
    static java.util.List<GateUnit> all() {
        java.lang.ref.WeakReference<GateUnit>[] refs = everyUnit;
        java.util.List<GateUnit> units = new java.util.ArrayList<>(refs.length);
        for (java.lang.ref.WeakReference<GateUnit> r : refs) {
            GateUnit u = r.get();
            if (u != null) {
                units.add(u);
            }
        }
        return units;
    }
    /** Some data source has avoidance on: runner units look for their gate unit from now on. */
    static void avoidanceConfigured() {
        avoidanceSomewhere = true;
    }

    /**
     * Begins a runner unit on this thread.
     *
     * @return the unit's gates, or {@code null} when no data source has avoidance on or a unit is active already
     *         (a nested runner joins the enclosing unit)
     */
    public static GateUnit enter() {
        if (!avoidanceSomewhere) {
            return null;
        }
        GateUnit u = UNITS.get();
        if (u.active) {
            return null;
        }
        u.active = true;
        u.learnedCount = 0;
        u.restarts = 0;
        u.preacquired = false;
        u.restartPending = false;
        u.avoidance = false;
        u.gated = false;
        return u;
    }

    /**
     * Ends the runner unit: whatever is still held is released.
     *
     * @param unit what {@link #enter()} returned, may be {@code null}
     */
    public static void exit(GateUnit unit) {
        if (unit == null) {
            return;
        }
        if (unit.heldAt != null) {
            unit.heldAt.release(unit, unit.heldOn);
        }
        unit.active = false;
    }

    /** The active unit of this thread, or {@code null}. */
    static GateUnit current() {
        if (!avoidanceSomewhere) {
            return null;
        }
        GateUnit u = UNITS.get();
        return u.active ? u : null;
    }

    /**
     * Called by the runner after a failed attempt: whether it failed because the gate asked for a restart (which
     * costs no attempt and no budget token), and prepares the next attempt.
     *
     * @param failure the attempt's failure
     * @return {@code true} to run the unit again at once
     */
    public boolean restartAfter(Throwable failure) {
        if (!(failure instanceof GateRestartException) && !restartPending) {
            return false;
        }
        restartPending = false;
        preacquired = false;
        return restarts <= MAX_RESTARTS;
    }

    /** Whether this unit ran on a data source with avoidance on (its deadlocks are gated from now on). */
    public boolean avoidanceOn() {
        return avoidance;
    }

    /** Whether an attempt of this unit took a gate. */
    public boolean gated() {
        return gated;
    }

    boolean holds(int stripe) {
        for (int i = 0; i < heldCount; i++) {
            if (held[i] == stripe) {
                return true;
            }
        }
        return false;
    }

    void hold(int stripe, boolean exclusively) {
        if (heldCount == held.length) {
            held = Arrays.copyOf(held, heldCount * 2);
            exclusiveHeld = Arrays.copyOf(exclusiveHeld, heldCount * 2);
        }
        exclusiveHeld[heldCount] = exclusively;
        held[heldCount++] = stripe;
    }

    int maxHeld() {
        int max = -1;
        for (int i = 0; i < heldCount; i++) {
            max = Math.max(max, held[i]);
        }
        return max;
    }

    /** The attempt must restart: the next one takes what this one held, and the stripe it wanted, first. */
    void learn(int stripe) {
        for (int i = 0; i < heldCount; i++) {
            add(held[i]);
        }
        add(stripe);
        restarts++;
        restartPending = true;
    }

    private void add(int stripe) {
        for (int i = 0; i < learnedCount; i++) {
            if (learned[i] == stripe) {
                return;
            }
        }
        if (learnedCount == learned.length) {
            learned = Arrays.copyOf(learned, learnedCount * 2);
        }
        learned[learnedCount++] = stripe;
    }
}
