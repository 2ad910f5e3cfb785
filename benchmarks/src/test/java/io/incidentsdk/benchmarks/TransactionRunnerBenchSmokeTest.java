package io.incidentsdk.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.benchmarks.support.Backend;
import io.incidentsdk.benchmarks.transfer.UnitPaths;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The transaction-runner benchmarks set up, run their unit with the expected outcome, and tear down. */
class TransactionRunnerBenchSmokeTest {

    static List<Arguments> backendsAndPaths() {
        List<Arguments> all = new ArrayList<>();
        for (String backend : List.of(Backend.STUB, Backend.H2)) {
            for (String path : List.of(UnitPaths.BY_HAND_RAW, UnitPaths.BY_HAND_WATCHED, UnitPaths.RUNNER,
                    UnitPaths.BY_HAND_UNDER_POOL, UnitPaths.RUNNER_UNDER_POOL)) {
                all.add(Arguments.of(backend, path));
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("backendsAndPaths")
    void everyPathCommitsTheTwoUpdatesOfTheUnit(String backend, String path) throws SQLException {
        TransactionRunnerBench bench = new TransactionRunnerBench();
        bench.backend = backend;
        bench.path = path;
        bench.setUp();
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(bench.unitOfWork()).isEqualTo(2);
            }
        } finally {
            bench.tearDown();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {UnitPaths.BY_HAND_RAW, UnitPaths.BY_HAND_WATCHED, UnitPaths.RUNNER})
    void everyPathAbsorbsTheFirstAttemptsDeadlockWithExactlyOneRetry(String path) throws SQLException {
        TransactionRunnerRetryBench bench = new TransactionRunnerRetryBench();
        bench.path = path;
        bench.setUp();
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(bench.unitAbsorbingOneDeadlock()).isEqualTo(2);
                assertThat(bench.lastAttempts()).isEqualTo(2);
            }
        } finally {
            bench.tearDown();
        }
    }
}
