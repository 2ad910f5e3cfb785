package io.incidentsdk.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.OpenIncident;
import io.incidentsdk.Severity;
import io.incidentsdk.sink.DeliveryOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class KafkaSinkTest {

    @RegisterExtension
    static final KafkaBroker broker = new KafkaBroker();

    @TempDir
    Path dir;

    @Test
    void everyEventIsProducedKeyedByFingerprintWithItsHeadersAndInOrder() throws Exception {
        broker.createTopic("sink-events", 3);
        KafkaSink sink = KafkaSink.builder(broker.bootstrapServers(), "sink-events")
                .delivery(DeliveryOptions.builder().spoolDirectory(dir.resolve("spool")).build()).build();
        try (IncidentSdk incidents = IncidentSdk.builder().service("checkout", "1.4.2").instance("node-1")
                .sink(sink).updateInterval(Duration.ofMillis(1)).build()) {
            for (int i = 0; i < 3; i++) {
                incidents.record(Incident.builder(IncidentKind.DEADLOCK, "Deadlock on account").fingerprint("fp-deadlock")
                        .severity(Severity.WARNING).build());
            }
            incidents.record(Incident.builder(IncidentKind.LOCK_TIMEOUT, "Lock timeout on ledger")
                    .fingerprint("fp-lock").build());
            try (OpenIncident provider = incidents.open(IncidentKind.CUSTOM, "Payment provider timing out")) {
                provider.note("escalated");
                provider.resolve("recovered");
            }
        }

        try (TopicReader reader = new TopicReader(broker.bootstrapServers(), "sink-events")) {
            List<ConsumerRecord<String, byte[]>> records = reader.pollUntil(r -> r.stream()
                    .anyMatch(c -> header(c, KafkaSink.HEADER_EVENT).equals("RESOLVED")), Duration.ofSeconds(20));
            assertThat(sink.deliveryStats().pending()).isZero();
            for (ConsumerRecord<String, byte[]> record : records) {
                IncidentEvent event = IncidentJson.fromJson(new String(record.value(), StandardCharsets.UTF_8));
                assertThat(record.key()).isEqualTo(event.incident().fingerprint());
                assertThat(header(record, KafkaSink.HEADER_EVENT_ID)).isEqualTo(event.eventId());
                assertThat(header(record, KafkaSink.HEADER_EVENT)).isEqualTo(event.event().name());
                assertThat(header(record, KafkaSink.HEADER_KIND)).isEqualTo(event.incident().kind().name());
                assertThat(header(record, KafkaSink.HEADER_SEVERITY)).isEqualTo(event.incident().severity().name());
                assertThat(header(record, KafkaSink.HEADER_INSTANCE)).isEqualTo("node-1");
            }
            Map<String, List<String>> byKey = records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                    Collectors.mapping(r -> header(r, KafkaSink.HEADER_EVENT), Collectors.toList())));
            assertThat(byKey.get("fp-deadlock")).first().isEqualTo("OPENED");
            assertThat(byKey.get("fp-lock")).first().isEqualTo("OPENED");
            List<String> provider = byKey.entrySet().stream()
                    .filter(e -> !e.getKey().startsWith("fp-")).findFirst().orElseThrow().getValue();
            assertThat(provider).first().isEqualTo("OPENED");
            assertThat(provider).last().isEqualTo("RESOLVED");
            // the deadlock's counts only grow along its partition
            List<Long> counts = records.stream().filter(r -> r.key().equals("fp-deadlock"))
                    .map(r -> IncidentJson.fromJson(new String(r.value(), StandardCharsets.UTF_8)).incident().occurrences())
                    .toList();
            assertThat(counts).isSorted().last().isEqualTo(3L);
            assertThat(records.stream().filter(r -> r.key().equals("fp-deadlock")).map(ConsumerRecord::partition)
                    .distinct()).hasSize(1);
        }
    }

    @Test
    void producerPropertiesAreNeverShownNorLoggedNorPutInRecords() throws Exception {
        broker.createTopic("secret-events", 1);
        String secret = "hunter2-very-secret";
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger kafka = (Logger) LoggerFactory.getLogger("org.apache.kafka");
        Logger sdk = (Logger) LoggerFactory.getLogger("io.incidentsdk");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        Level kafkaLevel = kafka.getLevel();
        Level sdkLevel = sdk.getLevel();
        kafka.setLevel(Level.DEBUG);
        sdk.setLevel(Level.DEBUG);
        try {
            KafkaSink sink = KafkaSink.builder(broker.bootstrapServers(), "secret-events")
                    .property("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                            + "username=\"app\" password=\"" + secret + "\";")
                    .property("ssl.key.password", secret)
                    .build();
            assertThat(sink.toString()).doesNotContain(secret).contains("sasl.jaas.config", "secret-events");
            try (IncidentSdk incidents = IncidentSdk.builder().service("checkout", null).instance("node-1")
                    .sink(sink).build()) {
                incidents.record(Incident.builder(IncidentKind.DEADLOCK, "Deadlock").fingerprint("fp-secret").build());
            }
            try (TopicReader reader = new TopicReader(broker.bootstrapServers(), "secret-events")) {
                List<ConsumerRecord<String, byte[]>> records = reader.pollUntil(r -> !r.isEmpty(), Duration.ofSeconds(20));
                for (ConsumerRecord<String, byte[]> record : records) {
                    assertThat(new String(record.value(), StandardCharsets.UTF_8)).doesNotContain(secret);
                    for (Header h : record.headers()) {
                        assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain(secret);
                    }
                }
            }
        } finally {
            root.detachAppender(appender);
            kafka.setLevel(kafkaLevel);
            sdk.setLevel(sdkLevel);
        }
        assertThat(appender.list).isNotEmpty();
        assertThat(appender.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(secret));
    }

    @Test
    void theSinkOwnsSerializersTransactionsAndTheBootstrapServers() {
        KafkaSink.Builder builder = KafkaSink.builder("127.0.0.1:9", "events");
        assertThatThrownBy(() -> builder.property("value.serializer", "x")).hasMessageContaining("set by the sink");
        assertThatThrownBy(() -> builder.property("transactional.id", "x")).hasMessageContaining("set by the sink");
        assertThatThrownBy(() -> builder.property("bootstrap.servers", "x")).hasMessageContaining("set by the sink");
        assertThatThrownBy(() -> KafkaSink.builder("127.0.0.1:9", "bad topic")).hasMessageContaining("topic");
        assertThatThrownBy(() -> builder.property("sasl.jaas.config", null))
                .hasMessageContaining("sasl.jaas.config");
    }

    @Test
    void anUnreachableClusterNeverDelaysTheApplicationAndCloseIsBounded() throws Exception {
        // nothing listens on the discard port: every attempt fails, the events wait in the spool
        KafkaSink sink = KafkaSink.builder("127.0.0.1:9", "events")
                .property("max.block.ms", 60_000)
                .delivery(DeliveryOptions.builder().spoolDirectory(dir.resolve("spool"))
                        .closeTimeout(Duration.ofMillis(500)).build()).build();
        IncidentSdk incidents = IncidentSdk.builder().service("checkout", null).instance("node-1")
                .sink(sink).updateInterval(Duration.ofMillis(1)).closeTimeout(Duration.ofSeconds(3)).build();
        long start = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            incidents.record(Incident.builder(IncidentKind.DEADLOCK, "Deadlock " + (i % 10)).fingerprint("fp-" + (i % 10))
                    .build());
        }
        long recordingMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        long closeStart = System.nanoTime();
        incidents.close();
        long closeMillis = Duration.ofNanos(System.nanoTime() - closeStart).toMillis();
        assertThat(recordingMillis).isLessThan(2_000);
        // the sink's close: its delivery close timeout (0.5 s), a short grace, then the producer's close (0.5 s)
        assertThat(closeMillis).isLessThan(2_500);
        assertThat(sink.deliveryStats().delivered()).isZero();
        assertThat(sink.deliveryStats().accepted()).isGreaterThanOrEqualTo(10);
        assertThat(sink.deliveryStats().pending()).isEqualTo(sink.deliveryStats().accepted());
    }

    @Test
    void theSdksCloseDeadlineBoundsTheSinkWhoseOwnCloseTimeoutIsLonger() throws Exception {
        // the delivery may take 30 s to close, the SDK only 1 s: the SDK's deadline wins, for the delivery and
        // for the producer, and what is left stays in the spool
        KafkaSink sink = KafkaSink.builder("127.0.0.1:9", "events")
                .property("max.block.ms", 60_000)
                .delivery(DeliveryOptions.builder().spoolDirectory(dir.resolve("spool-deadline"))
                        .closeTimeout(Duration.ofSeconds(30)).build()).build();
        IncidentSdk incidents = IncidentSdk.builder().service("checkout", null).instance("node-1")
                .sink(sink).updateInterval(Duration.ofMillis(1)).closeTimeout(Duration.ofSeconds(1)).build();
        for (int i = 0; i < 20; i++) {
            incidents.record(Incident.builder(IncidentKind.DEADLOCK, "Deadlock " + i).fingerprint("fp-" + i).build());
        }
        long closeStart = System.nanoTime();
        incidents.close();
        long closeMillis = Duration.ofNanos(System.nanoTime() - closeStart).toMillis();
        assertThat(closeMillis).as("IncidentSdk.close() with a 1 s close timeout").isLessThan(5_000);
        assertThat(sink.deliveryStats().delivered()).isZero();
        assertThat(sink.deliveryStats().pending()).isEqualTo(sink.deliveryStats().accepted());
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
