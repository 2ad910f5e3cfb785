package io.incidentsdk.benchmarks;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.benchmarks.stub.StubDataSource;
import io.incidentsdk.benchmarks.stub.StubDatabase;
import io.incidentsdk.benchmarks.support.BenchSql;
import io.incidentsdk.benchmarks.support.Variant;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.sink.InMemorySink;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The success paths of {@link JdbcPathsThreadsBench} on 1, 2, 4 and 8 threads, measured in <b>CPU time per call</b>
 * (each thread's own CPU clock, {@link ThreadMXBean#getCurrentThreadCpuTime()}): on a machine shared with other
 * work, or with more threads than cores, a thread's wall time per call grows with the time it waits for a core, its
 * CPU time does not; a cache line written by every call of every thread makes the CPU time grow (the cores stall on
 * the line while they run). So a flat CPU time per call from 1 to 8 threads means no shared line written per call.
 *
 * <p>One variant per JVM (as JMH forks: the JIT's view of one variant is not mixed with another's): {@code raw},
 * {@code incidentsdk}, {@code incidentsdk_nospike}, {@code handwritten}, {@code handwritten_adder},
 * {@code handwritten_atomic} (see {@link JdbcPathsThreadsBench}). Each thread has its own connection on one shared
 * stub data source. Per thread count: a warm-up (2,000,000 calls per thread), then {@code rounds} measurements of
 * {@code millis} each; the median round is printed with the lowest and highest: CPU ns per call at 1, 2, 4 and 8
 * threads, then calls per microsecond of wall time (all threads together) at each.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.incidentsdk.benchmarks.ThreadScalingCheck incidentsdk [millis [rounds]]
 * </pre>
 *
 * @since 0.1.0
 */
public final class ThreadScalingCheck {

    private static final int[] THREADS = {1, 2, 4, 8};

    private final String variant;
    private final DataSource dataSource;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final LongAdder stripedCalls = new LongAdder();
    private final AtomicLong sharedCalls = new AtomicLong();
    private final int counter;
    private volatile boolean stop;

    private ThreadScalingCheck(String variant) {
        this.variant = variant;
        DataSource stub = new StubDataSource(StubDatabase.postgresLike());
        int mode = 0;
        switch (variant) {
            case JdbcPathsThreadsBench.INCIDENT_SDK_NO_SPIKE -> {
                IncidentSdk sdk = IncidentSdk.builder().service("incident-sdk-benchmarks", "0")
                        .sink(new InMemorySink(1_000)).build();
                toClose.add(sdk);
                dataSource = JdbcIncidents.watch(stub, sdk, JdbcWatchOptions.builder().spikeDetection(false).build());
            }
            case JdbcPathsThreadsBench.HANDWRITTEN_ADDER, JdbcPathsThreadsBench.HANDWRITTEN_ATOMIC -> {
                Variant wrapped = Variant.wrap(Variant.HANDWRITTEN, stub);
                toClose.add(wrapped::close);
                dataSource = wrapped.dataSource();
                mode = JdbcPathsThreadsBench.HANDWRITTEN_ADDER.equals(variant) ? 1 : 2;
            }
            default -> {
                Variant wrapped = Variant.wrap(variant, stub);
                toClose.add(wrapped::close);
                dataSource = wrapped.dataSource();
            }
        }
        this.counter = mode;
    }

    /** One thread's figures of one round. */
    private record Round(long calls, long cpuNanos) {
    }

    /** The path a thread runs, on its own statements. */
    private interface Path {
        int call() throws SQLException;
    }

    private Path path(String name, Connection connection) throws SQLException {
        if (name.equals("pointSelect")) {
            PreparedStatement select = connection.prepareStatement(BenchSql.SELECT);
            select.setInt(1, 1);
            return () -> {
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            };
        }
        PreparedStatement update = connection.prepareStatement(BenchSql.UPDATE);
        update.setInt(1, 1);
        return update::executeUpdate;
    }

    private int counted(int result) {
        if (counter == 1) {
            stripedCalls.increment();
        } else if (counter == 2) {
            sharedCalls.incrementAndGet();
        }
        return result;
    }

    /**
     * Runs one path on {@code threads} threads: warm-up, then {@code rounds} rounds of {@code millis}.
     *
     * @return per round: CPU ns per call over all threads, and calls per microsecond of wall time (all threads)
     */
    private double[][] measure(String pathName, int threads, long millis, int rounds, int warmUpCalls)
            throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Round[][] results = new Round[rounds][threads];
        CyclicBarrier barrier = new CyclicBarrier(threads + 1);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    Path path = path(pathName, connection);
                    // JMH's sink for results, so that the JIT cannot drop a call whose result nobody reads
                    Blackhole sink = new Blackhole("Today's password is swordfish. I understand instantiating "
                            + "Blackholes directly is dangerous.");
                    for (int i = 0; i < warmUpCalls; i++) { // warm-up: C2 compiles the loop and the path
                        sink.consume(counted(path.call()));
                    }
                    for (int r = 0; r < rounds; r++) {
                        barrier.await();
                        long calls = 0;
                        long cpu = mx.getCurrentThreadCpuTime();
                        while (!stop) {
                            for (int i = 0; i < 1_024; i++) {
                                sink.consume(counted(path.call()));
                            }
                            calls += 1_024;
                        }
                        cpu = mx.getCurrentThreadCpuTime() - cpu;
                        results[r][index] = new Round(calls, cpu);
                        barrier.await();
                    }
                    sink.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
                } catch (Throwable e) {
                    failures.add(e);
                    barrier.reset();
                }
            }, "scaling-" + t);
            workers.add(worker);
            worker.start();
        }
        double[][] out = new double[rounds][];
        for (int r = 0; r < rounds; r++) {
            stop = false;
            barrier.await();
            long started = System.nanoTime();
            Thread.sleep(millis);
            stop = true;
            barrier.await();
            long wall = System.nanoTime() - started;
            long calls = 0;
            long cpu = 0;
            for (Round round : results[r]) {
                calls += round.calls();
                cpu += round.cpuNanos();
            }
            out[r] = new double[] {cpu / (double) calls, calls / (wall / 1_000.0)};
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a worker failed", failures.get(0));
        }
        return out;
    }

    /**
     * Measures one variant and prints a Markdown table row per path.
     *
     * @param args the variant, then optionally the milliseconds per round (default 1000) and the rounds (default 5)
     * @throws Exception when the measurement fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: ThreadScalingCheck VARIANT [millis [rounds]]");
        }
        long millis = args.length > 1 ? Long.parseLong(args[1]) : 1_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        run(args[0], millis, rounds, 2_000_000, System.out);
    }

    /**
     * Measures one variant on both paths and every thread count, printing a row per path.
     *
     * @param variant the variant
     * @param millis  milliseconds per round
     * @param rounds  rounds per thread count (the median is printed)
     * @param warmUpCalls calls each thread makes before it is measured
     * @param out     where the rows go
     * @throws Exception when the measurement fails
     */
    public static void run(String variant, long millis, int rounds, int warmUpCalls, PrintStream out)
            throws Exception {
        ThreadScalingCheck check = new ThreadScalingCheck(variant);
        try {
            for (String path : List.of("pointSelect", "updateByPk")) {
                StringBuilder cpu = new StringBuilder();
                StringBuilder rate = new StringBuilder();
                for (int threads : THREADS) {
                    double[][] rs = check.measure(path, threads, millis, rounds, warmUpCalls);
                    double[] cpuPerCall = new double[rounds];
                    double[] callsPerMicro = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        cpuPerCall[r] = rs[r][0];
                        callsPerMicro[r] = rs[r][1];
                    }
                    Arrays.sort(cpuPerCall);
                    Arrays.sort(callsPerMicro);
                    cpu.append(String.format(Locale.ROOT, " %.2f (%.2f–%.2f) |", cpuPerCall[rounds / 2], cpuPerCall[0],
                            cpuPerCall[rounds - 1]));
                    rate.append(String.format(Locale.ROOT, " %.0f |", callsPerMicro[rounds / 2]));
                }
                out.println("| " + path + " | " + variant + " |" + cpu + rate);
            }
        } finally {
            for (AutoCloseable c : check.toClose) {
                c.close();
            }
        }
    }
}
