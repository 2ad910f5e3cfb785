package io.incidentsdk;

import io.incidentsdk.internal.Limits;
import io.incidentsdk.internal.Text;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How much of the traffic an incident affected, for spikes and aggregates.
 *
 * @param window             the observation window
 * @param calls              calls in the window
 * @param failures           failed calls in the window
 * @param failureRate        {@code failures / calls}, between 0 and 1
 * @param failuresByCategory failures per category (at most 20 entries)
 * @param topFingerprints    the statement fingerprints that failed most, most first (at most 20)
 * @since 0.1.0
 */
public record Impact(Duration window, long calls, long failures, double failureRate,
                     Map<String, Long> failuresByCategory, List<String> topFingerprints) {

    /**
     * Validates the numbers and bounds the collections.
     *
     * @param window             the observation window
     * @param calls              calls in the window
     * @param failures           failed calls in the window
     * @param failureRate        {@code failures / calls}, between 0 and 1
     * @param failuresByCategory failures per category (at most 20 entries)
     * @param topFingerprints    the statement fingerprints that failed most, most first (at most 20)
     */
    public Impact {
        if (calls < 0 || failures < 0) {
            throw new IllegalArgumentException("calls and failures must be >= 0, were " + calls + " and " + failures);
        }
        if (!(failureRate >= 0.0 && failureRate <= 1.0)) {
            throw new IllegalArgumentException("failureRate must be within [0, 1], was " + failureRate);
        }
        if (failuresByCategory != null && failuresByCategory.values().stream().anyMatch(n -> n != null && n < 0)) {
            throw new IllegalArgumentException("failuresByCategory must not hold negative counts, was "
                    + failuresByCategory.values());
        }
        failuresByCategory = Records.boundedCounts(failuresByCategory, Limits.IMPACT_ENTRIES);
        topFingerprints = Records.boundedList(topFingerprints, Limits.IMPACT_ENTRIES, Text.Field.FINGERPRINT);
    }
}
