package io.incidentsdk.benchmarks;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.benchmarks.support.Backend;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the lock-order analysis adds to an explicit transaction (issue 16): one connection of the stub driver,
 * {@code statements} updates by primary key on reused prepared statements (keys ascending, the start varying),
 * then a commit. {@code sampling}: {@code raw} (no watch), {@code off} (watched, analysis at rate 0), {@code default}
 * (the default rate, {@value JdbcWatchOptions#DEFAULT_LOCK_ORDER_SAMPLING}), {@code full} (every transaction, as in
 * tests). The added cost per transaction is the difference to {@code off}; per statement, the slope between 2 and 8
 * statements. Auto-commit statements never reach the analysis ({@code JdbcPathsBench} is unchanged).
 *
 * @since 0.2.0
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class LockOrderBench {

    /** The watch and its sampling rate: {@code raw}, {@code off}, {@code default} or {@code full}. */
    @Param({"raw", "off", "default", "full"})
    public String sampling;

    /** Updates per transaction. */
    @Param({"2", "8"})
    public int statements;

    private Backend db;
    private IncidentSdk sdk;
    private Connection connection;
    private PreparedStatement debit;
    private PreparedStatement credit;
    private int start;

    /**
     * Opens the stub, the watch and the connection.
     *
     * @throws SQLException never expected
     */
    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        db = Backend.open(Backend.STUB);
        DataSource ds = db.dataSource();
        if (!sampling.equals("raw")) {
            sdk = IncidentSdk.builder().sink(new InMemorySink(1_000)).build();
            double rate = switch (sampling) {
                case "off" -> 0.0;
                case "default" -> JdbcWatchOptions.DEFAULT_LOCK_ORDER_SAMPLING;
                case "full" -> 1.0;
                default -> throw new IllegalArgumentException("sampling " + sampling);
            };
            ds = JdbcIncidents.watch(ds, sdk, JdbcWatchOptions.builder().lockOrderSampling(rate).build());
        }
        connection = ds.getConnection();
        connection.setAutoCommit(false);
        debit = connection.prepareStatement("UPDATE account SET balance = balance - ? WHERE id = ?");
        credit = connection.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?");
    }

    /**
     * Closes everything.
     *
     * @throws SQLException never expected
     */
    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        connection.close();
        if (sdk != null) {
            sdk.close();
        }
        db.close();
    }

    /**
     * One explicit transaction: {@code statements} updates by ascending key, then a commit.
     *
     * @return the rows updated
     * @throws SQLException never expected
     */
    @Benchmark
    public int transaction() throws SQLException {
        int base = (start = (start + 1) & 1023) * 16;
        int rows = 0;
        for (int i = 0; i < statements; i++) {
            PreparedStatement s = (i & 1) == 0 ? debit : credit;
            s.setLong(1, 5);
            s.setInt(2, base + i);
            rows += s.executeUpdate();
        }
        connection.commit();
        return rows;
    }
}
