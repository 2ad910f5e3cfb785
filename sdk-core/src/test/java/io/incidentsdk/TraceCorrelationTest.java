package io.incidentsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.sink.InMemorySink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link TraceCorrelation}: asked on the recording thread, told the incident, and never able to break a call. */
class TraceCorrelationTest {

    private static final class Recording implements TraceCorrelation {
        final List<String> marked = new CopyOnWriteArrayList<>();
        final List<String> askedOn = new CopyOnWriteArrayList<>();

        @Override
        public TraceInfo current() {
            askedOn.add(Thread.currentThread().getName());
            return new TraceInfo("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
        }

        @Override
        public void recorded(String incidentId, String fingerprint) {
            marked.add(incidentId + "|" + Thread.currentThread().getName());
        }
    }

    @Test
    void recordsCarryTheCurrentTraceAndTheSpanIsToldTheIncidentAlsoForRepeats() {
        Recording tracing = new Recording();
        InMemorySink memory = new InMemorySink(10);
        try (IncidentSdk sdk = IncidentSdk.builder().traceCorrelation(tracing).sink(memory)
                .housekeepingInterval(Duration.ofMillis(5)).build()) {
            Incident signal = Incident.builder(IncidentKind.CUSTOM, "traced").build();
            sdk.record(signal);
            assertThat(sdk.recordRepeat(signal.fingerprint())).isTrue();
            await().atMost(5, TimeUnit.SECONDS).until(() -> !memory.events().isEmpty());
        }
        Incident recorded = memory.events().get(0).incident();
        assertThat(recorded.trace()).isEqualTo(new TraceInfo("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"));
        String me = Thread.currentThread().getName();
        assertThat(tracing.askedOn).containsExactly(me);
        assertThat(tracing.marked).containsExactly(recorded.incidentId() + "|" + me, recorded.incidentId() + "|" + me);
    }

    @Test
    void aFailingCorrelationNeverReachesTheCallerAndTheIncidentIsStillRecorded() {
        TraceCorrelation broken = new TraceCorrelation() {
            @Override
            public TraceInfo current() {
                throw new IllegalStateException("tracer gone");
            }

            @Override
            public void recorded(String incidentId, String fingerprint) {
                throw new NoClassDefFoundError("io/opentelemetry/api/trace/Span");
            }
        };
        InMemorySink memory = new InMemorySink(10);
        try (IncidentSdk sdk = IncidentSdk.builder().traceCorrelation(broken).sink(memory)
                .housekeepingInterval(Duration.ofMillis(5)).build()) {
            sdk.record(Incident.builder(IncidentKind.CUSTOM, "untraced").build());
            await().atMost(5, TimeUnit.SECONDS).until(() -> !memory.events().isEmpty());
        }
        assertThat(memory.events().get(0).incident().trace()).isNull();
    }
}
