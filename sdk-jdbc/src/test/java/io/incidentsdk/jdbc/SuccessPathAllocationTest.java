package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

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
 * nothing. (Speed is measured in the benchmarks module; this test only pins the allocation contract.)
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
                            return Boolean.TRUE;
                        case "isWrapperFor":
                            return Boolean.FALSE;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        case "toString":
                            return type.getSimpleName() + " stub";
                        default:
                            return null;
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
}
