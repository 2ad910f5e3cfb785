package io.incidentsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.sink.IncidentSink;
import io.incidentsdk.sink.InMemorySink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IncidentDispatchTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger throwingCalls = new AtomicInteger();

    /** Sleeps 10 s per event (or until the test ends). */
    private final IncidentSink sleeping = new IncidentSink() {
        @Override
        public void publish(IncidentEvent event) throws InterruptedException {
            release.await(10, TimeUnit.SECONDS);
        }

        @Override
        public String name() {
            return "sleeping";
        }
    };

    /** Throws on every call. */
    private final IncidentSink throwing = new IncidentSink() {
        @Override
        public void publish(IncidentEvent event) {
            throwingCalls.incrementAndGet();
            throw new IllegalStateException("webhook down");
        }

        @Override
        public String name() {
            return "throwing";
        }
    };

    @AfterEach
    void releaseSleepingSink() {
        release.countDown();
    }

    private static Incident incident(int i) {
        return Incident.builder(IncidentKind.CUSTOM, "incident " + i).build();
    }

    private static SinkStats stats(IncidentSdk sdk, String sink) {
        return sdk.sinkStats().stream().filter(s -> s.sink().equals(sink)).findFirst().orElseThrow();
    }

    @Test
    void aThrowingAndASleepingSinkDelayNeitherTheCallerNorTheOtherSinks() {
        InMemorySink memory = new InMemorySink(1_000);
        IncidentSdk incidents = IncidentSdk.builder()
                .sink(sleeping).sink(throwing).sink(memory)
                .sinkRetries(2, Duration.ZERO)
                .closeTimeout(Duration.ofMillis(200))
                .build();

        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            incidents.record(incident(i));
        }
        long callerMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        // the sleeping sink holds its first event for 10 s; everybody else goes on
        assertThat(callerMillis).as("time the application spent recording 100 incidents").isLessThan(2_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> memory.events().stream()
                .filter(e -> e.incident().kind() == IncidentKind.CUSTOM).count() == 100);
        await().atMost(Duration.ofSeconds(10)).until(() -> stats(incidents, "throwing").failed() >= 200);
        assertThat(stats(incidents, "throwing").delivered()).isZero();
        assertThat(stats(incidents, "throwing").dropped()).isGreaterThanOrEqualTo(100);
        assertThat(stats(incidents, "memory").delivered()).isGreaterThanOrEqualTo(100);
        assertThat(stats(incidents, "sleeping").delivered()).isZero();

        // the failing sink is reported as an incident of its own, once, aggregated
        await().atMost(Duration.ofSeconds(10)).until(() -> memory.events().stream()
                .anyMatch(e -> e.incident().kind() == IncidentKind.SINK_DEGRADED
                        && "throwing".equals(e.incident().attributes().get("sink"))));
        assertThat(memory.events().stream()
                .filter(e -> e.incident().kind() == IncidentKind.SINK_DEGRADED && e.event() == IncidentEvent.Type.OPENED)
                .map(e -> e.incident().attributes().get("sink")).toList()).doesNotHaveDuplicates();

        long closeStart = System.nanoTime();
        incidents.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeStart))
                .as("close waits at most about the close timeout").isLessThan(3_000);
        assertThat(stats(incidents, "sleeping").dropped()).isPositive();
    }

    @Test
    void closeDeliversWhatIsQueuedWithinTheTimeout() {
        List<IncidentEvent> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
        IncidentSink slow = event -> {
            TimeUnit.MILLISECONDS.sleep(20);
            delivered.add(event);
        };
        IncidentSdk incidents = IncidentSdk.builder().sink(slow).closeTimeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < 30; i++) {
            incidents.record(incident(i));
        }
        incidents.close();
        assertThat(delivered).extracting(e -> e.incident().title()).hasSize(30).doesNotHaveDuplicates();
        SinkStats stats = incidents.sinkStats().get(0);
        assertThat(stats.delivered()).isEqualTo(30);
        assertThat(stats.dropped()).isZero();
        assertThat(stats.queued()).isZero();
    }

    @Test
    void aFullSinkQueueDropsAndCountsButNeverBlocksTheCaller() {
        CountDownLatch blocked = new CountDownLatch(1);
        IncidentSink stuck = new IncidentSink() {
            @Override
            public void publish(IncidentEvent event) throws InterruptedException {
                blocked.countDown();
                release.await(10, TimeUnit.SECONDS);
            }

            @Override
            public String name() {
                return "stuck";
            }
        };
        IncidentSdk incidents = IncidentSdk.builder().sink(stuck).sinkQueueCapacity(5)
                .closeTimeout(Duration.ofMillis(100)).build();
        for (int i = 0; i < 50; i++) {
            incidents.record(incident(i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> stats(incidents, "stuck").dropped() >= 40);
        assertThat(stats(incidents, "stuck").queued()).isLessThanOrEqualTo(5);
        release.countDown();
        incidents.close();
    }

    @Test
    void anErrorThrownBySinkCodeIsContainedAndCounted() {
        InMemorySink memory = new InMemorySink(100);
        IncidentSink linkage = new IncidentSink() {
            @Override
            public void publish(IncidentEvent event) {
                throw new NoClassDefFoundError("com/example/Missing");
            }

            @Override
            public String name() {
                return "linkage";
            }
        };
        IncidentSdk incidents = IncidentSdk.builder().sink(linkage).sink(memory).sinkRetries(1, Duration.ZERO).build();
        incidents.onEvent(event -> {
            throw new IllegalStateException("broken listener");
        });
        incidents.record(incident(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> stats(incidents, "linkage").failed() >= 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !memory.events().isEmpty());
        incidents.close();
    }

    @Test
    void aSinkThatThrowsAnAssertionErrorOrOverflowsItsStackKeepsItsThreadAndDeliversTheNextEvents() {
        List<IncidentEvent> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        IncidentSink brittle = new IncidentSink() {
            @Override
            public void publish(IncidentEvent event) {
                int call = calls.incrementAndGet();
                if (call == 1) {
                    throw new AssertionError("a sink's own assert");
                }
                if (call == 2) {
                    throw new StackOverflowError();
                }
                delivered.add(event);
            }

            @Override
            public String name() {
                return "brittle";
            }
        };
        IncidentSdk incidents = IncidentSdk.builder().sink(brittle).sinkRetries(1, Duration.ZERO).build();
        for (int i = 1; i <= 3; i++) {
            incidents.record(incident(i));
            int expectedCalls = i;
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= expectedCalls);
        }
        incidents.close();

        // the first two calls failed (whichever events they carried: the SDK's own SINK_DEGRADED reports go to
        // the sink too); the thread lived on and delivered every later event, the last incident among them
        assertThat(stats(incidents, "brittle").failed()).isEqualTo(2);
        assertThat(delivered).isNotEmpty().extracting(e -> e.incident().title()).contains("incident 3");
        assertThat(stats(incidents, "brittle").delivered()).isEqualTo(delivered.size());
    }

    @Test
    void withoutAnySinkEventsAreLogged() {
        IncidentSdk incidents = IncidentSdk.builder().build();
        incidents.record(incident(1));
        incidents.close();
        assertThat(incidents.sinkStats()).extracting(SinkStats::sink).containsExactly("log");
        assertThat(incidents.sinkStats().get(0).delivered()).isEqualTo(1);
    }

    @Test
    void sinksWithTheSameNameGetDistinctNames() {
        IncidentSdk incidents = IncidentSdk.builder().sink(new InMemorySink(1)).sink(new InMemorySink(1)).build();
        assertThat(incidents.sinkStats()).extracting(SinkStats::sink).containsExactly("memory", "memory-2");
        incidents.close();
    }
}
