package io.incidentsdk.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.incidentsdk.benchmarks.support.Backend;
import io.incidentsdk.benchmarks.support.Variant;
import io.incidentsdk.jdbc.SanitizedSql;
import io.incidentsdk.jdbc.internal.wrap.ConnectionState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Every benchmark state sets up, runs its operations once with the expected outcome, and tears down: the
 * benchmarks cannot rot unnoticed between measurement runs. (Nothing here measures anything.)
 */
class BenchmarkSmokeTest {

    /** The row mapper of {@code pointSelectMapped} (JMH's own, made by hand as JMH allows for tests). */
    static final Blackhole ROW_MAPPER = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    static List<Arguments> backendsAndVariants() {
        List<Arguments> all = new ArrayList<>();
        for (String backend : List.of(Backend.STUB, Backend.H2)) {
            for (String variant : List.of(Variant.RAW, Variant.INCIDENT_SDK, Variant.INCIDENT_SDK_UNDER_POOL,
                    Variant.HANDWRITTEN, Variant.DSPROXY_NOOP, Variant.P6SPY_NOLOG)) {
                all.add(Arguments.of(backend, variant));
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("backendsAndVariants")
    void everyJdbcPathRunsThroughEveryVariantOnEveryBackend(String backend, String variant) throws SQLException {
        JdbcPathsBench bench = new JdbcPathsBench();
        bench.backend = backend;
        bench.variant = variant;
        bench.setUp();
        try {
            int expectedBalanceAtLeast = backend.equals(Backend.STUB) ? 1 : 1_000;
            assertThat(bench.pointSelect()).isGreaterThanOrEqualTo(expectedBalanceAtLeast);
            assertThat(bench.pointSelectMapped(ROW_MAPPER)).isGreaterThanOrEqualTo(expectedBalanceAtLeast);
            assertThat(bench.updateByPk()).isEqualTo(1);
            assertThat(bench.borrowPrepareExecuteClose()).isGreaterThanOrEqualTo(expectedBalanceAtLeast);
            assertThat(bench.borrowPrepareExecuteClose()).isGreaterThanOrEqualTo(expectedBalanceAtLeast);
            Object failure = bench.duplicateKeyInsert();
            assertThat(failure).isInstanceOf(SQLIntegrityConstraintViolationException.class);
            assertThat(((SQLException) failure).getSQLState()).isEqualTo("23505");
            assertThat(bench.duplicateKeyInsert()).as("a new exception per failure").isNotSameAs(failure);
        } finally {
            bench.tearDown();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Variant.RAW, Variant.INCIDENT_SDK, JdbcPathsThreadsBench.INCIDENT_SDK_NO_SPIKE,
        Variant.HANDWRITTEN, JdbcPathsThreadsBench.HANDWRITTEN_ADDER, JdbcPathsThreadsBench.HANDWRITTEN_ATOMIC})
    void theThreadsBenchmarkGivesEachThreadItsOwnConnectionOnTheSharedDataSource(String variant) throws Exception {
        JdbcPathsThreadsBench bench = new JdbcPathsThreadsBench();
        bench.variant = variant;
        bench.setUp();
        try {
            JdbcPathsThreadsBench.OwnConnection[] own = new JdbcPathsThreadsBench.OwnConnection[2];
            Thread[] threads = new Thread[2];
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < 2; i++) {
                JdbcPathsThreadsBench.OwnConnection o = new JdbcPathsThreadsBench.OwnConnection();
                own[i] = o;
                threads[i] = new Thread(() -> {
                    try {
                        o.open(bench);
                        assertThat(bench.pointSelect2(o)).isEqualTo(1);
                        assertThat(bench.updateByPk8(o)).isEqualTo(1);
                        o.close();
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                });
                threads[i].start();
            }
            for (Thread t : threads) {
                t.join(10_000);
            }
            assertThat(failures).isEmpty();
        } finally {
            bench.tearDown();
        }
    }

    @Test
    void theThreadScalingCheckPrintsARowPerPathWithEveryThreadCount() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ThreadScalingCheck.run(JdbcPathsThreadsBench.HANDWRITTEN_ATOMIC, 20, 1, 1_000,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String[] rows = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(rows).hasSize(2);
        assertThat(rows[0]).startsWith("| pointSelect | handwritten_atomic | ");
        assertThat(rows[1]).startsWith("| updateByPk | handwritten_atomic | ");
        // 4 thread counts of CPU ns per call, then 4 of calls per microsecond
        assertThat(rows[1].split("\\|")).hasSize(11);
    }

    @Test
    void thePgjdbcBackendWithoutItsUrlIsRefusedSayingItIsSkipped() {
        assertThatThrownBy(() -> Backend.open(Backend.PGJDBC, name -> null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("backend pgjdbc skipped: INCIDENT_SDK_PG_URL is not set");
    }

    @Test
    void underThePoolTheBorrowedConnectionIsThePoolsProxyOfAWatchedPhysicalConnection() throws SQLException {
        Backend database = Backend.open(Backend.STUB);
        Variant under = Variant.pooled(Variant.INCIDENT_SDK_UNDER_POOL, database.dataSource(), "smoke-under");
        Variant over = Variant.pooled(Variant.INCIDENT_SDK, database.dataSource(), "smoke-over");
        try (Connection first = under.dataSource().getConnection();
             Connection second = over.dataSource().getConnection()) {
            assertThat(first).isNotInstanceOf(ConnectionState.class);
            assertThat(first.isWrapperFor(ConnectionState.class)).isTrue();
            assertThat(second).as("in front of the pool: our wrapper").isInstanceOf(ConnectionState.class);
        } finally {
            under.close();
            over.close();
            database.close();
        }
    }

    static List<Arguments> stormVariantsAndFailures() {
        List<Arguments> all = new ArrayList<>();
        for (String variant : List.of(Variant.RAW, Variant.HANDWRITTEN, Variant.INCIDENT_SDK)) {
            all.add(Arguments.of(variant, "deadlock", "40P01"));
            all.add(Arguments.of(variant, "lockTimeout", "55P03"));
        }
        return all;
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("stormVariantsAndFailures")
    void theFailureStormFailsEveryCallWithTheDriversException(String variant, String failure, String sqlState)
            throws SQLException {
        FailureStorm storm = new FailureStorm();
        storm.variant = variant;
        storm.failure = failure;
        storm.setUp();
        try {
            Object first = storm.failedCall();
            Object second = storm.failedCall();
            assertThat(first).isInstanceOf(SQLException.class).isNotSameAs(second);
            assertThat(((SQLException) first).getSQLState()).isEqualTo(sqlState);
            assertThat(((SQLException) first).getClass().getSimpleName()).isEqualTo("PgLikeSQLException");
        } finally {
            storm.tearDown();
        }
    }

    @Test
    void eachDeadlockOfTheLatencyBenchmarkOpensANewIncidentThatReachesTheSink() throws SQLException {
        DeadlockToOpenedLatency latency = new DeadlockToOpenedLatency();
        latency.setUp();
        try {
            long before = System.nanoTime();
            long first = latency.deadlockToOpened();
            long second = latency.deadlockToOpened();
            long third = latency.deadlockToOpened();
            assertThat(first).isGreaterThan(before);
            assertThat(second).isGreaterThan(first);
            assertThat(third).isGreaterThan(second);
            assertThat(latency.openedIncidents()).isEqualTo(3);
        } finally {
            latency.close();
        }
    }

    @Test
    void latencyPercentilesAreReadFromTheSortedSamples() {
        long[] nanos = new long[100];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (100 - i) * 1_000L;
        }
        assertThat(DeadlockToOpenedLatency.describe(nanos))
                .contains("n=100", "p50=50.0 us", "p90=90.0 us", "p99=99.0 us", "max=100.0 us");
        assertThat(DeadlockToOpenedLatency.describe(new long[0])).contains("no measured samples");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"typical", "inList100", "tenMegabytes"})
    void theSanitizerBenchmarkSanitizesEachStatementWithinTheBound(String statement) {
        SqlSanitizerBench bench = new SqlSanitizerBench();
        bench.statement = statement;
        bench.setUp();
        SanitizedSql sanitized = bench.sanitize();
        assertThat(sanitized.fingerprint()).hasSize(16);
        assertThat(sanitized.sql()).hasSizeLessThanOrEqualTo(4_000).doesNotContain("4711", "'transfer");
        if (statement.equals("tenMegabytes")) {
            assertThat(SqlSanitizerBench.statement(statement)).hasSizeGreaterThanOrEqualTo(SqlSanitizerBench.TEN_MEGABYTES);
        }
        if (statement.equals("inList100")) {
            assertThat(sanitized.sql()).endsWith("IN (?)");
        }
    }

    @Test
    void theStormHeapCheckCountsEveryFailureInOneIncident() throws SQLException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StormHeapCheck.run(20_000, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("| 20,000 |", "deadlock incident occurrences after close: 20,000 (every failure counted)");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}, {1} statements")
    @org.junit.jupiter.params.provider.CsvSource({"raw, 2", "off, 2", "default, 8", "full, 8"})
    void theLockOrderBenchmarkCommitsItsTransaction(String sampling, int statements) throws SQLException {
        LockOrderBench bench = new LockOrderBench();
        bench.sampling = sampling;
        bench.statements = statements;
        bench.setUp();
        try {
            org.assertj.core.api.Assertions.assertThat(bench.transaction()).isEqualTo(statements);
            org.assertj.core.api.Assertions.assertThat(bench.transaction()).isEqualTo(statements);
        } finally {
            bench.tearDown();
        }
    }
}
