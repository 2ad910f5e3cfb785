package io.incidentsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The time series of a record: its invariants hold whoever built it (the SDK, a user, a JSON reader). */
class TimeSeriesTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void aBucketNeverShowsMoreFailuresThanCallsAFailedCallIsACall() {
        TimeSeries series = new TimeSeries(T0, Duration.ofSeconds(5), "units of work",
                List.of(3L, 0L, 5L, 7L), List.of(5L, 1L, 2L, 7L));

        assertThat(series.calls()).containsExactly(5L, 1L, 5L, 7L);
        assertThat(series.failures()).as("every failure is kept").containsExactly(5L, 1L, 2L, 7L);
        assertThat(series.totalFailures()).isEqualTo(15);
    }

    @Test
    void aRecordReadFromJsonWithMoreFailuresThanCallsInABucketHoldsTheInvariantToo() {
        Incident written = Incident.builder(IncidentKind.DEADLOCK, "Deadlock on UPDATE account")
                .series(new TimeSeries(T0, Duration.ofSeconds(5), null, List.of(4L), List.of(1L))).build();
        IncidentEvent event = new IncidentEvent(IncidentEvent.SCHEMA_VERSION,
                io.incidentsdk.internal.Uuid7.at(T0.toEpochMilli()).toString(), IncidentEvent.Type.OPENED, T0, written);
        String json = IncidentJson.toJson(event).replace("\"calls\":[4]", "\"calls\":[0]");
        assertThat(json).contains("\"calls\":[0]");

        Incident read = IncidentJson.fromJson(json).incident();

        assertThat(read.series().calls()).containsExactly(1L);
        assertThat(read.series().failures()).containsExactly(1L);
    }

    @Test
    void foldingKeepsTheInvariantAndTheTotals() {
        List<Long> calls = new ArrayList<>();
        List<Long> failures = new ArrayList<>();
        for (int i = 0; i < 301; i++) {
            calls.add(i % 3 == 0 ? 0L : 10L);
            failures.add(i % 3 == 0 ? 2L : 4L);
        }
        TimeSeries series = new TimeSeries(T0, Duration.ofSeconds(1), "calls", calls, failures);

        assertThat(series.calls()).hasSizeLessThanOrEqualTo(TimeSeries.MAX_BUCKETS);
        assertThat(series.bucket()).isEqualTo(Duration.ofSeconds(4));
        for (int i = 0; i < series.calls().size(); i++) {
            assertThat(series.failures().get(i)).isLessThanOrEqualTo(series.calls().get(i));
        }
        assertThat(series.totalFailures()).isEqualTo(101 * 2 + 200 * 4);
    }

    @Test
    void negativeCountsAndUnequalLengthsAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TimeSeries(T0, Duration.ofSeconds(1), "calls",
                List.of(-1L), List.of(0L))).withMessageContaining("calls");
        assertThatIllegalArgumentException().isThrownBy(() -> new TimeSeries(T0, Duration.ofSeconds(1), "calls",
                List.of(1L, 2L), List.of(0L))).withMessageContaining("as many buckets");
    }
}
