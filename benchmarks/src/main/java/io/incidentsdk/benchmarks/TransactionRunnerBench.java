package io.incidentsdk.benchmarks;

import io.incidentsdk.benchmarks.support.Backend;
import io.incidentsdk.benchmarks.transfer.UnitPaths;
import io.incidentsdk.jdbc.TransactionRunner;
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
 * The cost of running a unit of work through {@link TransactionRunner} on the success path: two updates by
 * primary key and a commit ({@link UnitPaths}), run by hand on a connection from the raw HikariCP pool
 * ({@code byHandRaw}), by hand on the watched data source ({@code byHandWatched}), and through
 * {@code TransactionRunner.on(watched)} ({@code runner}). Each unit borrows a connection from the pool (of
 * 4) and returns it. Run with {@code -prof gc} for bytes per unit; the difference {@code runner} −
 * {@code byHandWatched} is what the runner adds, {@code byHandWatched} − {@code byHandRaw} what the watch
 * adds to the whole unit.
 *
 * @since 0.1.0
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class TransactionRunnerBench {

    /** The database: {@code stub} or {@code h2}. */
    @Param({Backend.STUB, Backend.H2})
    public String backend;

    /**
     * How the unit runs: {@code byHandRaw}, {@code byHandWatched} or {@code runner}; or by hand or through a
     * runner with the watch under the pool ({@code byHandUnderPool}, {@code runnerUnderPool}).
     */
    @Param({UnitPaths.BY_HAND_RAW, UnitPaths.BY_HAND_WATCHED, UnitPaths.RUNNER, UnitPaths.BY_HAND_UNDER_POOL,
        UnitPaths.RUNNER_UNDER_POOL})
    public String path;

    private Backend db;
    private UnitPaths paths;
    private TransactionRunner.Work<Integer> work;

    /**
     * Opens the backend, the pool, the watch and the runner.
     *
     * @throws SQLException when H2 cannot be set up
     */
    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        db = Backend.open(backend);
        paths = new UnitPaths(db.dataSource(), "bench-tx-" + backend + "-" + path, UnitPaths.benchmarkPolicy());
        UnitPaths p = paths;
        work = p::work;
    }

    /**
     * Closes the pool, the SDK and the backend.
     *
     * @throws SQLException when H2 cannot be closed
     */
    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        try {
            paths.close();
        } finally {
            db.close();
        }
    }

    /**
     * One unit of work, committed.
     *
     * @return the rows updated (2)
     * @throws SQLException never expected
     */
    @Benchmark
    public int unitOfWork() throws SQLException {
        return paths.run(path, work);
    }
}
