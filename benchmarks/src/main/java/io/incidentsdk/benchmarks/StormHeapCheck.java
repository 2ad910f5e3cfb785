package io.incidentsdk.benchmarks;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.benchmarks.stub.StubDataSource;
import io.incidentsdk.benchmarks.stub.StubDatabase;
import io.incidentsdk.benchmarks.support.BenchSql;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.sink.InMemorySink;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * A long failure storm: one million identical deadlocks (one fingerprint) through a watched stub data
 * source, printing the heap in use after a full GC at 0, 250k, 500k, 750k and 1M failures, the time per
 * failed call of each quarter, and the incident's final {@code occurrences}.
 *
 * <p>Run: {@code java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar
 * io.incidentsdk.benchmarks.StormHeapCheck [failures]}. Exit status 0 when the heap stayed flat (it grew by
 * less than 1 MiB from the first checkpoint after 0 to the last; the step from 0 includes class loading and
 * the first incident) and the incident counted every failure; 1 otherwise.
 *
 * @since 0.1.0
 */
public final class StormHeapCheck {

    /** Allowed heap growth between the first checkpoint after 0 and the last. */
    static final long FLAT_BYTES = 1L << 20;

    private StormHeapCheck() {
    }

    /**
     * Runs the storm.
     *
     * @param args optionally the number of failures (default 1,000,000; a multiple of 4)
     * @throws SQLException never expected from the stub
     */
    public static void main(String[] args) throws SQLException {
        long failures = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        boolean ok = run(failures, System.out);
        System.exit(ok ? 0 : 1);
    }

    /**
     * Runs the storm and prints the report.
     *
     * @param failures how many failures, at least 4
     * @param out      where to print
     * @return whether the heap stayed flat and every failure was counted
     * @throws SQLException never expected from the stub
     */
    static boolean run(long failures, PrintStream out) throws SQLException {
        if (failures < 4) {
            throw new IllegalArgumentException("failures must be at least 4, was " + failures);
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        InMemorySink sink = new InMemorySink(1_000);
        long[] heap = new long[5];
        long[] nanos = new long[5];
        long done = 0;
        try (IncidentSdk sdk = IncidentSdk.builder().service("incident-sdk-benchmarks", "0").sink(sink).build()) {
            DataSource watched = JdbcIncidents.watch(new StubDataSource(StubDatabase.postgresLike()), sdk);
            try (Connection connection = watched.getConnection();
                 PreparedStatement victim = connection.prepareStatement(BenchSql.DEADLOCK_VICTIM)) {
                connection.setAutoCommit(false); // a transaction: no auto-commit re-run, see FailureStorm
                victim.setInt(1, 1);
                heap[0] = usedAfterGc(memory);
                for (int quarter = 1; quarter <= 4; quarter++) {
                    long until = failures * quarter / 4;
                    long start = System.nanoTime();
                    for (; done < until; done++) {
                        try {
                            victim.executeUpdate();
                            throw new IllegalStateException("the stub did not fail");
                        } catch (SQLException expected) {
                            // the storm
                        }
                    }
                    nanos[quarter] = System.nanoTime() - start;
                    heap[quarter] = usedAfterGc(memory);
                }
            }
        }
        long occurrences = -1;
        for (Incident incident : sink.incidents().values()) {
            if (incident.kind() == IncidentKind.DEADLOCK) {
                occurrences = incident.occurrences();
            }
        }
        out.println("Failure storm: " + failures + " identical deadlocks (one fingerprint) through a watched stub");
        out.println();
        out.println("| failures | heap used after GC | Δ vs previous | ns per failed call (this quarter) |");
        out.println("|---:|---:|---:|---:|");
        for (int i = 0; i <= 4; i++) {
            out.println(String.format(Locale.ROOT, "| %,d | %,d B | %s | %s |", failures * i / 4, heap[i],
                    i == 0 ? "—" : String.format(Locale.ROOT, "%+,d B", heap[i] - heap[i - 1]),
                    i == 0 ? "—" : String.format(Locale.ROOT, "%,.0f", nanos[i] / (failures / 4.0))));
        }
        long growth = heap[4] - heap[1];
        boolean flat = growth < FLAT_BYTES;
        boolean counted = occurrences == failures;
        out.println();
        out.println(String.format(Locale.ROOT, "heap growth from %,d to %,d failures: %+,d B (%s, bound %,d B)",
                failures / 4, failures, growth, flat ? "flat" : "NOT flat", FLAT_BYTES));
        out.println(String.format(Locale.ROOT, "deadlock incident occurrences after close: %,d (%s)", occurrences,
                counted ? "every failure counted" : "expected " + failures));
        out.println(String.format(Locale.ROOT, "events delivered to the sink: %d", sink.events().size()));
        return flat && counted;
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
