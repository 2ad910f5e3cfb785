package io.incidentsdk.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The Markdown summary of JMH's JSON: the rows, deltas and ratios the measurement method asks for. */
class ResultsSummaryTest {

    private static String path(String method, String variant, double score, double error, double bytes) {
        return "{\"benchmark\":\"io.incidentsdk.benchmarks.JdbcPathsBench." + method + "\",\"mode\":\"avgt\","
                + "\"params\":{\"backend\":\"stub\",\"variant\":\"" + variant + "\"},"
                + "\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":" + error + ",\"scoreUnit\":\"ns/op\"},"
                + "\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":" + bytes + ",\"scoreError\":\"NaN\","
                + "\"scoreUnit\":\"B/op\"}}}";
    }

    @Test
    void pathRowsShowScoreAllocationDeltaToRawAndRatiosToThePeers() throws IOException {
        String json = "[" + path("updateByPk", "raw", 2.0, 0.1, 0.0) + ","
                + path("updateByPk", "incidentsdk", 22.0, 1.0, 0.0) + ","
                + path("updateByPk", "incidentsdk_underpool", 12.0, 1.0, 24.0) + ","
                + path("updateByPk", "dsproxy_noop", 402.0, 10.0, 1126.0) + ","
                + path("updateByPk", "p6spy_nolog", 102.0, 5.0, 62.0) + "]";

        String md = ResultsSummary.summarize(json, "date: today", null, null);

        assertThat(md).contains("## Machine and run", "date: today");
        assertThat(md).contains("| updateByPk | raw | 2.00 ± 0.10 | 0.00 | — | — | 0.00 | 0.02 |");
        assertThat(md).contains("| updateByPk | incidentsdk | 22.0 ± 1.00 | 0.00 | +20.0 | +0.00 | 0.05 | 0.22 |");
        // the peers add 400 and 100 ns where incidentsdk adds 20: 20x and 5x
        assertThat(md).contains("| updateByPk | incidentsdk_underpool | 12.0 ± 1.00 | 24.0 | +10.0 | +24.0 | 0.03 | 0.12 |");
        assertThat(md).contains("| updateByPk | +20.0 | +10.0 | — | +400 | +100 | 20.0 | 5.0 | +0.00 | +24.0 | — | +1,126 "
                + "| +62.0 |");
    }

    private static String storm(String failure, String variant, double score, double bytes) {
        return "{\"benchmark\":\"io.incidentsdk.benchmarks.FailureStorm.failedCall\",\"mode\":\"avgt\","
                + "\"params\":{\"failure\":\"" + failure + "\",\"variant\":\"" + variant + "\"},"
                + "\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":1.0,\"scoreUnit\":\"ns/op\"},"
                + "\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":" + bytes + "}}}";
    }

    @Test
    void stormRowsCompareEachFailureWithItsOwnRawRow() throws IOException {
        String json = "[" + storm("deadlock", "raw", 500, 728) + "," + storm("deadlock", "incidentsdk", 900, 1000) + ","
                + storm("lockTimeout", "raw", 400, 728) + "," + storm("lockTimeout", "incidentsdk", 600, 900) + "]";

        String md = ResultsSummary.summarize(json, null, null, null);

        assertThat(md).contains("| deadlock | incidentsdk | 900 ± 1.00 | 1,000 | +400 | +272 |");
        assertThat(md).contains("| lockTimeout | incidentsdk | 600 ± 1.00 | 900 | +200 | +172 |");
        assertThat(md).contains("| lockTimeout | raw | 400 ± 1.00 | 728 | — | — |");
    }

    @Test
    void latencyRowsShowPercentilesAndTheSampleCount() throws IOException {
        String json = "[{\"benchmark\":\"io.incidentsdk.benchmarks.DeadlockToOpenedLatency.deadlockToOpened\","
                + "\"mode\":\"sample\",\"params\":{},\"primaryMetric\":{\"score\":80.5,\"scoreError\":3.0,"
                + "\"scoreUnit\":\"us/op\",\"scorePercentiles\":{\"50.0\":70.0,\"90.0\":120.0,\"99.0\":900.0,"
                + "\"99.9\":2100.0,\"100.0\":4000.0},\"rawDataHistogram\":[[[[70.0,5],[900.0,2]],[[120.0,3]]]]},"
                + "\"secondaryMetrics\":{}}]";

        String md = ResultsSummary.summarize(json, null, "storm text", "deadlock -> OPENED (exact): p99=1 us");

        assertThat(md).contains("| deadlockToOpened | 10 | 70.0 | 120 | 900 | 2,100 | 4,000 | us |");
        assertThat(md).contains("deadlock -> OPENED (exact): p99=1 us");
        assertThat(md).contains("## Failure storm: heap over a long run (StormHeapCheck)\n\nstorm text");
        assertThat(md).doesNotContain("## JDBC paths", "## Machine and run");
    }

    private static String unit(String benchmark, String backend, String path, double score, double bytes) {
        return "{\"benchmark\":\"io.incidentsdk.benchmarks." + benchmark + "\",\"mode\":\"avgt\","
                + "\"params\":{" + (backend == null ? "" : "\"backend\":\"" + backend + "\",") + "\"path\":\"" + path + "\"},"
                + "\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":1.0,\"scoreUnit\":\"ns/op\"},"
                + "\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":" + bytes + "}}}";
    }

    @Test
    void transactionRunnerRowsShowWhatTheWatchAndTheRunnerAddAndWhatOneRetryCosts() throws IOException {
        String json = "[" + unit("TransactionRunnerBench.unitOfWork", "stub", "byHandRaw", 300, 100) + ","
                + unit("TransactionRunnerBench.unitOfWork", "stub", "byHandWatched", 500, 400) + ","
                + unit("TransactionRunnerBench.unitOfWork", "stub", "runner", 800, 700) + ","
                + unit("TransactionRunnerBench.unitOfWork", "stub", "byHandUnderPool", 400, 100) + ","
                + unit("TransactionRunnerBench.unitOfWork", "stub", "runnerUnderPool", 600, 250) + ","
                + unit("TransactionRunnerRetryBench.unitAbsorbingOneDeadlock", null, "byHandRaw", 2_000, 1_000) + ","
                + unit("TransactionRunnerRetryBench.unitAbsorbingOneDeadlock", null, "runner", 5_000, 3_000) + "]";

        String md = ResultsSummary.summarize(json, null, null, null, "transfer text");

        assertThat(md).contains("| stub | byHandRaw | 300 ± 1.00 | 100 | — | — | — | — |");
        assertThat(md).contains("| stub | byHandWatched | 500 ± 1.00 | 400 | +200 | +300 | — | — |");
        assertThat(md).contains("| stub | runner | 800 ± 1.00 | 700 | +500 | +600 | +300 | +300 |");
        assertThat(md).contains("| stub | byHandUnderPool | 400 ± 1.00 | 100 | +100 | +0.00 | — | — |");
        assertThat(md).contains("| stub | runnerUnderPool | 600 ± 1.00 | 250 | +300 | +150 | +200 | +150 |");
        // one retry: the failing unit minus the same path's unit without the failure
        assertThat(md).contains("| byHandRaw | 2,000 ± 1.00 | 1,000 | — | — | +1,700 | +900 |");
        assertThat(md).contains("| runner | 5,000 ± 1.00 | 3,000 | +3,000 | +2,000 | +4,200 | +2,300 |");
        assertThat(md).contains("## Transfer workload on PostgreSQL (TransferCostCheck)\n\ntransfer text");
        assertThat(md).doesNotContain("## Other benchmarks");
    }

    private static String threaded(String method, int threads, String variant, double score) {
        return "{\"benchmark\":\"io.incidentsdk.benchmarks.JdbcPathsThreadsBench." + method + threads + "\","
                + "\"mode\":\"avgt\",\"threads\":" + threads + ",\"params\":{\"variant\":\"" + variant + "\"},"
                + "\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":0.5,\"scoreUnit\":\"ns/op\"},"
                + "\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":0.0}}}";
    }

    @Test
    void threadRowsShowTheTimePerCallAndTheCallsPerMicrosecondOfAllThreads() throws IOException {
        String json = "[" + threaded("updateByPk", 1, "raw", 2.0) + "," + threaded("updateByPk", 2, "raw", 2.0) + ","
                + threaded("updateByPk", 8, "raw", 8.0) + "," + threaded("updateByPk", 1, "incidentsdk", 10.0) + ","
                + threaded("updateByPk", 2, "incidentsdk", 10.0) + "," + threaded("updateByPk", 8, "incidentsdk", 40.0)
                + "]";

        String md = ResultsSummary.summarize(json, null, null, null);

        assertThat(md).contains("## Success paths on many threads (JdbcPathsThreadsBench, stub driver)",
                "| path | variant | 1 thread ns/op | 2 threads ns/op | 8 threads ns/op | 1 calls/µs | 2 calls/µs "
                        + "| 8 calls/µs | B/op |");
        // 8 threads on 40 ns each: 200 calls per microsecond... per 1,000 ns, 8 calls per 40 ns
        assertThat(md).contains("| updateByPk | incidentsdk | 10.0 ± 0.50 | 10.0 ± 0.50 | 40.0 ± 0.50 | 100.0 | 200.0 "
                + "| 200.0 | 0.00 |");
        assertThat(md).contains("| updateByPk | raw | 2.00 ± 0.50 | 2.00 ± 0.50 | 8.00 ± 0.50 | 500.0 | 1000.0 | 1000.0 "
                + "| 0.00 |");
        assertThat(md).doesNotContain("## Other benchmarks");
    }

    @Test
    void thePgjdbcBackendHasItsOwnSection() throws IOException {
        String json = "[" + path("pointSelect", "raw", 40_000.0, 900.0, 512.0).replace("\"stub\"", "\"pgjdbc\"") + ","
                + path("pointSelect", "incidentsdk", 40_100.0, 800.0, 512.0).replace("\"stub\"", "\"pgjdbc\"") + "]";

        String md = ResultsSummary.summarize(json, null, null, null);

        assertThat(md).contains("## JDBC paths against PostgreSQL through pgjdbc",
                "| pointSelect | incidentsdk | 40,100 ± 800 | 512 | +100 | +0.00 |");
    }
}
