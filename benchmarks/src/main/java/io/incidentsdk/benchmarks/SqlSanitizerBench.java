package io.incidentsdk.benchmarks;

import io.incidentsdk.jdbc.SanitizedSql;
import io.incidentsdk.jdbc.SqlSanitizer;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link SqlSanitizer#sanitize(String)} with the default sanitizer (output bounded to 4000 characters) on
 * three statements: a typical one, a 100-value {@code IN} list, and a 10 MB multi-row {@code INSERT}
 * (what a generated bulk statement looks like; the figure to report for huge statements). The sanitizer runs
 * on the failure path only, once per prepared statement (cached) or per failed plain statement.
 *
 * @since 0.1.0
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class SqlSanitizerBench {

    /** Ten megabytes, in characters (the statements are ASCII). */
    static final int TEN_MEGABYTES = 10 * 1024 * 1024;

    /** Which statement: {@code typical}, {@code inList100} or {@code tenMegabytes}. */
    @Param({"typical", "inList100", "tenMegabytes"})
    public String statement;

    private final SqlSanitizer sanitizer = SqlSanitizer.defaults();
    private String sql;

    /** Builds the statement. */
    @Setup(Level.Trial)
    public void setUp() {
        sql = statement(statement);
    }

    /**
     * Sanitizes the statement once.
     *
     * @return the sanitized statement
     */
    @Benchmark
    public SanitizedSql sanitize() {
        return sanitizer.sanitize(sql);
    }

    /**
     * The statement of a {@code @Param} value.
     *
     * @param name {@code typical}, {@code inList100} or {@code tenMegabytes}
     * @return the SQL text
     */
    static String statement(String name) {
        switch (name) {
            case "typical":
                return "SELECT o.id, o.status, o.total_cents, c.name FROM orders o JOIN customer c ON c.id = o.customer_id "
                        + "WHERE o.customer_id = 4711 AND o.status = 'OPEN' AND o.created_at > TIMESTAMP '2026-01-01 00:00:00' "
                        + "ORDER BY o.created_at DESC LIMIT 20";
            case "inList100": {
                StringBuilder b = new StringBuilder("SELECT id, balance FROM account WHERE id IN (");
                for (int i = 1; i <= 100; i++) {
                    b.append(i == 1 ? "" : ", ").append(100_000 + i * 7);
                }
                return b.append(')').toString();
            }
            case "tenMegabytes": {
                StringBuilder b = new StringBuilder(TEN_MEGABYTES + 128);
                b.append("INSERT INTO ledger (id, account_id, amount_cents, note) VALUES ");
                for (int row = 1; b.length() < TEN_MEGABYTES; row++) {
                    b.append(row == 1 ? "" : ", ").append('(').append(row).append(", ").append(row % 977)
                            .append(", ").append(row * 31 % 100_000).append(", 'transfer ").append(row).append("')");
                }
                return b.toString();
            }
            default:
                throw new IllegalArgumentException("unknown statement " + name);
        }
    }
}
