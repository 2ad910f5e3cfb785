package io.incidentsdk.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.OpenIncident;
import io.incidentsdk.sink.InMemorySink;
import io.incidentsdk.sink.IncidentSink;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IncidentSdkMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A sink whose every delivery fails. */
    private static final class BrokenSink implements IncidentSink {
        @Override
        public void publish(IncidentEvent event) throws IOException {
            throw new IOException("disk on fire");
        }

        @Override
        public String name() {
            return "broken";
        }
    }

    private static IncidentSdk.Builder fastSdk(InMemorySink memory) {
        return IncidentSdk.builder()
                .sink(memory)
                .sink(new BrokenSink())
                .sinkRetries(1, Duration.ZERO)
                .updateInterval(Duration.ofMillis(1))
                .housekeepingInterval(Duration.ofMillis(10));
    }

    @Test
    void eventsAreCountedByKindSeverityAndEventAndSinkOutcomesBySink() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InMemorySink memory = new InMemorySink(100);
        try (IncidentSdk sdk = fastSdk(memory).meterRegistry(registry).build()) {

            sdk.record(Incident.builder(IncidentKind.DEADLOCK, "Deadlock on UPDATE account").build());
            OpenIncident handle = sdk.open(IncidentKind.LOCK_TIMEOUT, "Lock wait timeout on ledger");
            await().atMost(WAIT).until(() -> memory.events().stream()
                    .anyMatch(e -> e.incident().kind() == IncidentKind.LOCK_TIMEOUT));
            handle.resolve("the batch job was stopped");

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(events(registry, "DEADLOCK", "ERROR", "OPENED")).isEqualTo(1.0);
                assertThat(events(registry, "LOCK_TIMEOUT", "ERROR", "OPENED")).isEqualTo(1.0);
                assertThat(events(registry, "LOCK_TIMEOUT", "ERROR", "RESOLVED")).isEqualTo(1.0);
                assertThat(sinkEvents(registry, "memory", "delivered")).isGreaterThanOrEqualTo(3.0);
                assertThat(sinkEvents(registry, "broken", "failed")).isGreaterThanOrEqualTo(3.0);
                assertThat(sinkEvents(registry, "broken", "dropped")).isGreaterThanOrEqualTo(3.0);
            });
            assertThat(sinkEvents(registry, "memory", "failed")).isZero();
            assertThat(sinkEvents(registry, "memory", "dropped")).isZero();
            assertThat(sinkEvents(registry, "broken", "delivered")).isZero();
            assertThat(registry.find(IncidentSdkMetrics.EVENTS).tag("kind", "DEADLOCK").tag("event", "RESOLVED")
                    .counters()).isEmpty();
            assertThat(registry.get(IncidentSdkMetrics.OPEN).gauge().value()).isGreaterThanOrEqualTo(1.0);
            assertThat(registry.get(IncidentSdkMetrics.QUEUE_SIZE).gauge().value()).isGreaterThanOrEqualTo(0.0);
            assertThat(registry.get(IncidentSdkMetrics.SINK_QUEUE_SIZE).tag("sink", "memory").gauge()).isNotNull();
            assertThat(registry.get(IncidentSdkMetrics.SINK_QUEUE_SIZE).tag("sink", "broken").gauge()).isNotNull();
        }
    }

    @Test
    void theOpenGaugeFollowsTheSdk() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InMemorySink memory = new InMemorySink(100);
        try (IncidentSdk sdk = IncidentSdk.builder().sink(memory).meterRegistry(registry)
                .housekeepingInterval(Duration.ofMillis(10)).build()) {
            assertThat(registry.get(IncidentSdkMetrics.OPEN).gauge().value()).isZero();

            OpenIncident handle = sdk.open(IncidentKind.CUSTOM, "Payment provider timing out");

            assertThat(registry.get(IncidentSdkMetrics.OPEN).gauge().value()).isEqualTo(1.0);
            handle.resolve("recovered");
            await().atMost(WAIT).until(() -> registry.get(IncidentSdkMetrics.OPEN).gauge().value() == 0.0);
        }
    }

    @Test
    void everyMeterHasADescriptionABaseUnitAndOnlyLowCardinalityTags() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InMemorySink memory = new InMemorySink(100);
        try (IncidentSdk sdk = fastSdk(memory).meterRegistry(registry).build()) {
            sdk.record(Incident.builder(IncidentKind.DEADLOCK, "Deadlock on UPDATE account")
                    .attribute("tenant", "acme").build());
            await().atMost(WAIT).until(() -> !registry.find(IncidentSdkMetrics.EVENTS).counters().isEmpty());
        }

        assertThat(registry.getMeters()).isNotEmpty().allSatisfy(meter -> {
            Meter.Id id = meter.getId();
            assertThat(id.getName()).startsWith("incident.").matches("[a-z.]+");
            assertThat(id.getDescription()).as("description of %s", id).isNotBlank();
            assertThat(id.getBaseUnit()).as("base unit of %s", id).isNotBlank();
            assertThat(id.getTags()).extracting(Tag::getKey)
                    .allMatch(key -> Set.of("kind", "severity", "event", "sink", "outcome").contains(key));
        });
        assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).contains(IncidentSdkMetrics.EVENTS,
                IncidentSdkMetrics.SINK_EVENTS, IncidentSdkMetrics.OPEN, IncidentSdkMetrics.QUEUE_SIZE,
                IncidentSdkMetrics.SINK_QUEUE_SIZE, IncidentSdkMetrics.OVERFLOW);
    }

    @Test
    void theBinderCanBeBoundDirectlyToAnSdkBuiltWithoutARegistry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        InMemorySink memory = new InMemorySink(100);
        try (IncidentSdk sdk = IncidentSdk.builder().sink(memory).housekeepingInterval(Duration.ofMillis(10)).build()) {
            new IncidentSdkMetrics(sdk).bindTo(registry);

            sdk.record(Incident.builder(IncidentKind.QUERY_TIMEOUT, "Query timed out").build());

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(events(registry, "QUERY_TIMEOUT", "ERROR", "OPENED")).isEqualTo(1.0);
                assertThat(sinkEvents(registry, "memory", "delivered")).isEqualTo(1.0);
            });
        }
    }

    @Test
    void nullArgumentsAreRejectedNamingTheParameter() {
        assertThatNullPointerException().isThrownBy(() -> new IncidentSdkMetrics(null)).withMessageContaining("sdk");
        try (IncidentSdk sdk = IncidentSdk.builder().sink(new InMemorySink(1)).build()) {
            IncidentSdkMetrics metrics = new IncidentSdkMetrics(sdk);

            assertThatNullPointerException().isThrownBy(() -> metrics.bindTo(null)).withMessageContaining("registry");
            assertThatNullPointerException().isThrownBy(() -> IncidentSdk.builder().meterRegistry(null))
                    .withMessageContaining("registry");
        }
    }

    private static double events(MeterRegistry registry, String kind, String severity, String event) {
        return registry.get(IncidentSdkMetrics.EVENTS).tag("kind", kind).tag("severity", severity)
                .tag("event", event).counter().count();
    }

    private static double sinkEvents(MeterRegistry registry, String sink, String outcome) {
        return registry.get(IncidentSdkMetrics.SINK_EVENTS).tag("sink", sink).tag("outcome", outcome)
                .functionCounter().count();
    }
}
