package io.incidentsdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.sink.InMemorySink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** An incident's timeline is sorted, holds one entry of each type that happens once, and the true first failure. */
class TimelineOrderTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void eightThreadsReportingOneIncidentGiveOneFirstFailureTheEarliestAndASortedTimeline() throws Exception {
        ManualClock clock = ManualClock.startingAt("2026-11-25T10:00:05Z");
        InMemorySink memory = new InMemorySink(10_000);
        IncidentSdk incidents = IncidentSdk.builder().clock(clock).sink(memory)
                .housekeepingInterval(Duration.ofMillis(5)).updateInterval(Duration.ofMillis(1))
                .quietPeriod(Duration.ofHours(1)).build();
        int threads = 8;
        int perThread = 200;
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicReference<Instant> earliest = new AtomicReference<>(Instant.MAX);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 14_000L + t;
                done.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        // each thread saw its failure at its own time, and reports it late and out of order
                        Instant failedAt = T0.plusMillis(random.nextInt(5_000));
                        earliest.accumulateAndGet(failedAt, (a, b) -> a.isBefore(b) ? a : b);
                        Incident.Builder signal = Incident.builder(IncidentKind.DEADLOCK, "Deadlock on UPDATE account")
                                .fingerprint("deadlock:timeline-order")
                                .timeline(new TimelineEntry(failedAt, TimelineEntry.FIRST_FAILURE, "seed " + seed))
                                .timeline(new TimelineEntry(failedAt.plusMillis(1), TimelineEntry.RETRY_ABSORBED,
                                        "absorbed"));
                        if (i % 50 == 0) {
                            signal.timeline(new TimelineEntry(failedAt, TimelineEntry.NOTE, "latest occurrence " + i));
                        }
                        incidents.record(signal.build());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        incidents.close();

        assertThat(memory.events()).isNotEmpty().allSatisfy(event -> {
            List<TimelineEntry> timeline = event.incident().timeline();
            assertThat(timeline).isSortedAccordingTo(Comparator.comparing(TimelineEntry::at));
            assertThat(timeline).filteredOn(e -> e.type().equals(TimelineEntry.FIRST_FAILURE)).hasSize(1);
            assertThat(timeline).filteredOn(e -> e.type().equals(TimelineEntry.RETRY_ABSORBED)).hasSize(1);
        });
        Incident last = memory.events().get(memory.events().size() - 1).incident();
        assertThat(last.occurrences()).isEqualTo((long) threads * perThread);
        assertThat(last.timeline()).filteredOn(e -> e.type().equals(TimelineEntry.FIRST_FAILURE))
                .singleElement().satisfies(e -> assertThat(e.at()).isEqualTo(earliest.get()));
        assertThat(last.timeline()).filteredOn(e -> e.type().equals(TimelineEntry.NOTE)).hasSize(threads * 4);
    }

    @Test
    void aRecordBuiltWithRepeatsAndOutOfOrderEntriesIsSortedWithOneEntryPerUniqueType() {
        Incident incident = Incident.builder(IncidentKind.ERROR_SPIKE, "Error spike on accounts")
                .timeline(new TimelineEntry(T0.plusSeconds(3), TimelineEntry.SPIKE_OPENED, "second"))
                .timeline(new TimelineEntry(T0.plusSeconds(2), TimelineEntry.FIRST_FAILURE, "later"))
                .timeline(new TimelineEntry(T0.plusSeconds(1), TimelineEntry.FIRST_FAILURE, "true first failure"))
                .timeline(new TimelineEntry(T0.plusSeconds(5), TimelineEntry.PEAK, "40%"))
                .timeline(new TimelineEntry(T0.plusSeconds(4), TimelineEntry.PEAK, "30%"))
                .timeline(new TimelineEntry(T0.plusSeconds(2), TimelineEntry.SPIKE_OPENED, "first"))
                .timeline(new TimelineEntry(T0.plusSeconds(4), TimelineEntry.NOTE, "a"))
                .timeline(new TimelineEntry(T0.plusSeconds(4), TimelineEntry.NOTE, "b"))
                .build();

        assertThat(incident.timeline()).extracting(TimelineEntry::type, TimelineEntry::detail).containsExactly(
                org.assertj.core.groups.Tuple.tuple(TimelineEntry.FIRST_FAILURE, "true first failure"),
                org.assertj.core.groups.Tuple.tuple(TimelineEntry.SPIKE_OPENED, "first"),
                org.assertj.core.groups.Tuple.tuple(TimelineEntry.NOTE, "a"),
                org.assertj.core.groups.Tuple.tuple(TimelineEntry.NOTE, "b"),
                org.assertj.core.groups.Tuple.tuple(TimelineEntry.PEAK, "40%"));
    }
}
