package io.incidentsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.incidentsdk.sink.IncidentSink;
import io.incidentsdk.sink.InMemorySink;
import io.incidentsdk.sink.JsonLinesFileSink;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Misconfigured sinks are refused when the SDK is configured, not discovered in the output. */
class SinkConfigurationTest {

    @TempDir
    Path dir;

    @Test
    void theSameSinkAddedTwiceIsRefusedAtOnce() {
        InMemorySink memory = new InMemorySink(10);
        IncidentSdk.Builder builder = IncidentSdk.builder().sink(memory);

        assertThatIllegalArgumentException().isThrownBy(() -> builder.sink(memory))
                .withMessageContaining("sink \"memory\" was already added")
                .withMessageContaining("every event twice");
    }

    @Test
    void twoFileSinksOnOneFileAreRefused() {
        IncidentSdk.Builder builder = IncidentSdk.builder()
                .sink(JsonLinesFileSink.toFile(dir.resolve("incidents.jsonl")));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.sink(JsonLinesFileSink.toFile(dir.resolve("sub/../incidents.jsonl"))))
                .withMessageContaining("incidents.jsonl").withMessageContaining("already written by");
    }

    @Test
    void distinctSinksOfOneTypeAreFineAndKeepDistinctNames() {
        IncidentSink first = new InMemorySink(10);
        IncidentSink second = new InMemorySink(10);
        try (IncidentSdk incidents = IncidentSdk.builder().sink(first).sink(second)
                .sink(JsonLinesFileSink.toFile(dir.resolve("a.jsonl")))
                .sink(JsonLinesFileSink.toFile(dir.resolve("b.jsonl"))).build()) {
            assertThat(incidents.sinkStats()).extracting(SinkStats::sink)
                    .containsExactly("memory", "memory-2", "file", "file-2");
        }
    }
}
