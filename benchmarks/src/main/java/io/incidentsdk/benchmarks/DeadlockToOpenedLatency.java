package io.incidentsdk.benchmarks;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.benchmarks.stub.StubDataSource;
import io.incidentsdk.benchmarks.stub.StubDatabase;
import io.incidentsdk.benchmarks.support.BenchSql;
import io.incidentsdk.benchmarks.support.OpenedLatencySink;
import io.incidentsdk.jdbc.JdbcIncidents;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * How long from a deadlock on the application thread until the OPENED event reaches a sink.
 *
 * <p>Each operation runs one statement that the stub driver fails with a PostgreSQL deadlock (SQLState
 * 40P01, vendor code 0, the measured message naming two backend processes) through a watched data source,
 * then waits until the sink (on the SDK's sink thread) has noted the OPENED event of that incident. The
 * sample is the whole operation: the driver's exception, the watch's work on the application thread
 * (classification, sanitizing, forensics look-up, building the incident), the hand-off to the pipeline
 * thread, the hand-off to the sink thread, and the benchmark thread noticing (it spins, yielding every 64
 * spins).
 *
 * <p><b>A new incident per operation.</b> An incident is keyed by a fingerprint over the kind, the data
 * source and the sanitized statement's fingerprint, which ignores literals; so each operation runs the same
 * statement on a table of its own ({@code UPDATE deadlock_victim_<n> ...}, {@code n} growing), through a
 * plain {@code Statement}: a statement never seen before, sanitized on the spot, as a new deadlock would be.
 * Open incidents would pile up (default bound: 1000 open incidents, after which signals are only counted),
 * so the SDK here resolves an incident after 200 ms without occurrences (housekeeping every 50 ms) and allows
 * 100,000 open incidents; their RESOLVED events go to the same sink, as they would in production.
 *
 * <p>JMH reports the percentiles of the operation time (SampleTime). The tear-down also prints the
 * percentiles of the exact latency, from just before the failing call to the sink's clock reading.
 *
 * @since 0.1.0
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class DeadlockToOpenedLatency {

    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int MAX_RECORDED = 1 << 22;

    private OpenedLatencySink sink;
    private IncidentSdk sdk;
    private Connection connection;
    private Statement statement;
    private long issued;
    private boolean measuring;
    private long[] latencies;
    private int recorded;

    /**
     * Starts an SDK with the latency sink and watches a PostgreSQL-like stub.
     *
     * @throws SQLException never expected from the stub
     */
    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        sink = new OpenedLatencySink();
        sdk = IncidentSdk.builder().service("incident-sdk-benchmarks", "0").sink(sink)
                .maxOpenIncidents(100_000)
                .quietPeriod(Duration.ofMillis(200))
                .housekeepingInterval(Duration.ofMillis(50))
                .build();
        DataSource watched = JdbcIncidents.watch(new StubDataSource(StubDatabase.postgresLike()), sdk);
        connection = watched.getConnection();
        statement = connection.createStatement();
        latencies = new long[MAX_RECORDED];
    }

    /**
     * Notes whether the coming iteration is measured (only those latencies are kept).
     *
     * @param iteration the iteration's parameters
     */
    @Setup(Level.Iteration)
    public void iteration(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
    }

    /**
     * Prints the exact latency percentiles and closes everything.
     *
     * @throws SQLException never expected from the stub
     */
    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        close();
        System.out.println(describe(Arrays.copyOf(latencies, recorded)));
    }

    /** Closes statement, connection and SDK. */
    void close() throws SQLException {
        statement.close();
        connection.close();
        sdk.close();
    }

    /** How many deadlock incidents the sink saw opened. */
    long openedIncidents() {
        return sink.opened();
    }

    /**
     * One deadlock of a new statement, until its OPENED event is in the sink.
     *
     * @return the sink's clock reading (consumed by JMH)
     */
    @Benchmark
    public long deadlockToOpened() {
        String sql = BenchSql.deadlockVictimOnTable(issued);
        long expected = ++issued;
        long start = System.nanoTime();
        try {
            statement.executeUpdate(sql);
            throw new IllegalStateException("the stub did not fail " + sql);
        } catch (SQLException expectedDeadlock) {
            // the application sees the driver's exception; the incident goes its way
        }
        long openedAt = sink.awaitOpened(expected, start + TIMEOUT_NANOS);
        if (measuring && recorded < latencies.length) {
            latencies[recorded++] = openedAt - start;
        }
        return openedAt;
    }

    /** Percentiles of latencies in nanoseconds, as one line in microseconds. */
    static String describe(long[] nanos) {
        if (nanos.length == 0) {
            return "deadlock -> OPENED (exact, sink clock): no measured samples";
        }
        Arrays.sort(nanos);
        return String.format(Locale.ROOT, "deadlock -> OPENED (exact, sink clock): n=%d p50=%.1f us p90=%.1f us "
                        + "p99=%.1f us p99.9=%.1f us max=%.1f us", nanos.length, at(nanos, 0.50), at(nanos, 0.90),
                at(nanos, 0.99), at(nanos, 0.999), nanos[nanos.length - 1] / 1_000.0);
    }

    private static double at(long[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1_000.0;
    }
}
