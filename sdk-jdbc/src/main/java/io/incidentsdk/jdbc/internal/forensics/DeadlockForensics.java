package io.incidentsdk.jdbc.internal.forensics;

import io.incidentsdk.RetryInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.internal.RateLimitedLogger;
import io.incidentsdk.jdbc.DatabaseVendor;
import io.incidentsdk.jdbc.SanitizedSql;
import io.incidentsdk.jdbc.SqlSanitizer;
import io.incidentsdk.jdbc.internal.sql.RowKeys;
import io.incidentsdk.jdbc.internal.wrap.ConnectionState;
import io.incidentsdk.jdbc.internal.wrap.DataSourceContext;
import io.incidentsdk.jdbc.internal.wrap.TransactionHistory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Names the other transactions of a deadlock (DESIGN section 6) from the connections' histories: which
 * transaction of connection X held its locks when the victim's statement began waiting, and which of its
 * statements was the one in the cycle, even after that transaction committed and its connection moved on.
 * Who the participants are comes from the database where it says so: the backend PIDs of PostgreSQL's
 * error detail (every one of an N-way cycle), the thread ids of every transaction section of the latest
 * InnoDB deadlock report (read on a separate connection and a daemon thread, once per new cycle, and
 * matched by the victim's connection id and the time, not by the {@code WE ROLL BACK} line); elsewhere (H2,
 * MariaDB without {@code PROCESS}) the history of the data source's connections, and the record says how
 * sure that is.
 *
 * <p>Internal: not part of the public API.
 */
public final class DeadlockForensics {

    /** How sure a participant's naming is. */
    public enum Certainty {
        /** The database named its session, matched to our connection. */
        EXACT("exact by database id"),
        /**
         * The database named the rows of the cycle (H2's details), matched to the rows a transaction of the
         * history changed and waited for (by hashes of their keys).
         */
        ROWS("by the rows the database named"),
        /** The only transaction of the data source whose history fits the victim's wait. */
        HISTORY("by history"),
        /** The best of several transactions whose history fits. */
        GUESS("guess");

        private final String words;

        Certainty(String words) {
            this.words = words;
        }

        /** How a record says it. */
        public String words() {
            return words;
        }
    }

    /**
     * Another transaction of a deadlock.
     *
     * @param sql                   its statement of the cycle; {@code null} when not known
     * @param thread                the thread that ran it
     * @param connectionId          our id of its connection ({@code c17}); {@code null} outside this process
     * @param backendId             the database's id of its session
     * @param transactionAgeMillis  its transaction's age when the victim failed
     * @param transactionStatements fingerprints of its statements before the one of the cycle, in order
     * @param transactionSql        the sanitized SQL of the same statements
     * @param certainty             how sure the naming is
     * @param ended                 whether its transaction had ended (committed) before we looked
     * @param rawSql                its statement of the cycle as the application ran it (never in a record: to
     *                              ask for its call site), or {@code null}
     */
    public record Participant(SanitizedSql sql, String thread, String connectionId, String backendId,
                              Long transactionAgeMillis, List<String> transactionStatements,
                              List<String> transactionSql, Certainty certainty, boolean ended, String rawSql) {

        /** Whether this participant's statement is known. */
        public boolean named() {
            return sql != null;
        }
    }

    /**
     * What forensics found about one deadlock.
     *
     * @param others               the other participants (named or, when the database named a session that is
     *                             not ours, with its id only)
     * @param databaseParticipants how many transactions the database named in the cycle, the victim included;
     *                             {@code 0} when the database names none
     * @param note                 why something could not be named, or {@code null}
     * @param table                the table the database names, or {@code null}
     * @param gapLocks             the database reported gap or insert-intention locks
     * @param sharedLocks          the database reported shared record locks
     */
    public record Naming(List<Participant> others, int databaseParticipants, String note, String table,
                         boolean gapLocks, boolean sharedLocks) {

        /** Nothing named, with a reason. */
        public static Naming none(String note) {
            return new Naming(List.of(), 0, note, null, false, false);
        }
    }

    /**
     * What the victim's failure says, taken on its own thread.
     *
     * @param error                 the victim's exception
     * @param connection            the victim's connection
     * @param vendor                the database
     * @param statementStartNanos   when the victim's failing statement began; {@code 0} in auto-commit mode
     * @param failedAtNanos         when the failure reached the watch
     * @param failedAtMillis        the same on the wall clock
     * @param sessionId             the victim's database session id, or {@code null}
     * @param transactionStatements raw SQL of the victim's transaction, ending with the failing statement
     * @param histories             the transactions of the data source's connections open during the victim's
     *                              wait, copied as soon as the failure was seen ({@link #snapshot}), or
     *                              {@code null} to copy them when naming
     */
    public record Victim(java.sql.SQLException error, ConnectionState connection, DatabaseVendor vendor,
                         long statementStartNanos, long failedAtNanos, long failedAtMillis, Long sessionId,
                         String[] transactionStatements,
                         Map<ConnectionState, List<TransactionHistory.Transaction>> histories) {
    }

    /**
     * Copies, from the histories of the victim's data source's connections (the victim's own included), every
     * transaction open during the victim's wait. Called as soon as a deadlock is seen: on an in-memory database
     * a busy connection runs a transaction in tens of microseconds and a history keeps only the last few.
     *
     * @param victim              the victim's connection
     * @param statementStartNanos when its failing statement began ({@code 0}: not known)
     * @param failedAtNanos       when the failure reached the watch
     * @return the copies per connection, oldest first
     */
    public static Map<ConnectionState, List<TransactionHistory.Transaction>> snapshot(ConnectionState victim,
                                                                                     long statementStartNanos,
                                                                                     long failedAtNanos) {
        long from = statementStartNanos != 0L ? statementStartNanos : failedAtNanos;
        Map<ConnectionState, List<TransactionHistory.Transaction>> open = new LinkedHashMap<>();
        TransactionHistory own = victim.history();
        TransactionHistory.Transaction victimTx = own == null ? null : own.latest();
        if (victimTx != null && victimTx.endNanos() == 0L) {
            open.put(victim, List.of(victimTx));
        }
        for (ConnectionState state : ConnectionRegistry.GLOBAL.withHistory(victim.dataSource(), victim)) {
            TransactionHistory history = state.history();
            List<TransactionHistory.Transaction> txs = history == null ? List.of()
                    : history.transactionsOpenBetween(from, failedAtNanos);
            if (!txs.isEmpty()) {
                open.put(state, txs);
            }
        }
        return open;
    }

    /** Records the incident once the participants are known (for MariaDB/MySQL, on the forensics thread). */
    @FunctionalInterface
    public interface Recorder {
        /**
         * Records.
         *
         * @param naming   what was found
         * @param retry    the retry outcome, or {@code null}
         * @param severity the severity, or {@code null}
         */
        void record(Naming naming, RetryInfo retry, Severity severity);
    }

    private static final ThreadPoolExecutor EXECUTOR = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(64), r -> {
                Thread t = new Thread(r, "incident-sdk-forensics");
                t.setDaemon(true);
                return t;
            });

    static {
        EXECUTOR.allowCoreThreadTimeOut(true);
    }

    /** At most one InnoDB status read per this many nanoseconds, whatever the cycles (a storm of new ones). */
    private static final long MIN_READ_GAP_NANOS = 20_000_000L;
    private static final int MAX_CYCLES = 256;
    private static final int MAX_GUESSES = 4;

    private final SqlSanitizer sanitizer;
    private final DataSource target;
    private final Duration perCycleInterval;
    private final RateLimitedLogger warnings;
    private final AtomicLong nextRead = new AtomicLong(Long.MIN_VALUE);
    /** Set once reading the report failed for want of the PROCESS privilege. */
    private volatile boolean noProcessPrivilege;
    private static final String NO_PROCESS = "SHOW ENGINE INNODB STATUS needs the PROCESS privilege, which this "
            + "account lacks (GRANT PROCESS ON *.* TO the application user to let the SDK name the other "
            + "transactions exactly); named from the connections' history";
    private final Map<String, Long> nextReadByCycle = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_CYCLES;
        }
    };

    /**
     * Creates the forensics of one watch.
     *
     * @param sanitizer        for the statements named
     * @param target           the watched data source, used unwatched to read the InnoDB status
     * @param perCycleInterval how often the InnoDB status may be read for one cycle
     * @param warnings         where problems of our own go
     */
    public DeadlockForensics(SqlSanitizer sanitizer, DataSource target, Duration perCycleInterval,
                             RateLimitedLogger warnings) {
        this.sanitizer = sanitizer;
        this.target = target;
        this.perCycleInterval = perCycleInterval;
        this.warnings = warnings;
    }

    /**
     * Names the participants now, on the victim's thread: PostgreSQL's PIDs, otherwise the history.
     *
     * @param v the victim
     * @return what was found
     */
    public Naming nameNow(Victim v) {
        if (v.vendor() == DatabaseVendor.POSTGRESQL || v.vendor() == DatabaseVendor.COCKROACHDB) {
            Set<Long> pids = DeadlockReports.postgresProcesses(v.error());
            if (!pids.isEmpty()) {
                return namePostgres(v, pids);
            }
        }
        if (v.vendor() == DatabaseVendor.H2) {
            List<DeadlockReports.H2Wait> waits = DeadlockReports.h2Waits(v.error());
            Naming byRows = waits.isEmpty() ? null : byH2Rows(v, waits);
            if (byRows != null) {
                return byRows;
            }
        }
        return byHistory(v, null);
    }

    /**
     * H2 names the transactions of the cycle by its own ids, and for each the row (key) it waited for and the
     * one whose change it waited on. H2 ids are not known to us, but the rows are: each other transaction is
     * the one of the data source's history that waited in a statement for the row it waited for, having
     * changed before, in the same transaction, the row another one waited on. H2 wakes every waiter when a lock
     * is released and the first to retry wins, so the other side may have begun after the victim's statement
     * began waiting (the victim found the cycle on a later retry): every transaction open in the victim's wait
     * is looked at, not only the first of each connection.
     */
    Naming byH2Rows(Victim v, List<DeadlockReports.H2Wait> waits) {
        long victimId = waits.get(0).waiter();
        java.util.LinkedHashSet<Long> othersIds = new java.util.LinkedHashSet<>();
        for (DeadlockReports.H2Wait w : waits.subList(1, waits.size())) {
            if (w.waiter() != victimId) {
                othersIds.add(w.waiter());
            }
            if (w.holder() != victimId) {
                othersIds.add(w.holder());
            }
        }
        if (othersIds.isEmpty()) {
            return null;
        }
        long from = waitStart(v);
        long to = v.failedAtNanos();
        ConnectionState victim = v.connection();
        Map<ConnectionState, List<TransactionHistory.Transaction>> histories = v.histories() != null ? v.histories()
                : snapshot(victim, v.statementStartNanos(), v.failedAtNanos());
        List<Participant> others = new ArrayList<>(othersIds.size());
        int unmatched = 0;
        for (long id : othersIds) {
            int waitedFor = 0;
            int changed = 0;
            for (DeadlockReports.H2Wait w : waits.subList(1, waits.size())) {
                if (w.waiter() == id) {
                    waitedFor = w.keyHash();
                }
                if (w.holder() == id) {
                    changed = w.keyHash();
                }
            }
            Participant found = waitedFor == 0 && changed == 0 ? null
                    : byRows(v, histories, to, waitedFor, changed, others);
            if (found == null) {
                unmatched++;
            } else {
                others.add(found);
            }
        }
        if (others.isEmpty()) {
            return null;
        }
        String note = unmatched == 0 ? null : unmatched + " of the transactions H2 named in the cycle "
                + (unmatched == 1 ? "is" : "are") + " not a transaction of this data source's history with those "
                + "rows (another process, or a row key that is not a bind value or literal)";
        return new Naming(List.copyOf(others), othersIds.size() + 1, note, null, false, false);
    }

    /**
     * The transaction of the history that waited in a statement for the row {@code waitedFor} after changing
     * the row {@code changed} (hashes; {@code 0} for unknown), not one already named.
     */
    private Participant byRows(Victim v, Map<ConnectionState, List<TransactionHistory.Transaction>> histories,
                               long to, int waitedFor, int changed, List<Participant> already) {
        for (Map.Entry<ConnectionState, List<TransactionHistory.Transaction>> entry : histories.entrySet()) {
            ConnectionState state = entry.getKey();
            if (state == v.connection()) {
                continue;
            }
            for (TransactionHistory.Transaction tx : entry.getValue()) {
                String[] statements = tx.statements();
                // the first statement that waited for that row: a later one with the same key (a ledger row of the
                // account, say) ran only once the victim's rollback had freed it
                for (int i = 0; i < statements.length; i++) {
                    if (tx.begins()[i] - to >= 0) {
                        break;
                    }
                    boolean waits = waitedFor == 0 || contains(RowKeys.keysOf(statements[i], tx.rowKeysOf(i)), waitedFor);
                    if (!waits) {
                        continue;
                    }
                    boolean held = changed == 0;
                    for (int j = 0; j < i && !held; j++) {
                        held = contains(RowKeys.keysOf(statements[j], tx.rowKeysOf(j)), changed);
                    }
                    if (!held || (waitedFor == 0 && changed == 0)) {
                        continue;
                    }
                    Participant p = participant(state, tx, i, v, Certainty.ROWS);
                    boolean known = false;
                    for (Participant a : already) {
                        known |= p.connectionId().equals(a.connectionId()) && p.thread().equals(a.thread());
                    }
                    if (!known) {
                        return p;
                    }
                }
            }
        }
        return null;
    }

    private static boolean contains(int[] keys, int key) {
        for (int k : keys) {
            if (k == key) {
                return true;
            }
        }
        return false;
    }

    private Naming namePostgres(Victim v, Set<Long> pids) {
        Long self = v.sessionId();
        List<Participant> others = new ArrayList<>(pids.size());
        int unmatched = 0;
        for (Long pid : pids) {
            if (self != null && pid.longValue() == self.longValue()) {
                continue;
            }
            Participant p = byDatabaseId(v, pid, null, v.histories());
            if (p == null) {
                unmatched++;
                p = new Participant(null, null, null, pid.toString(), null, List.of(), List.of(), Certainty.EXACT, false,
                        null);
            }
            others.add(p);
        }
        String note = unmatched == 0 ? null : unmatched + " of the sessions PostgreSQL named in the cycle "
                + (unmatched == 1 ? "is" : "are") + " not a connection of this process with a known transaction "
                + "(another process, or a transaction outside the history)";
        return new Naming(others, pids.size(), note, DeadlockReports.postgresRelation(v.error()), false, false);
    }

    /** The participant on the connection(s) with this database session id, from their histories. */
    private Participant byDatabaseId(Victim v, long sessionId, String reportedSql,
                                     Map<ConnectionState, List<TransactionHistory.Transaction>> histories) {
        Pick pick = pickByDatabaseId(v, sessionId, reportedSql, null, histories);
        return pick == null ? null : participant(pick.state(), pick.tx(), pick.index(), v, Certainty.EXACT);
    }

    /** A transaction of a connection's history and its statement of the cycle. */
    private record Pick(ConnectionState state, TransactionHistory.Transaction tx, int index) {
    }

    /**
     * The transaction of the connection with this session id that was in the cycle, and its statement of the
     * cycle: of the statement shape the database reported and, when the database named the row it waited for
     * ({@code waitingKeys}, hashes), the one that waited for that row.
     */
    private Pick pickByDatabaseId(Victim v, long sessionId, String reportedSql, int[] waitingKeys,
                                  Map<ConnectionState, List<TransactionHistory.Transaction>> histories) {
        long from = waitStart(v);
        long to = v.failedAtNanos();
        for (ConnectionState state : ConnectionRegistry.GLOBAL.allBySessionId(sessionId, v.connection().dataSource())) {
            if (state == v.connection()) {
                continue;
            }
            List<TransactionHistory.Transaction> txs = histories != null ? histories.get(state) : null;
            if (txs == null) {
                TransactionHistory history = state.history();
                txs = history == null ? List.of() : history.transactionsOpenBetween(from, to);
            }
            // a busy connection may have run several transactions during the victim's wait (a pool lends it to the
            // next borrower as soon as the other side commits): the one of the cycle is first the one whose rows
            // fit (it waited for a row the victim had changed, after changing the row the victim waited for),
            // then the one whose statement of the cycle overlapped the wait the most
            Node victimNode = victimNode(v, histories);
            TransactionHistory.Transaction best = null;
            int bestIndex = -1;
            int bestRows = -1;
            long bestOverlap = Long.MIN_VALUE;
            for (TransactionHistory.Transaction tx : txs) {
                int index = waitingKeys == null || waitingKeys.length == 0 ? -1
                        : statementOfRow(tx, to, reportedSql, waitingKeys);
                boolean rowNamed = index >= 0;
                if (index < 0) {
                    index = statementOfCycle(tx, from, to, reportedSql, victimWaitedFirst(v));
                }
                if (index < 0) {
                    continue;
                }
                int rows = (rowNamed ? 3 : 0) + (victimNode == null ? 0 : rowsFit(tx, index, victimNode));
                long begin = Math.max(from, tx.begins()[index]);
                long end = tx.ends()[index] == 0L ? to : Math.min(to, tx.ends()[index]);
                if (rows > bestRows || (rows == bestRows && end - begin > bestOverlap)) {
                    best = tx;
                    bestIndex = index;
                    bestRows = rows;
                    bestOverlap = end - begin;
                }
            }
            if (best != null) {
                return new Pick(state, best, bestIndex);
            }
        }
        return null;
    }

    /**
     * The window of the victim's wait: from its statement's start (or, in auto-commit mode, where it is not
     * timed, its failure) to its failure.
     */
    private static long waitStart(Victim v) {
        return v.statementStartNanos() != 0L ? v.statementStartNanos() : v.failedAtNanos();
    }

    /** The participant of one connection's transaction (copied from its history, now or at the failure). */
    Participant fromTransaction(ConnectionState state, TransactionHistory.Transaction tx, Victim v,
                                String reportedSql, Certainty certainty) {
        if (tx == null) {
            return null;
        }
        long from = waitStart(v);
        long to = v.failedAtNanos();
        int index = statementOfCycle(tx, from, to, reportedSql, victimWaitedFirst(v));
        if (index < 0) {
            return null;
        }
        return participant(state, tx, index, v, certainty);
    }

    /** The participant of one connection's transaction whose statement of the cycle is {@code index}. */
    private Participant participant(ConnectionState state, TransactionHistory.Transaction tx, int index, Victim v,
                                    Certainty certainty) {
        long to = v.failedAtNanos();
        List<String> earlier = new ArrayList<>(index);
        List<String> earlierSql = new ArrayList<>(index);
        for (int i = 0; i < index; i++) {
            SanitizedSql sanitized = sanitizer.sanitize(tx.statements()[i]);
            earlier.add(sanitized.fingerprint());
            earlierSql.add(sanitized.sql());
        }
        Long session = state.knownSessionId(false);
        return new Participant(sanitizer.sanitize(tx.statements()[index]), tx.thread(), "c" + state.id(),
                session == null ? null : session.toString(), Math.max(0L, (to - tx.startNanos()) / 1_000_000L),
                List.copyOf(earlier), List.copyOf(earlierSql), certainty, tx.endNanos() != 0L,
                tx.statements()[index]);
    }

    /**
     * Which statement of a transaction was in the cycle: the one it was waiting in when the database found
     * the cycle. The statements after it began only once the victim's rollback freed it (often before the
     * victim's failure reaches us: that is the trap); the ones before it ended before it began.
     * <ul>
     * <li>When the database reported the statement (InnoDB), the latest one of the same shape that began
     * before the failure.</li>
     * <li>Where the victim is the transaction that waited first (PostgreSQL: the first waiter's
     * {@code deadlock_timeout} runs out first), the other one entered its wait later and waited until the
     * victim failed: the statement that overlapped the victim's wait the most (the ones after it ran only in
     * the moment between the rollback and the failure reaching us).</li>
     * <li>Otherwise (H2, InnoDB: the transaction that closes the cycle is usually the victim), the other one
     * was already waiting when the victim's statement began: the earliest statement not ended by then (or, if
     * it was between statements, the next one).</li>
     * </ul>
     *
     * @return the index, or {@code -1}
     */
    int statementOfCycle(TransactionHistory.Transaction tx, long from, long to, String reportedSql,
                         boolean victimWaitedFirst) {
        String[] statements = tx.statements();
        long[] begins = tx.begins();
        long[] ends = tx.ends();
        if (reportedSql != null) {
            String shape = sanitizer.sanitize(reportedSql).fingerprint();
            for (int i = statements.length - 1; i >= 0; i--) {
                if (begins[i] - to < 0 && sanitizer.sanitize(statements[i]).fingerprint().equals(shape)) {
                    return i;
                }
            }
        }
        int best = -1;
        long bestOverlap = Long.MIN_VALUE;
        for (int i = 0; i < statements.length; i++) {
            boolean overlaps = begins[i] - to < 0 && (ends[i] == 0L || ends[i] - from > 0);
            if (!overlaps) {
                continue;
            }
            if (!victimWaitedFirst) {
                return i;
            }
            long overlap = (ends[i] == 0L || ends[i] - to > 0 ? to : ends[i]) - (begins[i] - from < 0 ? from : begins[i]);
            if (overlap > bestOverlap) {
                best = i;
                bestOverlap = overlap;
            }
        }
        return best;
    }

    private static boolean victimWaitedFirst(Victim v) {
        return v.vendor() == DatabaseVendor.POSTGRESQL || v.vendor() == DatabaseVendor.COCKROACHDB;
    }

    /**
     * The other transaction(s) from the histories of the data source's connections, when the database names
     * nobody: the transactions open when the victim's statement began whose statement of the cycle touched a
     * table of the victim's transaction. A transaction can only block the victim with a lock it already held,
     * so one that had run statements before its statement of the cycle is preferred over one that had not.
     * One fitting transaction is named "by history"; several (a ring of three, or bystanders waiting on the same
     * rows) are all named, the most likely first, as a guess.
     */
    Naming byHistory(Victim v, String note) {
        return byHistory(v, note, openTransactions(v));
    }

    /**
     * The transactions of the data source's other connections that were open during the victim's wait,
     * copied now: a history keeps only a few transactions, and a busy connection runs more of them in the
     * milliseconds before an InnoDB report has been read.
     */
    Map<ConnectionState, TransactionHistory.Transaction> openTransactions(Victim v) {
        return first(v.histories() != null ? v.histories()
                : snapshot(v.connection(), v.statementStartNanos(), v.failedAtNanos()));
    }

    /** The first (oldest) transaction of each connection open during the wait. */
    private static Map<ConnectionState, TransactionHistory.Transaction> first(
            Map<ConnectionState, List<TransactionHistory.Transaction>> histories) {
        Map<ConnectionState, TransactionHistory.Transaction> open = new LinkedHashMap<>();
        histories.forEach((state, txs) -> open.put(state, txs.get(0)));
        return open;
    }

    Naming byHistory(Victim v, String note, Map<ConnectionState, TransactionHistory.Transaction> snapshot) {
        List<String> victimTables = tablesOf(v.transactionStatements());
        long from = waitStart(v);
        long to = v.failedAtNanos();
        Naming byRows = byRowKeys(v, note, snapshot);
        if (byRows != null) {
            return byRows;
        }
        List<Participant> fitting = new ArrayList<>(2);
        List<long[]> scores = new ArrayList<>(2);
        boolean anyHeldEarlierLocks = false;
        boolean anyWaitingAlready = false;
        for (Map.Entry<ConnectionState, TransactionHistory.Transaction> open : snapshot.entrySet()) {
            ConnectionState state = open.getKey();
            if (state == v.connection()) {
                continue;
            }
            TransactionHistory.Transaction tx = open.getValue();
            int index = statementOfCycle(tx, from, to, null, victimWaitedFirst(v));
            if (index < 0) {
                continue;
            }
            String table = tableOf(tx.statements()[index]);
            if (!victimTables.isEmpty() && (table == null || !victimTables.contains(table))) {
                continue;
            }
            Participant p = fromTransaction(state, tx, v, null, Certainty.HISTORY);
            if (p == null) {
                continue;
            }
            long end = tx.ends()[index] == 0L ? to : Math.min(to, tx.ends()[index]);
            long begin = Math.max(from, tx.begins()[index]);
            boolean heldEarlierLocks = index > 0 || tx.statementCount() > tx.statements().length;
            boolean waitingAlready = tx.begins()[index] - from < 0;
            anyHeldEarlierLocks |= heldEarlierLocks;
            anyWaitingAlready |= waitingAlready;
            fitting.add(p);
            scores.add(new long[] {heldEarlierLocks ? 1 : 0, end - begin, waitingAlready ? 1 : 0});
        }
        // H2 picks as victim the transaction that closes the cycle: the other one was already waiting when the
        // victim's statement began
        boolean mustWaitAlready = anyWaitingAlready && v.vendor() == DatabaseVendor.H2;
        for (int i = fitting.size() - 1; i >= 0; i--) {
            if ((anyHeldEarlierLocks && scores.get(i)[0] == 0) || (mustWaitAlready && scores.get(i)[2] == 0)) {
                fitting.remove(i);
                scores.remove(i);
            }
        }
        if (fitting.isEmpty()) {
            return Naming.none(note != null ? note : "no other transaction of this data source was open on a table "
                    + "of the victim's transaction when its statement began (it may run outside this process)");
        }
        if (fitting.size() == 1) {
            return new Naming(fitting, 0, note, null, false, false);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < fitting.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Long.compare(scores.get(b)[1], scores.get(a)[1]));
        List<Participant> guesses = new ArrayList<>();
        for (int i = 0; i < order.size() && guesses.size() < MAX_GUESSES; i++) {
            Participant p = fitting.get(order.get(i));
            guesses.add(new Participant(p.sql(), p.thread(), p.connectionId(), p.backendId(),
                    p.transactionAgeMillis(), p.transactionStatements(), p.transactionSql(), Certainty.GUESS, p.ended(),
                    p.rawSql()));
        }
        String why = fitting.size() + " transactions of this data source fit the victim's wait (a ring, or "
                + "transactions waiting on the same rows); all are named, the most likely first";
        return new Naming(List.copyOf(guesses), 0, note == null ? why : note + "; " + why, null, false, false);
    }

    /**
     * The latest statement of a transaction, begun before {@code to}, of the reported shape (when known) that
     * picked the row the database said it waited for.
     *
     * @return its index, or {@code -1}
     */
    private int statementOfRow(TransactionHistory.Transaction tx, long to, String reportedSql, int[] waitingKeys) {
        String shape = reportedSql == null ? null : sanitizer.sanitize(reportedSql).fingerprint();
        String[] statements = tx.statements();
        for (int i = statements.length - 1; i >= 0; i--) {
            if (tx.begins()[i] - to >= 0) {
                continue;
            }
            if ((shape == null || sanitizer.sanitize(statements[i]).fingerprint().equals(shape))
                    && Node.overlap(RowKeys.keysOf(statements[i], tx.rowKeysOf(i)), waitingKeys)) {
                return i;
            }
        }
        return -1;
    }

    /** The victim's transaction as a node of the wait-for graph, or {@code null} when its rows are not known. */
    private Node victimNode(Victim v, Map<ConnectionState, List<TransactionHistory.Transaction>> histories) {
        List<TransactionHistory.Transaction> own = histories == null ? null : histories.get(v.connection());
        TransactionHistory.Transaction tx = own == null || own.isEmpty() ? null : own.get(0);
        if (tx == null || tx.statements().length == 0) {
            return null;
        }
        Node node = node(v.connection(), tx, tx.statements().length - 1);
        return node.waitKeys().length == 0 ? null : node;
    }

    /**
     * How well a transaction's rows fit the other side of the victim: 2 when its statement of the cycle waited
     * for a row the victim had changed and it had changed the row the victim waited for, 1 for one of the two,
     * 0 for neither (or rows not known).
     */
    private static int rowsFit(TransactionHistory.Transaction tx, int index, Node victim) {
        int[] waitKeys = RowKeys.keysOf(tx.statements()[index], tx.rowKeysOf(index));
        boolean waitsForVictim = false;
        for (int[] held : victim.heldKeys()) {
            waitsForVictim |= Node.overlap(waitKeys, held);
        }
        boolean holdsVictimsRow = false;
        for (int j = 0; j < index && !holdsVictimsRow; j++) {
            holdsVictimsRow = Node.overlap(victim.waitKeys(), RowKeys.keysOf(tx.statements()[j], tx.rowKeysOf(j)));
        }
        return (waitsForVictim ? 1 : 0) + (holdsVictimsRow ? 1 : 0);
    }

    /** One transaction of the wait-for graph: the statement it waited in, and the rows it held before it. */
    private record Node(ConnectionState state, TransactionHistory.Transaction tx, int waiting, String waitTable,
                        int[] waitKeys, String[] heldTables, int[][] heldKeys) {

        /**
         * Whether {@code this} waited for a row {@code other} held: a key of the same row in both, in a statement
         * of the same table; only where {@code other} held nothing of that table, in any of its statements (a
         * foreign key's check locks the parent row by the child's column).
         */
        boolean waitsFor(Node other) {
            boolean sameTable = false;
            for (int i = 0; i < other.heldKeys.length; i++) {
                if (waitTable != null && waitTable.equals(other.heldTables[i])) {
                    sameTable = true;
                    if (overlap(waitKeys, other.heldKeys[i])) {
                        return true;
                    }
                }
            }
            if (sameTable) {
                return false;
            }
            for (int i = 0; i < other.heldKeys.length; i++) {
                if (overlap(waitKeys, other.heldKeys[i])) {
                    return true;
                }
            }
            return false;
        }

        static boolean overlap(int[] a, int[] b) {
            for (int x : a) {
                for (int y : b) {
                    if (x == y) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /**
     * Names the other transactions from the rows they touched: the transactions of the data source whose
     * statement of the cycle waited for a row another one held before (same row key hashes of the values that
     * pick the rows, never the values), on the shortest cycle of such waits through the victim. Bystanders
     * waiting on the same rows are not on a cycle through the victim and are left out.
     *
     * <p>First among each connection's oldest transaction open during the wait; when that shows no cycle, among
     * every transaction of the wait: the clocks of the application's threads are not the database's, and a
     * transaction whose first statement was timed after the victim's may still have reached the database
     * first. Which of a transaction's statements waited is taken from the rows, not from the timing.
     *
     * @return the naming, or {@code null} when the row keys do not show a cycle (values of types not hashed,
     *         keys overwritten, a statement that picks no rows by key): the caller falls back to timing
     */
    Naming byRowKeys(Victim v, String note, Map<ConnectionState, TransactionHistory.Transaction> snapshot) {
        TransactionHistory.Transaction victimTx = snapshot.get(v.connection());
        if (victimTx == null || victimTx.statements().length == 0) {
            return null;
        }
        long from = waitStart(v);
        long to = v.failedAtNanos();
        Node victim = node(v.connection(), victimTx, victimTx.statements().length - 1);
        if (victim.waitKeys().length == 0) {
            return null;
        }
        Map<ConnectionState, List<TransactionHistory.Transaction>> oldest = new LinkedHashMap<>();
        snapshot.forEach((state, tx) -> oldest.put(state, List.of(tx)));
        Naming named = pairByRowKeys(v, note, oldest, victim, from, to);
        if (named == null) {
            named = ringByRowKeys(v, note, oldest, victim, from, to);
        }
        if (named == null && v.histories() != null && !v.histories().equals(oldest)) {
            named = pairByRowKeys(v, note, v.histories(), victim, from, to);
            if (named == null) {
                named = ringByRowKeys(v, note, v.histories(), victim, from, to);
            }
        }
        return named;
    }

    /** At most this many statements are looked at as members of a ring, and rings of at most this length. */
    private static final int MAX_NODES = 192;
    private static final int MAX_RING = 6;

    /**
     * The transactions on the shortest cycle of waits for rows through the victim, each with the statement in
     * which it waited; a connection appears once in a cycle.
     *
     * @return the naming, or {@code null} when no cycle shows
     */
    private Naming ringByRowKeys(Victim v, String note,
                                 Map<ConnectionState, List<TransactionHistory.Transaction>> histories, Node victim,
                                 long from, long to) {
        List<Node> nodes = new ArrayList<>();
        nodes.add(victim);
        for (Map.Entry<ConnectionState, List<TransactionHistory.Transaction>> open : histories.entrySet()) {
            if (open.getKey() == v.connection()) {
                continue;
            }
            for (TransactionHistory.Transaction tx : open.getValue()) {
                // a statement that held nothing before it cannot be waited for: never on a cycle
                for (int i = 1; i < tx.statements().length && nodes.size() < MAX_NODES; i++) {
                    boolean during = tx.begins()[i] - to < 0 && (tx.ends()[i] == 0L || tx.ends()[i] - from > 0);
                    if (during) {
                        Node node = node(open.getKey(), tx, i);
                        if (node.waitKeys().length > 0 && hasKeys(node)) {
                            nodes.add(node);
                        }
                    }
                }
            }
        }
        int n = nodes.size();
        if (n < 2) {
            return null;
        }
        boolean[][] waits = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                waits[i][j] = i != j && nodes.get(i).state() != nodes.get(j).state()
                        && nodes.get(i).waitsFor(nodes.get(j));
            }
        }
        int[] budget = {50_000};
        for (int length = 2; length <= MAX_RING; length++) {
            Map<ConnectionState, Node> onRing = new LinkedHashMap<>();
            int[] path = new int[length];
            ringsOf(waits, nodes, path, 1, onRing, budget);
            if (!onRing.isEmpty()) {
                List<Participant> others = new ArrayList<>(onRing.size());
                for (Node node : onRing.values()) {
                    if (others.size() < MAX_GUESSES) {
                        others.add(participant(node.state(), node.tx(), node.waiting(), v, Certainty.HISTORY));
                    }
                }
                return new Naming(List.copyOf(others), 0, note, null, false, false);
            }
        }
        return null;
    }

    /**
     * Extends {@code path} (node 0, the victim, first) by waits until it has its length; a path whose last
     * node waits for the victim is a ring, and its nodes are noted (the first node seen of each connection).
     */
    private static void ringsOf(boolean[][] waits, List<Node> nodes, int[] path, int depth,
                                Map<ConnectionState, Node> onRing, int[] budget) {
        int at = path[depth - 1];
        if (depth == path.length) {
            if (waits[at][0]) {
                for (int k = 1; k < path.length; k++) {
                    onRing.putIfAbsent(nodes.get(path[k]).state(), nodes.get(path[k]));
                }
            }
            return;
        }
        for (int next = 1; next < nodes.size(); next++) {
            if (!waits[at][next] || budget[0]-- <= 0) {
                continue;
            }
            boolean sameConnection = false;
            for (int k = 1; k < depth && !sameConnection; k++) {
                sameConnection = nodes.get(path[k]).state() == nodes.get(next).state();
            }
            if (!sameConnection) {
                path[depth] = next;
                ringsOf(waits, nodes, path, depth + 1, onRing, budget);
            }
        }
    }

    /**
     * The other side of a two-way cycle, by rows alone: a transaction that, in a statement running during the
     * victim's wait, waited for a row the victim had changed, after changing the row the victim waited for.
     * Which of its statements was waiting is not taken from the timing (the database may have granted its
     * earlier statement just after the victim's began, or freed it before the victim's failure reached us).
     *
     * @return the naming when exactly one transaction fits, else {@code null}
     */
    private Naming pairByRowKeys(Victim v, String note,
                                 Map<ConnectionState, List<TransactionHistory.Transaction>> histories, Node victim,
                                 long from, long to) {
        Participant found = null;
        for (Map.Entry<ConnectionState, List<TransactionHistory.Transaction>> open : histories.entrySet()) {
            if (open.getKey() == v.connection()) {
                continue;
            }
            for (TransactionHistory.Transaction tx : open.getValue()) {
                String[] statements = tx.statements();
                for (int i = 1; i < statements.length; i++) {
                    boolean during = tx.begins()[i] - to < 0 && (tx.ends()[i] == 0L || tx.ends()[i] - from > 0);
                    if (!during) {
                        continue;
                    }
                    if (rowsFit(tx, i, victim) == 2) {
                        if (found != null) {
                            return null; // two fit: let the graph (or the timing) decide
                        }
                        found = participant(open.getKey(), tx, i, v, Certainty.HISTORY);
                        break;
                    }
                }
            }
        }
        return found == null ? null : new Naming(List.of(found), 0, note, null, false, false);
    }

    private Node node(ConnectionState state, TransactionHistory.Transaction tx, int waiting) {
        String[] statements = tx.statements();
        String[] heldTables = new String[waiting];
        int[][] heldKeys = new int[waiting][];
        for (int i = 0; i < waiting; i++) {
            heldTables[i] = tableOf(statements[i]);
            heldKeys[i] = RowKeys.keysOf(statements[i], tx.rowKeysOf(i));
        }
        return new Node(state, tx, waiting, tableOf(statements[waiting]),
                RowKeys.keysOf(statements[waiting], tx.rowKeysOf(waiting)), heldTables, heldKeys);
    }

    /** The nodes reachable from {@code start} along the waits (or, reversed, the ones that reach it). */
    private static boolean[] reach(boolean[][] waits, int start, boolean reversed) {
        int n = waits.length;
        boolean[] seen = new boolean[n];
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty()) {
            int at = queue.poll();
            for (int next = 0; next < n; next++) {
                boolean edge = reversed ? waits[next][at] : waits[at][next];
                if (edge && !seen[next]) {
                    seen[next] = true;
                    queue.add(next);
                }
            }
        }
        return seen;
    }

    // ---------------------------------------------------------------- InnoDB

    /**
     * Reads the InnoDB status for this deadlock on the forensics thread and records through
     * {@code recorder}, unless this cycle's report was read less than the interval ago (or the thread is
     * busy).
     *
     * @param v        the victim
     * @param cycle    the cycle's identity
     * @param retry    passed on to the recorder
     * @param severity passed on to the recorder
     * @param recorder records the incident
     * @return {@code false} when not scheduled: the caller names from the history and records itself
     */
    public boolean scheduleInnoDb(Victim v, String cycle, RetryInfo retry, Severity severity, Recorder recorder) {
        if (noProcessPrivilege) {
            return false;
        }
        long now = System.nanoTime();
        synchronized (nextReadByCycle) {
            Long due = nextReadByCycle.get(cycle);
            if (due != null && now - due < 0) {
                return false;
            }
            long next = nextRead.get();
            if (next != Long.MIN_VALUE && now - next < 0) {
                return false;
            }
            nextRead.set(now + MIN_READ_GAP_NANOS);
            nextReadByCycle.put(cycle, now + perCycleInterval.toNanos());
        }
        Long victimThread = DeadlockReports.mariaDbConnectionId(v.error());
        Long victimId = victimThread != null ? victimThread : v.sessionId();
        Map<ConnectionState, List<TransactionHistory.Transaction>> snapshot = v.histories() != null ? v.histories()
                : snapshot(v.connection(), v.statementStartNanos(), v.failedAtNanos());
        try {
            EXECUTOR.execute(() -> explainFromInnoDb(v, victimId, snapshot, retry, severity, recorder));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Why the InnoDB status is not read for this occurrence (the caller's note). */
    public String notReadNote() {
        if (noProcessPrivilege) {
            return NO_PROCESS;
        }
        return "the InnoDB status was read for this cycle less than " + perCycleInterval.toSeconds()
                + " s ago (rate limit); named from the connections' history";
    }

    private void explainFromInnoDb(Victim v, Long victimThread,
                                   Map<ConnectionState, List<TransactionHistory.Transaction>> snapshot, RetryInfo retry,
                                   Severity severity, Recorder recorder) {
        try {
            recorder.record(nameFromInnoDb(v, victimThread, snapshot), retry, severity);
        } catch (RuntimeException e) {
            warnings.warn("Incident SDK could not explain a deadlock from the InnoDB status", e);
            recorder.record(byHistory(v, "the InnoDB status could not be parsed", first(snapshot)), retry, severity);
        }
    }

    private Naming nameFromInnoDb(Victim v, Long victimThread,
                                  Map<ConnectionState, List<TransactionHistory.Transaction>> histories) {
        Map<ConnectionState, TransactionHistory.Transaction> snapshot = first(histories);
        String status;
        try (Connection c = target.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(5);
            try (ResultSet rs = s.executeQuery("SHOW ENGINE INNODB STATUS")) {
                status = rs.next() ? rs.getString(rs.getMetaData().getColumnCount()) : null;
            }
        } catch (SQLException e) {
            boolean privilege = e.getErrorCode() == 1227 || String.valueOf(e.getMessage()).contains("PROCESS");
            if (privilege) {
                noProcessPrivilege = true; // from now on named at once from the history, without a read
            }
            String why = privilege ? NO_PROCESS : "SHOW ENGINE INNODB STATUS could not be read (" + e.getClass().getSimpleName() + ", SQLState "
                        + e.getSQLState() + "); named from the connections' history";
            return byHistory(v, why, snapshot);
        }
        DeadlockReports.InnoDbDeadlock deadlock = DeadlockReports.parseInnoDbStatus(status);
        if (deadlock == null) {
            return byHistory(v, "the InnoDB status holds no deadlock report; named from the connections' history",
                    snapshot);
        }
        DeadlockReports.InnoDbTransaction victimTx = deadlock.byThread(victimThread);
        if (victimThread == null || victimTx == null) {
            return byHistory(v, "the latest InnoDB deadlock report does not list the victim's connection id "
                    + (victimThread == null ? "(unknown)" : victimThread) + " (another deadlock replaced it); named "
                    + "from the connections' history", snapshot);
        }
        if (!sameTime(deadlock.at(), v.failedAtMillis())) {
            return byHistory(v, "the latest InnoDB deadlock report lists the victim's connection but is dated "
                    + deadlock.at() + ", not at the failure (an earlier deadlock of the same connection); named "
                    + "from the connections' history", snapshot);
        }
        String[] own = v.transactionStatements();
        String failing = own == null || own.length == 0 ? null : own[own.length - 1];
        if (victimTx.query() != null && failing != null
                && !sanitizer.sanitize(victimTx.query()).fingerprint().equals(sanitizer.sanitize(failing).fingerprint())) {
            // the report lists the victim's connection, in the same seconds, but in another statement: an earlier
            // deadlock of that (pooled) connection, another borrower's
            return byHistory(v, "the latest InnoDB deadlock report lists the victim's connection in another "
                    + "statement (an earlier deadlock of the same connection); named from the connections' history",
                    snapshot);
        }
        Node victimNode = victimNode(v, histories);
        if (victimNode != null && victimTx.waitingKeys().length > 0
                && !Node.overlap(victimNode.waitKeys(), victimTx.waitingKeys())) {
            // the report's victim section waits for another row than the victim's statement picked
            return byHistory(v, "the latest InnoDB deadlock report lists the victim's connection waiting for another "
                    + "row (an earlier deadlock of the same connection); named from the connections' history",
                    snapshot);
        }
        List<Participant> others = new ArrayList<>(deadlock.transactions().size());
        Map<Participant, Pick> picks = new java.util.IdentityHashMap<>();
        String table = victimTx.table();
        boolean gap = false;
        boolean shared = false;
        for (DeadlockReports.InnoDbTransaction tx : deadlock.transactions()) {
            gap |= tx.gap();
            shared |= tx.shared();
            if (tx == victimTx) {
                continue;
            }
            Pick pick = tx.threadId() == null ? null
                    : pickByDatabaseId(v, tx.threadId(), tx.query(), tx.waitingKeys(), histories);
            Participant p = pick == null ? null : participant(pick.state(), pick.tx(), pick.index(), v, Certainty.EXACT);
            if (pick != null) {
                picks.put(p, pick);
            }
            if (p == null && tx.threadId() != null && ours(v, tx.threadId())) {
                // a connection of ours with no transaction of that statement during the wait: the report is not
                // this deadlock's (another borrower's, in the same seconds)
                return byHistory(v, "the latest InnoDB deadlock report names a connection of this data source that "
                        + "ran no such statement during the victim's wait (an earlier deadlock); named from the "
                        + "connections' history", snapshot);
            }
            if (p == null) {
                p = new Participant(tx.query() == null ? null : sanitizer.sanitize(tx.query()), null, null,
                        tx.threadId() == null ? null : tx.threadId().toString(), null, List.of(), List.of(),
                        Certainty.EXACT, false, null);
            }
            others.add(p);
            if (table == null) {
                table = tx.table();
            }
        }
        int reported = deadlock.transactions().size();
        List<Participant> inCycle = onCycleWithVictim(v, histories, others, picks);
        String note = null;
        if (inCycle.size() < others.size()) {
            int left = others.size() - inCycle.size();
            note = "the InnoDB report also listed " + left + " transaction" + (left == 1 ? "" : "s") + " of this "
                    + "data source whose rows show it was not in the cycle (one that only queued for a row behind "
                    + "it); left out";
            reported -= left;
        }
        return new Naming(inCycle, reported, note, table, gap, shared);
    }

    /**
     * The participants a report named that are on a cycle of waits through the victim, judged by the rows of
     * their statements (a transaction waited for another when it waited for a row the other had changed, or
     * queued for a row behind it). A participant whose rows are not known, or not known well enough to rule
     * it out, stays.
     */
    private List<Participant> onCycleWithVictim(Victim v,
                                                Map<ConnectionState, List<TransactionHistory.Transaction>> histories,
                                                List<Participant> others, Map<Participant, Pick> picks) {
        Node victim = victimNode(v, histories);
        if (victim == null || picks.isEmpty()) {
            return others;
        }
        List<Node> nodes = new ArrayList<>();
        nodes.add(victim);
        List<Participant> judged = new ArrayList<>();
        for (Participant p : others) {
            Pick pick = picks.get(p);
            if (pick != null) {
                Node node = node(pick.state(), pick.tx(), pick.index());
                if (node.waitKeys().length > 0) {
                    nodes.add(node);
                    judged.add(p);
                }
            }
        }
        int n = nodes.size();
        boolean[][] waits = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    Node a = nodes.get(i);
                    Node b = nodes.get(j);
                    boolean queuedBehind = Node.overlap(a.waitKeys(), b.waitKeys())
                            && b.tx().begins()[b.waiting()] - a.tx().begins()[a.waiting()] < 0;
                    waits[i][j] = a.waitsFor(b) || queuedBehind || !hasKeys(b);
                }
            }
        }
        boolean[] fromVictim = reach(waits, 0, false);
        boolean[] toVictim = reach(waits, 0, true);
        List<Participant> kept = new ArrayList<>(others.size());
        for (Participant p : others) {
            int at = judged.indexOf(p);
            if (at < 0 || (fromVictim[at + 1] && toVictim[at + 1])) {
                kept.add(p);
            }
        }
        return kept.isEmpty() ? others : kept;
    }

    private static boolean hasKeys(Node node) {
        for (int[] keys : node.heldKeys()) {
            if (keys.length > 0) {
                return true;
            }
        }
        return node.heldKeys().length == 0 && node.waitKeys().length > 0;
    }

    /** Whether a database session id is one of the victim's data source's connections (open or recent). */
    private static boolean ours(Victim v, long sessionId) {
        for (ConnectionState state : ConnectionRegistry.GLOBAL.allBySessionId(sessionId, v.connection().dataSource())) {
            if (state.dataSource() == v.connection().dataSource()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the report's time stamp (seconds, server local time) is the failure's: within 3 s, allowing for
     * a server time zone other than ours (offsets are whole quarter hours).
     */
    static boolean sameTime(LocalDateTime reportAt, long failedAtMillis) {
        if (reportAt == null) {
            return true; // no stamp to check: the connection id alone matched
        }
        long report = reportAt.atZone(ZoneId.systemDefault()).toInstant().getEpochSecond();
        long failure = Instant.ofEpochMilli(failedAtMillis).getEpochSecond();
        long diff = Math.abs(report - failure) % 900L;
        return diff <= 3L || 900L - diff <= 3L;
    }

    // ---------------------------------------------------------------- tables

    /** The tables the statements touch (from their summaries), in order, without repeats. */
    List<String> tablesOf(String[] statements) {
        List<String> tables = new ArrayList<>(2);
        for (String sql : statements) {
            String table = tableOf(sql);
            if (table != null && !tables.contains(table)) {
                tables.add(table);
            }
        }
        return tables;
    }

    /** The table of a statement's summary ("UPDATE accounts" gives "accounts"), or {@code null}. */
    String tableOf(String sql) {
        return sql == null ? null : CycleIdentity.tableOfSummary(sanitizer.sanitize(sql).summary());
    }
}
