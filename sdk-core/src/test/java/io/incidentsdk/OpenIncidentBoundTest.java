package io.incidentsdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.IncidentEvent.Type;
import io.incidentsdk.micrometer.IncidentSdkMetrics;
import io.incidentsdk.sink.InMemorySink;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bound of open incidents: what gives way when it is full, and how the overflow is reported. */
class OpenIncidentBoundTest {

    private final ManualClock clock = ManualClock.startingAt("2026-11-25T10:00:00Z");
    private final InMemorySink memory = new InMemorySink(100_000);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private IncidentSdk.Builder sdk() {
        return IncidentSdk.builder()
                .clock(clock)
                .sink(memory)
                .meterRegistry(registry)
                .housekeepingInterval(Duration.ofMillis(5))
                .quietPeriod(Duration.ofHours(1));
    }

    private static Incident info(int i) {
        return Incident.builder(IncidentKind.CUSTOM, "slow cache " + i).severity(Severity.INFO).build();
    }

    private static Incident deadlock() {
        return Incident.builder(IncidentKind.DEADLOCK, "Deadlock on UPDATE account")
                .fingerprint("deadlock:account-transfer").build();
    }

    private List<IncidentEvent> events(Type type) {
        return memory.events().stream().filter(e -> e.event() == type).toList();
    }

    private List<IncidentEvent> overflowEvents() {
        return memory.events().stream().filter(e -> e.incident().kind() == IncidentKind.SINK_DEGRADED).toList();
    }

    private double overflowMetric(String outcome) {
        FunctionCounter counter = registry.find(IncidentSdkMetrics.OVERFLOW).tag("outcome", outcome).functionCounter();
        return counter == null ? -1 : counter.count();
    }

    @Test
    void aDeadlockIsRecordedWhenAThousandInfoIncidentsFillTheBound() {
        IncidentSdk incidents = sdk().build(); // the default bound: 1,000 open incidents
        for (int i = 0; i < 1_000; i++) {
            clock.advance(Duration.ofMillis(1));
            incidents.record(info(i));
        }
        clock.advance(Duration.ofMillis(1));
        incidents.record(info(0)); // a repeat: "slow cache 0" is now the most recently seen

        incidents.record(deadlock());

        assertThat(incidents.isOpen(deadlock().fingerprint())).as("the deadlock is open").isTrue();
        assertThat(incidents.isOpen(info(1).fingerprint()))
                .as("the least recently seen of the least severe incidents gave way").isFalse();
        assertThat(incidents.isOpen(info(0).fingerprint())).isTrue();
        assertThat(overflowMetric("evicted")).isEqualTo(1.0);
        assertThat(overflowMetric("refused")).isZero();
        incidents.close();

        assertThat(events(Type.OPENED)).extracting(e -> e.incident().kind()).contains(IncidentKind.DEADLOCK);
        // the evicted incident does not vanish: its final counts come with a RESOLVED event saying why
        IncidentEvent evicted = events(Type.RESOLVED).stream()
                .filter(e -> e.incident().fingerprint().equals(info(1).fingerprint())).findFirst().orElseThrow();
        assertThat(evicted.incident().timeline()).last().satisfies(entry -> {
            assertThat(entry.type()).isEqualTo(TimelineEntry.RESOLVED);
            assertThat(entry.detail()).contains("evicted", "1000 open incidents", "DEADLOCK");
        });
        assertThat(events(Type.RESOLVED)).hasSize(1);
        // the overflow is an incident of its own, counting what gave way
        assertThat(overflowEvents()).isNotEmpty().allSatisfy(e -> {
            assertThat(e.incident().fingerprint()).isEqualTo(IncidentSdk.OVERFLOW_FINGERPRINT);
            assertThat(e.incident().severity()).isEqualTo(Severity.WARNING);
        });
        Incident overflow = overflowEvents().get(overflowEvents().size() - 1).incident();
        assertThat(overflow.attributes()).containsEntry("evicted", "1").containsEntry("refused", "0")
                .containsEntry("maxOpenIncidents", "1000");
    }

    @Test
    void aSignalNoMoreSevereThanEveryOpenIncidentIsRefusedAndReported() {
        IncidentSdk incidents = sdk().maxOpenIncidents(3).build();
        for (int i = 0; i < 3; i++) {
            incidents.record(Incident.builder(IncidentKind.LOCK_TIMEOUT, "lock timeout " + i).build());
        }
        incidents.record(deadlock()); // ERROR like every open one: refused, nothing is evicted
        incidents.record(deadlock());
        incidents.record(info(1));

        assertThat(incidents.isOpen(deadlock().fingerprint())).isFalse();
        assertThat(incidents.overflowSignals()).isEqualTo(3);
        assertThat(incidents.evictedIncidents()).isZero();
        assertThat(overflowMetric("refused")).isEqualTo(3.0);
        assertThat(incidents.openIncidents()).as("3 incidents and the overflow incident").isEqualTo(4);
        incidents.close();

        assertThat(events(Type.RESOLVED)).isEmpty();
        Incident overflow = overflowEvents().get(overflowEvents().size() - 1).incident();
        assertThat(overflow.severity()).as("a refused ERROR signal makes the overflow an ERROR")
                .isEqualTo(Severity.ERROR);
        assertThat(overflow.occurrences()).isEqualTo(3);
        assertThat(overflow.attributes()).containsEntry("refused", "3").containsEntry("evicted", "0")
                .containsEntry("refused.DEADLOCK", "2").containsEntry("refused.CUSTOM", "1");
        assertThat(overflow.summary()).contains("3 open incidents");
    }

    @Test
    void anApplicationsOwnIncidentGivesWayAfterTheSdksOfTheSameSeverity() {
        IncidentSdk incidents = sdk().maxOpenIncidents(2).build();
        OpenIncident handle = incidents.open(Incident.builder(IncidentKind.CUSTOM, "manual").severity(Severity.INFO)
                .build());
        clock.advance(Duration.ofMillis(5));
        incidents.record(info(1)); // seen later than the handle's incident, but the SDK's own

        incidents.record(deadlock());
        assertThat(handle.isOpen()).isTrue();
        assertThat(incidents.isOpen(info(1).fingerprint())).isFalse();

        incidents.record(Incident.builder(IncidentKind.CONNECTION_FAILURE, "Connection refused").build());
        assertThat(handle.isOpen()).as("the last INFO incident gives way to an ERROR").isFalse();
        assertThat(incidents.evictedIncidents()).isEqualTo(2);
        incidents.close();
    }

    @Test
    void underConcurrentSignalsOfMixedSeverityEveryNewIncidentIsOpenedOrRefusedAndEveryEvictionIsReported()
            throws Exception {
        int bound = 50;
        int threads = 4;
        int perThread = 2_000;
        long seed = System.nanoTime();
        IncidentSdk incidents = sdk().maxOpenIncidents(bound).build();
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    Random random = new Random(seed + thread);
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        Severity severity = Severity.values()[random.nextInt(Severity.values().length)];
                        incidents.record(Incident.builder(IncidentKind.CUSTOM, "signal " + thread + "-" + i)
                                .severity(severity).build());
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
        long refused = incidents.overflowSignals();
        long evicted = incidents.evictedIncidents();
        int openAtEnd = incidents.openIncidents() - 1; // without the overflow incident
        incidents.close();

        String context = "seed " + seed;
        assertThat(openAtEnd).as(context).isBetween(1, bound + threads - 1); // concurrent openings may overshoot
        assertThat(evicted).as(context).isPositive();
        List<IncidentEvent> opened = events(Type.OPENED).stream()
                .filter(e -> e.incident().kind() == IncidentKind.CUSTOM).toList();
        assertThat(opened).as(context).hasSize((int) (threads * perThread - refused));
        assertThat(opened.size() - evicted).as(context).isEqualTo(openAtEnd);
        assertThat(events(Type.RESOLVED)).as(context).hasSize((int) evicted).allSatisfy(e ->
                assertThat(e.incident().timeline()).last().extracting(TimelineEntry::detail).asString()
                        .startsWith("evicted"));
        Incident overflow = overflowEvents().get(overflowEvents().size() - 1).incident();
        assertThat(overflow.attributes()).as(context).containsEntry("refused", Long.toString(refused))
                .containsEntry("evicted", Long.toString(evicted));
        assertThat(overflow.occurrences()).as(context).isEqualTo(refused + evicted);
        assertThat(overflowMetric("refused")).isEqualTo((double) refused);
        assertThat(overflowMetric("evicted")).isEqualTo((double) evicted);
    }
}
