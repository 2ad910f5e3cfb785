package io.incidentsdk.benchmarks;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.benchmarks.stub.StubDataSource;
import io.incidentsdk.benchmarks.stub.StubDatabase;
import io.incidentsdk.benchmarks.support.BenchSql;
import io.incidentsdk.benchmarks.support.Variant;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.sink.InMemorySink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
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
 * The success paths of {@link JdbcPathsBench} (point select and update on a reused prepared statement) run by 1, 2,
 * 4 and 8 threads at once against one data source on the stub driver, as the threads of a service share one: each
 * thread has its own connection and statements, and everything the data source holds is shared (for the watch: the
 * spike windows' counters, the connection registry, the observer). A store that every call makes to one shared cache
 * line would show as time per call that grows with the threads; striped or per-thread state stays flat.
 *
 * <p>Variants: {@code raw}, {@code incidentsdk} (default options), {@code incidentsdk_nospike} (spike detection off:
 * the watch without its one shared counter, to see what that counter costs), {@code handwritten} (the floor), and the
 * floor plus the one counter update per call the design needs, made two ways: {@code handwritten_adder} (a
 * {@link LongAdder}: striped cells, each thread ends up writing its own line) and {@code handwritten_atomic} (one
 * {@link AtomicLong}: every call of every thread writes the same line). The last is the control: it shows what a
 * shared line written per call costs on this machine. On a 2-core machine 4 and 8 threads are oversubscribed: the
 * time per call of one thread then includes the time it waits for a core; the summary also gives the calls per
 * microsecond of all threads together.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class JdbcPathsThreadsBench {

    /** {@code incidentsdk} with spike detection off: no counter shared by the threads. */
    public static final String INCIDENT_SDK_NO_SPIKE = "incidentsdk_nospike";
    /** The floor plus a {@link LongAdder} increment per call. */
    public static final String HANDWRITTEN_ADDER = "handwritten_adder";
    /** The floor plus an {@link AtomicLong} increment per call (one line written by every call of every thread). */
    public static final String HANDWRITTEN_ATOMIC = "handwritten_atomic";

    /** The wrapper, see the class comment. */
    @Param({Variant.RAW, Variant.INCIDENT_SDK, INCIDENT_SDK_NO_SPIKE, Variant.HANDWRITTEN, HANDWRITTEN_ADDER,
        HANDWRITTEN_ATOMIC})
    public String variant;

    private final LongAdder stripedCalls = new LongAdder();
    private final AtomicLong sharedCalls = new AtomicLong();
    /** 0: no counter of the benchmark's own; 1: {@link #stripedCalls}; 2: {@link #sharedCalls}. */
    private int counter;

    private Variant wrapped;
    private IncidentSdk ownSdk;
    private DataSource dataSource;

    /** Builds the shared data source. */
    @Setup(Level.Trial)
    public void setUp() {
        DataSource stub = new StubDataSource(StubDatabase.postgresLike());
        if (INCIDENT_SDK_NO_SPIKE.equals(variant)) {
            ownSdk = IncidentSdk.builder().service("incident-sdk-benchmarks", "0").sink(new InMemorySink(1_000)).build();
            dataSource = JdbcIncidents.watch(stub, ownSdk, JdbcWatchOptions.builder().spikeDetection(false).build());
        } else if (HANDWRITTEN_ADDER.equals(variant) || HANDWRITTEN_ATOMIC.equals(variant)) {
            wrapped = Variant.wrap(Variant.HANDWRITTEN, stub);
            dataSource = wrapped.dataSource();
            counter = HANDWRITTEN_ADDER.equals(variant) ? 1 : 2;
        } else {
            wrapped = Variant.wrap(variant, stub);
            dataSource = wrapped.dataSource();
        }
    }

    /** The counter update of the {@code handwritten_*} variants (nothing for the others). */
    private int counted(int result) {
        int mode = counter;
        if (mode == 1) {
            stripedCalls.increment();
        } else if (mode == 2) {
            sharedCalls.incrementAndGet();
        }
        return result;
    }

    /** Closes the SDK, if any. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (wrapped != null) {
            wrapped.close();
        }
        if (ownSdk != null) {
            ownSdk.close();
        }
    }

    /**
     * What one thread uses: its connection (opened on the thread itself, as a thread borrowing from a pool gets one of
     * its own) and its reused statements.
     */
    @State(Scope.Thread)
    public static class OwnConnection {

        private Connection connection;
        private PreparedStatement select;
        private PreparedStatement update;

        /**
         * Opens the thread's connection and prepares its statements.
         *
         * @param shared the shared data source
         * @throws SQLException never expected
         */
        @Setup(Level.Trial)
        public void open(JdbcPathsThreadsBench shared) throws SQLException {
            connection = shared.dataSource.getConnection();
            select = connection.prepareStatement(BenchSql.SELECT);
            select.setInt(1, 1);
            update = connection.prepareStatement(BenchSql.UPDATE);
            update.setInt(1, 1);
        }

        /**
         * Closes the statements and the connection.
         *
         * @throws SQLException never expected
         */
        @TearDown(Level.Trial)
        public void close() throws SQLException {
            select.close();
            update.close();
            connection.close();
        }

        int pointSelect() throws SQLException {
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }

        int updateByPk() throws SQLException {
            return update.executeUpdate();
        }
    }

    /**
     * Point select, one thread.
     *
     * @param own the thread's connection
     * @return the value read
     * @throws SQLException never expected
     */
    @Benchmark
    @Threads(1)
    public int pointSelect1(OwnConnection own) throws SQLException {
        return counted(own.pointSelect());
    }

    /**
     * Point select, two threads.
     *
     * @param own the thread's connection
     * @return the value read
     * @throws SQLException never expected
     */
    @Benchmark
    @Threads(2)
    public int pointSelect2(OwnConnection own) throws SQLException {
        return counted(own.pointSelect());
    }

    /**
     * Point select, four threads.
     *
     * @param own the thread's connection
     * @return the value read
     * @throws SQLException never expected
     */
    @Benchmark
    @Threads(4)
    public int pointSelect4(OwnConnection own) throws SQLException {
        return counted(own.pointSelect());
    }

    /**
     * Point select, eight threads.
     *
     * @param own the thread's connection
     * @return the value read
     * @throws SQLException never expected
     */
    @Benchmark
    @Threads(8)
    public int pointSelect8(OwnConnection own) throws SQLException {
        return counted(own.pointSelect());
    }

    /**
     * Update, one thread.
     *
     * @param own the thread's connection
     * @return the update count
     * @throws SQLException never expected
     */
    @Benchmark
    @Threads(1)
    public int updateByPk1(OwnConnection own) throws SQLException {
        return counted(own.updateByPk());
    }

    /**
     * Update, two threads.
     *
     * @param own the thread's connection
     * @return the update count
     * @throws SQLException never expected
     */
    @Benchmark
    @Threads(2)
    public int updateByPk2(OwnConnection own) throws SQLException {
        return counted(own.updateByPk());
    }

    /**
     * Update, four threads.
     *
     * @param own the thread's connection
     * @return the update count
     * @throws SQLException never expected
     */
    @Benchmark
    @Threads(4)
    public int updateByPk4(OwnConnection own) throws SQLException {
        return counted(own.updateByPk());
    }

    /**
     * Update, eight threads.
     *
     * @param own the thread's connection
     * @return the update count
     * @throws SQLException never expected
     */
    @Benchmark
    @Threads(8)
    public int updateByPk8(OwnConnection own) throws SQLException {
        return counted(own.updateByPk());
    }
}
