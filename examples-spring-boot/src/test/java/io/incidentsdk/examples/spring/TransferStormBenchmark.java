package io.incidentsdk.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.jdbc.testing.DatabaseAccount;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Measures issue 16's storm ({@link TransferStorm}) with each avoidance, several rounds, and prints a Markdown
 * table for BENCHMARKS.md. Not part of the default test run (the class name matches no test pattern); run it with
 * {@code mvn -o -pl examples-spring-boot -am test -Dtest=TransferStormBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * and the database environment of {@code scripts/test-databases.sh}. {@code -Dstorm.seconds} (default 20) and
 * {@code -Dstorm.rounds} (default 3) set its length, {@code -Dstorm.variants} (default
 * {@code off,in-process,database}) the avoidances measured.
 */
@ExtendWith(RealDatabases.class)
class TransferStormBenchmark {

    @Test
    void measure(TestDatabases databases) throws Exception {
        DatabaseAccount postgres = databases.accounts().postgres();
        int seconds = Integer.getInteger("storm.seconds", 20);
        int rounds = Integer.getInteger("storm.rounds", 3);
        List<String> rows = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (String avoidance : System.getProperty("storm.variants", "off,in-process,database").split(",")) {
                TransferStorm.Result r = TransferStorm.run(postgres, avoidance, 8, Duration.ofSeconds(seconds));
                rows.add(r.row() + " " + r.statuses() + " last deadlock at " + r.lastDeadlockMs() + " ms |");
                assertThat(r.moneyAfter()).isEqualTo(r.moneyBefore());
            }
        }
        System.out.println("| avoidance | requests | failed | failed % | deadlocks | absorbed | not retried or given up"
                + " | exhausted | budget refusals | transfers/s | invariant | notes |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        rows.forEach(System.out::println);
    }
}
