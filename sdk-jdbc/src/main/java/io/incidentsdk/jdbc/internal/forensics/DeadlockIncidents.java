package io.incidentsdk.jdbc.internal.forensics;

import io.incidentsdk.ErrorSpikeDetector;
import io.incidentsdk.Fingerprint;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.StatementInfo;
import io.incidentsdk.TimelineEntry;
import io.incidentsdk.internal.postmortem.DeadlockCauses;
import io.incidentsdk.jdbc.DatabaseVendor;
import io.incidentsdk.jdbc.RollbackScope;
import io.incidentsdk.jdbc.SanitizedSql;
import io.incidentsdk.jdbc.SqlSanitizer;
import io.incidentsdk.jdbc.internal.watch.JdbcWatch;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The deadlock part of a watch: the cycle's identity, naming the other participants, and what the record
 * says about them (statements, summary, hints by cause, how sure the naming is, counts per variant), and the
 * data source's calls and failures over time around and during the incident (from its spike window). The watch
 * dispatches to it.
 *
 * <p>Internal: not part of the public API.
 */
public final class DeadlockIncidents {

    private final SqlSanitizer sanitizer;
    private final DeadlockForensics forensics;
    private final String dataSourceName;
    private final CycleIdentity identity = new CycleIdentity();
    /** Cycles whose incident is being opened from an InnoDB report: completed once it is recorded. */
    private final java.util.Map<String, CompletableFuture<Void>> opening = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_PENDING = 64;
    private static final int MAX_CALL_SITES = 512;
    /** Statement fingerprint to the application code that runs it (no data: class, method, file, line). */
    private final java.util.Map<String, String> callSites = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_ABSORBED = 1024;
    /** Cycles of which a retry-absorbed occurrence was recorded. */
    private final java.util.Set<String> absorbedCycles = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The data source's spike window, whose counts per bucket a deadlock incident keeps; null when it has none. */
    private volatile ErrorSpikeDetector window;

    /**
     * Creates the deadlock part of one watch.
     *
     * @param sanitizer      for every statement that goes into a record
     * @param forensics      names the participants
     * @param dataSourceName the watched data source's name (part of the fingerprint)
     */
    public DeadlockIncidents(SqlSanitizer sanitizer, DeadlockForensics forensics, String dataSourceName) {
        this.sanitizer = sanitizer;
        this.forensics = forensics;
        this.dataSourceName = dataSourceName;
    }

    /**
     * Gives the deadlock incidents of this data source a time series of its calls and failures (units of work,
     * counted per bucket by its spike window, capped like the spike's): the window before the incident, then
     * every bucket while it is open, carried by each of its events. Without it, the records have no series.
     *
     * @param window the data source's spike window, or {@code null} when spike detection is off
     */
    public void seriesFrom(ErrorSpikeDetector window) {
        this.window = window;
    }

    /**
     * The incident fingerprint of the cycle a victim was in (see {@link CycleIdentity}), from what the victim
     * alone knows.
     *
     * @param error      the victim's exception
     * @param vendor     the database
     * @param statements raw SQL of the victim's transaction, ending with the failing statement
     * @param sql        the failing statement, sanitized (used when the transaction's statements are unknown)
     * @return the fingerprint
     */
    public String fingerprint(SQLException error, DatabaseVendor vendor, String[] statements, SanitizedSql sql) {
        int participants = vendor == DatabaseVendor.POSTGRESQL || vendor == DatabaseVendor.COCKROACHDB
                ? DeadlockReports.postgresProcesses(error).size() : 0;
        String[] shapes = statements.length > 0 ? statements : sql == null ? new String[0] : new String[] {sql.sql()};
        // a storm repeats the same statements (the same String objects of the same prepared statements): the
        // identity of a transaction seen before is found without sanitizing and hashing its statements again
        int hash = participants;
        for (String s : shapes) {
            hash = 31 * hash + System.identityHashCode(s);
        }
        int slot = (hash ^ (hash >>> 16)) & (RECENT - 1);
        KnownCycle known = recent.get(slot);
        if (known != null && known.participants == participants && known.statements.length == shapes.length) {
            boolean same = true;
            for (int i = 0; i < shapes.length && same; i++) {
                same = known.statements[i] == shapes[i];
            }
            if (same) {
                return known.fingerprint;
            }
        }
        String fingerprint = Fingerprint.of(IncidentKind.DEADLOCK, dataSourceName,
                CycleIdentity.key(sanitizer, shapes, participants));
        recent.set(slot, new KnownCycle(shapes.clone(), participants, fingerprint));
        return fingerprint;
    }

    /** A transaction's statements (compared by identity) and the identity of its cycle. */
    private record KnownCycle(String[] statements, int participants, String fingerprint) {
    }

    private static final int RECENT = 64;
    private final java.util.concurrent.atomic.AtomicReferenceArray<KnownCycle> recent =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(RECENT);

    /**
     * Names the other participants: now, on the victim's thread, from the histories; for MariaDB/MySQL from the
     * InnoDB report, read at once on the forensics thread (once per cycle and interval), the future completing
     * there.
     *
     * @param f          the failure
     * @param fromInnoDb whether to read the InnoDB report
     * @return the naming, completed unless the report is being read
     */
    public CompletableFuture<DeadlockForensics.Naming> name(JdbcWatch.Failure f, boolean fromInnoDb) {
        DeadlockForensics.Victim v = victim(f);
        if (fromInnoDb) {
            CompletableFuture<DeadlockForensics.Naming> read = new CompletableFuture<>();
            if (forensics.scheduleInnoDb(v, f.cycle(), null, null, (naming, retry, severity) -> read.complete(naming))) {
                if (opening.size() < MAX_PENDING) {
                    CompletableFuture<Void> opened = new CompletableFuture<>();
                    opened.completeOnTimeout(null, 5, TimeUnit.SECONDS);
                    if (opening.putIfAbsent(f.cycle(), opened) == null) {
                        opened.whenComplete((x, e) -> opening.remove(f.cycle(), opened));
                    }
                }
                return read;
            }
            // named now, from the histories as they are; recorded once the occurrence whose report is being read
            // has been recorded, so that the incident opens with the report's exact naming and this occurrence
            // counts in it
            DeadlockForensics.Naming now = forensics.byHistory(v, forensics.notReadNote());
            CompletableFuture<Void> opened = opening.get(f.cycle());
            return opened == null ? CompletableFuture.completedFuture(now) : opened.handle((x, e) -> now);
        }
        return CompletableFuture.completedFuture(forensics.nameNow(v));
    }

    /**
     * Remembers the application code that runs a statement (a victim's call site, or one sampled on a later run
     * of a blocker's statement), so that a record naming that statement as a blocker can name its code too. A
     * statement run from several places keeps the latest. Bounded: when full, nothing new is learned.
     *
     * @param fingerprint the statement's fingerprint
     * @param callSite    its call site
     */
    public void learnCallSite(String fingerprint, String callSite) {
        if (fingerprint != null && callSite != null
                && (callSites.size() < MAX_CALL_SITES || callSites.containsKey(fingerprint))) {
            callSites.put(fingerprint, callSite);
        }
    }

    /**
     * The cycle's fingerprint when a retry-absorbed occurrence of it was recorded before (a later absorbed
     * occurrence is then one more count), else {@code null}.
     *
     * @param cycle the cycle's fingerprint
     * @return {@code cycle} or {@code null}
     */
    public String absorbedBefore(String cycle) {
        return absorbedCycles.contains(cycle) ? cycle : null;
    }

    /**
     * Notes that a retry-absorbed occurrence of a cycle was recorded.
     *
     * @param cycle the cycle's fingerprint
     */
    public void absorbed(String cycle) {
        if (absorbedCycles.size() < MAX_ABSORBED) {
            absorbedCycles.add(cycle);
        }
    }

    /**
     * Says that an occurrence of a cycle has been recorded: occurrences that waited for it are recorded now, and the
     * cycle's incident keeps the data source's calls and failures over time from now on (see {@link #seriesFrom}).
     *
     * @param cycle the cycle's fingerprint
     */
    public void recorded(String cycle) {
        ErrorSpikeDetector w = window;
        if (w != null) {
            w.follow(cycle); // a no-op when it is followed already, or was not recorded (the bound of open incidents)
        }
        CompletableFuture<Void> opened = opening.get(cycle);
        if (opened != null) {
            opened.complete(null);
        }
    }

    /**
     * Counts a repeat that is not looked at (the cheap path of a storm) under its variant.
     *
     * @param cycle the cycle's fingerprint
     * @param sql   the victim's statement
     */
    public void countVariant(String cycle, SanitizedSql sql) {
        identity.count(cycle, variant(sql));
    }

    /**
     * The variant of a cycle an occurrence is: which statement the database failed (the sanitized statement,
     * shortened: two code paths on one table have the same summary, so the summary alone would not tell them
     * apart).
     */
    private static String variant(SanitizedSql sql) {
        if (sql == null || sql.sql() == null) {
            return "victim unknown";
        }
        String text = sql.sql().replaceAll("\\s+", " ").trim();
        return "victim " + (text.length() <= 72 ? text : text.substring(0, 71) + "\u2026");
    }

    private DeadlockForensics.Victim victim(JdbcWatch.Failure f) {
        return new DeadlockForensics.Victim(f.error(), f.connection(), f.vendor(), f.statementStartNanos(),
                f.atNanos(), f.atMillis(), f.sessionId(), f.transactionStatements(), f.histories());
    }

    /**
     * Writes what a deadlock record says beyond the victim's statement: the other participants, the summary,
     * hints by cause and the forensics attributes.
     *
     * @param b              the record
     * @param f              the failure
     * @param naming         what forensics found
     * @param dataSourceName the data source's name
     * @param repeat         whether the cycle's incident is open already (then a timeline entry carries this
     *                       occurrence)
     */
    public void describe(Incident.Builder b, JdbcWatch.Failure f, DeadlockForensics.Naming naming,
                         String dataSourceName, boolean repeat) {
        List<DeadlockForensics.Participant> others = naming.others();
        int named = 0;
        DeadlockForensics.Certainty weakest = null;
        if (f.sql() != null && f.callSite() != null) {
            learnCallSite(f.sql().fingerprint(), f.callSite());
        }
        for (DeadlockForensics.Participant p : others) {
            String callSite = p.sql() == null ? null : callSites.get(p.sql().fingerprint());
            if (callSite == null && p.rawSql() != null && f.connection().hasConnection()) {
                // sampled on the next run of that statement (one stack walk), for the next events of the cycle
                f.connection().dataSource().wantCallSite(p.rawSql());
            }
            b.statement(new StatementInfo(StatementInfo.Role.BLOCKER, p.sql() == null ? null : p.sql().fingerprint(),
                    p.sql() == null ? null : p.sql().sql(), p.thread(), p.connectionId(), p.backendId(),
                    p.transactionAgeMillis(), p.transactionStatements(), callSite, p.transactionSql()));
            if (p.named() && p.connectionId() != null) {
                named++;
                if (weakest == null || p.certainty().ordinal() > weakest.ordinal()) {
                    weakest = p.certainty();
                }
            }
        }
        int participants = naming.databaseParticipants() > 0 ? naming.databaseParticipants() : others.size() + 1;
        List<SanitizedSql> victimTx = new ArrayList<>();
        String[] raw = f.transactionStatements();
        for (String sql : raw) {
            victimTx.add(sanitizer.sanitize(sql));
        }
        if (victimTx.isEmpty() && f.sql() != null) {
            victimTx.add(f.sql());
        }
        DeadlockCauses.Cause cause = CycleIdentity.cause(f.vendor(), victimTx, raw, participants, naming);
        List<String> tables = CycleIdentity.lockOrder(cause, victimTx);
        if (tables.isEmpty() && naming.table() != null) {
            tables = List.of(naming.table());
        }
        b.hint(DeadlockCauses.hint(cause, tables, participants));
        b.hint("Keep transactions short and retry the WHOLE transaction on deadlock, never a single statement");
        b.hint("This is a lock conflict, not a slow query: tuning the statements will not fix it");
        b.attribute(DeadlockCauses.ATTRIBUTE, cause.name());
        if (naming.databaseParticipants() > 0) {
            b.attribute("deadlock.participants", Integer.toString(naming.databaseParticipants()));
        }
        b.attribute("deadlock.named", named + " of " + (participants - 1) + " other transactions");
        if (weakest != null) {
            b.attribute("deadlock.naming", weakest.words());
        }
        if (naming.note() != null) {
            b.attribute("deadlock.note", naming.note());
        }
        String variants = identity.count(f.cycle(), variant(f.sql()));
        b.attribute("deadlock.variants", variants);
        String summary = summary(f, naming, dataSourceName, weakest);
        b.summary(summary);
        ErrorSpikeDetector w = window;
        if (w != null) {
            // for the first event; the incident's later events carry the series as it grows (recorded(...))
            b.series(w.recentSeries());
        }
        if (repeat) {
            b.timeline(new TimelineEntry(Instant.ofEpochMilli(f.atMillis()), TimelineEntry.NOTE,
                    "latest occurrence: " + summary + " Occurrences by victim: " + variants + "."));
        }
    }

    private String summary(JdbcWatch.Failure f, DeadlockForensics.Naming naming, String dataSourceName,
                           DeadlockForensics.Certainty weakest) {
        StringBuilder s = new StringBuilder(400);
        String product = f.vendor() == DatabaseVendor.UNKNOWN ? "the database" : f.vendor().systemName();
        s.append("Deadlock detected by ").append(product).append(" on data source ").append(dataSourceName)
                .append(": the transaction of thread ").append(f.thread()).append(" was chosen as victim");
        if (f.sql() != null) {
            s.append(" while running ").append(f.sql().sql());
        }
        if (f.callSite() != null) {
            s.append(" (called from ").append(f.callSite()).append(')');
        }
        for (DeadlockForensics.Participant p : naming.others()) {
            s.append("; the cycle included the transaction of ")
                    .append(p.thread() != null ? "thread " + p.thread() : "database session " + p.backendId());
            if (p.sql() != null) {
                s.append(", waiting in ").append(p.sql().sql());
            }
            if (p.ended()) {
                s.append(" (it committed or rolled back right after the victim's rollback freed it)");
            }
        }
        s.append('.');
        if (weakest != null && weakest != DeadlockForensics.Certainty.EXACT) {
            s.append(" The other transaction was named ").append(weakest.words())
                    .append(" (the database did not say which session it was).");
        }
        RollbackScope scope = f.failure().rolledBack();
        if (scope == RollbackScope.TRANSACTION) {
            s.append(" The database rolled back the whole transaction.");
        } else if (scope == RollbackScope.STATEMENT) {
            s.append(" The database undid only the statement; the transaction is still open.");
        }
        if (naming.note() != null) {
            s.append(" Note: ").append(naming.note()).append('.');
        }
        return s.toString();
    }

    /**
     * Fingerprints of the statements of a transaction before the current one.
     *
     * @param statements    raw SQL, oldest first
     * @param lastIsCurrent whether the last one is the statement the record names on its own
     * @return the fingerprints
     */
    public List<String> earlierFingerprints(String[] statements, boolean lastIsCurrent) {
        return earlier(statements, lastIsCurrent, true);
    }

    /**
     * The sanitized SQL of the statements before the current one of a transaction, oldest first (matching
     * {@link #earlierFingerprints} by position).
     *
     * @param statements    raw SQL of the transaction's statements, oldest first
     * @param lastIsCurrent whether the last one is the failing statement itself
     * @return the sanitized SQL
     */
    public List<String> earlierSql(String[] statements, boolean lastIsCurrent) {
        return earlier(statements, lastIsCurrent, false);
    }

    private List<String> earlier(String[] statements, boolean lastIsCurrent, boolean fingerprints) {
        int n = statements.length;
        if (n > 0 && lastIsCurrent) {
            n--;
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SanitizedSql sanitized = sanitizer.sanitize(statements[i]);
            out.add(fingerprints ? sanitized.fingerprint() : sanitized.sql());
        }
        return out;
    }
}
