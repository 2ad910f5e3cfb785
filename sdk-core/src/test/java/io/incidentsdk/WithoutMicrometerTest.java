package io.incidentsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.sink.InMemorySink;
import io.incidentsdk.sink.JsonLinesFileSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in a surefire execution of its own, with Micrometer removed from the class path (see the pom):
 * Micrometer is an optional dependency and the SDK must work without it.
 */
class WithoutMicrometerTest {

    @TempDir
    Path dir;

    @Test
    void micrometerIsReallyAbsent() {
        assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void aFullSdkRecordsOpensNotesResolvesAndClosesWithoutMicrometer() throws Exception {
        Path file = dir.resolve("incidents.jsonl");
        InMemorySink memory = new InMemorySink(100);
        IncidentSdk sdk = IncidentSdk.builder()
                .service("checkout", "1.4.2").environment("test")
                .sink(JsonLinesFileSink.builder(file).build())
                .sink(memory)
                .updateInterval(Duration.ofMillis(1))
                .housekeepingInterval(Duration.ofMillis(10))
                .sinkRetries(1, Duration.ZERO)
                .build();
        Incident recorded = Fixtures.fullIncident();

        sdk.record(recorded);
        OpenIncident handle = sdk.open(IncidentKind.CUSTOM, "Payment provider timing out");
        await().atMost(Duration.ofSeconds(10)).until(() -> memory.events().size() >= 2);
        handle.note("escalated to the payments team");
        handle.resolve("provider recovered");
        await().atMost(Duration.ofSeconds(10)).until(() -> memory.events().stream()
                .anyMatch(e -> e.event() == IncidentEvent.Type.RESOLVED));
        sdk.close();

        List<IncidentEvent> inMemory = memory.events();
        assertThat(inMemory).anySatisfy(e -> {
            assertThat(e.event()).isEqualTo(IncidentEvent.Type.OPENED);
            assertThat(e.incident().fingerprint()).isEqualTo(recorded.fingerprint());
            assertThat(e.incident().service().name()).isEqualTo("checkout");
        });
        assertThat(inMemory).anySatisfy(e -> {
            assertThat(e.event()).isEqualTo(IncidentEvent.Type.RESOLVED);
            assertThat(e.incident().incidentId()).isEqualTo(handle.incidentId());
            assertThat(e.incident().timeline()).extracting(TimelineEntry::detail)
                    .contains("escalated to the payments team", "provider recovered");
        });
        assertThat(handle.isOpen()).isFalse();
        assertThat(JsonLinesFileSink.read(file)).containsExactlyElementsOf(inMemory);
        assertThat(sdk.sinkStats()).allSatisfy(stats -> {
            assertThat(stats.failed()).isZero();
            assertThat(stats.dropped()).isZero();
        });
    }
}
