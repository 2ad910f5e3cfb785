package io.incidentsdk.jdbc.forensics;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.StatementInfo;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.jdbc.SqlSanitizer;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The deadlock forensics scenario suite (issue 11): ordinary application transactions that deadlock on a real
 * database, run through a watched data source, and a check of what the incident says against what really
 * happened: who the participants were (each worker knows its thread and its statements), which statement of
 * each was in the cycle, the victim's call site, and how many incidents one race made.
 *
 * <p>The application code holds no extra locks and never sleeps: each worker runs its statements and commits
 * at once. A barrier between the first and the second statement makes the lock cycle happen on every run
 * (both have taken their first lock); it is how a race is forced, not a help for the SDK (the blocker still
 * commits and moves on as soon as the victim's rollback frees it).
 */
final class DeadlockScenarios {

    /** Where the scenarios run. */
    enum Target {
        POSTGRESQL, MARIADB, MARIADB_NO_PROCESS, H2;

        String label() {
            return switch (this) {
                case POSTGRESQL -> "PostgreSQL 15";
                case MARIADB -> "MariaDB (PROCESS)";
                case MARIADB_NO_PROCESS -> "MariaDB (no PROCESS)";
                case H2 -> "H2";
            };
        }

        boolean mariaDb() {
            return this == MARIADB || this == MARIADB_NO_PROCESS;
        }
    }

    /** The races. */
    enum Scenario {
        TWO_WAY("two-way"), THREE_WAY("three-way ring"), CROSS_TABLE("cross-table"), FK("FK lock upgrade"),
        GAP("gap locks"), TRANSFER_POOL("transfer race, HikariCP, 8 workers"),
        BLOCKER_RETURNS("blocker commits and returns its connection");

        final String label;

        Scenario(String label) {
            this.label = label;
        }

        /** Whether the race deadlocks on this database at all. */
        boolean deadlocksOn(Target target) {
            return switch (this) {
                case GAP -> target.mariaDb(); // PostgreSQL and H2 take no gap locks
                case FK -> target != Target.H2; // H2 takes no lock on the parent for a foreign-key check
                default -> true;
            };
        }
    }

    /** What one run showed. */
    record Outcome(boolean deadlocked, int inProcessOthers, int databaseNamed, int namedRight, int namedWrong,
                   boolean victimSqlRight, boolean callSiteRight, int incidents, String fingerprint, String cause,
                   String naming, String note) {
    }

    private static final SqlSanitizer SANITIZER = SqlSanitizer.defaults();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeadlockScenarios.class);

    private final TestDatabases dbs;
    private final Map<String, Prepared> prepared = new LinkedHashMap<>();

    DeadlockScenarios(TestDatabases dbs) {
        this.dbs = dbs;
    }

    /** The tables of one scenario on one database, made once and reused by every run (stable identities). */
    private static final class Prepared {
        final DataSource raw;
        final String a;
        final String b;
        /** Runs so far: the gap race takes a fresh gap each run (purged delete marks would change its locks). */
        int runs;

        Prepared(DataSource raw, String a, String b) {
            this.raw = raw;
            this.a = a;
            this.b = b;
        }
    }

    /** One worker of a run: its thread, its statements in order, and the deadlock it got (if any). */
    private static final class Worker {
        volatile String thread;
        final List<String> statements = Collections.synchronizedList(new ArrayList<>());
        volatile SQLException deadlock;
        /** The storm: this worker's transfers, in order. */
        final List<Worker> attempts = Collections.synchronizedList(new ArrayList<>());
        /** A transfer of the storm: its accounts, and when it began, ran each statement and ended. */
        volatile int from;
        volatile int to;
        volatile long startNanos;
        volatile long endNanos;
        /** When the deadlock reached the application (before its rollback). */
        volatile long failedNanos;
        /** PostgreSQL: the backend process of this transfer's connection (pgjdbc knows it without a round trip). */
        volatile int backendPid;
        final List<Long> statementStarts = Collections.synchronizedList(new ArrayList<>());
    }

    private Prepared prepare(Scenario scenario, Target target) throws SQLException {
        String key = scenario + "/" + target;
        Prepared known = prepared.get(key);
        if (known != null) {
            return known;
        }
        DataSource raw = switch (target) {
            case POSTGRESQL -> dbs.dataSource(io.incidentsdk.jdbc.testing.Database.POSTGRESQL);
            case MARIADB -> dbs.dataSource(io.incidentsdk.jdbc.testing.Database.MARIADB);
            case MARIADB_NO_PROCESS -> dbs.mariaDbWithoutProcess();
            case H2 -> dbs.freshH2();
        };
        String prefix = scenario.name().toLowerCase(Locale.ROOT);
        String a = TestDatabases.uniqueName(prefix + "_a");
        String b = TestDatabases.uniqueName(prefix + "_b");
        try (Connection c = raw.getConnection()) {
            switch (scenario) {
                case FK -> {
                    execute(c, "CREATE TABLE " + b + " (id INT PRIMARY KEY, v INT)" + engine(target));
                    execute(c, "CREATE TABLE " + a + " (id INT PRIMARY KEY, parent_id INT NOT NULL, "
                            + "FOREIGN KEY (parent_id) REFERENCES " + b + " (id))" + engine(target));
                }
                case GAP -> execute(c, "CREATE TABLE " + a + " (id INT PRIMARY KEY, v INT)" + engine(target));
                default -> {
                    execute(c, "CREATE TABLE " + a + " (id INT PRIMARY KEY, balance INT)" + engine(target));
                    execute(c, "CREATE TABLE " + b + " (id INT PRIMARY KEY, balance INT)" + engine(target));
                }
            }
        }
        Prepared p = new Prepared(raw, a, b);
        prepared.put(key, p);
        return p;
    }

    private static String engine(Target target) {
        return target.mariaDb() ? " ENGINE=InnoDB" : "";
    }

    private static void reset(Scenario scenario, Prepared p) throws SQLException {
        try (Connection c = p.raw.getConnection()) {
            switch (scenario) {
                case FK -> {
                    execute(c, "DELETE FROM " + p.a);
                    execute(c, "DELETE FROM " + p.b);
                    execute(c, "INSERT INTO " + p.b + " VALUES (1, 0)");
                }
                case GAP -> {
                    int base = 100 * p.runs;
                    execute(c, "INSERT INTO " + p.a + " VALUES (" + (base + 10) + ", 0)");
                    execute(c, "INSERT INTO " + p.a + " VALUES (" + (base + 20) + ", 0)");
                }
                default -> {
                    execute(c, "DELETE FROM " + p.a);
                    execute(c, "DELETE FROM " + p.b);
                    for (int id = 1; id <= 4; id++) {
                        execute(c, "INSERT INTO " + p.a + " VALUES (" + id + ", 1000)");
                        execute(c, "INSERT INTO " + p.b + " VALUES (" + id + ", 1000)");
                    }
                }
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Runs one race and checks its incident. */
    Outcome run(Scenario scenario, Target target) throws Exception {
        Prepared p = prepare(scenario, target);
        p.runs++;
        reset(scenario, p);
        InMemorySink memory = new InMemorySink(10_000);
        List<HikariDataSource> pools = new ArrayList<>();
        List<Worker> workers = new ArrayList<>();
        try (IncidentSdk sdk = IncidentSdk.builder().service("forensics", "1").sink(memory)
                .updateInterval(Duration.ofMillis(20)).build()) {
            DataSource watched = JdbcIncidents.watch(p.raw, sdk, JdbcWatchOptions.builder()
                    .dataSourceName("scenario-" + scenario.name().toLowerCase(Locale.ROOT)).build());
            DataSource ds = switch (scenario) {
                case TRANSFER_POOL -> {
                    HikariDataSource pool = pool(watched, 8, scenario);
                    pools.add(pool);
                    yield JdbcIncidents.watchPool(pool, watched);
                }
                case BLOCKER_RETURNS -> {
                    // the watch in front of the pool: every borrow is a new watched connection, closed (returned)
                    // right after its commit
                    HikariDataSource pool = pool(p.raw, 4, scenario);
                    pools.add(pool);
                    yield JdbcIncidents.watch(pool, sdk, JdbcWatchOptions.builder()
                            .dataSourceName("scenario-" + scenario.name().toLowerCase(Locale.ROOT)).build());
                }
                default -> watched;
            };
            if (scenario == Scenario.TRANSFER_POOL) {
                transferStorm(ds, p, workers);
            } else {
                race(scenario, target, ds, p, workers);
            }
            boolean deadlocked = workers.stream().anyMatch(w -> w.deadlock != null);
            if (!deadlocked) {
                return new Outcome(false, 0, 0, 0, 0, false, false, 0, null, null, null, null);
            }
            // MariaDB/MySQL: recorded from the forensics thread once the InnoDB report is read
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (deadlocks(memory).isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                Thread.yield();
            }
            return check(scenario, target, workers, deadlocks(memory));
        } finally {
            pools.forEach(HikariDataSource::close);
        }
    }

    private static HikariDataSource pool(DataSource target, int size, Scenario scenario) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(target);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setPoolName("scenario-" + scenario.name().toLowerCase(Locale.ROOT) + "-" + System.nanoTime());
        return new HikariDataSource(config);
    }

    private static List<Incident> deadlocks(InMemorySink memory) {
        List<Incident> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (IncidentEvent e : memory.events()) {
            if (e.incident().kind() == IncidentKind.DEADLOCK && e.event() == IncidentEvent.Type.OPENED
                    && seen.add(e.incident().fingerprint())) {
                out.add(e.incident());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- the application code

    /** The statements of each worker of a barrier race: first statement, (barrier), the rest, commit. */
    private static List<List<Object[]>> plan(Scenario scenario, Prepared p) {
        String debit = "UPDATE " + p.a + " SET balance = balance - ? WHERE id = ?";
        String credit = "UPDATE " + p.a + " SET balance = balance + ? WHERE id = ?";
        return switch (scenario) {
            case TWO_WAY, BLOCKER_RETURNS -> List.of(
                    List.of(new Object[] {debit, 10, 1}, new Object[] {credit, 10, 2},
                            new Object[] {"UPDATE " + p.b + " SET balance = balance + ? WHERE id = ?", 1, 1}),
                    List.of(new Object[] {debit, 10, 2}, new Object[] {credit, 10, 1},
                            new Object[] {"UPDATE " + p.b + " SET balance = balance + ? WHERE id = ?", 1, 2}));
            case THREE_WAY -> List.of(
                    List.of(new Object[] {debit, 10, 1}, new Object[] {credit, 10, 2}),
                    List.of(new Object[] {debit, 10, 2}, new Object[] {credit, 10, 3}),
                    List.of(new Object[] {debit, 10, 3}, new Object[] {credit, 10, 1}));
            case CROSS_TABLE -> List.of(
                    List.of(new Object[] {"UPDATE " + p.a + " SET balance = balance - ? WHERE id = ?", 5, 1},
                            new Object[] {"UPDATE " + p.b + " SET balance = balance + ? WHERE id = ?", 5, 1}),
                    List.of(new Object[] {"UPDATE " + p.b + " SET balance = balance - ? WHERE id = ?", 5, 1},
                            new Object[] {"UPDATE " + p.a + " SET balance = balance + ? WHERE id = ?", 5, 1}));
            case FK -> {
                String insert = "INSERT INTO " + p.a + " (id, parent_id) VALUES (?, ?)";
                String lockParent = "UPDATE " + p.b + " SET v = v + ? WHERE id = ?";
                yield List.of(List.of(new Object[] {insert, 1, 1}, new Object[] {lockParent, 1, 1}),
                        List.of(new Object[] {insert, 2, 1}, new Object[] {lockParent, 1, 1}));
            }
            case GAP -> {
                String find = "SELECT v FROM " + p.a + " WHERE id = ? FOR UPDATE";
                String insert = "INSERT INTO " + p.a + " (id, v) VALUES (?, ?)";
                int base = 100 * p.runs;
                yield List.of(List.of(new Object[] {find, base + 15}, new Object[] {insert, base + 15, 1}),
                        List.of(new Object[] {find, base + 16}, new Object[] {insert, base + 16, 1}));
            }
            case TRANSFER_POOL -> throw new IllegalArgumentException("not a barrier race");
        };
    }

    private void race(Scenario scenario, Target target, DataSource ds, Prepared p, List<Worker> workers)
            throws Exception {
        List<List<Object[]>> plan = plan(scenario, p);
        if (scenario == Scenario.FK && target == Target.POSTGRESQL) {
            // PostgreSQL: an UPDATE of a parent's non-key column does not conflict with the KEY SHARE lock of the
            // foreign-key check; a locking read of the parent does
            plan = List.of(
                    List.of(plan.get(0).get(0), new Object[] {"SELECT v FROM " + p.b + " WHERE id = ? FOR UPDATE", 1}),
                    List.of(plan.get(1).get(0), new Object[] {"SELECT v FROM " + p.b + " WHERE id = ? FOR UPDATE", 1}));
        }
        CyclicBarrier firstLocksTaken = new CyclicBarrier(plan.size());
        ExecutorService threads = Executors.newFixedThreadPool(plan.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (List<Object[]> statements : plan) {
                Worker w = new Worker();
                workers.add(w);
                done.add(threads.submit(() -> {
                    w.thread = Thread.currentThread().getName();
                    transaction(ds, statements, firstLocksTaken, w);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** One ordinary transaction: its statements, commit, close; on failure roll back. */
    private static void transaction(DataSource ds, List<Object[]> statements, CyclicBarrier afterFirst, Worker w)
            throws SQLException, InterruptedException {
        w.startNanos = System.nanoTime();
        try {
            transactionOnce(ds, statements, afterFirst, w);
        } finally {
            w.endNanos = System.nanoTime();
        }
    }

    private static void transactionOnce(DataSource ds, List<Object[]> statements, CyclicBarrier afterFirst, Worker w)
            throws SQLException, InterruptedException {
        try (Connection c = ds.getConnection()) {
            if (c.isWrapperFor(org.postgresql.PGConnection.class)) {
                w.backendPid = c.unwrap(org.postgresql.PGConnection.class).getBackendPID();
            }
            c.setAutoCommit(false);
            try {
                for (int i = 0; i < statements.size(); i++) {
                    runStatement(c, statements.get(i), w);
                    if (i == 0 && afterFirst != null) {
                        awaitQuietly(afterFirst);
                    }
                }
                c.commit();
            } catch (SQLException e) {
                w.failedNanos = System.nanoTime();
                w.deadlock = e;
                c.rollback();
            }
        }
    }

    private static void runStatement(Connection c, Object[] statement, Worker w) throws SQLException {
        String sql = (String) statement[0];
        w.statements.add(sql);
        w.statementStarts.add(System.nanoTime());
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 1; i < statement.length; i++) {
                ps.setInt(i, (Integer) statement[i]);
            }
            ps.execute();
        }
    }

    private static void awaitQuietly(CyclicBarrier barrier) throws InterruptedException {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (BrokenBarrierException | TimeoutException e) {
            // a worker that failed early: go on, the race simply does not deadlock this time
        }
    }

    /** Eight workers transfer between four accounts at random until one of them deadlocks (or 3 s pass). */
    private void transferStorm(DataSource ds, Prepared p, List<Worker> workers) throws Exception {
        String debit = "UPDATE " + p.a + " SET balance = balance - ? WHERE id = ?";
        String credit = "UPDATE " + p.a + " SET balance = balance + ? WHERE id = ?";
        AtomicInteger deadlocks = new AtomicInteger();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int n = 0; n < 8; n++) {
                Worker w = new Worker();
                workers.add(w);
                done.add(threads.submit(() -> {
                    w.thread = Thread.currentThread().getName();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (deadlocks.get() == 0 && System.nanoTime() < until) {
                        int from = 1 + random.nextInt(4);
                        int to = 1 + (from + random.nextInt(3)) % 4;
                        Worker attempt = new Worker();
                        attempt.thread = w.thread;
                        attempt.from = from;
                        attempt.to = to;
                        w.attempts.add(attempt);
                        transaction(ds, List.of(new Object[] {debit, 1, from}, new Object[] {credit, 1, to}), null,
                                attempt);
                        if (attempt.deadlock != null) {
                            w.deadlock = attempt.deadlock;
                            deadlocks.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        for (Worker w : workers) {
            w.statements.add(debit);
            w.statements.add(credit);
        }
    }

    // ---------------------------------------------------------------- the check

    private static Outcome check(Scenario scenario, Target target, List<Worker> workers, List<Incident> incidents) {
        if (incidents.isEmpty()) {
            return new Outcome(true, workers.size() - 1, 0, 0, 0, false, false, 0, null, null, null, "no incident");
        }
        Incident incident = incidents.get(0);
        StatementInfo victim = incident.statements().get(0);
        Worker victimWorker = workers.stream().filter(w -> w.thread.equals(victim.thread())).findFirst().orElse(null);
        List<StatementInfo> blockers = incident.statements().stream()
                .filter(s -> s.role() == StatementInfo.Role.BLOCKER).toList();
        int databaseNamed = databaseNamed(incident);
        boolean victimSqlRight = victimWorker != null && victimWorker.statements.size() >= 2
                && shape(victimWorker.statements.get(1)).equals(victim.fingerprint());
        if (scenario == Scenario.TRANSFER_POOL && victimWorker != null) {
            // PostgreSQL: a transfer still waiting in its debit can be in a cycle (and be its victim)
            Worker failed = victimWorker.attempts.stream().filter(a -> a.deadlock != null).findFirst().orElse(null);
            victimSqlRight = failed != null && !failed.statements.isEmpty()
                    && shape(failed.statements.get(failed.statements.size() - 1)).equals(victim.fingerprint());
        }
        String callSite = incident.attributes().get("callSite");
        boolean callSiteRight = callSite != null
                && callSite.startsWith(DeadlockScenarios.class.getName() + ".runStatement(");
        int right = 0;
        int wrong = 0;
        int inProcessOthers;
        if (scenario == Scenario.TRANSFER_POOL) {
            // who the others were is known only where the database says (count); the statement of the cycle of a
            // transfer is its credit, after its debit
            inProcessOthers = databaseNamed > 0 ? databaseNamed - 1 : 1;
            String creditShape = shape(workers.get(0).statements.get(1));
            String debitShape = shape(workers.get(0).statements.get(0));
            // the truth from the transfers themselves: the victim's transfer and, for each named blocker, its
            // thread's transfers open during the victim's wait (on H2 the other side may have begun after the
            // victim's statement: H2 wakes every waiter when a lock is freed, and the victim finds the cycle on a
            // later try); a blocker is right when one of them is on a cycle of waits through the victim
            Worker victimAttempt = victimWorker == null ? null : victimWorker.attempts.stream()
                    .filter(a -> a.deadlock != null).findFirst().orElse(null);
            Wait victimWait = victimAttempt == null ? null : Wait.of(victimAttempt,
                    victimAttempt.statementStarts.size() < 2);
            long waitBegan = victimWait == null ? 0L : victimWait.since;
            long waitEnded = victimAttempt == null ? 0L : victimAttempt.failedNanos;
            List<Wait> ring = new ArrayList<>();
            if (victimWait != null) {
                ring.add(victimWait);
            }
            Map<StatementInfo, List<Wait>> blockerWaits = new LinkedHashMap<>();
            for (StatementInfo b : blockers) {
                boolean namedInDebit = debitShape.equals(b.fingerprint()) && b.transactionStatements().isEmpty();
                List<Wait> candidates = waitBegan == 0L || b.thread() == null ? List.of() : workers.stream()
                        .filter(o -> b.thread().equals(o.thread)).flatMap(o -> o.attempts.stream())
                        .filter(a -> a != victimAttempt && a.startNanos - waitEnded < 0
                                && (a.endNanos == 0L || a.endNanos - waitBegan > 0))
                        .map(a -> Wait.of(a, namedInDebit)).filter(java.util.Objects::nonNull).toList();
                blockerWaits.put(b, candidates);
                ring.addAll(candidates);
            }
            // PostgreSQL (tuple locks) and InnoDB (a lock request waits for the conflicting requests queued
            // before it) let a transaction still waiting for a row block later waiters for it; H2 wakes every
            // waiter and the first to retry wins, so there a waiter blocks nobody
            boolean queued = target != Target.H2;
            // PostgreSQL says who was in the cycle: the processes of its detail, which the application's exception
            // carries, and pgjdbc tells each transfer its backend process without asking the server. Waiters for a
            // row do not queue in arrival order there (a woken waiter and a newcomer race for the tuple lock), so
            // the cycle is taken from the database rather than modelled from the clients' clocks.
            List<Wait> everyone = new ArrayList<>();
            if (victimWait != null) {
                everyone.add(victimWait);
                for (Worker o : workers) {
                    for (Worker a : o.attempts) {
                        if (a != victimAttempt && a.startNanos - waitEnded < 0
                                && (a.endNanos == 0L || a.endNanos - waitBegan > 0)) {
                            java.util.stream.Stream.of(Wait.of(a, true), Wait.of(a, false))
                                    .filter(java.util.Objects::nonNull).forEach(everyone::add);
                        }
                    }
                }
            }
            Set<Integer> cyclePids = target == Target.POSTGRESQL && victimAttempt != null
                    && victimAttempt.deadlock != null ? processesOf(victimAttempt.deadlock) : null;
            for (StatementInfo b : blockers) {
                boolean namedInDebit = debitShape.equals(b.fingerprint()) && b.transactionStatements().isEmpty();
                boolean onCycle = cyclePids != null
                        ? blockerWaits.get(b).stream().anyMatch(w -> w.attempt().backendPid != victimAttempt.backendPid
                                && cyclePids.contains(w.attempt().backendPid)
                                && inStatementDuring(w.attempt(), namedInDebit, waitBegan, waitEnded))
                        : blockerWaits.get(b).stream().anyMatch(w -> onCycleThroughFirst(ring, w, queued)
                                // a ring may run through transfers that were not named (a report replaced by a
                                // later deadlock leaves the history, which may name fewer): any transfer open then
                                || onSimultaneousCycle(everyone, w, queued));
                // PostgreSQL and InnoDB: a transaction still waiting in its debit can be in the cycle too
                boolean inDebit = queued && debitShape.equals(b.fingerprint())
                        && b.transactionStatements().isEmpty() && onCycle;
                boolean inCredit = creditShape.equals(b.fingerprint())
                        && b.transactionStatements().equals(List.of(debitShape)) && onCycle;
                boolean ok = b.connectionId() != null && (inCredit || inDebit) && !victim.thread().equals(b.thread());
                if (ok) {
                    right++;
                } else if (b.connectionId() != null) {
                    wrong++;
                }
                if (!ok && Boolean.getBoolean("forensics.debug")) {
                    StringBuilder d = new StringBuilder(String.format(Locale.ROOT,
                            "FORENSICS-DEBUG %s: victim %s %s; named %s %s earlier=%s conn=%s -> attempt %s%n", target,
                            victim.thread(), describe(victimAttempt), b.thread(), b.fingerprint(),
                            b.transactionStatements(), b.connectionId(),
                            blockerWaits.get(b).stream().map(w -> describe(w.attempt())).toList()));
                    for (Worker o : workers) {
                        for (Worker a : o.attempts) {
                            if (a.endNanos - waitBegan > -50_000_000L && a.startNanos - waitBegan < 50_000_000L) {
                                d.append(String.format(Locale.ROOT, "   %s %s%n", o.thread, describe(a)));
                            }
                        }
                    }
                    d.append("   database said: ").append(victimAttempt == null || victimAttempt.deadlock == null ? "?"
                            : victimAttempt.deadlock.getMessage().replace('\n', ' ')).append('\n');
                    for (StatementInfo s : incident.statements()) {
                        d.append("   record: ").append(s.role()).append(' ').append(s.thread()).append(' ')
                                .append(s.connectionId()).append(' ').append(s.fingerprint()).append(" earlier=")
                                .append(s.transactionStatements()).append('\n');
                    }
                    d.append("   naming=").append(incident.attributes().get("deadlock.naming")).append(" note=")
                            .append(incident.attributes().get("deadlock.note")).append(" t0=").append(waitBegan);
                    LOG.warn("{}", d);
                }
            }
            int others = databaseNamed > 0 ? databaseNamed - 1 : 1;
            if (right < others && Boolean.getBoolean("forensics.debug")) {
                StringBuilder d = new StringBuilder(String.format(Locale.ROOT,
                        "FORENSICS-DEBUG %s: %d of %d others named right; victim %s %s; note=%s%n", target, right,
                        others, victim.thread(), describe(victimAttempt), incident.attributes().get("deadlock.note")));
                for (StatementInfo s : incident.statements()) {
                    d.append("   record: ").append(s.role()).append(' ').append(s.thread()).append(' ')
                            .append(s.connectionId()).append(' ').append(s.backendId()).append(' ')
                            .append(s.fingerprint()).append(" earlier=").append(s.transactionStatements()).append('\n');
                }
                for (Worker o : workers) {
                    for (Worker a : o.attempts) {
                        if (a.endNanos - waitBegan > -20_000_000L && a.startNanos - waitEnded < 20_000_000L) {
                            d.append(String.format(Locale.ROOT, "   %s %s%n", o.thread, describe(a)));
                        }
                    }
                }
                LOG.warn("{}", d);
            }
        } else {
            List<Worker> others = workers.stream().filter(w -> w != victimWorker).toList();
            inProcessOthers = others.size();
            for (StatementInfo b : blockers) {
                if (b.connectionId() == null) {
                    continue;
                }
                Worker w = others.stream().filter(o -> o.thread.equals(b.thread())).findFirst().orElse(null);
                boolean ok = w != null && w.statements.size() >= 2 && shape(w.statements.get(1)).equals(b.fingerprint())
                        && b.transactionStatements().equals(List.of(shape(w.statements.get(0))));
                if (ok) {
                    right++;
                } else {
                    wrong++;
                }
            }
        }
        return new Outcome(true, inProcessOthers, databaseNamed, Math.min(right, inProcessOthers), wrong,
                victimSqlRight, callSiteRight, incidentsPerRace(scenario, incidents), incident.fingerprint(),
                incident.attributes().get("deadlock.cause"), incident.attributes().get("deadlock.naming"),
                incident.attributes().get("deadlock.note"));
    }

    private static String describe(Worker a) {
        if (a == null) {
            return "none";
        }
        return a.from + "->" + a.to + (a.backendPid != 0 ? " pid=" + a.backendPid : "") + " start=" + a.startNanos
                + " stmts=" + a.statementStarts + " end=" + a.endNanos
                + (a.deadlock != null ? " DEADLOCK" : "");
    }

    /**
     * What one transfer was waiting for during the victim's wait: in its debit, the debit account (holding
     * nothing yet); in its credit, the credit account, holding the debit account.
     */
    private record Wait(Worker attempt, int row, int held, long since, long until) {

        static Wait of(Worker a, boolean inDebit) {
            List<Long> starts = a.statementStarts;
            if (starts.isEmpty() || (!inDebit && starts.size() < 2)) {
                return null;
            }
            long end = a.failedNanos != 0L ? a.failedNanos : a.endNanos != 0L ? a.endNanos : Long.MAX_VALUE;
            return inDebit ? new Wait(a, a.from, 0, starts.get(0), starts.size() >= 2 ? starts.get(1) : end)
                    : new Wait(a, a.to, a.from, starts.get(1), end);
        }

        /**
         * Whether this waited for {@code other}: for a row it held, or (where waiters queue) for a row
         * {@code other} waited for since earlier.
         */
        boolean waitsFor(Wait other, boolean queued) {
            return row == other.held || (queued && row == other.row && other.since - since < 0);
        }
    }

    /** The backend processes a PostgreSQL deadlock's detail names. */
    private static Set<Integer> processesOf(SQLException deadlock) {
        Set<Integer> pids = new java.util.HashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)process (\\d+)")
                .matcher(String.valueOf(deadlock.getMessage()));
        while (m.find()) {
            pids.add(Integer.parseInt(m.group(1)));
        }
        return pids;
    }

    /**
     * Whether a transfer was in its debit (its credit not begun) or in its credit at some moment of the victim's
     * wait.
     */
    private static boolean inStatementDuring(Worker a, boolean debit, long waitBegan, long waitEnded) {
        List<Long> starts = a.statementStarts;
        if (starts.isEmpty() || starts.get(0) - waitEnded > 0) {
            return false;
        }
        return debit ? starts.size() < 2 || starts.get(1) - waitBegan > 0 : starts.size() >= 2
                && starts.get(1) - waitEnded < 0;
    }

    /**
     * Whether a wait is on a cycle of waits through the first of {@code all} (the victim's) whose waits were all
     * under way at one instant, as the members of a deadlock are when the database finds it.
     */
    private static boolean onSimultaneousCycle(List<Wait> all, Wait wait, boolean queued) {
        Wait first = all.get(0);
        return cycleFrom(all, first, wait, first.since, first.until, new java.util.ArrayList<>(List.of(first)),
                queued, false);
    }

    private static boolean cycleFrom(List<Wait> all, Wait at, Wait must, long lo, long hi, List<Wait> path,
            boolean queued, boolean passed) {
        for (Wait next : all) {
            if (!at.waitsFor(next, queued)) {
                continue;
            }
            long nlo = Math.max(lo, next.since);
            long nhi = Math.min(hi, next.until);
            if (nhi - nlo < 0) {
                continue;
            }
            if (next == path.get(0)) {
                if (passed) {
                    return true;
                }
                continue;
            }
            if (path.size() >= 6 || path.stream().anyMatch(p -> p.attempt() == next.attempt())) {
                continue;
            }
            path.add(next);
            boolean found = cycleFrom(all, next, must, nlo, nhi, path, queued, passed || next == must);
            path.remove(path.size() - 1);
            if (found) {
                return true;
            }
        }
        return false;
    }

    /** Whether a wait is on a cycle of waits through the first of the ring (the victim's). */
    private static boolean onCycleThroughFirst(List<Wait> ring, Wait wait, boolean tupleLocks) {
        return reaches(ring, ring.get(0), wait, tupleLocks) && reaches(ring, wait, ring.get(0), tupleLocks);
    }

    private static boolean reaches(List<Wait> ring, Wait start, Wait goal, boolean tupleLocks) {
        Set<Wait> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<Wait> queue = new java.util.ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            Wait at = queue.poll();
            for (Wait next : ring) {
                if (next != at && at.waitsFor(next, tupleLocks) && seen.add(next)) {
                    if (next == goal) {
                        return true;
                    }
                    queue.add(next);
                }
            }
        }
        return false;
    }

    /**
     * How many participants the database itself named (PostgreSQL's detail, the InnoDB report), as the record
     * carries it; 0 where the database names none.
     */
    private static int databaseNamed(Incident incident) {
        String participants = incident.attributes().get("deadlock.participants");
        return participants == null ? 0 : Integer.parseInt(participants);
    }

    /**
     * Incidents per race: in the transfer storm several races run (pairs and rings, which are different
     * cycles), so it is the most incidents of any one kind of cycle (participant count); elsewhere all of them.
     */
    private static int incidentsPerRace(Scenario scenario, List<Incident> incidents) {
        if (scenario != Scenario.TRANSFER_POOL) {
            return incidents.size();
        }
        Map<String, Integer> byKind = new LinkedHashMap<>();
        for (Incident i : incidents) {
            byKind.merge(String.valueOf(i.attributes().get("deadlock.participants")), 1, Integer::sum);
        }
        return byKind.values().stream().max(Integer::compare).orElse(0);
    }

    private static String shape(String sql) {
        return SANITIZER.sanitize(sql).fingerprint();
    }
}
