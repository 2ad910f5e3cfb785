package io.incidentsdk.jdbc.internal.lockorder;

import io.incidentsdk.DatabaseInfo;
import io.incidentsdk.Fingerprint;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.Severity;
import io.incidentsdk.TimelineEntry;
import io.incidentsdk.jdbc.LockOrderAvoidance;
import io.incidentsdk.jdbc.LockOrderRisk;
import io.incidentsdk.jdbc.SanitizedSql;
import io.incidentsdk.jdbc.SqlSanitizer;
import io.incidentsdk.jdbc.internal.sql.LockingStatement;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock-order analysis of one watched data source (DESIGN section 11): decides which explicit transactions
 * are looked at (a sampled rate; every one while a {@linkplain #forceFullSampling recording} is open), interns
 * the locking statements and tables, keeps the {@link LockOrderGraph}, and reports what it finds as
 * {@code LOCK_ORDER_RISK} incidents and to the open recordings. Owns the data source's {@link LockOrderGates}.
 *
 * <p>Bounded: at most {@value #MAX_STATEMENTS} statements, {@value #MAX_TABLES} tables and
 * {@value #MAX_RISKS} reported risks are kept; beyond, new ones are not analysed.
 *
 * <p>Thread-safe. Internal: not part of the public API.
 */
public final class LockOrderAnalysis {

    static final int MAX_STATEMENTS = 4096;
    static final int MAX_TABLES = 1024;
    static final int MAX_RISKS = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(LockOrderAnalysis.class);

    /** Recordings that are open: every analysis samples every transaction and tells them what it finds. */
    private static final CopyOnWriteArrayList<Consumer<LockOrderRisk>> LISTENERS = new CopyOnWriteArrayList<>();
    private static volatile boolean forced;

    private final IncidentSdk sdk;
    private final String dataSourceName;
    private final DataSource target;
    private final Supplier<DatabaseInfo> database;
    private final boolean everyTransaction;
    private final int threshold;
    private final SqlSanitizer sanitizer = SqlSanitizer.defaults();
    private final LockOrderGraph graph = new LockOrderGraph();
    private final Map<String, LockStatement> byRawSql = new ConcurrentHashMap<>();
    private final Map<String, LockStatement> byFingerprint = new ConcurrentHashMap<>();
    private final Map<String, LockTable> tables = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, String> reported = new ConcurrentHashMap<>();
    /** Statement fingerprint to the fingerprint of a risk that names it: a deadlock links to its prediction. */
    private final Map<String, String> riskByStatement = new ConcurrentHashMap<>();
    private final LockOrderGates gates;
    private volatile ThreadPoolExecutor metadata;

    /**
     * Creates the analysis of one data source.
     *
     * @param sdk            where incidents go
     * @param dataSourceName the data source's name
     * @param target         the unwatched data source (foreign keys are read through it, on a thread of ours), or
     *                       {@code null} to read none
     * @param database       what the database said about itself, for the records
     * @param rate           the share of explicit transactions analysed, {@code 0} to {@code 1}
     * @param avoidance      the gate of runner units
     */
    public LockOrderAnalysis(IncidentSdk sdk, String dataSourceName, DataSource target, Supplier<DatabaseInfo> database,
                             double rate, LockOrderAvoidance avoidance) {
        this.sdk = sdk;
        this.dataSourceName = dataSourceName;
        this.target = target;
        this.database = database;
        this.everyTransaction = rate >= 1.0;
        this.threshold = (int) Math.round(Math.max(0.0, Math.min(1.0, rate)) * Integer.MAX_VALUE);
        this.gates = avoidance == null || avoidance == LockOrderAvoidance.OFF ? null
                : new LockOrderGates(this, avoidance);
    }

    // ---------------------------------------------------------------- recordings (tests)

    /**
     * Makes every analysis of the process look at every explicit transaction, and hands every risk it finds to
     * the listener, until the returned handle is closed.
     *
     * @param listener told of each risk found (from the thread that ended the transaction)
     * @return closing it ends the recording
     */
    public static AutoCloseable record(Consumer<LockOrderRisk> listener) {
        LISTENERS.add(listener);
        forced = true;
        return () -> {
            LISTENERS.remove(listener);
            forced = !LISTENERS.isEmpty();
        };
    }

    /** Whether a recording forces full sampling now. */
    static boolean forceFullSampling() {
        return forced;
    }

    // ---------------------------------------------------------------- sampling

    /**
     * Whether the explicit transaction beginning now is analysed. One random number at most.
     *
     * @return {@code true} to analyse it
     */
    public boolean sample() {
        if (everyTransaction || forced) {
            return true;
        }
        return threshold > 0 && (ThreadLocalRandom.current().nextInt() & Integer.MAX_VALUE) < threshold;
    }

    /**
     * The gates of this data source, or {@code null} when avoidance is off.
     *
     * @return the gates
     */
    public LockOrderGates gates() {
        return gates;
    }

    String dataSourceName() {
        return dataSourceName;
    }

    IncidentSdk sdk() {
        return sdk;
    }

    DatabaseInfo database() {
        return database.get();
    }

    // ---------------------------------------------------------------- statements

    /**
     * What a prepared statement locks, cached by its SQL.
     *
     * @param rawSql the statement's SQL
     * @return what it locks, {@link LockStatement#NOT_LOCKING} when nothing
     */
    LockStatement prepared(String rawSql) {
        if (rawSql == null) {
            return LockStatement.NOT_LOCKING;
        }
        LockStatement known = byRawSql.get(rawSql);
        if (known != null) {
            return known;
        }
        LockStatement fresh = intern(LockingStatement.of(rawSql), rawSql);
        if (byRawSql.size() < MAX_STATEMENTS) {
            byRawSql.put(rawSql, fresh);
        }
        return fresh;
    }

    /**
     * The interned statement of a parsed one.
     *
     * @param parsed what the statement locks
     * @param rawSql its SQL (sanitized here, once per statement shape; never kept raw)
     * @return the interned statement, {@link LockStatement#NOT_LOCKING} when it locks nothing or the bound is reached
     */
    LockStatement intern(LockingStatement parsed, String rawSql) {
        if (!parsed.locks()) {
            return LockStatement.NOT_LOCKING;
        }
        SanitizedSql sanitized = sanitizer.sanitize(rawSql);
        LockStatement known = byFingerprint.get(sanitized.fingerprint());
        if (known != null) {
            return known;
        }
        if (byFingerprint.size() >= MAX_STATEMENTS) {
            return LockStatement.NOT_LOCKING;
        }
        LockTable table = table(parsed.table(), parsed.kind() == LockingStatement.Kind.INSERT);
        if (table == null) {
            return LockStatement.NOT_LOCKING;
        }
        return byFingerprint.computeIfAbsent(sanitized.fingerprint(), fp -> new LockStatement(ids.incrementAndGet(),
                parsed.kind(), table, parsed.keyParameter(), fp, sanitized.sql()));
    }

    private LockTable table(String name, boolean wantParents) {
        LockTable known = tables.get(name);
        if (known == null) {
            if (tables.size() >= MAX_TABLES) {
                return null;
            }
            known = tables.computeIfAbsent(name, n -> new LockTable(ids.incrementAndGet(), n));
        }
        if (wantParents && !known.parentsKnown()) {
            readParents(known);
        }
        return known;
    }

    /** Tables by name, for the gate's marks (a deadlock's statements). */
    LockTable knownTable(String name) {
        return tables.get(name);
    }

    // ---------------------------------------------------------------- foreign keys

    private final Set<String> parentsAsked = ConcurrentHashMap.newKeySet();

    /** Reads the tables a table's foreign keys reference, on a thread of ours, once. */
    private void readParents(LockTable table) {
        if (target == null || !parentsAsked.add(table.name)) {
            if (target == null) {
                table.parents(new LockTable[0]);
            }
            return;
        }
        try {
            executor().execute(() -> parentsOf(table));
        } catch (RuntimeException e) {
            table.parents(new LockTable[0]); // queue full or shut down: go on without
        }
    }

    private ThreadPoolExecutor executor() {
        ThreadPoolExecutor e = metadata;
        if (e == null) {
            synchronized (this) {
                e = metadata;
                if (e == null) {
                    e = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), r -> {
                        Thread t = new Thread(r, "incident-sdk-lock-order-metadata");
                        t.setDaemon(true);
                        return t;
                    }, new ThreadPoolExecutor.AbortPolicy());
                    e.allowCoreThreadTimeOut(true);
                    metadata = e;
                }
            }
        }
        return e;
    }

    private void parentsOf(LockTable table) {
        String name = table.name;
        Set<String> names = new LinkedHashSet<>();
        boolean keyShare = false;
        try (Connection c = target.getConnection()) {
            java.sql.DatabaseMetaData meta = c.getMetaData();
            // PostgreSQL checks a foreign key under FOR KEY SHARE, which a plain UPDATE of the parent row (FOR NO
            // KEY UPDATE) does not wait for; InnoDB and others take a shared lock that every update waits for
            keyShare = "PostgreSQL".equalsIgnoreCase(meta.getDatabaseProductName());
            for (String candidate : new String[] {name, name.toUpperCase(Locale.ROOT)}) {
                try (ResultSet keys = meta.getImportedKeys(null, null, candidate)) {
                    while (keys.next()) {
                        String parent = keys.getString("PKTABLE_NAME");
                        if (parent != null) {
                            names.add(parent.toLowerCase(Locale.ROOT));
                        }
                    }
                }
                if (!names.isEmpty()) {
                    break;
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Incident SDK could not read the foreign keys of a table on data source {}", dataSourceName, e);
        }
        List<LockTable> parents = new ArrayList<>(names.size());
        for (String parent : names) {
            LockTable t = table(parent, false);
            if (t != null) {
                parents.add(t);
            }
        }
        table.parents(parents.toArray(new LockTable[0]), keyShare);
    }

    // ---------------------------------------------------------------- transactions

    /** A sampled transaction ended: record it and report what it revealed. */
    void transactionEnded(LockStatement[] steps, byte[] directions, String[] callSites, int n) {
        List<LockOrderGraph.Found> found = graph.record(steps, directions, callSites, n);
        if (found != null) {
            for (LockOrderGraph.Found f : found) {
                report(f);
            }
        }
    }

    /**
     * Whether the code sites of a shape prefix were taken already (so no stack walk is needed): a direct-mapped
     * table of {@value #PREFIX_SLOTS} prefix hashes, written without locks; a lost or overwritten entry only
     * costs one more stack walk. No allocation.
     */
    boolean knownPrefix(long prefix) {
        return prefixes.getPlain(slot(prefix)) == prefix;
    }

    void prefixSeen(long prefix) {
        int slot = slot(prefix);
        if (prefixes.getPlain(slot) != prefix) {
            prefixes.setRelease(slot, prefix);
        }
    }

    private static int slot(long prefix) {
        long h = prefix * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 53) & (PREFIX_SLOTS - 1);
    }

    static final int PREFIX_SLOTS = 2048;
    private final java.util.concurrent.atomic.AtomicLongArray prefixes =
            new java.util.concurrent.atomic.AtomicLongArray(PREFIX_SLOTS);

    LockOrderGraph graph() {
        return graph;
    }

    // ---------------------------------------------------------------- reporting

    private void report(LockOrderGraph.Found f) {
        LockOrderRisk risk = risk(f);
        if (reported.size() >= MAX_RISKS || reported.putIfAbsent(risk.fingerprint(), risk.title()) != null) {
            return;
        }
        for (LockStatement s : f.first().steps) {
            riskByStatement.putIfAbsent(s.fingerprint, risk.fingerprint());
        }
        for (LockStatement s : f.second().steps) {
            riskByStatement.putIfAbsent(s.fingerprint, risk.fingerprint());
        }
        if (gates != null) {
            gates.gate(f.a(), "a reported lock-order risk");
            gates.gate(f.b(), "a reported lock-order risk");
        }
        for (Consumer<LockOrderRisk> listener : LISTENERS) {
            try {
                listener.accept(risk);
            } catch (RuntimeException e) {
                LOG.warn("A lock-order recording threw; ignored", e);
            }
        }
        if (sdk == null || sdk.isClosed()) {
            return;
        }
        Incident.Builder b = Incident.builder(IncidentKind.LOCK_ORDER_RISK, risk.title())
                .fingerprint(risk.fingerprint())
                .severity(Severity.WARNING)
                .database(database())
                .summary(summary(risk))
                .hint(risk.advice())
                .hint("Found by the SDK's lock-order analysis from single runs, before any deadlock: nothing failed "
                        + "yet. A deadlock between these code paths will name this incident (attribute "
                        + "lockOrder.risk).")
                .attribute("lockOrder.kind", risk.kind().name())
                .attribute("lockOrder.tables", String.join(", ", risk.tables()))
                .attribute("lockOrder.path1", sitesText(risk.first()))
                .attribute("lockOrder.path2", sitesText(risk.second()))
                .timeline(new TimelineEntry(Instant.now(sdk.clock()), TimelineEntry.DETECTED,
                        "found by the lock-order analysis; no deadlock has happened"));
        sdk.record(b.build());
    }

    private LockOrderRisk risk(LockOrderGraph.Found f) {
        List<String> tablesInOrder;
        String advice;
        LockOrderRisk.CodePath first;
        LockOrderRisk.CodePath second;
        switch (f.kind()) {
            case OPPOSITE_TABLE_ORDER: {
                // the order most runs took is the one to keep
                boolean keepFirst = f.firstUses() > f.secondUses(); // a tie keeps the order seen first
                LockTable before = keepFirst ? f.a() : f.b();
                LockTable after = keepFirst ? f.b() : f.a();
                tablesInOrder = List.of(before.name, after.name);
                advice = "lock " + before.name + " before " + after.name + " in every code path (the code path that "
                        + "locks " + after.name + " first should take " + before.name + " first, e.g. with SELECT ... "
                        + "FOR UPDATE)";
                first = path(f.first(), f.a().name + " before " + f.b().name);
                second = path(f.second(), f.b().name + " before " + f.a().name);
                break;
            }
            case DATA_DEPENDENT_ROW_ORDER:
                tablesInOrder = List.of(f.a().name);
                advice = "lock the rows of " + f.a().name + " in ascending key order in every run: sort the keys first "
                        + "(e.g. update the lower id first), or lock them in one statement (SELECT ... WHERE id IN "
                        + "(...) ORDER BY id FOR UPDATE)";
                first = path(f.first(), "rows of " + f.a().name + " by ascending key");
                second = path(f.second(), "rows of " + f.a().name + " by descending key");
                break;
            default:
                tablesInOrder = List.of(f.a().name);
                advice = "lock the rows of " + f.a().name + " in ascending key order in both code paths: the second "
                        + "one should sort its keys first (e.g. update the lower id first)";
                first = path(f.first(), "rows of " + f.a().name + " by ascending key");
                second = path(f.second(), "rows of " + f.a().name + " by descending key");
        }
        String one = shapeId(f.first());
        String two = shapeId(f.second());
        String fingerprint = Fingerprint.of(IncidentKind.LOCK_ORDER_RISK, dataSourceName, f.kind().name(),
                String.join(",", tablesSorted(f)), one.compareTo(two) <= 0 ? one : two, one.compareTo(two) <= 0 ? two : one);
        return new LockOrderRisk(f.kind(), dataSourceName, tablesInOrder, first, second, advice, fingerprint);
    }

    private static List<String> tablesSorted(LockOrderGraph.Found f) {
        String a = f.a().name;
        String b = f.b().name;
        return a.equals(b) ? List.of(a) : a.compareTo(b) < 0 ? List.of(a, b) : List.of(b, a);
    }

    private static String shapeId(LockOrderGraph.Shape shape) {
        StringBuilder s = new StringBuilder(shape.steps.length * 20);
        for (LockStatement step : shape.steps) {
            s.append(step.fingerprint).append(' ');
        }
        return s.toString();
    }

    private static LockOrderRisk.CodePath path(LockOrderGraph.Shape shape, String order) {
        List<String> statements = new ArrayList<>(shape.steps.length);
        for (LockStatement step : shape.steps) {
            statements.add(step.sql);
        }
        return new LockOrderRisk.CodePath(statements, Arrays.asList(shape.callSites.clone()), order);
    }

    private static String pathText(LockOrderRisk.CodePath path) {
        StringBuilder s = new StringBuilder(256);
        for (int i = 0; i < path.statements().size(); i++) {
            if (i > 0) {
                s.append(" -> ");
            }
            s.append(path.statements().get(i));
            String site = path.callSites().get(i);
            if (site != null) {
                s.append(" at ").append(site);
            }
        }
        return s.toString();
    }

    /** A code path's distinct call sites, for an attribute (bounded by the record's attribute length). */
    private static String sitesText(LockOrderRisk.CodePath path) {
        Set<String> sites = new LinkedHashSet<>();
        for (String site : path.callSites()) {
            if (site != null) {
                sites.add(site);
            }
        }
        return sites.isEmpty() ? path.order() : path.order() + ": " + String.join("; ", sites);
    }

    private static String summary(LockOrderRisk risk) {
        StringBuilder s = new StringBuilder(600);
        switch (risk.kind()) {
            case OPPOSITE_TABLE_ORDER:
                s.append("Two code paths lock ").append(risk.tables().get(0)).append(" and ").append(risk.tables().get(1))
                        .append(" in opposite orders. Path 1 (").append(risk.first().order()).append("): ")
                        .append(pathText(risk.first())).append(". Path 2 (").append(risk.second().order()).append("): ")
                        .append(pathText(risk.second())).append('.');
                break;
            case DATA_DEPENDENT_ROW_ORDER:
                s.append("One code path locks rows of ").append(risk.tables().get(0)).append(" by ascending key in "
                        + "some runs and by descending key in others (the order follows its data): ")
                        .append(pathText(risk.first())).append('.');
                break;
            default:
                s.append("Two code paths lock rows of ").append(risk.tables().get(0)).append(" in opposite key orders. "
                        + "Path 1 (ascending): ").append(pathText(risk.first())).append(". Path 2 (descending): ")
                        .append(pathText(risk.second())).append('.');
        }
        s.append(" Run concurrently on the same rows, they deadlock. Fix: ").append(risk.advice()).append('.');
        return s.toString();
    }

    /**
     * The fingerprint of a reported risk that names a statement, so a deadlock in it links to its prediction.
     *
     * @param statementFingerprint a sanitized statement's fingerprint
     * @return the risk's fingerprint, or {@code null}
     */
    public String riskFor(String statementFingerprint) {
        return statementFingerprint == null ? null : riskByStatement.get(statementFingerprint);
    }

    /**
     * A deadlock hit a unit of a runner: the tables its transaction locked are gated from now on (avoidance on).
     *
     * @param transactionSql the raw SQL of the victim transaction's statements (parsed here, never kept)
     */
    public void deadlockIn(String[] transactionSql) {
        if (gates == null || transactionSql == null) {
            return;
        }
        for (String sql : transactionSql) {
            LockingStatement parsed = LockingStatement.of(sql);
            if (parsed.locks()) {
                LockTable t = table(parsed.table(), false);
                if (t != null) {
                    gates.gate(t, "a deadlock between units of work");
                }
            }
        }
    }

    @Override
    public String toString() {
        return "LockOrderAnalysis[" + dataSourceName + "]";
    }
}
