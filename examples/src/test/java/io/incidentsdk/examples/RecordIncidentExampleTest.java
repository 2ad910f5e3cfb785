package io.incidentsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.Severity;
import io.incidentsdk.TimelineEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordIncidentExampleTest {

    @Test
    void theExampleWritesTheProgrammaticIncidentsToAJsonLinesFile(@TempDir Path directory) throws Exception {
        List<IncidentEvent> events = RecordIncidentExample.run(directory);

        assertThat(Files.readAllLines(directory.resolve("incidents.jsonl"))).hasSameSizeAs(events);
        assertThat(events).extracting(e -> e.incident().title()).containsOnly(
                "Payment provider timing out", "Nightly ledger export failed");
        IncidentEvent resolved = events.stream().filter(e -> e.event() == IncidentEvent.Type.RESOLVED)
                .findFirst().orElseThrow();
        assertThat(resolved.incident().kind()).isEqualTo(IncidentKind.CUSTOM);
        assertThat(resolved.incident().severity()).isEqualTo(Severity.CRITICAL);
        assertThat(resolved.incident().service().name()).isEqualTo("checkout");
        assertThat(resolved.incident().timeline()).extracting(TimelineEntry::detail)
                .contains("escalated to the payments team", "provider recovered; payments flowing again");
        assertThat(events).anySatisfy(e -> {
            assertThat(e.incident().title()).isEqualTo("Nightly ledger export failed");
            assertThat(e.incident().attributes()).containsEntry("job", "ledger-export");
        });
    }
}
