package io.incidentsdk.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.ServiceInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.internal.Uuid7;
import io.incidentsdk.sink.DeliveryOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figures for BENCHMARKS.md, on the one-node test broker of this machine: events per second through
 * {@link KafkaSink} and through the aggregator, and the latency from an incident on one instance to the
 * committed fleet incident. A measurement, not a check; run it with
 * {@code mvn -B -o -pl sdk-kafka -am -Dincident.kafka.bench=true -Dtest=FleetBenchmark -Dsurefire.failIfNoSpecifiedTests=false test}
 * (results in the test's output file under target/surefire-reports).
 */
@EnabledIfSystemProperty(named = "incident.kafka.bench", matches = "true")
class FleetBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(FleetBenchmark.class);

    @RegisterExtension
    static final KafkaBroker broker = new KafkaBroker();

    @TempDir
    Path dir;

    @Test
    void sinkThroughput() throws Exception {
        broker.createTopic("bench-sink", 6);
        int n = Integer.getInteger("incident.kafka.bench.events", 20_000);
        List<IncidentEvent> events = events(n, 100, 1);
        for (String variant : List.of("memory", "spool-batched", "spool-every-event")) {
            DeliveryOptions.Builder delivery = DeliveryOptions.builder().memoryCapacity(n);
            if (!variant.equals("memory")) {
                delivery.spoolDirectory(dir.resolve(variant)).spoolMaxBytes(1L << 30)
                        .fsync(variant.equals("spool-batched") ? DeliveryOptions.Fsync.BATCHED : DeliveryOptions.Fsync.EVERY_EVENT);
            }
            KafkaSink sink = KafkaSink.builder(broker.bootstrapServers(), "bench-sink").name("bench-" + variant)
                    .delivery(delivery.build()).build();
            try {
                sink.publish(events.get(0)); // the producer's start is not part of the figure
                awaitDelivered(sink, 1);
                long start = System.nanoTime();
                for (int i = 1; i < n; i++) {
                    sink.publish(events.get(i));
                }
                long accepted = System.nanoTime();
                awaitDelivered(sink, n);
                long done = System.nanoTime();
                LOG.warn("BENCH KafkaSink {}: {} events accepted in {} ms ({} /s), delivered (acks=all) in {} ms: {} events/s",
                        variant, n - 1, (accepted - start) / 1_000_000, rate(n - 1, accepted - start),
                        (done - start) / 1_000_000, rate(n - 1, done - start));
            } finally {
                sink.close();
            }
        }
    }

    @Test
    void aggregatorThroughputAndEndToEndLatency() throws Exception {
        int fingerprints = 200;
        int instances = 20;
        int updates = 5;
        int n = fingerprints * instances * updates;
        broker.createTopic("bench-events", 6);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20),
                new StringSerializer(), new ByteArraySerializer())) {
            for (IncidentEvent e : events(fingerprints * instances * updates, fingerprints, instances)) {
                producer.send(new ProducerRecord<>("bench-events", e.incident().fingerprint(),
                        IncidentJson.toJson(e).getBytes(StandardCharsets.UTF_8)));
            }
        }
        IncidentFleetAggregator aggregator = IncidentFleetAggregator.builder(broker.bootstrapServers(), "bench-events",
                "bench-fleet").applicationId("bench").stateDirectory(dir.resolve("state")).createTopics(6, (short) 1)
                .build();
        long expectedPerFingerprint = (long) instances * updates;
        try (TopicReader fleet = new TopicReader(broker.bootstrapServers(), createdAndStarted(aggregator))) {
            long start = System.nanoTime();
            long[] first = {0};
            int[] read = {0};
            Map<String, Long> totals = new HashMap<>();
            fleet.pollUntil(records -> {
                if (first[0] == 0 && !records.isEmpty()) {
                    first[0] = System.nanoTime();
                }
                for (ConsumerRecord<String, byte[]> r : records.subList(read[0], records.size())) {
                    totals.put(r.key(), FleetIncident.fromJson(new String(r.value(), StandardCharsets.UTF_8)).occurrences());
                }
                read[0] = records.size();
                return totals.size() == fingerprints && totals.values().stream().allMatch(t -> t == expectedPerFingerprint);
            }, Duration.ofMinutes(3));
            long done = System.nanoTime();
            LOG.warn("BENCH aggregator: {} events of {} fingerprints x {} instances merged, exactly_once_v2, "
                    + "commit.interval.ms=100: {} ms from start ({} events/s), {} ms from the first fleet record: {} events/s",
                    n, fingerprints, instances, (done - start) / 1_000_000, rate(n, done - start),
                    (done - first[0]) / 1_000_000, rate(n, done - first[0]));

            // end to end: an incident recorded on one instance until its fleet incident is committed and read
            KafkaSink sink = KafkaSink.builder(broker.bootstrapServers(), "bench-events").name("latency").build();
            Map<String, Long> seen = new ConcurrentHashMap<>();
            int rounds = Integer.getInteger("incident.kafka.bench.rounds", 200);
            long[] latencies = new long[rounds];
            try (IncidentSdk node = IncidentSdk.builder().service("checkout", null).instance("node-latency").sink(sink)
                    .build()) {
                for (int i = 0; i < rounds; i++) {
                    String fingerprint = "latency-" + i;
                    long t0 = System.nanoTime();
                    node.record(Incident.builder(IncidentKind.DEADLOCK, "Deadlock " + i).fingerprint(fingerprint).build());
                    fleet.pollUntil(records -> {
                        long now = System.nanoTime();
                        for (ConsumerRecord<String, byte[]> r : records.subList(read[0], records.size())) {
                            seen.putIfAbsent(r.key(), now);
                        }
                        read[0] = records.size();
                        return seen.containsKey(fingerprint);
                    }, Duration.ofSeconds(30));
                    latencies[i] = seen.get(fingerprint) - t0;
                }
            }
            Arrays.sort(latencies);
            LOG.warn("BENCH end to end (record on an instance -> fleet incident committed and read, read_committed): "
                            + "{} incidents, p50 {} ms, p90 {} ms, p99 {} ms, max {} ms", rounds,
                    millis(latencies[rounds / 2]), millis(latencies[rounds * 9 / 10]),
                    millis(latencies[Math.min(rounds - 1, rounds * 99 / 100)]), millis(latencies[rounds - 1]));
            assertThat(seen).hasSizeGreaterThanOrEqualTo(rounds);
        } finally {
            aggregator.close();
        }
    }

    private static String createdAndStarted(IncidentFleetAggregator aggregator) {
        aggregator.start();
        return "bench-fleet";
    }

    private static void awaitDelivered(KafkaSink sink, long n) {
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> sink.deliveryStats().delivered() >= n);
    }

    /** {@code n} events over {@code fingerprints} incidents and {@code instances} instances, counts rising. */
    private static List<IncidentEvent> events(int n, int fingerprints, int instances) {
        List<IncidentEvent> events = new ArrayList<>(n);
        Map<String, String> ids = new HashMap<>();
        Map<String, Long> counts = new HashMap<>();
        Instant t = Instant.now();
        for (int i = 0; i < n; i++) {
            int f = i % fingerprints;
            int instance = (i / fingerprints) % instances;
            String key = f + "/" + instance;
            String id = ids.computeIfAbsent(key, k -> Uuid7.at(System.currentTimeMillis()).toString());
            long count = counts.merge(key, 1L, Long::sum);
            Incident incident = Incident.builder(IncidentKind.DEADLOCK, "Deadlock " + f).fingerprint("bench-" + f)
                    .incidentId(id).severity(Severity.WARNING).occurrences(count).firstSeen(t).lastSeen(t)
                    .service(new ServiceInfo("checkout", "1.4.2", "prod", "node-" + instance)).build();
            events.add(new IncidentEvent(1, Uuid7.at(t.toEpochMilli()).toString(),
                    count == 1 ? IncidentEvent.Type.OPENED : IncidentEvent.Type.UPDATED, t, incident));
        }
        return events;
    }

    private static long rate(long n, long nanos) {
        return nanos <= 0 ? 0 : n * 1_000_000_000L / nanos;
    }

    private static String millis(long nanos) {
        return String.format("%.1f", nanos / 1e6);
    }
}
