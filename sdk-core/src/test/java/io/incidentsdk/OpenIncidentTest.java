package io.incidentsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.IncidentEvent.Type;
import io.incidentsdk.sink.InMemorySink;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenIncidentTest {

    private final ManualClock clock = ManualClock.startingAt("2026-11-25T10:00:00Z");
    private final InMemorySink memory = new InMemorySink(1_000);
    private final IncidentSdk incidents = IncidentSdk.builder()
            .service("payments", "2.0.0")
            .clock(clock)
            .sink(memory)
            .updateInterval(Duration.ofMillis(1))
            .housekeepingInterval(Duration.ofMillis(5))
            .build();

    private List<IncidentEvent> events(Type type) {
        return memory.events().stream().filter(e -> e.event() == type).toList();
    }

    @Test
    void anApplicationOpensNotesEscalatesAndResolvesAnIncident() {
        OpenIncident incident = incidents.open(IncidentKind.CUSTOM, "Payment provider timing out");
        await().atMost(Duration.ofSeconds(10)).until(() -> events(Type.OPENED).size() == 1);

        clock.advance(Duration.ofMinutes(2));
        incident.note("acknowledged by alice");
        clock.advance(Duration.ofMinutes(3));
        incident.note("escalated to the payments team").severity(Severity.CRITICAL).attribute("provider", "acme");
        clock.advance(Duration.ofMinutes(10));
        incident.resolve("provider recovered");

        await().atMost(Duration.ofSeconds(10)).until(() -> events(Type.RESOLVED).size() == 1);
        Incident resolved = events(Type.RESOLVED).get(0).incident();
        assertThat(resolved.incidentId()).isEqualTo(incident.incidentId());
        assertThat(resolved.severity()).as(memory.events().toString()).isEqualTo(Severity.CRITICAL);
        assertThat(resolved.attributes()).containsEntry("provider", "acme");
        assertThat(resolved.resolvedAt()).isEqualTo(Duration.ofMinutes(15).addTo(resolved.firstSeen()));
        assertThat(resolved.timeline()).extracting(TimelineEntry::type, TimelineEntry::detail).containsSubsequence(
                org.assertj.core.groups.Tuple.tuple(TimelineEntry.DETECTED, "CUSTOM detected"),
                org.assertj.core.groups.Tuple.tuple(TimelineEntry.NOTE, "acknowledged by alice"),
                org.assertj.core.groups.Tuple.tuple(TimelineEntry.NOTE, "escalated to the payments team"),
                org.assertj.core.groups.Tuple.tuple(TimelineEntry.SEVERITY_CHANGED, "severity set to CRITICAL"),
                org.assertj.core.groups.Tuple.tuple(TimelineEntry.RESOLVED, "provider recovered"));
        assertThat(incident.isOpen()).isFalse();

        // a resolved handle does nothing
        incident.note("too late").resolve("again");
        incidents.close();
        assertThat(events(Type.RESOLVED)).hasSize(1);
        assertThat(memory.events()).allSatisfy(e -> assertThat(e.incident().timeline())
                .extracting(TimelineEntry::detail).doesNotContain("too late"));
    }

    @Test
    void openingTheSameIncidentTwiceGivesAHandleOnTheOneThatIsOpen() {
        OpenIncident first = incidents.open(IncidentKind.CUSTOM, "Cache cluster degraded");
        OpenIncident second = incidents.open(IncidentKind.CUSTOM, "Cache cluster degraded");
        assertThat(second.incidentId()).isEqualTo(first.incidentId());
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
        incidents.close();
        assertThat(events(Type.OPENED)).hasSize(1);
        assertThat(memory.events().get(memory.events().size() - 1).incident().occurrences()).isEqualTo(2);
    }

    @Test
    void closingAHandleResolvesItsIncident() {
        try (OpenIncident incident = incidents.open(IncidentKind.CUSTOM, "Batch import stuck")) {
            incident.note("restarted the importer");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> events(Type.RESOLVED).size() == 1);
        assertThat(events(Type.RESOLVED).get(0).incident().timeline()).extracting(TimelineEntry::detail)
                .contains("restarted the importer", "closed by the application");
        incidents.close();
    }

    @Test
    void recordingAOneOffIncidentNeedsNoHandle() {
        incidents.record(Incident.builder(IncidentKind.CUSTOM, "Nightly export failed")
                .severity(Severity.WARNING).summary("export job exited with code 3").build());
        incidents.close();
        assertThat(events(Type.OPENED)).singleElement().satisfies(e -> {
            assertThat(e.incident().severity()).isEqualTo(Severity.WARNING);
            assertThat(e.incident().service().name()).isEqualTo("payments");
            assertThat(e.eventTime()).isEqualTo(clock.instant());
        });
    }

    @Test
    void nullArgumentsAreRejectedWithTheParameterName() {
        assertThatNullPointerException().isThrownBy(() -> incidents.record(null)).withMessageContaining("incident");
        assertThatNullPointerException().isThrownBy(() -> incidents.open(null, "t")).withMessageContaining("kind");
        assertThatNullPointerException().isThrownBy(() -> incidents.open(IncidentKind.CUSTOM, null))
                .withMessageContaining("title");
        OpenIncident handle = incidents.open(IncidentKind.CUSTOM, "x");
        assertThatNullPointerException().isThrownBy(() -> handle.note(null)).withMessageContaining("text");
        assertThatNullPointerException().isThrownBy(() -> handle.severity(null)).withMessageContaining("severity");
        incidents.close();
    }
}
