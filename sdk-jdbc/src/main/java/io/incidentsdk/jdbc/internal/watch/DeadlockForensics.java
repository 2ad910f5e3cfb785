package io.incidentsdk.jdbc.internal.watch;

import io.incidentsdk.RetryInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.internal.RateLimitedLogger;
import io.incidentsdk.jdbc.DatabaseVendor;
import io.incidentsdk.jdbc.SanitizedSql;
import io.incidentsdk.jdbc.SqlSanitizer;
import io.incidentsdk.jdbc.internal.wrap.ConnectionState;
import io.incidentsdk.jdbc.internal.wrap.DataSourceContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Finds the other transactions of a deadlock (DESIGN section 6): by the session ids the database names
 * (PostgreSQL's error detail) matched against the watched connections of the process, by the latest
 * deadlock of {@code SHOW ENGINE INNODB STATUS} (MariaDB/MySQL, read on a separate connection on a daemon
 * thread, rate-limited), or, where the database names nobody, the one other open transaction of the data
 * source. What another connection's state says is only used while it is still the transaction of the cycle.
 */
final class DeadlockForensics {

    /** Records the incident of a failure once its other participants are known. */
    @FunctionalInterface
    interface Recorder {
        void record(JdbcWatch.Failure f, List<Participant> others, String forensicsNote, String knownTable,
                    RetryInfo retry, Severity severity);
    }

    private static final ThreadPoolExecutor EXECUTOR = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(16), r -> {
                Thread t = new Thread(r, "incident-sdk-forensics");
                t.setDaemon(true);
                return t;
            });

    static {
        EXECUTOR.allowCoreThreadTimeOut(true);
    }

    private final SqlSanitizer sanitizer;
    private final DataSource target;
    private final Duration innoDbInterval;
    private final RateLimitedLogger warnings;
    private final Recorder recorder;
    private final AtomicLong nextInnoDbRead = new AtomicLong(Long.MIN_VALUE);

    DeadlockForensics(SqlSanitizer sanitizer, DataSource target, Duration innoDbInterval, RateLimitedLogger warnings,
                      Recorder recorder) {
        this.sanitizer = sanitizer;
        this.target = target;
        this.innoDbInterval = innoDbInterval;
        this.warnings = warnings;
        this.recorder = recorder;
    }

    /** Another transaction involved in a deadlock; {@code finished} when it had ended before it could be read. */
    record Participant(SanitizedSql sql, String thread, String connectionId, String backendId,
                       Long transactionAgeMillis, List<String> transactionStatements, boolean finished) {
    }

    List<Participant> otherParticipants(JdbcWatch.Failure f) {
        ConnectionState victim = f.connection();
        DataSourceContext dataSource = victim.dataSource();
        List<ConnectionState> found = new ArrayList<>(2);
        if (f.vendor() == DatabaseVendor.POSTGRESQL || f.vendor() == DatabaseVendor.COCKROACHDB) {
            Long self = victim.sessionId();
            for (Long pid : DeadlockReports.postgresProcesses(f.error())) {
                if (self != null && pid.longValue() == self.longValue()) {
                    continue;
                }
                ConnectionState other = ConnectionRegistry.GLOBAL.bySessionId(pid, dataSource);
                if (other != null && !found.contains(other)) {
                    found.add(other);
                }
            }
        }
        List<Participant> participants = new ArrayList<>(found.size());
        for (ConnectionState other : found) {
            participants.add(participant(other, null, f));
        }
        if (found.isEmpty()) {
            return fallbackOthers(f);
        }
        return participants;
    }

    /**
     * What another connection's state says about its transaction, read consistently: when that transaction
     * had ended (or a new one had begun) by the time we look, its statements are not the ones of the cycle
     * and are left out rather than misattributed.
     */
    private Participant participant(ConnectionState state, String sqlOverride, JdbcWatch.Failure f) {
        return participant(state, sqlOverride, f, 0L);
    }

    /**
     * The same, with {@code boundNanos} not {@code 0}: the transaction as it was at that moment, named by
     * the statement it was in then (see {@link #fallbackOthers}) rather than by the one it runs now.
     */
    private Participant participant(ConnectionState state, String sqlOverride, JdbcWatch.Failure f, long boundNanos) {
        SanitizedSql override = sqlOverride == null ? null : sanitizer.sanitize(sqlOverride);
        if (state == null) {
            return new Participant(override, null, null, null, null, List.of(), false);
        }
        Long session = state.sessionId();
        String backend = session == null ? null : session.toString();
        long startNanos = state.transactionStartNanos();
        boolean bounded = boundNanos != 0L;
        String[] statements = bounded ? state.transactionStatementsUntilRunningAt(boundNanos)
                : state.transactionStatements();
        String current = !bounded ? state.currentSql()
                : statements.length == 0 ? null : statements[statements.length - 1];
        boolean sameTransaction = startNanos != 0L && startNanos == state.transactionStartNanos()
                && startNanos - f.atNanos() < 0 && (!bounded || current != null);
        if (!sameTransaction) {
            return new Participant(override, state.threadName(), "c" + state.id(), backend, null, List.of(), true);
        }
        SanitizedSql sql = override != null ? override : current == null ? null : sanitizer.sanitize(current);
        return new Participant(sql, state.threadName(), "c" + state.id(), backend,
                Math.max(0, (f.atNanos() - startNanos) / 1_000_000L), earlierFingerprints(statements,
                        statements.length > 0 && statements[statements.length - 1] == current), false);
    }

    boolean scheduleInnoDb(JdbcWatch.Failure f, RetryInfo retry, Severity severity) {
        long now = System.nanoTime();
        long next = nextInnoDbRead.get();
        if (next != Long.MIN_VALUE && now - next < 0) {
            return false;
        }
        if (!nextInnoDbRead.compareAndSet(next, now + innoDbInterval.toNanos())) {
            return false;
        }
        // read the victim's facts now, on its own thread: its connection state changes as soon as we return
        Long victimThread = DeadlockReports.mariaDbConnectionId(f.error());
        if (victimThread == null) {
            victimThread = f.sessionId();
        }
        Long victimId = victimThread;
        try {
            EXECUTOR.execute(() -> explainFromInnoDb(f, victimId, retry, severity));
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    private void explainFromInnoDb(JdbcWatch.Failure f, Long victimThread, RetryInfo retry, Severity severity) {
        try {
            String status;
            try (Connection c = target.getConnection(); Statement s = c.createStatement()) {
                s.setQueryTimeout(5);
                try (ResultSet rs = s.executeQuery("SHOW ENGINE INNODB STATUS")) {
                    status = rs.next() ? rs.getString(rs.getMetaData().getColumnCount()) : null;
                }
            } catch (SQLException e) {
                boolean privilege = e.getErrorCode() == 1227 || String.valueOf(e.getMessage()).contains("PROCESS");
                String why = privilege
                        ? "SHOW ENGINE INNODB STATUS needs the PROCESS privilege, which this account lacks "
                            + "(GRANT PROCESS ON *.* TO the application user to let the SDK name the other transaction)"
                        : "SHOW ENGINE INNODB STATUS could not be read (" + e.getClass().getSimpleName() + ", SQLState "
                            + e.getSQLState() + ")";
                recorder.record(f, fallbackOthers(f), why, null, retry, severity);
                return;
            }
            DeadlockReports.InnoDbDeadlock deadlock = DeadlockReports.parseInnoDbStatus(status);
            DeadlockReports.InnoDbTransaction victimTx = deadlock == null ? null : deadlock.victim();
            if (deadlock == null || victimTx == null || victimThread == null
                    || !victimThread.equals(victimTx.threadId())) {
                recorder.record(f, fallbackOthers(f), "the latest deadlock in the InnoDB status is not this one (another "
                        + "deadlock happened since)", null, retry, severity);
                return;
            }
            List<Participant> others = new ArrayList<>(1);
            String table = victimTx.table();
            for (DeadlockReports.InnoDbTransaction tx : deadlock.transactions()) {
                if (tx == victimTx) {
                    continue;
                }
                ConnectionState other = tx.threadId() == null ? null
                        : ConnectionRegistry.GLOBAL.bySessionId(tx.threadId(), f.connection().dataSource());
                Participant p = participant(other, tx.query(), f);
                if (other == null && tx.threadId() != null) {
                    p = new Participant(p.sql(), null, null, tx.threadId().toString(), null, List.of(), false);
                }
                others.add(p);
                if (table == null) {
                    table = tx.table();
                }
            }
            recorder.record(f, others, null, table, retry, severity);
        } catch (RuntimeException e) {
            warnings.warn("Incident SDK could not explain a deadlock from the InnoDB status", e);
            recorder.record(f, List.of(), "the InnoDB status could not be parsed", null, retry, severity);
        }
    }

    /**
     * The other transaction when the database names nobody (H2, or MariaDB without the InnoDB status): only
     * when exactly one other transaction of the data source is open can it be named, and only while it is
     * still that transaction.
     *
     * <p>Which of its statements was in the cycle: a database that rolls the victim back before raising
     * the error (H2, InnoDB) frees the other transaction at once, and it may have run its next statement
     * by the time we look. The other transaction was waiting in its statement of the cycle when the
     * database found the cycle, during the victim's statement; every statement it ran before that one had
     * ended. So its statement of the cycle is the earliest one that had not ended when the victim's
     * statement began. (When that start is not known, an auto-commit victim, the failure's moment stands
     * in for it.)
     */
    List<Participant> fallbackOthers(JdbcWatch.Failure f) {
        List<ConnectionState> open = ConnectionRegistry.GLOBAL.inTransaction(f.connection().dataSource(), f.connection(),
                f.atNanos());
        if (open.size() != 1) {
            return List.of();
        }
        long bound = f.statementStartNanos() != 0L ? f.statementStartNanos() : f.atNanos();
        Participant guess = participant(open.get(0), null, f, bound);
        return guess.finished() ? List.of() : List.of(guess);
    }

    /**
     * Fingerprints of the statements of a transaction before the current one (the ring ends with the
     * statement running now, which the record names on its own).
     */
    List<String> earlierFingerprints(String[] statements, boolean lastIsCurrent) {
        int n = statements.length;
        if (n > 0 && lastIsCurrent) {
            n--;
        }
        if (n == 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(sanitizer.sanitize(statements[i]).fingerprint());
        }
        return out;
    }
}
