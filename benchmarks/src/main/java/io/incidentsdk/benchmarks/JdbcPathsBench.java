package io.incidentsdk.benchmarks;

import io.incidentsdk.benchmarks.support.Backend;
import io.incidentsdk.benchmarks.support.BenchSql;
import io.incidentsdk.benchmarks.support.Variant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The four JDBC paths of {@code shared/reference/peer-overhead.md}, per backend and wrapper variant.
 *
 * <ol>
 *   <li>{@link #pointSelect()}: a reused prepared statement, {@code executeQuery}, {@code next},
 *       {@code getInt}, close the result set.</li>
 *   <li>{@link #updateByPk()}: a reused prepared statement, {@code executeUpdate}, auto-commit.</li>
 *   <li>{@link #borrowPrepareExecuteClose()}: a HikariCP pool of 4 around the raw data source, the wrapper
 *       outside the pool (as these tools are deployed; {@code incidentsdk_underpool}: under it):
 *       {@code getConnection}, {@code prepareStatement},
 *       {@code setInt}, {@code executeQuery}, {@code next}, {@code getInt}, close result set, statement and
 *       connection.</li>
 *   <li>{@link #duplicateKeyInsert()}: the error path, an insert failing with a duplicate key (23505); the
 *       exception is new per failure (the stub creates one per call, as a driver does).</li>
 * </ol>
 *
 * <p>{@link #pointSelectMapped(Blackhole)} is path 1 with the result set handed to a row mapper that keeps it (a
 * {@link Blackhole}), as a framework's mapper does: there the JIT cannot remove a wrapper allocated per query, so
 * it shows what a wrapper really allocates per query.
 *
 * <p>Backends: {@code stub} (a do-nothing driver: what is measured is the wrapper), {@code h2} (in memory:
 * real work) and {@code pgjdbc} (PostgreSQL on this machine: a round trip per call). Variants: see {@link Variant}.
 * Paths 1, 2 and 4 use one connection taken from the wrapped raw data source (no pool).
 *
 * @since 0.1.0
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class JdbcPathsBench {

    /**
     * The database under the wrapper: {@code stub}, {@code h2} or {@code pgjdbc} (PostgreSQL: needs
     * {@code INCIDENT_SDK_PG_URL}, see {@link Backend}; without it its set-up fails saying it is skipped, and the
     * run goes on with the other parameters).
     */
    @Param({Backend.STUB, Backend.H2, Backend.PGJDBC})
    public String backend;

    /** The wrapper, see {@link Variant}. */
    @Param({Variant.RAW, Variant.INCIDENT_SDK, Variant.INCIDENT_SDK_UNDER_POOL, Variant.HANDWRITTEN,
        Variant.DSPROXY_NOOP, Variant.P6SPY_NOLOG})
    public String variant;

    private Backend database;
    private Variant direct;
    private Variant pooled;
    private Connection connection;
    private PreparedStatement select;
    private PreparedStatement update;
    private PreparedStatement insert;

    /**
     * Opens the backend, wraps it (directly and with a pool) and prepares the reused statements.
     *
     * @throws SQLException when the backend cannot be set up
     */
    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        setUp(Backend.open(backend));
    }

    /** Sets up on a backend already open (the smoke test opens PostgreSQL on its leased account). */
    void setUp(Backend opened) throws SQLException {
        database = opened;
        direct = Variant.wrap(variant, database.dataSource());
        pooled = Variant.pooled(variant, database.dataSource(), "bench-" + backend + "-" + variant);
        connection = direct.dataSource().getConnection();
        select = connection.prepareStatement(BenchSql.SELECT);
        select.setInt(1, 1);
        update = connection.prepareStatement(BenchSql.UPDATE);
        update.setInt(1, 1);
        insert = connection.prepareStatement(BenchSql.INSERT);
        insert.setInt(1, 1);
        insert.setInt(2, 0);
    }

    /**
     * Closes statements, connection, pool, SDKs and backend.
     *
     * @throws SQLException when closing fails
     */
    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        try {
            select.close();
            update.close();
            insert.close();
            connection.close();
        } finally {
            direct.close();
            pooled.close();
            database.close();
        }
    }

    /**
     * Path 1: point select by primary key on a reused prepared statement.
     *
     * @return the balance read
     * @throws SQLException never expected
     */
    @Benchmark
    public int pointSelect() throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Path 1 with a row mapper that keeps the result set (it escapes: no wrapper allocated per query can be removed
     * by the JIT).
     *
     * @param rowMapper where the result set goes
     * @return the balance read
     * @throws SQLException never expected
     */
    @Benchmark
    public int pointSelectMapped(Blackhole rowMapper) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            rowMapper.consume(rs);
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Path 2: update by primary key on a reused prepared statement, auto-commit.
     *
     * @return the update count
     * @throws SQLException never expected
     */
    @Benchmark
    public int updateByPk() throws SQLException {
        return update.executeUpdate();
    }

    /**
     * Path 3: one borrow cycle through the pool.
     *
     * @return the balance read
     * @throws SQLException never expected
     */
    @Benchmark
    public int borrowPrepareExecuteClose() throws SQLException {
        try (Connection c = pooled.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(BenchSql.SELECT)) {
            ps.setInt(1, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Path 4: the error path, a duplicate-key insert.
     *
     * @return the driver's exception (the insert always fails)
     */
    @Benchmark
    public Object duplicateKeyInsert() {
        try {
            return insert.executeUpdate();
        } catch (SQLException e) {
            return e;
        }
    }
}
