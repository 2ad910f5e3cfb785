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

    /** The series of the spike's latest event that reaches {@code end} at least. */
    private TimeSeries seriesReaching(java.time.Instant end) {
        clock.advance(Duration.ofMillis(1)); // an update throttled until the clock moves goes out
        await().atMost(Duration.ofSeconds(10)).until(() -> memory.events().stream()
                .map(IncidentEvent::incident).filter(i -> i.fingerprint().equals(detector.fingerprint()))
                .anyMatch(i -> i.series() != null && !i.series().end().isBefore(end)));
        return memory.events().stream().map(IncidentEvent::incident)
                .filter(i -> i.fingerprint().equals(detector.fingerprint()))
                .filter(i -> i.series() != null && !i.series().end().isBefore(end))
                .reduce((a, b) -> b).orElseThrow().series();
    }

    /** A bucket of the spike: 100 calls, 40 failing; then the clock moves on by one bucket. */
    private void spikeBucket() {
        traffic(100, 40, 0);
        clock.advance(Duration.ofSeconds(5));
    }

    @Test
    void anEvaluatorLateDuringAnOpenSpikeContinuesTheSeriesWithTheCountsOfTheBucketsItMissed() {
        java.time.Instant t0 = clock.instant();
        for (int bucket = 0; bucket < 6; bucket++) {
            spikeBucket();
            detector.evaluate();
        }
        assertThat(detector.isSpikeOpen()).isTrue();
        // the evaluator is late by 20 buckets (100 s, more than the 60-s window): a loaded machine
        for (int bucket = 0; bucket < 20; bucket++) {
            spikeBucket();
        }
        detector.evaluate();

        TimeSeries series = seriesReaching(t0.plusSeconds(130));
        assertThat(series.start()).as("the series keeps its earlier buckets").isEqualTo(t0);
        assertThat(series.bucket()).isEqualTo(Duration.ofSeconds(5));
        assertThat(series.end()).isEqualTo(t0.plusSeconds(130));
        assertThat(series.calls()).hasSize(26).containsOnly(100L);
        assertThat(series.failures()).hasSize(26).containsOnly(40L);
        assertThat(detector.isSpikeOpen()).isTrue();
    }

    @Test
    void bucketsAnEvaluatorMissedBeyondWhatTheDetectorStillHoldsAreEmptyAndTheSeriesStaysInTimeOrder() {
        java.time.Instant t0 = clock.instant();
        for (int bucket = 0; bucket < 6; bucket++) {
            spikeBucket();
            detector.evaluate();
        }
        // late by 40 buckets (200 s): the detector holds the last 24 completed buckets (two windows), the rest is gone
        for (int bucket = 0; bucket < 40; bucket++) {
            spikeBucket();
        }
        detector.evaluate();
        spikeBucket();
        detector.evaluate();

        TimeSeries series = seriesReaching(t0.plusSeconds(235));
        assertThat(series.start()).isEqualTo(t0);
        assertThat(series.calls()).hasSize(47);
        for (int i = 0; i < 47; i++) {
            boolean lost = i >= 6 && i < 22;
            assertThat(series.calls().get(i)).as("calls of bucket %d", i).isEqualTo(lost ? 0L : 100L);
            assertThat(series.failures().get(i)).as("failures of bucket %d", i).isEqualTo(lost ? 0L : 40L);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(20)
    void aClockJumpOfMonthsDuringAnOpenSpikeKeepsTheSeriesBoundedAndItsStart() {
        java.time.Instant t0 = clock.instant();
        for (int bucket = 0; bucket < 6; bucket++) {
            spikeBucket();
            detector.evaluate();
        }
        clock.advance(Duration.ofDays(90));
        spikeBucket();
        detector.evaluate();

        TimeSeries series = seriesReaching(t0.plus(Duration.ofDays(90)));
        // folded: the first point also holds the empty lead-in of the window before the spike
        assertThat(series.start()).isBetween(t0.minusSeconds(60), t0);
        assertThat(series.calls()).hasSizeLessThanOrEqualTo(TimeSeries.MAX_BUCKETS);
        assertThat(series.end()).isAfterOrEqualTo(t0.plus(Duration.ofDays(90)));
        assertThat(series.totalFailures()).isEqualTo(6 * 40 + 40);
        assertThat(series.failures().get(0)).as("the six buckets before the jump, folded into the first point")
                .isEqualTo(6 * 40L);
    }

    @Test
    void underConcurrencyAcrossBucketBoundariesNoWindowOrBucketShowsMoreFailuresThanCalls() throws Exception {
        InMemorySink events = new InMemorySink(100_000);
        // the real clock, and 2-ms buckets: the writers cross bucket boundaries all the time
        try (IncidentSdk real = IncidentSdk.builder().sink(events).updateInterval(Duration.ofMillis(1))
                .housekeepingInterval(Duration.ofMillis(5)).build()) {
            ErrorSpikeDetector hot = ErrorSpikeDetector.builder(real, "hot").window(Duration.ofSeconds(1), 500)
                    .thresholds(0.05, 0.0).minimumCalls(1).coolDown(Duration.ofHours(1)).build();
            // a followed incident: its series is read from the counters while they are being added to
            OpenIncident deadlock = real.open(IncidentKind.DEADLOCK, "Deadlock on UPDATE account");
            assertThat(hot.follow(deadlock.fingerprint())).isTrue();
            long deadline = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            java.util.concurrent.ConcurrentLinkedQueue<String> violations = new java.util.concurrent.ConcurrentLinkedQueue<>();
            List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
            for (int t = 0; t < 6; t++) {
                running.add(pool.submit(() -> {
                    for (long i = 0; System.nanoTime() < deadline; i++) {
                        hot.recordFailure("DEADLOCK", "fp-transfer", "UPDATE account");
                        if (i % 8 == 0) {
                            hot.recordCall();
                        }
                    }
                }));
            }
            running.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    Impact impact = hot.evaluate();
                    if (impact.failures() > impact.calls()) {
                        violations.add("window: " + impact.failures() + " failures of " + impact.calls() + " calls");
                    }
                    hot.tick();
                }
            }));
            running.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    TimeSeries recent = hot.recentSeries();
                    for (int i = 0; i < recent.calls().size(); i++) {
                        if (recent.failures().get(i) > recent.calls().get(i)) {
                            violations.add("recent bucket " + i + ": " + recent.failures().get(i) + " of "
                                    + recent.calls().get(i));
                        }
                    }
                    deadlock.note("looked at the counters"); // an UPDATED event with the followed series
                }
            }));
            for (java.util.concurrent.Future<?> f : running) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            pool.shutdown();
            hot.evaluate();
            deadlock.resolve("done");
            await().atMost(Duration.ofSeconds(10)).until(() -> events.events().stream()
                    .anyMatch(e -> e.event() == Type.RESOLVED && e.incident().series() != null
                            && e.incident().fingerprint().equals(deadlock.fingerprint())));
            assertThat(events.events()).filteredOn(e -> e.incident().fingerprint().equals(deadlock.fingerprint()))
                    .filteredOn(e -> e.event() == Type.UPDATED).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.incident().series()).isNotNull());
            for (IncidentEvent e : events.events()) {
                TimeSeries series = e.incident().series();
                if (series == null) {
                    continue;
                }
                for (int i = 0; i < series.calls().size(); i++) {
                    if (series.failures().get(i) > series.calls().get(i)) {
                        violations.add("bucket " + i + " of a " + e.event() + " event: " + series.failures().get(i)
                                + " failures of " + series.calls().get(i) + " calls");
                    }
                }
                Impact impact = e.incident().impact();
                if (impact != null && impact.failures() > impact.calls()) {
                    violations.add("impact of a " + e.event() + " event: " + impact.failures() + " of " + impact.calls());
                }
            }
            assertThat(violations).isEmpty();
        }
    }

    private Incident latest(String fingerprint, Type type, java.util.function.Predicate<Incident> matching) {
        clock.advance(Duration.ofMillis(1)); // an update throttled until the clock moves goes out
        await().atMost(Duration.ofSeconds(10)).until(() -> memory.events().stream()
                .anyMatch(e -> e.event() == type && e.incident().fingerprint().equals(fingerprint)
                        && matching.test(e.incident())));
        return memory.events().stream().filter(e -> e.event() == type && e.incident().fingerprint().equals(fingerprint))
                .map(IncidentEvent::incident).filter(matching).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void aFollowedIncidentsEventsCarryTheCountsFromTheWindowBeforeItUntilItEnds() {
        java.time.Instant t0 = clock.instant();
        for (int bucket = 0; bucket < 3; bucket++) { // quiet traffic: no spike
            traffic(20, 0, 0);
            clock.advance(Duration.ofSeconds(5));
            detector.evaluate();
        }
        // an incident of what the detector watches (a deadlock on the same data source), in the running bucket
        OpenIncident deadlock = sdk.open(IncidentKind.DEADLOCK, "Deadlock on UPDATE account");
        latest(deadlock.fingerprint(), Type.OPENED, i -> true);
        traffic(20, 3, 0);
        assertThat(detector.follow(deadlock.fingerprint())).isTrue();
        assertThat(detector.follow(deadlock.fingerprint())).as("already followed").isTrue();

        deadlock.note("looking at it");
        Incident updated = latest(deadlock.fingerprint(), Type.UPDATED, i -> i.series() != null);
        TimeSeries first = updated.series();
        assertThat(first.start()).isEqualTo(t0);
        assertThat(first.counting()).isEqualTo("calls");
        assertThat(first.calls()).as("the window before it, then the running bucket").containsExactly(20L, 20L, 20L, 20L);
        assertThat(first.failures()).containsExactly(0L, 0L, 0L, 3L);

        for (int bucket = 0; bucket < 2; bucket++) {
            clock.advance(Duration.ofSeconds(5));
            detector.evaluate();
            traffic(10, 1, 0);
        }
        clock.advance(Duration.ofSeconds(5));
        detector.evaluate();
        deadlock.resolve("fixed the lock order");

        TimeSeries last = latest(deadlock.fingerprint(), Type.RESOLVED, i -> true).series();
        assertThat(last.start()).isEqualTo(t0);
        assertThat(last.calls()).containsExactly(20L, 20L, 20L, 20L, 10L, 10L, 0L);
        assertThat(last.failures()).containsExactly(0L, 0L, 0L, 3L, 1L, 1L, 0L);
        assertThat(detector.isSpikeOpen()).isFalse();

        detector.evaluate(); // forgets it
        assertThat(detector.follow(deadlock.fingerprint())).as("no longer open").isFalse();
    }

    @Test
    void theDetectorFollowsNeitherItsOwnSpikeNorAClosedIncidentNorMoreThanItsBound() {
        assertThat(detector.follow(detector.fingerprint())).isFalse();
        assertThat(detector.follow("no-such-incident")).isFalse();
        List<OpenIncident> open = new java.util.ArrayList<>();
        for (int i = 0; i < 33; i++) {
            open.add(sdk.open(IncidentKind.DEADLOCK, "Deadlock " + i));
        }
        for (int i = 0; i < 32; i++) {
            assertThat(detector.follow(open.get(i).fingerprint())).isTrue();
        }
        assertThat(detector.follow(open.get(32).fingerprint())).as("the bound").isFalse();
        open.get(0).resolve("done");
        assertThat(detector.follow(open.get(32).fingerprint())).as("room again once one ended").isTrue();
    }

    @Test
    void theRecentSeriesIsTheWindowUpToTheRunningBucket() {
        java.time.Instant t0 = clock.instant();
        traffic(30, 2, 0);
        clock.advance(Duration.ofSeconds(5));
        traffic(10, 10, 0);

        TimeSeries recent = detector.recentSeries();

        assertThat(recent.start()).isEqualTo(t0);
        assertThat(recent.bucket()).isEqualTo(Duration.ofSeconds(5));
        assertThat(recent.calls()).containsExactly(30L, 10L);
        assertThat(recent.failures()).containsExactly(2L, 10L);
    }
}
