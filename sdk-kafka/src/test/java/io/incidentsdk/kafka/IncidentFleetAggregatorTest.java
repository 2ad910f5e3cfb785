package io.incidentsdk.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.Severity;
import io.incidentsdk.sink.InMemorySink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Twenty instances, one deadlock: one fleet incident, exact totals, across an aggregator restart. */
class IncidentFleetAggregatorTest {

    @RegisterExtension
    static final KafkaBroker broker = new KafkaBroker();

    static final String FINGERPRINT = "deadlock:account:transfer-vs-refund";
    static final int INSTANCES = 20;
    /** An instance's quiet period: longer than any test runs, so only {@link SteppedClock#advance} ends it. */
    static final Duration QUIET = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    @Test
    void twentyInstancesHittingOneDeadlockAreOneFleetIncidentThatStaysOpenUntilTheLastResolves() throws Exception {
        InMemorySink pager = new InMemorySink(1_000);
        IncidentFleetAggregator aggregator = aggregator("fleet-a", dir.resolve("state-a"), pager);
        List<IncidentSdk> nodes = new ArrayList<>();
        List<SteppedClock> clocks = new ArrayList<>();
        long expected = 0;
        try {
            aggregator.start();
            for (int i = 0; i < INSTANCES; i++) {
                // each instance resolves when the test moves its clock past the quiet period, not when a timer
                // fires: on a loaded machine the first instances would otherwise resolve (and the fleet incident
                // with them) before the last ones have started
                SteppedClock clock = new SteppedClock();
                clocks.add(clock);
                IncidentSdk node = node("fleet-a-events", i, QUIET, clock);
                nodes.add(node);
                int occurrences = 3 * (i + 1);
                for (int n = 0; n < occurrences; n++) {
                    node.record(deadlock(i == 7 ? Severity.ERROR : Severity.WARNING));
                }
                expected += occurrences;
            }
            long total = expected;
            try (TopicReader fleet = new TopicReader(broker.bootstrapServers(), "fleet-a-fleet")) {
                // every instance joined with all its occurrences, none resolved
                fleet.pollUntil(r -> !r.isEmpty() && latest(r).instancesAffected() == INSTANCES
                        && latest(r).occurrences() == total, Duration.ofSeconds(60));
                assertThat(fleet.records()).extracting(IncidentFleetAggregatorTest::incident)
                        .allSatisfy(f -> assertThat(f.status()).isEqualTo(FleetIncident.Status.OPEN));

                // 19 instances resolve, one stays open: the fleet incident stays open, with every count
                for (int i = 0; i < INSTANCES - 1; i++) {
                    clocks.get(i).advance(QUIET.multipliedBy(2));
                }
                List<ConsumerRecord<String, byte[]>> seen = fleet.pollUntil(r -> resolvedInstances(latest(r)) == 19,
                        Duration.ofSeconds(60));
                FleetIncident nineteen = latest(seen);
                assertThat(nineteen.status()).isEqualTo(FleetIncident.Status.OPEN);
                assertThat(nineteen.instancesAffected()).isEqualTo(INSTANCES);
                assertThat(nineteen.occurrences()).isEqualTo(total);
                assertThat(nineteen.severity()).isEqualTo(Severity.ERROR);
                assertThat(nineteen.instances()).filteredOn(s -> s.status() == FleetIncident.InstanceStatus.OPEN)
                        .extracting(FleetIncident.InstanceState::instance).containsExactly(instance(INSTANCES - 1));
                for (int i = 0; i < INSTANCES; i++) {
                    assertThat(nineteen.instances().get(i).instance()).isEqualTo(instance(i));
                    assertThat(nineteen.instances().get(i).occurrences()).isEqualTo(3L * (i + 1));
                }
                assertThat(seen).extracting(IncidentFleetAggregatorTest::incident)
                        .as("open while any instance is").allSatisfy(f -> assertThat(f.status())
                                .isEqualTo(FleetIncident.Status.OPEN));

                // the last one resolves: so does the fleet incident
                clocks.get(INSTANCES - 1).advance(QUIET.multipliedBy(2));
                List<ConsumerRecord<String, byte[]>> records = fleet.pollUntil(
                        r -> latest(r).status() == FleetIncident.Status.RESOLVED, Duration.ofSeconds(60));
                FleetIncident resolved = latest(records);
                assertThat(resolved.occurrences()).isEqualTo(total);
                assertThat(resolved.instancesAffected()).isEqualTo(INSTANCES);
                assertThat(resolved.resolvedAt()).isNotNull();

                // one fleet incident for the whole storm, its records numbered without gaps
                List<FleetIncident> all = records.stream().map(IncidentFleetAggregatorTest::incident).toList();
                assertThat(records).extracting(ConsumerRecord::key).containsOnly(FINGERPRINT);
                assertThat(all).extracting(FleetIncident::fleetIncidentId).containsOnly(resolved.fleetIncidentId());
                assertThat(all).extracting(FleetIncident::version)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, all.size()).boxed().toList());
            }
            // forwarded: one page (OPENED) and one resolve, for the fleet; joins as updates
            await(() -> pager.events().stream().anyMatch(e -> e.event() == IncidentEvent.Type.RESOLVED));
            List<IncidentEvent> forwarded = pager.events();
            assertThat(forwarded).filteredOn(e -> e.event() == IncidentEvent.Type.OPENED).hasSize(1);
            assertThat(forwarded).filteredOn(e -> e.event() == IncidentEvent.Type.RESOLVED).hasSize(1)
                    .allSatisfy(e -> assertThat(e.incident().occurrences()).isEqualTo(total));
            assertThat(forwarded).extracting(e -> e.incident().fingerprint()).containsOnly(FINGERPRINT);
            assertThat(forwarded.size()).isLessThanOrEqualTo(2 + INSTANCES);
        } finally {
            nodes.forEach(IncidentSdk::close);
            aggregator.close();
        }
    }

    @Test
    void restartingTheAggregatorMidStreamLosesAndDuplicatesNothing() throws Exception {
        List<IncidentSdk> nodes = new ArrayList<>();
        IncidentFleetAggregator first = aggregator("fleet-b", dir.resolve("state-b1"));
        IncidentFleetAggregator second = null;
        try (TopicReader fleet = new TopicReader(broker.bootstrapServers(), createdTopics(first, "fleet-b-fleet"))) {
            for (int i = 0; i < INSTANCES; i++) {
                nodes.add(node("fleet-b-events", i, Duration.ofMinutes(10)));
            }
            recordRound(nodes, 10);
            fleet.pollUntil(r -> !r.isEmpty() && latest(r).occurrences() == 10L * INSTANCES, Duration.ofSeconds(30));

            // more occurrences while the first aggregator stops, and a second one (fresh local state: it
            // restores from the changelog) takes over
            Thread more = new Thread(() -> {
                for (int round = 0; round < 20; round++) {
                    recordRound(nodes, 1);
                }
            });
            more.start();
            first.close();
            second = aggregator("fleet-b", dir.resolve("state-b2"));
            second.start();
            more.join(TimeUnit.SECONDS.toMillis(30));
            long total = 30L * INSTANCES;

            List<ConsumerRecord<String, byte[]>> records = fleet.pollUntil(
                    r -> latest(r).occurrences() == total && latest(r).instances().stream()
                            .allMatch(s -> s.occurrences() == 30), Duration.ofSeconds(60));
            FleetIncident last = latest(records);
            assertThat(last.instancesAffected()).isEqualTo(INSTANCES);
            assertThat(last.status()).isEqualTo(FleetIncident.Status.OPEN);
            List<FleetIncident> all = records.stream().map(IncidentFleetAggregatorTest::incident).toList();
            assertThat(all).extracting(FleetIncident::fleetIncidentId).containsOnly(last.fleetIncidentId());
            // committed records only: numbered 1..n across the restart, none twice, none missing
            assertThat(all).extracting(FleetIncident::version)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, all.size()).boxed().toList());
            // and the counts never went down nor past the truth
            assertThat(all).extracting(FleetIncident::occurrences).isSorted().allSatisfy(n -> assertThat(n)
                    .isLessThanOrEqualTo(total));
        } finally {
            nodes.forEach(IncidentSdk::close);
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    private IncidentFleetAggregator aggregator(String name, Path state, InMemorySink... forwardTo) {
        return IncidentFleetAggregator.builder(broker.bootstrapServers(), name + "-events", name + "-fleet")
                .applicationId(name)
                .stateDirectory(state)
                .createTopics(3, (short) 1)
                .checkInterval(Duration.ofMillis(200))
                .closeTimeout(Duration.ofSeconds(10))
                .property("commit.interval.ms", 100)
                .forwardTo(forwardTo)
                .build();
    }

    /** Starts the aggregator (which creates its topics) and returns the fleet topic. */
    private static String createdTopics(IncidentFleetAggregator aggregator, String fleetTopic) {
        aggregator.start();
        return fleetTopic;
    }

    private IncidentSdk node(String topic, int i, Duration quietPeriod) {
        return node(topic, i, quietPeriod, Clock.systemUTC());
    }

    private IncidentSdk node(String topic, int i, Duration quietPeriod, Clock clock) {
        return IncidentSdk.builder().service("checkout", "1.4.2").environment("prod").instance(instance(i))
                .clock(clock)
                .sink(KafkaSink.builder(broker.bootstrapServers(), topic).name("kafka-" + i).build())
                .updateInterval(Duration.ofMillis(50))
                .quietPeriod(quietPeriod)
                .housekeepingInterval(Duration.ofMillis(50))
                .build();
    }

    private static void recordRound(List<IncidentSdk> nodes, int occurrences) {
        for (IncidentSdk node : nodes) {
            for (int n = 0; n < occurrences; n++) {
                node.record(deadlock(Severity.WARNING));
            }
        }
    }

    private static Incident deadlock(Severity severity) {
        return Incident.builder(IncidentKind.DEADLOCK, "Deadlock between transfer and refund on account")
                .fingerprint(FINGERPRINT).severity(severity).build();
    }

    private static String instance(int i) {
        return String.format("node-%02d", i);
    }

    private static long resolvedInstances(FleetIncident incident) {
        return incident.instances().stream().filter(s -> s.status() == FleetIncident.InstanceStatus.RESOLVED).count();
    }

    private static FleetIncident incident(ConsumerRecord<String, byte[]> record) {
        return FleetIncident.fromJson(new String(record.value(), StandardCharsets.UTF_8));
    }

    private static FleetIncident latest(List<ConsumerRecord<String, byte[]>> records) {
        return incident(records.get(records.size() - 1));
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(condition);
    }

    /** The system clock, moved forward by the test: an instance's quiet period ends when the test says. */
    static final class SteppedClock extends Clock {
        private final AtomicLong offsetMillis = new AtomicLong();

        void advance(Duration by) {
            offsetMillis.addAndGet(by.toMillis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + offsetMillis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("a test clock in UTC only");
        }
    }
}
