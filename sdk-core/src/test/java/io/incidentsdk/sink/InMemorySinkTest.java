package io.incidentsdk.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.incidentsdk.Fixtures;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InMemorySinkTest {

    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, -1, 1_000_001})
    void aCapacityOutOfBoundsIsRejected(int capacity) {
        assertThatIllegalArgumentException().isThrownBy(() -> new InMemorySink(capacity))
                .withMessageContaining("capacity");
    }

    @Test
    void theRingKeepsTheLatestEventsOldestFirstAndCountsEvictions() {
        InMemorySink sink = new InMemorySink(3);
        List<IncidentEvent> events = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            events.add(Fixtures.opened("event " + i));
        }

        events.forEach(sink::publish);

        assertThat(sink.events()).containsExactlyElementsOf(events.subList(2, 5));
        assertThat(sink.evicted()).isEqualTo(2);
    }

    @Test
    void aRingOfOneHoldsTheLatestEvent() {
        InMemorySink sink = new InMemorySink(1);

        sink.publish(Fixtures.opened("a"));
        sink.publish(Fixtures.opened("b"));

        assertThat(sink.events()).extracting(e -> e.incident().title()).containsExactly("b");
        assertThat(sink.evicted()).isEqualTo(1);
    }

    @Test
    void incidentsHoldsTheLatestStateOfEachIncidentInOrderOfFirstAppearance() {
        InMemorySink sink = new InMemorySink(10);
        Incident a = Fixtures.fullIncident();
        Incident b = Fixtures.minimalIncident();
        IncidentEvent aResolved = Fixtures.event(IncidentEvent.Type.RESOLVED, a);

        sink.publish(Fixtures.event(IncidentEvent.Type.OPENED, a));
        sink.publish(Fixtures.event(IncidentEvent.Type.OPENED, b));
        sink.publish(aResolved);

        assertThat(sink.incidents()).containsOnlyKeys(a.incidentId(), b.incidentId());
        assertThat(sink.incidents().keySet()).containsExactly(a.incidentId(), b.incidentId());
        assertThat(sink.incidents().get(a.incidentId())).isEqualTo(aResolved.incident());
        assertThat(sink.incidents().get(a.incidentId()).isResolved()).isTrue();
        assertThat(sink.incidents().get(b.incidentId())).isEqualTo(b);
    }

    @Test
    void theViewsAreCopiesAndClearEmptiesTheRing() {
        InMemorySink sink = new InMemorySink(10);
        sink.publish(Fixtures.opened("a"));

        sink.events().clear();
        sink.incidents().clear();

        assertThat(sink.events()).hasSize(1);
        assertThat(sink.incidents()).hasSize(1);
        sink.clear();
        assertThat(sink.events()).isEmpty();
        assertThat(sink.incidents()).isEmpty();
        assertThat(sink.name()).isEqualTo("memory");
    }

    @Test
    void concurrentPublishersNeverExceedTheBoundAndEveryEvictionIsCounted() throws Exception {
        InMemorySink sink = new InMemorySink(100);
        int threads = 4;
        int perThread = 1_000;
        IncidentEvent event = Fixtures.opened("shared");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        sink.publish(event);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(sink.events()).hasSize(100);
        assertThat(sink.evicted()).isEqualTo(threads * perThread - 100L);
    }
}
