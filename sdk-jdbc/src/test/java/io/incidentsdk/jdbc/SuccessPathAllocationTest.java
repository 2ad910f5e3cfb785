package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.sink.InMemorySink;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The success path of a watched statement allocates nothing: measured with the JVM's per-thread allocation
 * counter around many executions of a reused prepared statement on a driver stub that itself allocates
 * nothing; and under a HikariCP pool a borrow cycle adds only the statement wrapper. (Speed is measured in the benchmarks module; this test only pins the allocation contract.)
 */
class SuccessPathAllocationTest {

    /** A driver stub: every method answers at once without allocating (no-arg calls, cached boxes). */
    private static <T> T stub(Class<T> type, Object connection, Object statement) {
        return type.cast(Proxy.newProxyInstance(SuccessPathAllocationTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getConnection":
                            return connection;
                        case "prepareStatement":
                            return statement;
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
}
