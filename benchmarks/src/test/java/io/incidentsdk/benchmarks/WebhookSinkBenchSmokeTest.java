package io.incidentsdk.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every spool setting of {@link WebhookSinkBench} delivers a batch end to end. (Nothing here measures.) */
class WebhookSinkBenchSmokeTest {

    @ParameterizedTest
    @ValueSource(strings = {"every-event", "batched", "never", "memory"})
    void aBatchIsDeliveredEndToEnd(String spool) throws Exception {
        WebhookSinkBench bench = new WebhookSinkBench();
        bench.spool = spool;
        bench.setUp();
        try {
            assertThat(bench.endToEnd()).isEqualTo(WebhookSinkBench.BATCH);
            assertThat(bench.accept()).isEqualTo(WebhookSinkBench.BATCH + 1);
            assertThat(bench.stats().deadLettered()).isZero();
            assertThat(bench.stats().dropped()).isZero();
        } finally {
            bench.tearDown();
        }
    }
}
