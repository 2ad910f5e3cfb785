package io.incidentsdk.benchmarks;

import io.incidentsdk.benchmarks.stub.StubDataSource;
import io.incidentsdk.benchmarks.stub.StubDatabase;
import io.incidentsdk.benchmarks.support.BenchSql;
import io.incidentsdk.benchmarks.support.Variant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost on the application thread of one failed call in a storm of identical failures: the same
 * prepared statement failing again and again on the stub driver, so
 * every failure after the first is an aggregated repeat of one open incident (one fingerprint).
 *
 * <p>{@code failure}: {@code deadlock} (40P01, the PostgreSQL message naming two backend processes, so the
 * watch also looks for the other transaction of the cycle) or {@code lockTimeout} (55P03: an incident
 * category without deadlock forensics, so the pure cost of classifying and counting a repeat).
 *
 * <p>{@code raw} is the driver's own exception (a new one per failure, with its stack trace);
 * {@code handwritten} adds the floor of a wrapper; {@code incidentsdk} adds classification, counting, the
 * spike window and the repeat of the open incident. Run with {@code -prof gc} for bytes per failed call.
 * The heap over a million failures is checked by {@link StormHeapCheck}.
 *
 * @since 0.1.0
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class FailureStorm {

    /** The wrapper: {@code raw}, {@code handwritten} or {@code incidentsdk}. */
    @Param({Variant.RAW, Variant.HANDWRITTEN, Variant.INCIDENT_SDK})
    public String variant;

    /** The failure: {@code deadlock} or {@code lockTimeout}. */
    @Param({"deadlock", "lockTimeout"})
    public String failure;

    private Variant wrapped;
    private Connection connection;
    private PreparedStatement victim;

    /**
     * Wraps the stub and prepares the failing statement.
     *
     * @throws SQLException never expected from the stub
     */
    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        wrapped = Variant.wrap(variant, new StubDataSource(StubDatabase.postgresLike()));
        connection = wrapped.dataSource().getConnection();
        // inside a transaction, as a deadlocking unit of work is: an auto-commit statement would also be
        // re-run after a deadlock (with backoff, bounded by the retry budget), which is retry, not SDK cost
        connection.setAutoCommit(false);
        switch (failure) {
            case "deadlock":
                victim = connection.prepareStatement(BenchSql.DEADLOCK_VICTIM);
                break;
            case "lockTimeout":
                victim = connection.prepareStatement(BenchSql.LOCK_TIMEOUT_VICTIM);
                break;
            default:
                throw new IllegalArgumentException("failure must be deadlock or lockTimeout, was " + failure);
        }
        victim.setInt(1, 1);
    }

    /**
     * Closes the statement, the connection and the SDK.
     *
     * @throws SQLException never expected from the stub
     */
    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        try {
            victim.close();
            connection.close();
        } finally {
            wrapped.close();
        }
    }

    /**
     * One failed call.
     *
     * @return the driver's exception (the call always fails)
     */
    @Benchmark
    public Object failedCall() {
        try {
            return victim.executeUpdate();
        } catch (SQLException e) {
            return e;
        }
    }
}
