package io.incidentsdk.benchmarks;

import io.incidentsdk.benchmarks.stub.StubDataSource;
import io.incidentsdk.benchmarks.stub.StubDatabase;
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
 * The cost of one deadlock absorbed by a retry, on the stub driver: every unit's first attempt runs the
 * debit and then an update the stub fails with a PostgreSQL deadlock (40P01, a new driver exception each
 * time); the second attempt runs the debit and the credit and commits. Zero backoff, so the figure is the
 * retry's own cost (two attempts, the driver's exception, the rollback, a second borrow), not waiting.
 *
 * <p>{@code byHandRaw} and {@code byHandWatched}: the retry loop an application writes by hand (catch 40P01 or
 * 40001, roll back, run the whole unit again) on the raw pool and on the watched data source;
 * {@code runner}: {@code TransactionRunner.on(watched)}, which also reports the absorbed deadlock (a
 * {@code WARNING} incident, {@code retry.outcome = SUCCEEDED}, aggregated after the first unit). Compare with
 * {@link TransactionRunnerBench} on the stub (the same unit without the failure).
 *
 * @since 0.1.0
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class TransactionRunnerRetryBench {

    /** How the unit runs: {@code byHandRaw}, {@code byHandWatched} or {@code runner}. */
    @Param({UnitPaths.BY_HAND_RAW, UnitPaths.BY_HAND_WATCHED, UnitPaths.RUNNER})
    public String path;

    private UnitPaths paths;
    private TransactionRunner.Work<Integer> work;

    /** Opens the pool on the stub, the watch and the runner. */
    @Setup(Level.Trial)
    public void setUp() {
        paths = new UnitPaths(new StubDataSource(StubDatabase.postgresLike()), "bench-tx-retry-" + path,
                UnitPaths.benchmarkPolicy());
        UnitPaths p = paths;
        work = p::workDeadlockingOnce;
    }

    /** Closes the pool and the SDK. */
    @TearDown(Level.Trial)
    public void tearDown() {
        paths.close();
    }

    /**
     * One unit of work whose first attempt deadlocks and whose second commits.
     *
     * @return the rows updated by the committed attempt (2)
     * @throws SQLException when the retry did not happen (never expected)
     */
    @Benchmark
    public int unitAbsorbingOneDeadlock() throws SQLException {
        paths.startUnit();
        if (UnitPaths.RUNNER.equals(path)) {
            return paths.runner().inTransaction(work);
        }
        return UnitPaths.byHandWithRetry(UnitPaths.BY_HAND_RAW.equals(path) ? paths.rawPool() : paths.watched(), work,
                paths.runner().policy().maxAttempts());
    }

    /**
     * Attempts of the last unit (for the smoke test).
     *
     * @return the attempts
     */
    public int lastAttempts() {
        return paths.attempts();
    }
}
