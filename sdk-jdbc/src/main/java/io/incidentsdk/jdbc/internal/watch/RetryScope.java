package io.incidentsdk.jdbc.internal.watch;

import io.incidentsdk.RetryInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.jdbc.SqlFailureCategory;
import io.incidentsdk.jdbc.internal.wrap.ConnectionState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The unit of work a {@code TransactionRunner} is running on this thread. While it is open, a watched
 * connection does not record the failures the runner may retry: it hands them to the scope, and the runner
 * records them when it knows the outcome (a deadlock absorbed by a retry is a {@code WARNING}, one that
 * exhausted the retries an {@code ERROR}). A scope opened inside another one is nested: it never retries
 * (the enclosing unit does, as a whole) and hands its failures to the enclosing scope.
 */
public final class RetryScope {

    private static final ThreadLocal<RetryScope> CURRENT = new ThreadLocal<>();

    /** A failure whose incident waits for the retry outcome. */
    @FunctionalInterface
    interface Deferred {
        void record(RetryInfo retry, Severity severity);
    }

    private final RetryScope parent;
    private final Predicate<SqlFailureCategory> retried;
    private final List<Deferred> pending = new ArrayList<>(2);
    private final List<JdbcWatch> watches = new ArrayList<>(1);
    private final Object dataSource;
    /** The connection the current attempt's unit works on; {@code null} between attempts. */
    private java.sql.Connection unitConnection;
    /** Whether a unit nested in the current attempt committed on a connection of its own. */
    private boolean committedElsewhere;

    // what the unit of work did, for the error-spike windows; kept in the outermost scope (the unit)
    /** The first watch the unit ran a call through; {@code null} while none. */
    private JdbcWatch unitWatch;
    /** Further watches (a unit on several data sources), lazily made. */
    private List<JdbcWatch> moreUnitWatches;
    /** The unit's latest failure, {@code null} while none. */
    private UnitFailure lastFailure;
    /** Whether a commit (or an auto-commit statement) succeeded after {@link #lastFailure}. */
    private boolean completedSinceFailure;
    /**
     * Whether the unit runs inside a transaction that was open before it (a Spring transaction around a
     * {@code @RetryableTransaction} method): that transaction is the unit the spike windows count, not this scope.
     */
    private boolean insideEnclosingTransaction;
    /** Whether {@link #exit()} ran: the open count goes down once per scope, whatever the caller does. */
    private boolean exited;

    /** A failed call of a unit of work: what the spike window counts if the unit ends with it. */
    record UnitFailure(JdbcWatch watch, String category, String fingerprint, String label, long atMillis) {
    }

    private RetryScope(RetryScope parent, Predicate<SqlFailureCategory> retried, Object dataSource) {
        this.parent = parent;
        this.retried = retried;
        this.dataSource = dataSource;
    }

    /**
     * Opens a scope on this thread.
     *
     * @param retried which failure categories the runner retries
     * @return the scope; close it with {@link #exit()}
     */
    public static RetryScope enter(Predicate<SqlFailureCategory> retried) {
        return enter(retried, null);
    }

    /**
     * Opens a scope on this thread for a unit of work on a data source.
     *
     * @param retried    which failure categories the runner retries
     * @param dataSource the runner's data source (identity only), may be {@code null}
     * @return the scope; close it with {@link #exit()}
     */
    public static RetryScope enter(Predicate<SqlFailureCategory> retried, Object dataSource) {
        RetryScope scope = new RetryScope(CURRENT.get(), retried, dataSource);
        // scopes open on any thread (ConnectionState.unitsOpen): while none is, no thread can be inside one,
        // and the success path skips the thread-local look-up
        ConnectionState.unitOpened();
        CURRENT.set(scope);
        return scope;
    }

    /** Scopes open on any thread now (for tests). */
    static int openScopes() {
        return ConnectionState.unitsOpen();
    }

    static RetryScope current() {
        return ConnectionState.unitsOpen() == 0 ? null : CURRENT.get();
    }

    /**
     * The connection of the innermost unit of work running on this thread on the given data source, for a
     * runner called inside it: that runner joins the unit (its work becomes part of the unit's transaction)
     * instead of committing on a connection of its own, which a retry of the enclosing unit would apply twice.
     *
     * @param dataSource the inner runner's data source (identity)
     * @return the enclosing unit's connection, or {@code null} when no unit on that data source runs here
     */
    public static java.sql.Connection enclosingConnection(Object dataSource) {
        for (RetryScope scope = CURRENT.get(); scope != null; scope = scope.parent) {
            if (scope.dataSource == dataSource && scope.unitConnection != null) {
                return scope.unitConnection;
            }
        }
        return null;
    }

    /**
     * Sets the connection the current attempt's unit works on ({@code null} when the attempt ended), and
     * starts the attempt's record of nested commits afresh.
     *
     * @param connection the unit's connection, or {@code null}
     */
    public void attempt(java.sql.Connection connection) {
        this.unitConnection = connection;
        if (connection != null) {
            committedElsewhere = false;
        }
    }

    /**
     * Tells the enclosing scopes that a nested unit committed on a connection of its own: a retry of theirs
     * would apply that work again, so they must not retry.
     */
    public void committed() {
        for (RetryScope scope = parent; scope != null; scope = scope.parent) {
            scope.committedElsewhere = true;
        }
    }

    /**
     * Whether a nested unit committed on a connection of its own during the current attempt.
     *
     * @return {@code true} when the current attempt must not be retried for that reason
     */
    public boolean nestedUnitCommitted() {
        return committedElsewhere;
    }

    /**
     * Whether this scope runs inside another one (and so must not retry).
     *
     * @return {@code true} when nested
     */
    public boolean isNested() {
        return parent != null;
    }

    /**
     * Marks this (outermost) scope as running inside a transaction that was open before it: the spike windows
     * then count that transaction (at its commit or first failure), as they would without the scope, so that
     * one unit of work is not counted twice (once when the scope exits, once when the transaction commits).
     */
    public void insideEnclosingTransaction() {
        unit().insideEnclosingTransaction = true;
    }

    /**
     * The scope that counts the unit of work in the spike windows, or {@code null} when the calls are counted
     * by their transaction (see {@link #insideEnclosingTransaction()}).
     */
    RetryScope countingUnit() {
        RetryScope unit = unit();
        return unit.insideEnclosingTransaction ? null : unit;
    }

    private RetryScope unit() {
        RetryScope scope = this;
        while (scope.parent != null) {
            scope = scope.parent;
        }
        return scope;
    }

    /**
     * A call of the unit of work succeeded through a watch (success path: no allocation unless the unit uses a
     * second data source).
     *
     * @param watch     the watch
     * @param completed whether the call ended a transaction or was an auto-commit statement: work after the
     *                  unit's latest failure was committed, so a retry absorbed that failure
     */
    void succeeded(JdbcWatch watch, boolean completed) {
        RetryScope unit = unit();
        unit.touch(watch);
        if (completed) {
            unit.completedSinceFailure = true;
        }
    }

    /** A call of the unit of work failed through a watch. */
    void failed(UnitFailure failure) {
        RetryScope unit = unit();
        unit.touch(failure.watch());
        unit.lastFailure = failure;
        unit.completedSinceFailure = false;
    }

    private void touch(JdbcWatch watch) {
        if (unitWatch == watch) {
            return;
        }
        if (unitWatch == null) {
            unitWatch = watch;
        } else {
            if (moreUnitWatches == null) {
                moreUnitWatches = new ArrayList<>(2);
            }
            if (!moreUnitWatches.contains(watch)) {
                moreUnitWatches.add(watch);
            }
        }
    }

    /**
     * Counts the unit once in the spike window of each watch it ran calls through (and once in the process-wide
     * window): as failed when it ended with a
     * failure that no later commit followed (in the watch of that failure), otherwise as a success, also when a
     * retry absorbed its failures (users saw none). A unit that failed without a failed database call (an
     * exception of the application's own) counts as a success of the database.
     */
    private void countUnit() {
        UnitFailure failure = completedSinceFailure ? null : lastFailure;
        // which process-wide windows counted it already: needed only when the unit used several data sources
        java.util.Set<Object> processWideCounted = moreUnitWatches == null ? null : new java.util.HashSet<>(4);
        if (unitWatch != null) {
            unitWatch.unitEnded(failure, processWideCounted);
        }
        if (moreUnitWatches != null) {
            for (JdbcWatch watch : moreUnitWatches) {
                watch.unitEnded(failure, processWideCounted);
            }
        }
    }

    /** Whether a failure of this category is held back for the runner. */
    boolean defers(SqlFailureCategory category) {
        return parent != null ? parent.defers(category) : retried.test(category);
    }

    void defer(JdbcWatch watch, Deferred failure) {
        if (parent != null) {
            parent.defer(watch, failure);
            return;
        }
        pending.add(failure);
        if (!watches.contains(watch)) {
            watches.add(watch);
        }
    }

    /**
     * Records the held-back failures of the attempts so far with the outcome, and forgets them.
     *
     * @param outcome  how the retries ended
     * @param attempts attempts in all
     * @param reason   why there was no retry, for {@code NOT_RETRIED}
     */
    public void finish(RetryInfo.Outcome outcome, int attempts, String reason) {
        if (pending.isEmpty()) {
            return;
        }
        RetryInfo retry = new RetryInfo(attempts, outcome, reason);
        Severity severity = outcome == RetryInfo.Outcome.SUCCEEDED ? Severity.WARNING : Severity.ERROR;
        List<Deferred> failures = new ArrayList<>(pending);
        pending.clear(); // recorded at most once, even if recording throws
        for (Deferred failure : failures) {
            failure.record(retry, severity);
        }
        for (JdbcWatch watch : watches) {
            watch.retried(outcome);
        }
    }

    /**
     * Reports that the retry budget refused a retry of this unit.
     *
     * @param budgetDescription the budget, for the incident
     */
    public void budgetExhausted(String budgetDescription) {
        for (JdbcWatch watch : watches) {
            watch.recordBudgetExhausted(budgetDescription);
        }
    }

    /** Closes the scope; held-back failures not yet finished are recorded as not retried. */
    public void exit() {
        if (exited) {
            return; // exited already: a second call must not count the unit again nor change the thread's scope
        }
        try {
            if (!pending.isEmpty()) {
                finish(RetryInfo.Outcome.NOT_RETRIED, 1, "the unit of work ended without a retry decision");
            }
        } finally {
            // whatever recording did, the thread must not stay inside this scope (every later unit would count
            // as nested and never retry)
            pending.clear();
            try {
                if (parent == null) {
                    try {
                        if (!insideEnclosingTransaction) {
                            countUnit();
                        }
                    } finally {
                        // null rather than remove: the thread's map keeps its entry (no new one per unit of work),
                        // and an entry holding null keeps nothing reachable
                        CURRENT.set(null);
                    }
                } else {
                    CURRENT.set(parent);
                }
            } finally {
                if (!exited) {
                    exited = true;
                    ConnectionState.unitClosed();
                }
            }
        }
    }
}
