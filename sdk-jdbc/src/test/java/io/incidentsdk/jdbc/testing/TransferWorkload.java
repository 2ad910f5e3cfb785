package io.incidentsdk.jdbc.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * The race condition of the founding postmortem as a workload: money moves between accounts, and half of
 * the code paths lock the two rows in the opposite order (credit first, then debit), so concurrent
 * transfers deadlock. Each transfer also writes one ledger row keyed by its id, so a test can check that
 * every transfer happened exactly once and that the sum of the balances never changed.
 *
 * @since 0.1.0
 */
public final class TransferWorkload {

    /** Accounts in the table. */
    public static final int ACCOUNTS = 10;
    /** The balance every account starts with. */
    public static final long INITIAL_BALANCE = 1_000_000;

    private final DataSource dataSource;
    private final String accounts;
    private final String ledger;
    private final AtomicLong nextTransferId = new AtomicLong();

    /** Runs one transfer's statements on a connection: the caller owns the transaction. */
    @FunctionalInterface
    public interface Executor {
        /**
         * Executes one transfer.
         *
         * @param transfer what to move
         * @throws SQLException when the transfer failed
         */
        void execute(Transfer transfer) throws SQLException;
    }

    /**
     * One transfer.
     *
     * @param id       unique id (the ledger key)
     * @param from     account debited
     * @param to       account credited
     * @param amount   cents moved
     * @param opposite {@code true} for the code path that locks {@code to} first
     * @since 0.1.0
     */
    public record Transfer(long id, int from, int to, long amount, boolean opposite) {
    }

    /**
     * What a run did.
     *
     * @param attempted  transfers started
     * @param failed     transfers that ended with an exception
     * @param failures   the exceptions, by SQLState (at most the first 1000 kept in {@code examples})
     * @param examples   some of the exceptions
     * @since 0.1.0
     */
    public record Result(long attempted, long failed, Map<String, Long> failures, List<SQLException> examples) {
    }

    private TransferWorkload(DataSource dataSource, String accounts, String ledger) {
        this.dataSource = dataSource;
        this.accounts = accounts;
        this.ledger = ledger;
    }

    /**
     * Creates fresh account and ledger tables.
     *
     * @param dataSource where to create them (and run the transfers)
     * @return the workload
     * @throws SQLException when the tables cannot be created
     */
    public static TransferWorkload create(DataSource dataSource) throws SQLException {
        String accounts = TestDatabases.uniqueName("account");
        String ledger = TestDatabases.uniqueName("ledger");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + accounts + " (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            s.execute("CREATE TABLE " + ledger + " (transfer_id BIGINT PRIMARY KEY, from_id INT NOT NULL, "
                    + "to_id INT NOT NULL, amount BIGINT NOT NULL)");
            StringBuilder values = new StringBuilder();
            for (int id = 1; id <= ACCOUNTS; id++) {
                values.append(id == 1 ? "" : ", ").append('(').append(id).append(", ").append(INITIAL_BALANCE).append(')');
            }
            s.execute("INSERT INTO " + accounts + " VALUES " + values);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        return new TransferWorkload(dataSource, accounts, ledger);
    }

    /**
     * The statements of one transfer, on a connection whose transaction the caller owns.
     *
     * @param connection the connection
     * @param transfer   the transfer
     * @throws SQLException when a statement fails
     */
    public void transfer(Connection connection, Transfer transfer) throws SQLException {
        String debit = "UPDATE " + accounts + " SET balance = balance - ? WHERE id = ?";
        String credit = "UPDATE " + accounts + " SET balance = balance + ? WHERE id = ?";
        if (transfer.opposite()) {
            update(connection, credit, transfer.amount(), transfer.to());
            update(connection, debit, transfer.amount(), transfer.from());
        } else {
            update(connection, debit, transfer.amount(), transfer.from());
            update(connection, credit, transfer.amount(), transfer.to());
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + ledger + " (transfer_id, from_id, to_id, amount) VALUES (?, ?, ?, ?)")) {
            insert.setLong(1, transfer.id());
            insert.setInt(2, transfer.from());
            insert.setInt(3, transfer.to());
            insert.setLong(4, transfer.amount());
            insert.executeUpdate();
        }
    }

    /**
     * The plain way, without retry: one transaction per transfer, rolled back on failure.
     *
     * @param transfer the transfer
     * @throws SQLException when it failed (after the rollback)
     */
    public void transferWithoutRetry(Transfer transfer) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                transfer(c, transfer);
                c.commit();
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static void update(Connection c, String sql, long amount, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, amount);
            s.setInt(2, id);
            if (s.executeUpdate() != 1) {
                throw new IllegalStateException("account " + id + " is missing");
            }
        }
    }

    /**
     * Runs transfers between random pairs of accounts from several threads at once; half of them take the
     * opposite lock order.
     *
     * @param threads            threads
     * @param transfersPerThread transfers each thread runs
     * @param seed               seed of the random pairs
     * @param executor           how one transfer is run
     * @return what happened
     * @throws Exception when a thread could not be run
     */
    public Result run(int threads, int transfersPerThread, long seed, Executor executor) throws Exception {
        Objects.requireNonNull(executor, "executor");
        LongAdder failed = new LongAdder();
        LongAdder attempted = new LongAdder();
        Map<String, Long> failures = new ConcurrentHashMap<>();
        List<SQLException> examples = java.util.Collections.synchronizedList(new ArrayList<>());
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "transfer-worker-" + r.hashCode());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(seed * 31 + t);
                done.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    for (int i = 0; i < transfersPerThread; i++) {
                        int from = 1 + random.nextInt(ACCOUNTS);
                        int to = 1 + random.nextInt(ACCOUNTS - 1);
                        if (to >= from) {
                            to++;
                        }
                        Transfer transfer = new Transfer(nextTransferId.getAndIncrement(), from, to,
                                1 + random.nextInt(100), random.nextBoolean());
                        attempted.increment();
                        try {
                            executor.execute(transfer);
                        } catch (SQLException e) {
                            failed.increment();
                            failures.merge(String.valueOf(e.getSQLState()), 1L, Long::sum);
                            if (examples.size() < 1000) {
                                examples.add(e);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(attempted.sum(), failed.sum(), Map.copyOf(failures), List.copyOf(examples));
    }

    /**
     * The sum of all balances.
     *
     * @return the sum (always {@code ACCOUNTS * INITIAL_BALANCE} if money was neither created nor lost)
     * @throws SQLException when the query fails
     */
    public long totalBalance() throws SQLException {
        return queryLong("SELECT SUM(balance) FROM " + accounts);
    }

    /**
     * Ledger rows.
     *
     * @return the count
     * @throws SQLException when the query fails
     */
    public long ledgerRows() throws SQLException {
        return queryLong("SELECT COUNT(*) FROM " + ledger);
    }

    /**
     * Distinct transfer ids in the ledger.
     *
     * @return the count
     * @throws SQLException when the query fails
     */
    public long distinctLedgerTransfers() throws SQLException {
        return queryLong("SELECT COUNT(DISTINCT transfer_id) FROM " + ledger);
    }

    /**
     * Transfer ids handed out so far.
     *
     * @return the count
     */
    public long transfersStarted() {
        return nextTransferId.get();
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Drops the tables.
     *
     * @throws SQLException when dropping fails
     */
    public void drop() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + ledger);
            s.execute("DROP TABLE " + accounts);
        }
    }
}
