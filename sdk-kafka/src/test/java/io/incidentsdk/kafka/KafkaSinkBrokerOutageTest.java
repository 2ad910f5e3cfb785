package io.incidentsdk.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.Severity;
import io.incidentsdk.sink.DeliveryOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The cluster goes away for a while: events wait in the spool and arrive when it is back, in order per incident. */
class KafkaSinkBrokerOutageTest {

    @RegisterExtension
    static final KafkaBroker broker = new KafkaBroker();

    @TempDir
    Path dir;

    @Test
    void eventsWaitInTheSpoolWhileTheBrokerIsDownAndArriveInOrderPerIncidentAfterItComesBack() throws Exception {
        broker.createTopic("outage-events", 3);
        KafkaSink sink = KafkaSink.builder(broker.bootstrapServers(), "outage-events")
                .property("max.block.ms", 1_000)
                .property("request.timeout.ms", 1_000)
                .property("delivery.timeout.ms", 2_000)
                .property("reconnect.backoff.max.ms", 200)
                .delivery(DeliveryOptions.builder().spoolDirectory(dir.resolve("spool"))
                        .backoff(Duration.ofMillis(100), Duration.ofMillis(500))
                        .circuitBreaker(5, Duration.ofMillis(500)).build())
                .build();
        List<IncidentEvent> emitted = new CopyOnWriteArrayList<>();
        try (IncidentSdk incidents = IncidentSdk.builder().service("checkout", null).instance("node-1")
                .sink(sink).updateInterval(Duration.ofMillis(1)).build()) {
            incidents.onEvent(emitted::add);
            record(incidents, 0, 20);
            await().atMost(Duration.ofSeconds(20)).until(() -> sink.deliveryStats().delivered() == emitted.size()
                    && sink.deliveryStats().pending() == 0);
            long deliveredBeforeOutage = sink.deliveryStats().delivered();

            broker.stop();
            record(incidents, 20, 60);
            // a while: attempts fail while every new event waits in the spool
            await().atMost(Duration.ofSeconds(20)).until(() -> sink.deliveryStats().retried() >= 1
                    && sink.deliveryStats().accepted() == emitted.size());
            assertThat(sink.deliveryStats().delivered()).isEqualTo(deliveredBeforeOutage);
            assertThat(sink.deliveryStats().pending()).isEqualTo(emitted.size() - deliveredBeforeOutage)
                    .isPositive();
            assertThat(sink.deliveryStats().spoolBytes()).isPositive();
            assertThat(sink.deliveryStats().dropped()).isZero();

            broker.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.deliveryStats().pending() == 0);
        }
        assertThat(sink.deliveryStats().dropped()).isZero();

        Map<String, List<String>> emittedByIncident = new LinkedHashMap<>();
        for (IncidentEvent event : emitted) {
            emittedByIncident.computeIfAbsent(event.incident().fingerprint(), k -> new ArrayList<>()).add(event.eventId());
        }
        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), "outage-events")) {
            List<ConsumerRecord<String, byte[]>> records = reader.pollUntil(r -> r.size() >= emitted.size(),
                    Duration.ofSeconds(20));
            Map<String, Set<String>> arrivedByIncident = new LinkedHashMap<>();
            for (ConsumerRecord<String, byte[]> record : records) {
                String eventId = new String(record.headers().lastHeader(KafkaSink.HEADER_EVENT_ID).value(),
                        StandardCharsets.UTF_8);
                arrivedByIncident.computeIfAbsent(record.key(), k -> new LinkedHashSet<>()).add(eventId);
            }
            // every event arrived, and each incident's events in the order the instance emitted them
            assertThat(arrivedByIncident.keySet()).containsExactlyInAnyOrderElementsOf(emittedByIncident.keySet());
            emittedByIncident.forEach((fingerprint, ids) ->
                    assertThat(new ArrayList<>(arrivedByIncident.get(fingerprint))).as(fingerprint).isEqualTo(ids));
        }
    }

    /** Occurrences of four incidents; every fourth one raises the severity, which makes an UPDATED. */
    private static void record(IncidentSdk incidents, int from, int to) {
        for (int i = from; i < to; i++) {
            incidents.record(Incident.builder(IncidentKind.DEADLOCK, "Deadlock " + (i % 4)).fingerprint("fp-" + (i % 4))
                    .severity(i % 8 == 7 ? Severity.ERROR : Severity.WARNING).build());
        }
    }
}
