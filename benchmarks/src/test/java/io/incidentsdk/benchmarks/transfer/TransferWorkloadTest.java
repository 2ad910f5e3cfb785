package io.incidentsdk.benchmarks.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.benchmarks.TransferCostCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The transfer workload runs on H2 in memory (PostgreSQL is only for the measurement) and checks its
 * invariant; the report says what the figures mean and when the check fails.
 */
class TransferWorkloadTest {

    @Test
    void orderedTransfersThroughTheRunnerKeepTheInvariantOnH2() throws SQLException, InterruptedException {
        TransferWorkload workload = new TransferWorkload("jdbc:h2:mem:transfer-ordered;DB_CLOSE_DELAY=-1", "sa", "", 2, 4);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        boolean passed = TransferCostCheck.run(workload, List.of(TransferVariant.ORDERED_LOCKS), Duration.ofMillis(300),
                Duration.ZERO, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String report = bytes.toString(StandardCharsets.UTF_8);
        assertThat(passed).as(report).isTrue();
        assertThat(report).contains("| B bug fixed (ascending lock order) |", "holds (sum 4,000,000, ledger rows = transfers)",
                "result: PASSED");
    }

    @Test
    void oneResultOfTheWorkloadCountsWhatTheDatabaseHolds() throws SQLException, InterruptedException {
        TransferWorkload workload = new TransferWorkload("jdbc:h2:mem:transfer-one;DB_CLOSE_DELAY=-1", "sa", "", 2, 3);
        workload.createTables();
        try {
            TransferResult r = workload.run(TransferVariant.ORDERED_LOCKS, Duration.ofMillis(200));

            assertThat(r.transfers()).isPositive();
            assertThat(r.ledgerRows()).isEqualTo(r.transfers());
            assertThat(r.balanceSum()).isEqualTo(3 * TransferWorkload.INITIAL_BALANCE);
            assertThat(r.mismatchedAccounts()).isZero();
            assertThat(r.failed()).isZero();
            assertThat(r.attempts()).isEqualTo(r.transfers());
            assertThat(r.p50Nanos()).isPositive().isLessThanOrEqualTo(r.p99Nanos());
        } finally {
            workload.dropTables();
        }
    }

    private static TransferResult result(TransferVariant variant, long transfers, long attempts, long failed,
                                         long ledgerRows) {
        return new TransferResult(variant, 8, 10, 10_000_000_000L, transfers, attempts, attempts - transfers - failed,
                failed, failed == 0 ? Map.of() : Map.of("40P01", failed), attempts - transfers, Map.of(), 0,
                10_000_000L, 10_000_000L, ledgerRows, 0, 2_000_000, 150_000_000, 400_000_000);
    }

    @Test
    void theReportGivesThroughputRatioAndRetriesPerTransfer() {
        TransferResult a = result(TransferVariant.RACE_SAFE_RETRY, 5_000, 5_500, 0, 5_000);
        TransferResult b = result(TransferVariant.ORDERED_LOCKS, 10_000, 10_000, 0, 10_000);

        String report = TransferCostCheck.report(List.of(a, b), Duration.ofSeconds(10), "PostgreSQL settings: x");

        assertThat(report).contains("| A race + safe retry | 500 | 5,000 | 5,500 | 0.100 | 500 | 0 | 2.00 | 150.00 | 400.0 | holds",
                "throughput A/B: 0.50", "result: PASSED", "PostgreSQL settings: x");
        assertThat(TransferCostCheck.passed(List.of(a, b))).isTrue();
    }

    @Test
    void aFailedTransferThroughTheRunnerOrABrokenInvariantFailsTheCheckButTheRaceWithoutRunnerMayFail() {
        TransferResult failedThroughRunner = result(TransferVariant.RACE_SAFE_RETRY, 5_000, 5_001, 1, 5_000);
        TransferResult lostLedgerRow = result(TransferVariant.ORDERED_LOCKS, 10_000, 10_000, 0, 9_999);
        TransferResult failedWithoutRunner = result(TransferVariant.RACE_NO_RETRY, 5_000, 5_300, 300, 5_000);

        assertThat(TransferCostCheck.passed(List.of(failedThroughRunner))).as("a deadlock the runner did not retry")
                .isFalse();
        TransferResult exhausted = new TransferResult(TransferVariant.RACE_SAFE_RETRY, 8, 10, 10_000_000_000L, 5_000,
                5_300, 300, 1, Map.of("40P01", 1L), 300, Map.of(), 0, 10_000_000L, 10_000_000L, 5_000, 0, 2_000_000,
                150_000_000, 400_000_000);
        TransferResult otherFailure = new TransferResult(TransferVariant.RACE_SAFE_RETRY, 8, 10, 10_000_000_000L,
                5_000, 5_300, 300, 1, Map.of("08006", 1L), 300, Map.of(), 0, 10_000_000L, 10_000_000L, 5_000, 0,
                2_000_000, 150_000_000, 400_000_000);
        assertThat(TransferCostCheck.passed(List.of(exhausted))).as("5 deadlocked attempts: the bound").isTrue();
        assertThat(TransferCostCheck.report(List.of(exhausted), Duration.ofSeconds(10), ""))
                .contains("1 of 5,001 transfers deadlocked on all 5 attempts", "result: PASSED");
        assertThat(TransferCostCheck.passed(List.of(otherFailure))).isFalse();
        assertThat(TransferCostCheck.passed(List.of(lostLedgerRow))).isFalse();
        assertThat(TransferCostCheck.passed(List.of(failedWithoutRunner))).isTrue();
        assertThat(TransferCostCheck.report(List.of(lostLedgerRow), Duration.ofSeconds(10), ""))
                .contains("BROKEN (sum 10,000,000 of 10,000,000, ledger rows 9,999, transfers 10,000", "result: FAILED");
        assertThat(TransferCostCheck.report(List.of(failedWithoutRunner), Duration.ofSeconds(10), ""))
                .contains("| 300 {40P01=300} |");
    }
}
