package io.incidentsdk.benchmarks.transfer;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.jdbc.internal.lockorder.GateRestartException;
import io.incidentsdk.jdbc.internal.lockorder.LockOrderGates;
import io.incidentsdk.jdbc.internal.watch.JdbcWatch;
import io.incidentsdk.jdbc.internal.wrap.WatchedDataSource;
import io.incidentsdk.jdbc.RetryBudget;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.TransactionRunner;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Concurrent money transfers between a few accounts, run for a fixed time by worker threads through a
 * HikariCP pool watched by the SDK: each transfer updates two account rows (debit and credit) and appends a
 * ledger row in one transaction. How the two rows are locked and whether the {@link TransactionRunner} runs the
 * transfer depend on the {@link TransferVariant}. After each variant the invariant is checked in the database:
 * the sum of the balances is unchanged, the ledger has exactly one row per transfer the application saw
 * committed, and every balance equals its start plus what the ledger says came in minus what went out.
 *
 * <p>Tables (dropped and created by {@link #createTables()}): {@code bench_transfer_account(id, balance)} and
 * {@code bench_transfer_ledger(id, from_id, to_id, amount, attempts)}. SQL that PostgreSQL and H2 both run.
 *
 * @since 0.1.0
 */
public final class TransferWorkload {

    /** The balance every account starts each variant with. */
    public static final long INITIAL_BALANCE = 1_000_000L;

    private static final String UPDATE = "UPDATE bench_transfer_account SET balance = balance + ? WHERE id = ?";
    private static final String INSERT = "INSERT INTO bench_transfer_ledger (from_id, to_id, amount, attempts) VALUES (?, ?, ?, ?)";

    private final String url;
    private final String user;
    private final String password;
    private final int threads;
    private final int accounts;

    /**
     * Describes the workload.
     *
     * @param url      the JDBC URL
     * @param user     the user
     * @param password the password
     * @param threads  worker threads (the pool has as many connections), at least 1
     * @param accounts accounts transferred between, at least 2
     */
    public TransferWorkload(String url, String user, String password, int threads, int accounts) {
        if (threads < 1 || accounts < 2) {
            throw new IllegalArgumentException("need at least 1 thread and 2 accounts, were " + threads + " and " + accounts);
        }
        this.url = url;
        this.user = user;
        this.password = password;
        this.threads = threads;
        this.accounts = accounts;
    }

    /**
     * Drops and creates the two tables.
     *
     * @throws SQLException when the database refuses
     */
    public void createTables() throws SQLException {
        try (HikariDataSource pool = pool(1); Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_transfer_ledger");
            s.execute("DROP TABLE IF EXISTS bench_transfer_account");
            s.execute("CREATE TABLE bench_transfer_account (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            s.execute("CREATE TABLE bench_transfer_ledger (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                    + "from_id INT NOT NULL, to_id INT NOT NULL, amount BIGINT NOT NULL, attempts INT NOT NULL)");
        }
    }

    /**
     * Drops the two tables.
     *
     * @throws SQLException when the database refuses
     */
    public void dropTables() throws SQLException {
        try (HikariDataSource pool = pool(1); Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_transfer_ledger");
            s.execute("DROP TABLE IF EXISTS bench_transfer_account");
        }
    }

    /**
     * Reads a server setting (PostgreSQL's {@code SHOW}).
     *
     * @param name the setting, e.g. {@code deadlock_timeout}
     * @return its value, or {@code "?"} when the database cannot say
     */
    public String setting(String name) {
        try (HikariDataSource pool = pool(1); Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW " + name)) {
            return rs.next() ? rs.getString(1) : "?";
        } catch (SQLException e) {
            return "?";
        }
    }

    /**
     * Runs one variant for the given time and checks the invariant.
     *
     * @param variant  the variant
     * @param duration how long the workers start new transfers
     * @return what happened
     * @throws SQLException         when the tables cannot be reset or checked
     * @throws InterruptedException when interrupted while waiting for the workers
     */
    public TransferResult run(TransferVariant variant, Duration duration) throws SQLException, InterruptedException {
        reset();
        InMemorySink sink = new InMemorySink(10_000);
        RetryBudget budget = RetryBudget.builder().build(); // the defaults, a bucket of its own per variant
        RetryPolicy policy = RetryPolicy.builder().budget(budget).build();
        List<Worker> workers = new ArrayList<>();
        long elapsed;
        try (HikariDataSource pool = pool(threads);
             IncidentSdk sdk = IncidentSdk.builder().service("incident-sdk-transfer-check", "0").sink(sink).build()) {
            DataSource watched = JdbcIncidents.watch(pool, sdk, JdbcWatchOptions.builder()
                    .lockOrderAvoidance(variant.avoidance()).build());
            TransactionRunner runner = TransactionRunner.on(watched, policy);
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    Worker worker = new Worker(variant, watched, runner, accounts);
                    workers.add(worker);
                    done.add(executor.submit(() -> {
                        start.await();
                        worker.loop(System.nanoTime() + duration.toNanos());
                        return null;
                    }));
                }
                long begin = System.nanoTime();
                start.countDown();
                for (Future<?> f : done) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        throw new IllegalStateException("a transfer worker failed", e.getCause());
                    }
                }
                elapsed = System.nanoTime() - begin;
                notes.put(variant, gateNotes(watched, workers, begin));
            } finally {
                executor.shutdownNow();
            }
        }
        return result(variant, elapsed, workers, sink, budget.refused());
    }

    private final Map<TransferVariant, String> notes = new java.util.EnumMap<>(TransferVariant.class);

    /**
     * What the lock-order gate did in the last run of a variant (D, E): deadlocks and when, gate restarts, waits.
     *
     * @param variant the variant
     * @return a line, or {@code null} for a variant without the gate
     */
    public String notes(TransferVariant variant) {
        return notes.get(variant);
    }

    private static String gateNotes(DataSource watched, List<Worker> workers, long begin) {
        if (!(WatchedDataSource.observerOf(watched) instanceof JdbcWatch watch) || watch.lockOrder().gates() == null) {
            return null;
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long restarts = 0;
        for (Worker w : workers) {
            if (w.firstDeadlock != 0L) {
                first = Math.min(first, w.firstDeadlock - begin);
                last = Math.max(last, w.lastDeadlock - begin);
            }
            restarts += w.gateRestarts;
        }
        LockOrderGates.Stats stats = watch.lockOrder().gates().stats();
        return String.format(java.util.Locale.ROOT, "deadlocks %s; gate: %,d gated transactions, %,d waits (%,d ms in "
                        + "all, longest %,d ms), %,d restarts (units run again at once with their gates in canonical "
                        + "order)", first == Long.MAX_VALUE ? "none"
                        : "between " + first / 1_000_000 + " ms and " + last / 1_000_000 + " ms after the start",
                stats.gatedTransactions(), stats.waits(), stats.waitMillis(), stats.maxWaitMillis(), restarts);
    }

    private TransferResult result(TransferVariant variant, long elapsed, List<Worker> workers, InMemorySink sink,
                                  long budgetRefused) throws SQLException {
        long transfers = 0;
        long attempts = 0;
        long deadlocks = 0;
        long failed = 0;
        Map<String, Long> failures = new TreeMap<>();
        long[] latencies = new long[0];
        for (Worker w : workers) {
            transfers += w.transfers;
            attempts += w.attempts;
            deadlocks += w.deadlocks;
            failed += w.failed;
            w.failures.forEach((state, n) -> failures.merge(state, n, Long::sum));
            int from = latencies.length;
            latencies = Arrays.copyOf(latencies, from + w.latencyCount);
            System.arraycopy(w.latencies, 0, latencies, from, w.latencyCount);
        }
        Arrays.sort(latencies);
        long deadlockOccurrences = 0;
        Map<String, Long> incidents = new TreeMap<>();
        for (Incident incident : sink.incidents().values()) {
            if (incident.kind() == IncidentKind.DEADLOCK) {
                deadlockOccurrences += incident.occurrences();
            }
            String key = incident.kind() + " " + incident.severity()
                    + (incident.retry() == null ? "" : " retry " + incident.retry().outcome());
            incidents.merge(key, incident.occurrences(), Long::sum);
        }
        long sum;
        long ledgerRows;
        long mismatched;
        try (HikariDataSource pool = pool(1); Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            sum = single(s, "SELECT SUM(balance) FROM bench_transfer_account");
            ledgerRows = single(s, "SELECT COUNT(*) FROM bench_transfer_ledger");
            mismatched = single(s, "SELECT COUNT(*) FROM bench_transfer_account a WHERE a.balance <> " + INITIAL_BALANCE
                    + " - COALESCE((SELECT SUM(l.amount) FROM bench_transfer_ledger l WHERE l.from_id = a.id), 0)"
                    + " + COALESCE((SELECT SUM(l.amount) FROM bench_transfer_ledger l WHERE l.to_id = a.id), 0)");
        }
        return new TransferResult(variant, threads, accounts, elapsed, transfers, attempts, deadlocks, failed, failures,
                deadlockOccurrences, incidents, budgetRefused, INITIAL_BALANCE * accounts, sum, ledgerRows, mismatched,
                percentile(latencies, 0.50), percentile(latencies, 0.99),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1]);
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void reset() throws SQLException {
        try (HikariDataSource pool = pool(1); Connection c = pool.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM bench_transfer_ledger");
                s.execute("DELETE FROM bench_transfer_account");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO bench_transfer_account (id, balance) VALUES (?, ?)")) {
                for (int id = 1; id <= accounts; id++) {
                    insert.setInt(1, id);
                    insert.setLong(2, INITIAL_BALANCE);
                    insert.executeUpdate();
                }
            }
        }
    }

    private HikariDataSource pool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setPoolName("transfer-check");
        config.setConnectionTimeout(30_000);
        return new HikariDataSource(config);
    }

    /** One worker thread's loop and counts. */
    private static final class Worker {
        private final TransferVariant variant;
        private final DataSource watched;
        private final TransactionRunner runner;
        private final int accounts;
        private final Map<String, Long> failures = new TreeMap<>();
        private long[] latencies = new long[1024];
        private int latencyCount;
        private long transfers;
        private long attempts;
        private long deadlocks;
        private long failed;
        private int attemptsOfThisTransfer;
        private long gateRestarts;
        private long firstDeadlock;
        private long lastDeadlock;

        Worker(TransferVariant variant, DataSource watched, TransactionRunner runner, int accounts) {
            this.variant = variant;
            this.watched = watched;
            this.runner = runner;
            this.accounts = accounts;
        }

        void loop(long deadline) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (System.nanoTime() - deadline < 0) {
                int from = 1 + random.nextInt(accounts);
                int other = 1 + random.nextInt(accounts - 1);
                int to = other >= from ? other + 1 : other;
                long amount = 1 + random.nextInt(100);
                int first;
                if (variant.race()) {
                    first = random.nextBoolean() ? from : to; // two code paths, opposite lock order
                } else {
                    first = Math.min(from, to);
                }
                attemptsOfThisTransfer = 0;
                long begin = System.nanoTime();
                try {
                    if (variant.runner()) {
                        runner.run(c -> transfer(c, from, to, first, amount));
                    } else {
                        UnitPaths.byHand(watched, c -> {
                            transfer(c, from, to, first, amount);
                            return 0;
                        });
                    }
                    transfers++;
                    record(System.nanoTime() - begin);
                } catch (SQLException e) {
                    failed++;
                    failures.merge(String.valueOf(e.getSQLState()), 1L, Long::sum);
                }
            }
        }

        private void record(long nanos) {
            if (latencyCount == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[latencyCount++] = nanos;
        }

        private void transfer(Connection c, int from, int to, int first, long amount) throws SQLException {
            attemptsOfThisTransfer++;
            attempts++;
            int second = first == from ? to : from;
            try (PreparedStatement update = c.prepareStatement(UPDATE)) {
                move(update, first, first == from ? -amount : amount);
                move(update, second, second == from ? -amount : amount);
            } catch (SQLException e) {
                String state = e.getSQLState();
                if (e instanceof GateRestartException) {
                    gateRestarts++; // the gate refused a wait that would have closed a cycle: not a deadlock
                } else if ("40P01".equals(state) || "40001".equals(state)) {
                    deadlocks++;
                    long now = System.nanoTime();
                    lastDeadlock = now;
                    if (firstDeadlock == 0L) {
                        firstDeadlock = now;
                    }
                }
                throw e;
            }
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                insert.setInt(1, from);
                insert.setInt(2, to);
                insert.setLong(3, amount);
                insert.setInt(4, attemptsOfThisTransfer);
                insert.executeUpdate();
            }
        }

        private static void move(PreparedStatement update, int id, long delta) throws SQLException {
            update.setLong(1, delta);
            update.setInt(2, id);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("account " + id + " not found");
            }
        }
    }
}
