package io.incidentsdk.jdbc.differential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.TransactionRunner;
import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 10, point 3: a unit that throws a checked exception other than {@code SQLException} (as Kotlin code
 * or Lombok {@code @SneakyThrows} do) is rolled back and its connection closed; with a pool of one, the next
 * unit gets the connection at once.
 */
@ExtendWith(RealDatabases.class)
class SneakyCheckedExceptionRegressionTest {

    private final IncidentSdk sdk = IncidentSdk.builder().sink(new InMemorySink(100)).build();
    private HikariDataSource pool;

    @AfterEach
    void close() {
        sdk.close();
        if (pool != null) {
            pool.close();
        }
    }

    /** Throws a checked exception without declaring it, as the Kotlin compiler and Lombok let code do. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Database.class)
    void aSneakyCheckedExceptionRollsTheUnitBackAndFreesItsConnection(Database database, TestDatabases dbs)
            throws Exception {
        DataSource raw = database == Database.H2 ? dbs.freshH2() : dbs.dataSource(database);
        Tables table = Tables.create(raw, database, true);
        HikariConfig config = new HikariConfig();
        config.setDataSource(raw);
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(1_000);
        config.setPoolName("sneaky-" + database);
        pool = new HikariDataSource(config);
        TransactionRunner runner = TransactionRunner.on(JdbcIncidents.watch(pool, sdk));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            IOException sneaky = new IOException("payment provider unreachable");
            Throwable thrown = catchThrowable(() -> runner.run(c -> {
                Tables.insert(c, table.name(), 1);
                sneakyThrow(sneaky);
            }));
            assertThat(thrown).as("the unit's own exception reaches the caller").isSameAs(sneaky);

            // the next unit, on another thread, as the next request would: the pool's one connection is free
            Future<Void> next = thread.submit(() -> {
                runner.run(c -> Tables.insert(c, table.name(), 2));
                return null;
            });
            try {
                next.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("the next unit failed: the first one kept the pool's only connection", e.getCause());
            } catch (TimeoutException e) {
                throw new AssertionError("the next unit hangs: the first one kept the pool's only connection, with its "
                        + "transaction open", e);
            }
            assertThat(table.ids()).as("the failed unit's insert was rolled back").containsExactly(2);
        } finally {
            thread.shutdownNow();
            pool.close();
            table.drop();
        }
    }
}
