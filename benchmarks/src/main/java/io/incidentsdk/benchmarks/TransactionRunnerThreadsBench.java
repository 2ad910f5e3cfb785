package io.incidentsdk.benchmarks;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.TransactionRunner;
import io.incidentsdk.benchmarks.stub.StubDataSource;
import io.incidentsdk.benchmarks.stub.StubDatabase;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A {@link TransactionRunner} unit (one prepared update and a commit) on the stub driver, run by 1, 2 and 8
 * threads that share one runner and the process-wide retry budget, as the threads of a service do. Every unit
 * starts with {@code RetryBudget.unitStarted()}: this is where a process-wide lock or a clock reading per unit
 * would show as time that grows with the thread count. {@code watched} runs through a watched data source
 * (the SDK's whole path), {@code raw} through the stub data source directly (the runner alone). On a 2-core
 * machine 8 threads are oversubscribed: compare per-thread time, not throughput.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class TransactionRunnerThreadsBench {

    private static final String UPDATE = "UPDATE account SET balance = balance + ? WHERE id = ?";

    /** {@code raw} (the runner on the stub data source) or {@code watched} (through the watch). */
    @Param({"raw", "watched"})
    public String path;

    private IncidentSdk sdk;
    private TransactionRunner runner;
    private final TransactionRunner.Work<Integer> work = TransactionRunnerThreadsBench::update;

    /** Builds the data source, the SDK and one runner shared by all threads. */
    @Setup(Level.Trial)
    public void setUp() {
        DataSource stub = new StubDataSource(StubDatabase.postgresLike());
        sdk = IncidentSdk.builder().service("bench-runner-threads", "0").sink(new InMemorySink(16)).build();
        DataSource ds = "watched".equals(path)
                ? JdbcIncidents.watch(stub, sdk, JdbcWatchOptions.builder().dataSourceName("bench-threads-" + path)
                        .build())
                : stub;
        runner = TransactionRunner.on(ds, RetryPolicy.defaults());
    }

    /** Closes the SDK. */
    @TearDown(Level.Trial)
    public void tearDown() {
        sdk.close();
    }

    private static Integer update(Connection connection) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
            update.setInt(1, 1);
            update.setInt(2, 1);
            return update.executeUpdate();
        }
    }

    /**
     * One unit on one thread.
     *
     * @return rows updated
     * @throws SQLException never expected
     */
    @Benchmark
    @Threads(1)
    public int threads1() throws SQLException {
        return runner.inTransaction(work);
    }

    /**
     * One unit, two threads at once.
     *
     * @return rows updated
     * @throws SQLException never expected
     */
    @Benchmark
    @Threads(2)
    public int threads2() throws SQLException {
        return runner.inTransaction(work);
    }

    /**
     * One unit, eight threads at once.
     *
     * @return rows updated
     * @throws SQLException never expected
     */
    @Benchmark
    @Threads(8)
    public int threads8() throws SQLException {
        return runner.inTransaction(work);
    }
}
