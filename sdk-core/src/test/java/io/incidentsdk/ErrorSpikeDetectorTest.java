package io.incidentsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.IncidentEvent.Type;
import io.incidentsdk.sink.InMemorySink;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ErrorSpikeDetectorTest {

    private final ManualClock clock = ManualClock.startingAt("2026-11-25T10:00:00Z");
    private final InMemorySink memory = new InMemorySink(1_000);
    private final IncidentSdk sdk = IncidentSdk.builder().clock(clock).sink(memory)
            .updateInterval(Duration.ofMillis(1)).housekeepingInterval(Duration.ofMillis(5)).build();
    private final ErrorSpikeDetector detector = ErrorSpikeDetector.builder(sdk, "orders-db")
            .window(Duration.ofSeconds(60), 12)
            .thresholds(0.2, 0.1)
            .minimumCalls(50)
            .coolDown(Duration.ofSeconds(30))
            .database(() -> new DatabaseInfo("postgresql", "PostgreSQL", "15.18", "orders-db", null))
            .build();

    @AfterEach
    void close() {
        sdk.close();
    }

    private void traffic(int calls, int deadlocks, int timeouts) {
        detector.tick(); // as the SDK's scheduler does, so that successes count at the clock's time
        for (int i = 0; i < calls - deadlocks - timeouts; i++) {
            detector.recordCall();
        }
        for (int i = 0; i < deadlocks; i++) {
            detector.recordFailure("DEADLOCK", "fp-transfer", "UPDATE account");
        }
        for (int i = 0; i < timeouts; i++) {
            detector.recordFailure("QUERY_TIMEOUT", "fp-report", "SELECT orders");
        }
    }

    private List<IncidentEvent> events(Type type) {
        return memory.events().stream().filter(e -> e.event() == type).toList();
    }

    @Test
    void aSpikeOpensWhenTheFailureRateCrossesTheThresholdAndSaysWhatIsFailing() {
        traffic(100, 29, 2);
        clock.advance(Duration.ofSeconds(1));
        Impact impact = detector.evaluate();

        assertThat(detector.isSpikeOpen()).isTrue();
        assertThat(impact.calls()).isEqualTo(100);
        assertThat(impact.failures()).isEqualTo(31);
        assertThat(impact.failureRate()).isEqualTo(0.31);
        assertThat(impact.failuresByCategory()).containsExactly(
                org.assertj.core.api.Assertions.entry("DEADLOCK", 29L),
                org.assertj.core.api.Assertions.entry("QUERY_TIMEOUT", 2L));
        assertThat(impact.topFingerprints()).containsExactly("fp-transfer", "fp-report");

        await().atMost(Duration.ofSeconds(10)).until(() -> events(Type.OPENED).size() == 1);
        Incident spike = events(Type.OPENED).get(0).incident();
        assertThat(spike.kind()).isEqualTo(IncidentKind.ERROR_SPIKE);
        assertThat(spike.title()).isEqualTo("Error spike on orders-db");
        assertThat(spike.summary()).isEqualTo(
                "31% of calls failing (31 of 100 in 60 s); 94% of failures are DEADLOCK; most failing statement: UPDATE account");
        assertThat(spike.database().system()).isEqualTo("postgresql");
        assertThat(spike.impact()).isEqualTo(impact);
        assertThat(spike.timeline()).extracting(TimelineEntry::type)
                .containsExactly(TimelineEntry.FIRST_FAILURE, TimelineEntry.SPIKE_OPENED);
        assertThat(spike.fingerprint()).isEqualTo(detector.fingerprint());
    }

    @Test
    void noSpikeBelowTheMinimumNumberOfCallsOrBelowTheThreshold() {
        traffic(40, 40, 0); // 100 % failing, but only 40 calls
        detector.evaluate();
        assertThat(detector.isSpikeOpen()).isFalse();

        traffic(60, 0, 0); // 100 calls, 40 % failing now
        clock.advance(Duration.ofSeconds(61)); // ... but they all left the window
        traffic(100, 19, 0); // 19 %
        assertThat(detector.evaluate().failureRate()).isEqualTo(0.19);
        assertThat(detector.isSpikeOpen()).isFalse();
    }

    @Test
    void aSpikeResolvesOnlyAfterTheRateStayedBelowTheRecoveryThresholdForTheCoolDown() {
        traffic(100, 50, 0);
        detector.evaluate();
        assertThat(detector.isSpikeOpen()).isTrue();

        // a new peak is recorded on the timeline
        traffic(100, 90, 0);
        assertThat(detector.evaluate().failureRate()).isEqualTo(0.7);

        // 15 %: below the opening threshold, above the recovery threshold: stays open
        clock.advance(Duration.ofSeconds(61));
        traffic(100, 15, 0);
        detector.evaluate();
        clock.advance(Duration.ofSeconds(40));
        detector.evaluate();
        assertThat(detector.isSpikeOpen()).isTrue();

        // below 10 %, but not yet for 30 s
        clock.advance(Duration.ofSeconds(61));
        traffic(100, 5, 0);
        detector.evaluate();
        clock.advance(Duration.ofSeconds(29));
        detector.evaluate();
        assertThat(detector.isSpikeOpen()).isTrue();

        clock.advance(Duration.ofSeconds(1));
        detector.evaluate();
        assertThat(detector.isSpikeOpen()).isFalse();

        await().atMost(Duration.ofSeconds(10)).until(() -> events(Type.RESOLVED).size() == 1);
        Incident resolved = events(Type.RESOLVED).get(0).incident();
        assertThat(resolved.timeline()).extracting(TimelineEntry::type).containsSubsequence(
                TimelineEntry.SPIKE_OPENED, TimelineEntry.PEAK, TimelineEntry.RESOLVED);
        assertThat(resolved.timeline()).extracting(TimelineEntry::detail)
                .contains("70% of calls failing", "failure rate back to 5% for 30 s (peak 70%)");
        assertThat(resolved.impact().failureRate()).as("the worst window is kept").isEqualTo(0.7);
        assertThat(resolved.summary()).startsWith("70% of calls failing");
        assertThat(events(Type.OPENED)).hasSize(1);
    }

    @Test
    void aSecondSpikeAfterRecoveryIsANewIncident() {
        traffic(100, 50, 0);
        detector.evaluate();
        clock.advance(Duration.ofSeconds(61));
        detector.evaluate(); // empty window: below the minimum counts as recovered
        clock.advance(Duration.ofSeconds(30));
        detector.evaluate();
        assertThat(detector.isSpikeOpen()).isFalse();

        traffic(100, 50, 0);
        detector.evaluate();
        await().atMost(Duration.ofSeconds(10)).until(() -> events(Type.OPENED).size() == 2);
        assertThat(events(Type.OPENED).get(0).incident().incidentId())
                .isNotEqualTo(events(Type.OPENED).get(1).incident().incidentId());
    }

    @Test
    void badSettingsAreRejectedWithTheFieldAndTheBound() {
        ErrorSpikeDetector.Builder builder = ErrorSpikeDetector.builder(sdk, "x");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.thresholds(0, 0)).withMessageContaining("threshold");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.thresholds(0.2, 0.3))
                .withMessageContaining("recoveryThreshold");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.minimumCalls(0)).withMessageContaining("minimumCalls");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.window(Duration.ofMillis(10), 2))
                .withMessageContaining("window");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.window(Duration.ofSeconds(10), 1))
                .withMessageContaining("buckets");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.coolDown(Duration.ofSeconds(-1)))
                .withMessageContaining("coolDown");
    }

    @Test
    void theSpikeKeepsABoundedSeriesOfCallsAndFailuresOverTheWholeIncident() {
        long calls = 0;
        long failures = 0;
        // 3 minutes of 5-second buckets in a spike, then recovery: 36 buckets, then 24 quiet ones
        for (int bucket = 0; bucket < 36; bucket++) {
            traffic(100, 40, 0);
            calls += 100;
            failures += 40;
            clock.advance(Duration.ofSeconds(5));
            detector.evaluate();
        }
        assertThat(detector.isSpikeOpen()).isTrue();
        for (int bucket = 0; bucket < 600; bucket++) { // 50 minutes more: the series folds to stay bounded
            traffic(100, 40, 0);
            calls += 100;
            failures += 40;
            clock.advance(Duration.ofSeconds(5));
            detector.evaluate();
        }
        for (int bucket = 0; bucket < 24; bucket++) { // the window, then the cool-down
            traffic(100, 0, 0);
            calls += 100;
            clock.advance(Duration.ofSeconds(5));
            detector.evaluate();
        }
        assertThat(detector.isSpikeOpen()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> !events(Type.RESOLVED).isEmpty());

        TimeSeries series = events(Type.RESOLVED).get(0).incident().series();
        assertThat(series.calls()).hasSizeLessThanOrEqualTo(TimeSeries.MAX_BUCKETS).hasSameSizeAs(series.failures());
        assertThat(series.bucket()).isEqualTo(Duration.ofSeconds(5 * 8)); // folded three times
        assertThat(series.counting()).isEqualTo("calls");
        // the whole incident, from its first bucket to the recovery, is covered
        assertThat(series.totalFailures()).isEqualTo(failures);
        assertThat(series.totalCalls()).isGreaterThan(calls - 100 * 24).isLessThanOrEqualTo(calls);
        // it starts with (at most) the window before the spike, for context
        assertThat(series.start()).isBetween(java.time.Instant.parse("2026-11-25T09:59:00Z"),
                java.time.Instant.parse("2026-11-25T10:00:00Z"));
        for (int i = 0; i < series.calls().size(); i++) {
            assertThat(series.failures().get(i)).isLessThanOrEqualTo(series.calls().get(i));
        }
        assertThat(series.failures().get(0)).as("the first point holds the spike's first failures").isPositive();
    }
}
