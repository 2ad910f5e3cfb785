package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The success path of a watched statement allocates nothing but a query's result-set wrapper: measured with the
 * JVM's per-thread allocation counter around many executions of reused statements, on a driver stub that itself
 * allocates nothing, and on the real drivers (H2, pgjdbc) against the same calls on the raw driver in the same test;
 * and under a HikariCP pool a borrow cycle adds only the statement wrapper. (Speed is measured in the benchmarks
 * module; this test only pins the allocation contract.)
 *
 * <p>This is the build's guard against allocation coming back on a real driver (issue 19: the JIT's escape
 * analysis removed our result-set wrapper on the stub and kept it on H2, so only a real driver showed what a query
 * costs). The result set is handed to a row mapper that keeps it, as a framework's mapper does, so a query pays
 * exactly its wrapper and nothing here depends on the JIT removing an allocation of ours.
 */
@ExtendWith(RealDatabases.class)
class SuccessPathAllocationTest {

    /** A driver stub: every method answers at once without allocating (no-arg calls, cached boxes). */
    private static <T> T stub(Class<T> type, Object connection, Object statement) {
        return stub(type, connection, statement, null);
    }

    /**
     * A driver stub whose {@code executeQuery} returns the given result sets in turn (two objects taking turns: a
     * new result set per query, as a real driver gives, without allocating one).
     */
    private static <T> T stub(Class<T> type, Object connection, Object statement, ResultSet[] resultSets) {
        int[] queries = {0};
        return type.cast(Proxy.newProxyInstance(SuccessPathAllocationTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getConnection":
                            return connection;
                        case "prepareStatement":
                            return statement;
                        case "createStatement":
                            return statement;
                        case "executeQuery":
                        case "getResultSet":
                            return resultSets[queries[0]++ & 1];
                        case "executeUpdate":
                            return 1;
                        case "execute":
                        case "getAutoCommit":
                        case "isValid":
                            return Boolean.TRUE;
                        case "getTransactionIsolation":
                            return Connection.TRANSACTION_READ_COMMITTED;
                        case "isWrapperFor":
                            return Boolean.FALSE;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        case "toString":
                            return type.getSimpleName() + " stub";
                        default:
                            // what a pool asks of a connection (timeouts, flags) answers with zero values
                            Class<?> returns = method.getReturnType();
                            return returns == int.class ? Integer.valueOf(0) : returns == boolean.class ? Boolean.FALSE
                                    : returns == long.class ? Long.valueOf(0L) : null;
                    }
                }));
    }

    /** What a row mapper of a framework does: keeps the result set (so it escapes), reads a row, closes it. */
    private static int mapRow(ResultSet rs) throws SQLException {
        try (ResultSet kept = rs) {
            lastMapped = kept;
            return kept.next() ? kept.getInt(1) : -1;
        }
    }

    /** Where {@link #mapRow} keeps the result set: a result set that escapes cannot be removed by the JIT. */
    private static volatile ResultSet lastMapped;

    @Test
    void executingAReusedPreparedStatementThroughTheWatchAllocatesNothing() throws Exception {
        PreparedStatement rawStatement = stub(PreparedStatement.class, null, null);
        Connection rawConnection = stub(Connection.class, null, rawStatement);
        DataSource raw = stub(DataSource.class, rawConnection, null);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();

        try (IncidentSdk sdk = IncidentSdk.builder().sink(new InMemorySink(10)).build()) {
            DataSource watched = JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder().dataSourceName("stub").build());
            try (Connection c = watched.getConnection();
                 PreparedStatement update = c.prepareStatement("UPDATE account SET balance = ? WHERE id = ?")) {
                for (int i = 0; i < 100_000; i++) { // warm up: let the JIT compile the path
                    update.executeUpdate();
                    update.execute();
                }
                long before = threads.getThreadAllocatedBytes(thread);
                for (int i = 0; i < 200_000; i++) {
                    update.executeUpdate();
                    update.execute();
                }
                long allocated = threads.getThreadAllocatedBytes(thread) - before;
                // one allocation of 16 bytes per call would be 6.4 MB; allow a few new spike buckets
                assertThat(allocated).as("bytes allocated by 400,000 watched executions").isLessThan(16_384);
            }
        }
    }

    /** Bytes allocated per borrow-prepare-execute-close cycle through {@code dataSource}, after a warm-up. */
    private static double bytesPerBorrowCycle(DataSource dataSource) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int cycles = 200_000;
        for (int i = 0; i < 100_000; i++) { // warm up: let the JIT compile the path
            borrowCycle(dataSource);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < cycles; i++) {
            borrowCycle(dataSource);
        }
        return (threads.getThreadAllocatedBytes(thread) - before) / (double) cycles;
    }

    private static void borrowCycle(DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE account SET balance = ? WHERE id = ?")) {
            update.executeUpdate();
        }
    }

    private static HikariDataSource pool(DataSource target, String name) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(target);
        config.setPoolName(name);
        config.setMaximumPoolSize(1);
        return new HikariDataSource(config);
    }

    @Test
    void underThePoolABorrowCycleAllocatesOnlyTheStatementWrapper() throws Exception {
        PreparedStatement rawStatement = stub(PreparedStatement.class, null, null);
        Connection rawConnection = stub(Connection.class, null, rawStatement);
        DataSource raw = stub(DataSource.class, rawConnection, null);
        JdbcWatchOptions options = JdbcWatchOptions.builder().dataSourceName("stub").build();

        try (IncidentSdk sdk = IncidentSdk.builder().sink(new InMemorySink(10)).build();
             HikariDataSource rawPool = pool(raw, "raw");
             HikariDataSource overPool = pool(raw, "over");
             HikariDataSource underPool = pool(JdbcIncidents.watch(raw, sdk, options), "under")) {
            DataSource under = JdbcIncidents.watchPool(underPool, underPool.getDataSource());
            DataSource over = JdbcIncidents.watch(overPool, sdk, options);

            double base = bytesPerBorrowCycle(rawPool);
            double underAdded = bytesPerBorrowCycle(under) - base;
            double overAdded = bytesPerBorrowCycle(over) - base;

            // under the pool: the 24-byte statement wrapper at most (no connection wrapper per borrow)
            assertThat(underAdded).as("bytes added per cycle under the pool (pool alone: %.1f)", base)
                    .isLessThan(40.0);
            // in front of the pool, for contrast: a connection wrapper per borrow as well
            assertThat(overAdded).as("bytes added per cycle in front of the pool").isGreaterThan(underAdded + 64.0);
        }
    }

    // ---------------------------------------------------------------- real drivers

    /**
     * Bytes per call we may add on top of what a path must allocate: below a quarter of the smallest object (16
     * bytes), so one more object of ours per call (or per fourth call) fails, while the driver's own noise passes.
     * Measured (same JVM, raw and watched in turn): the median difference is exactly what the path must allocate on
     * H2, pgjdbc and the stub, single rounds at most +0.5 B more (a spike-window bucket made now and then, the
     * driver's own occasional work).
     */
    static final double TOLERANCE_BYTES_PER_CALL = 4.0;

    /** An object of the shape of our result-set wrapper (three references), to learn its size on this JVM. */
    private record ThreeReferences(Object first, Object second, Object third) {
    }

    private static volatile Object kept;

    /**
     * The size of one result-set wrapper on this JVM: 24 bytes with compressed references (the default below a
     * 32 GB heap), 40 without. A query must allocate it (JDBC gives every result a handle of its own, and a row
     * mapper keeps it, so the JIT cannot remove it); nothing else.
     */
    private static double resultSetWrapperBytes() throws SQLException {
        Object anything = new Object();
        JdbcPath allocate = () -> kept = new ThreeReferences(anything, anything, anything);
        bytesPerCall(allocate, 20_000);
        return bytesPerCall(allocate, 20_000);
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SuccessPathAllocationTest.class);

    /** One JDBC path, run once per call. */
    @FunctionalInterface
    interface JdbcPath {
        void run() throws SQLException;
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static double bytesPerCall(JdbcPath path, int calls) throws SQLException {
        long thread = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        for (int i = 0; i < calls; i++) {
            path.run();
        }
        return (THREADS.getThreadAllocatedBytes(thread) - before) / (double) calls;
    }

    /** One path measured: raw and watched, and the rounds' figures. */
    private record Measured(String label, JdbcPath raw, JdbcPath watched, boolean query, double[] rawBytes,
                            double[] watchedBytes) {

        Measured(String label, JdbcPath raw, JdbcPath watched, boolean query, int rounds) {
            this(label, raw, watched, query, new double[rounds], new double[rounds]);
        }

        /** The median over the rounds of (watched - raw): one round that met a compilation does not decide. */
        double addedBytes() {
            double[] added = new double[rawBytes.length];
            for (int r = 0; r < added.length; r++) {
                added[r] = watchedBytes[r] - rawBytes[r];
            }
            Arrays.sort(added);
            return added[added.length / 2];
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(String.format("%s: median %+.2f B per call; rounds (raw, watched):",
                    label, addedBytes()));
            for (int r = 0; r < rawBytes.length; r++) {
                text.append(String.format(" (%.1f, %.1f)", rawBytes[r], watchedBytes[r]));
            }
            return text.toString();
        }
    }

    /**
     * Measures the bytes per call of each path, raw and watched: first a warm-up of every path (long enough for C2
     * to compile the driver and the wrappers), then rounds of {@code calls} in which raw and watched take turns,
     * which of them goes first alternating (the driver's own allocation still falls a little while the JIT works).
     */
    private static void measure(List<Measured> paths, int warmUp, int calls) throws SQLException {
        for (Measured path : paths) {
            bytesPerCall(path.raw(), warmUp);
            bytesPerCall(path.watched(), warmUp);
        }
        int rounds = paths.get(0).rawBytes().length;
        for (int r = 0; r < rounds; r++) {
            for (Measured path : paths) {
                if ((r & 1) == 0) {
                    path.rawBytes()[r] = bytesPerCall(path.raw(), calls);
                    path.watchedBytes()[r] = bytesPerCall(path.watched(), calls);
                } else {
                    path.watchedBytes()[r] = bytesPerCall(path.watched(), calls);
                    path.rawBytes()[r] = bytesPerCall(path.raw(), calls);
                }
            }
        }
    }

    /** The paths of reused statements, on one connection in auto-commit mode. */
    private static Map<String, JdbcPath> autoCommitPaths(Connection c, String table) throws SQLException {
        PreparedStatement select = c.prepareStatement("SELECT balance FROM " + table + " WHERE id = ?");
        select.setInt(1, 1);
        PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET balance = balance + 1 WHERE id = ?");
        update.setInt(1, 1);
        Statement plain = c.createStatement();
        String plainSql = "SELECT balance FROM " + table + " WHERE id = 2";
        Map<String, JdbcPath> paths = new LinkedHashMap<>();
        paths.put("prepared executeQuery, row mapped", () -> mapRow(select.executeQuery()));
        paths.put("prepared executeUpdate", update::executeUpdate);
        paths.put("plain executeQuery(sql), row mapped", () -> mapRow(plain.executeQuery(plainSql)));
        paths.put("prepared execute + getResultSet, row mapped", () -> {
            select.execute();
            mapRow(select.getResultSet());
        });
        return paths;
    }

    /** An explicit transaction of two updates by key (ascending, bound with setInt) and a commit. */
    private static JdbcPath transaction(Connection tx, String table) throws SQLException {
        tx.setAutoCommit(false);
        PreparedStatement update = tx.prepareStatement("UPDATE " + table + " SET balance = balance + 1 WHERE id = ?");
        return () -> {
            update.setInt(1, 3);
            update.executeUpdate();
            update.setInt(1, 4);
            update.executeUpdate();
            tx.commit();
        };
    }

    /** The measured paths of one driver: raw and watched connections on one table, closed together. */
    private static final class DriverPaths implements AutoCloseable {
        final String driver;
        final int warmUp;
        final int calls;
        final List<Measured> paths = new ArrayList<>();
        private final List<Connection> open = new ArrayList<>();
        private final IncidentSdk sdk;
        private final Runnable dropTable;

        DriverPaths(String driver, DataSource raw, String table, int warmUp, int calls, int rounds,
                    Runnable dropTable) throws SQLException {
            this.driver = driver;
            this.warmUp = warmUp;
            this.calls = calls;
            this.dropTable = dropTable;
            this.sdk = IncidentSdk.builder().sink(new InMemorySink(10)).build();
            JdbcWatchOptions defaults = JdbcWatchOptions.builder().dataSourceName("alloc").build();
            JdbcWatchOptions everyTransaction = JdbcWatchOptions.builder().dataSourceName("alloc-all")
                    .lockOrderSampling(1.0).build();
            Map<String, JdbcPath> rawPaths = autoCommitPaths(connection(raw), table);
            Map<String, JdbcPath> watchedPaths = autoCommitPaths(connection(JdbcIncidents.watch(raw, sdk, defaults)),
                    table);
            for (String path : rawPaths.keySet()) {
                paths.add(new Measured(path, rawPaths.get(path), watchedPaths.get(path), path.contains("row mapped"),
                        rounds));
            }
            // the lock-order analysis follows explicit transactions: at its default rate and at every one (each
            // watched connection has a raw one of its own with the same history: a driver's session state, H2's
            // transaction maps for one, shapes what the driver allocates)
            paths.add(new Measured("explicit transaction, lock-order sampling " + defaults.lockOrderSampling(),
                    transaction(connection(raw), table),
                    transaction(connection(JdbcIncidents.watch(raw, sdk, defaults)), table), false, rounds));
            paths.add(new Measured("explicit transaction, lock-order sampling 1.0", transaction(connection(raw), table),
                    transaction(connection(JdbcIncidents.watch(raw, sdk, everyTransaction)), table), false, rounds));
        }

        private Connection connection(DataSource dataSource) throws SQLException {
            Connection c = dataSource.getConnection();
            open.add(0, c);
            return c;
        }

        @Override
        public void close() throws SQLException {
            for (Connection c : open) {
                c.close();
            }
            sdk.close();
            dropTable.run();
        }
    }

    /** A real database's paths, on a table of its own dropped at close. */
    private static DriverPaths realDriver(Database database, TestDatabases databases, int warmUp, int calls,
                                          int rounds) throws SQLException {
        DataSource raw = databases.dataSource(database);
        String table = TestDatabases.uniqueName("alloc");
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, balance INT NOT NULL)");
            s.execute("INSERT INTO " + table + " (id, balance) VALUES (1, 0), (2, 0), (3, 0), (4, 0)");
        }
        return new DriverPaths(database.name(), raw, table, warmUp, calls, rounds, () -> {
            try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE " + table);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The same paths on the driver stub (a third driver class at every call site; it allocates nothing itself). */
    private static DriverPaths stubDriver(int warmUp, int calls, int rounds) throws SQLException {
        ResultSet[] results = {stub(ResultSet.class, null, null), stub(ResultSet.class, null, null)};
        PreparedStatement statement = stub(PreparedStatement.class, null, null, results);
        Connection connection = stub(Connection.class, null, statement);
        DataSource raw = stub(DataSource.class, connection, null);
        return new DriverPaths("stub", raw, "account", warmUp, calls, rounds, () -> { });
    }

    /**
     * On H2 and pgjdbc (and the stub), the bytes the watch adds to a call of a reused statement, against the raw
     * driver doing the same calls in this test: a query's result-set wrapper, nothing else. Before anything is
     * measured, every path runs on all three drivers,
     * raw and watched, so that each call site (the wrapper's calls into the driver, the test's calls into the raw
     * driver or the wrapper) has seen three classes and the JIT compiles the driver's methods on their own: the
     * driver's code is then the same whether the wrapper or the test calls it, and what the driver allocates does
     * not depend on where the JIT inlined it (with one driver, the raw side once allocated 24 B more per H2
     * transaction than the same driver code inlined into the wrapper: an escape-analysis difference of the driver's,
     * either way round).
     */
    @Test
    void onRealDriversTheWatchAddsNothingToACallButAQuerysResultSetWrapper(TestDatabases databases) throws Exception {
        int rounds = 9;
        // H2 answers in a few microseconds, PostgreSQL in tens: fewer calls there (the signal, 16 B x calls, stays)
        try (DriverPaths h2 = realDriver(Database.H2, databases, 12_000, 1_500, rounds);
             DriverPaths postgres = realDriver(Database.POSTGRESQL, databases, 1_000, 200, rounds);
             DriverPaths stub = stubDriver(20_000, 5_000, rounds)) {
            List<DriverPaths> drivers = List.of(h2, postgres, stub);
            for (int i = 0; i < 300; i++) {
                for (DriverPaths driver : drivers) {
                    for (Measured path : driver.paths) {
                        path.raw().run();
                        path.watched().run();
                    }
                }
            }
            for (DriverPaths driver : drivers) {
                measure(driver.paths, driver.warmUp, driver.calls);
            }
            double wrapper = resultSetWrapperBytes();
            List<String> over = new ArrayList<>();
            for (DriverPaths driver : drivers) {
                String report = driver.paths.stream().map(Measured::toString)
                        .collect(java.util.stream.Collectors.joining("\n"));
                LOG.info("Bytes the watch adds per call on {} ({} calls per round; a result-set wrapper is {} B):\n{}",
                        driver.driver, driver.calls, wrapper, report);
                for (Measured path : driver.paths) {
                    double allowed = (path.query() ? wrapper : 0.0) + TOLERANCE_BYTES_PER_CALL;
                    if (!(path.addedBytes() < allowed)) {
                        over.add(String.format("%s, %s (allowed: less than %.0f B)", driver.driver, path, allowed));
                    }
                }
            }
            assertThat(over).as("paths where the watch adds more than %s per call",
                    "its result-set wrapper (" + wrapper + " B) to a query, nothing to the others, with "
                            + TOLERANCE_BYTES_PER_CALL + " B of tolerance").isEmpty();
        }
    }
}
