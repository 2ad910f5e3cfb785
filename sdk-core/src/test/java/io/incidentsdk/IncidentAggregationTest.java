package io.incidentsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.IncidentEvent.Type;
import io.incidentsdk.sink.InMemorySink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IncidentAggregationTest {

    private final ManualClock clock = ManualClock.startingAt("2026-11-25T10:00:00Z");
    private final InMemorySink memory = new InMemorySink(100_000);

    private IncidentSdk.Builder sdk() {
        return IncidentSdk.builder()
                .service("checkout", "1.4.2").environment("test")
                .clock(clock)
                .sink(memory)
                .housekeepingInterval(Duration.ofMillis(5))
                .quietPeriod(Duration.ofHours(1));
    }

    private static Incident deadlock() {
        return Incident.builder(IncidentKind.DEADLOCK, "Deadlock on UPDATE account")
                .fingerprint("deadlock:account-transfer")
                .build();
    }

    private List<IncidentEvent> events(Type type) {
        return memory.events().stream().filter(e -> e.event() == type).toList();
    }

    @Test
    void aMillionSignalsFromEightThreadsGiveOneOpenedEventExactCountsAndFewUpdates() throws Exception {
        int threads = 8;
        int perThread = 125_000;
        Incident signal = deadlock();
        IncidentSdk incidents = sdk().updateInterval(Duration.ofMillis(10)).build();
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                boolean ticker = t == 0;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        incidents.record(signal);
                        if (ticker && i % 1_000 == 0) {
                            clock.advance(Duration.ofMillis(1)); // 125 ms of SDK time in all
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        incidents.close();

        assertThat(events(Type.OPENED)).hasSize(1);
        assertThat(events(Type.RESOLVED)).isEmpty();
        List<IncidentEvent> updates = events(Type.UPDATED);
        // 125 ms of SDK time at one update per 10 ms, plus the final flush on close
        assertThat(updates).isNotEmpty().hasSizeLessThanOrEqualTo(125 / 10 + 2);
        IncidentEvent last = memory.events().get(memory.events().size() - 1);
        assertThat(last.incident().occurrences()).isEqualTo((long) threads * perThread);
        assertThat(memory.events()).extracting(e -> e.incident().incidentId()).containsOnly(
                events(Type.OPENED).get(0).incident().incidentId());
        assertThat(memory.events()).extracting(e -> e.incident().occurrences()).isSorted();
    }

    @Test
    void aRepeatRaisesTheSeverityAndTakesNewerRetryDataButKeepsTheFirstDetails() {
        IncidentSdk incidents = sdk().updateInterval(Duration.ofMillis(1)).build();
        incidents.record(Incident.builder(IncidentKind.DEADLOCK, "Deadlock on UPDATE account")
                .fingerprint("fp-1").severity(Severity.WARNING).summary("first")
                .retry(new RetryInfo(2, RetryInfo.Outcome.SUCCEEDED, null)).build());
        clock.advance(Duration.ofSeconds(3));
        incidents.record(Incident.builder(IncidentKind.DEADLOCK, "Deadlock on UPDATE account")
                .fingerprint("fp-1").severity(Severity.ERROR).summary("second")
                .retry(new RetryInfo(5, RetryInfo.Outcome.EXHAUSTED, null)).build());
        incidents.close();

        Incident last = memory.events().get(memory.events().size() - 1).incident();
        assertThat(last.severity()).isEqualTo(Severity.ERROR);
        assertThat(last.retry().outcome()).isEqualTo(RetryInfo.Outcome.EXHAUSTED);
        assertThat(last.summary()).isEqualTo("first");
        assertThat(last.occurrences()).isEqualTo(2);
        assertThat(last.lastSeen()).isEqualTo(last.firstSeen().plusSeconds(3));
        assertThat(last.service().name()).isEqualTo("checkout");
        assertThat(last.service().environment()).isEqualTo("test");
    }

    @Test
    void anIncidentWithoutNewOccurrencesIsResolvedAfterTheQuietPeriodAndAReturnOpensANewOne() {
        IncidentSdk incidents = sdk().quietPeriod(Duration.ofMinutes(5)).build();
        incidents.record(deadlock());
        await().atMost(Duration.ofSeconds(10)).until(() -> events(Type.OPENED).size() == 1);

        clock.advance(Duration.ofMinutes(4));
        incidents.record(deadlock());
        clock.advance(Duration.ofMinutes(4)); // 4 min after the repeat: still open
        assertThat(incidents.isOpen(deadlock().fingerprint())).isTrue();

        clock.advance(Duration.ofMinutes(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> events(Type.RESOLVED).size() == 1);
        Incident resolved = events(Type.RESOLVED).get(0).incident();
        assertThat(resolved.occurrences()).isEqualTo(2);
        assertThat(resolved.resolvedAt()).isEqualTo(clock.instant());
        assertThat(resolved.timeline()).extracting(TimelineEntry::type).endsWith(TimelineEntry.RESOLVED);
        assertThat(incidents.isOpen(deadlock().fingerprint())).isFalse();

        incidents.record(deadlock());
        await().atMost(Duration.ofSeconds(10)).until(() -> events(Type.OPENED).size() == 2);
        assertThat(events(Type.OPENED).get(1).incident().incidentId()).isNotEqualTo(resolved.incidentId());
        incidents.close();
    }

    @Test
    void updatesAreThrottledPerIncidentButTheLatestCountsAreDeliveredAfterTheInterval() {
        IncidentSdk incidents = sdk().updateInterval(Duration.ofSeconds(10)).build();
        incidents.record(deadlock());
        await().atMost(Duration.ofSeconds(10)).until(() -> events(Type.OPENED).size() == 1);
        for (int i = 0; i < 50; i++) {
            clock.advance(Duration.ofMillis(100));
            incidents.record(deadlock());
        }
        // 5 s of SDK time < 10 s interval: no UPDATED yet
        assertThat(events(Type.UPDATED)).isEmpty();

        clock.advance(Duration.ofSeconds(6)); // the sweep finds the pending change now
        await().atMost(Duration.ofSeconds(10)).until(() -> events(Type.UPDATED).size() == 1);
        assertThat(events(Type.UPDATED).get(0).incident().occurrences()).isEqualTo(51);
        incidents.close();
        assertThat(events(Type.UPDATED)).hasSize(1); // nothing changed since: no extra flush event
    }

    @Test
    void laterEventsCarryTheLatestOccurrencesDetailsUnderTheIncidentsIdentity() {
        IncidentSdk incidents = sdk().updateInterval(Duration.ofSeconds(1)).build();
        StatementInfo debit = new StatementInfo(StatementInfo.Role.VICTIM, "f-debit",
                "UPDATE account SET b = b - ? WHERE id = ?", "worker-1", "c1", null, null, List.of());
        StatementInfo credit = new StatementInfo(StatementInfo.Role.VICTIM, "f-credit",
                "UPDATE account SET b = b + ? WHERE id = ?", "worker-2", "c2", null, null, List.of());
        incidents.record(deadlock().toBuilder().summary("worker-1 lost").statement(debit)
                .attribute("deadlock.variants", "debit (1)").attribute("team", "payments")
                .attribute("deadlock.participants", "3").attribute("deadlock.note", "read the InnoDB report").build());
        await().atMost(Duration.ofSeconds(10)).until(() -> events(Type.OPENED).size() == 1);
        Incident opened = events(Type.OPENED).get(0).incident();

        clock.advance(Duration.ofMillis(300));
        incidents.record(deadlock().toBuilder().title("Deadlock seen from the other side").summary("worker-2 lost")
                .statement(credit).attribute("deadlock.variants", "debit (1), credit (1)").build());
        clock.advance(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> events(Type.UPDATED).size() == 1);

        Incident updated = events(Type.UPDATED).get(0).incident();
        assertThat(updated.statements()).containsExactly(credit);
        assertThat(updated.summary()).isEqualTo("worker-2 lost");
        assertThat(updated.attributes()).containsEntry("deadlock.variants", "debit (1), credit (1)")
                .as("an attribute the latest occurrence does not set stays").containsEntry("team", "payments")
                .as("but not what forensics said of the first occurrence only")
                .doesNotContainKeys("deadlock.participants", "deadlock.note");
        assertThat(updated.incidentId()).isEqualTo(opened.incidentId());
        assertThat(updated.fingerprint()).isEqualTo(opened.fingerprint());
        assertThat(updated.title()).isEqualTo(opened.title());
        assertThat(updated.firstSeen()).isEqualTo(opened.firstSeen());
        assertThat(updated.occurrences()).isEqualTo(2);
        incidents.close();
    }

    @Test
    void recordRepeatCountsOnlyIncidentsThatAreOpen() {
        IncidentSdk incidents = sdk().build();
        assertThat(incidents.recordRepeat("nothing-open")).isFalse();
        incidents.record(deadlock());
        assertThat(incidents.recordRepeat(deadlock().fingerprint())).isTrue();
        assertThat(incidents.recordRepeat(deadlock().fingerprint())).isTrue();
        incidents.close();
        assertThat(memory.events().get(memory.events().size() - 1).incident().occurrences()).isEqualTo(3);
    }

    @Test
    void theNumberOfOpenIncidentsIsBoundedAndTheOverflowIsCounted() {
        IncidentSdk incidents = sdk().maxOpenIncidents(10).build();
        for (int i = 0; i < 100; i++) {
            incidents.record(Incident.builder(IncidentKind.CUSTOM, "incident " + i).build());
        }
        // 10 under the bound, and the incident that reports the overflow (never refused itself)
        assertThat(incidents.openIncidents()).isEqualTo(11);
        assertThat(incidents.overflowSignals()).isEqualTo(90);
        incidents.close();
        assertThat(events(Type.OPENED)).extracting(e -> e.incident().kind()).hasSize(11)
                .containsOnlyOnce(IncidentKind.SINK_DEGRADED);
    }

    @Test
    void recordingAfterCloseIsIgnored() {
        IncidentSdk incidents = sdk().build();
        incidents.close();
        incidents.record(deadlock());
        assertThat(incidents.recordRepeat(deadlock().fingerprint())).isFalse();
        assertThat(memory.events()).isEmpty();
        incidents.close(); // idempotent
    }

    @Test
    void aLaterOccurrenceWithoutATimeSeriesKeepsTheIncidentsSeries() {
        TimeSeries series = new TimeSeries(clock.instant(), Duration.ofSeconds(5), "units of work", List.of(40L, 38L),
                List.of(0L, 1L));
        StatementInfo victim = new StatementInfo(StatementInfo.Role.VICTIM, "a1b2c3d4e5f60718",
                "UPDATE account SET balance = balance - ? WHERE id = ?", "worker-1", "c1", null, 3L, List.of(), null);
        try (IncidentSdk incidents = sdk().updateInterval(Duration.ofMillis(1)).build()) {
            incidents.record(deadlock().toBuilder().statement(victim).series(series).build());
            await().atMost(Duration.ofSeconds(5)).until(() -> events(Type.OPENED).size() == 1);

            // the latest occurrence's details replace the first's; it brought no series
            clock.advance(Duration.ofMillis(5));
            incidents.record(deadlock().toBuilder().statement(new StatementInfo(StatementInfo.Role.VICTIM,
                    "0718a1b2c3d4e5f6", "UPDATE account SET balance = balance + ? WHERE id = ?", "worker-2", "c2",
                    null, 4L, List.of(), null)).build());
            await().atMost(Duration.ofSeconds(5)).until(() -> !events(Type.UPDATED).isEmpty());
        }

        Incident updated = events(Type.UPDATED).get(0).incident();
        assertThat(updated.statements()).extracting(StatementInfo::thread).containsExactly("worker-2");
        assertThat(updated.series()).isEqualTo(series);
    }
}
