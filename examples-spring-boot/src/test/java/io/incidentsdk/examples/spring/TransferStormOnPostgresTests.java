package io.incidentsdk.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.jdbc.testing.DatabaseAccount;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 16: the storm where every concurrent pair of requests can deadlock (the example application over HTTP,
 * 2 accounts, 8 clients, PostgreSQL). Without avoidance the retry budget refuses retries and requests fail
 * ({@link TransferStormBenchmark} measures how many). With lock-order avoidance on, the
 * {@code @RetryableTransaction} units run behind the gate: no request fails, no retry is refused or given up,
 * and the money and the ledger hold.
 */
@ExtendWith(RealDatabases.class)
class TransferStormOnPostgresTests {

    private static final Logger LOG = LoggerFactory.getLogger(TransferStormOnPostgresTests.class);

    private static DatabaseAccount postgres;

    @BeforeAll
    static void databases(TestDatabases databases) {
        postgres = databases.accounts().postgres();
    }

    @ParameterizedTest(name = "avoidance {0}")
    @ValueSource(strings = {"in-process", "database"})
    void withAvoidanceOnNoRequestFailsAndTheBudgetIsUntouched(String avoidance) throws Exception {
        TransferStorm.Result storm = TransferStorm.run(postgres, avoidance, 8, Duration.ofSeconds(6));
        LOG.info("storm: {}", storm);

        assertThat(storm.requests()).as("requests answered").isGreaterThan(50);
        // the first cycle may deadlock before the gate comes on (it comes on at the first deadlock or risk
        // report); after that none does (without the gate they go on to the end: last at the storm's last ms)
        assertThat(storm.lastDeadlockMs()).as("when the last deadlock happened (ms; the storm lasted %d ms)",
                storm.millis()).isLessThan(storm.millis() / 2);
        assertThat(storm.failed()).as("failed requests %s", storm.statuses()).isZero();
        assertThat(storm.budgetRefused()).as("retries the budget refused").isZero();
        assertThat(storm.notRetried() + storm.exhausted()).as("retries refused or given up").isZero();
        assertThat(storm.moneyAfter()).as("the money is conserved").isEqualTo(storm.moneyBefore());
        assertThat(storm.ledgerRows()).as("every transfer in the ledger once").isEqualTo(storm.requests());
    }
}
