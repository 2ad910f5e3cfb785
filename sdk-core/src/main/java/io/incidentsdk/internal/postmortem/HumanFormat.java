package io.incidentsdk.internal.postmortem;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times, durations, shares and counts as people read them; independent of the default locale and zone. */
public final class HumanFormat {

    private HumanFormat() {
    }

    /**
     * An instant in UTC, ISO-8601, to the second, or to the millisecond when it has milliseconds
     * ({@code 2025-03-01T09:00:00Z}, {@code 2025-03-01T09:00:00.250Z}).
     *
     * @param at the instant
     * @return the formatted instant
     */
    public static String time(Instant at) {
        return at.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /**
     * A duration in the two largest units that matter: {@code 2 h 30 min}, {@code 1 min 5 s}, {@code 45 s},
     * {@code 120 ms}, {@code 3 d 4 h}. Smaller units are cut, not rounded; a negative duration reads as
     * {@code 0 s}.
     *
     * @param duration the duration
     * @return the formatted duration
     */
    public static String duration(Duration duration) {
        if (duration.isNegative()) {
            return "0 s";
        }
        long seconds = duration.getSeconds();
        if (seconds == 0) {
            long millis = duration.toMillis();
            return millis == 0 ? "0 s" : millis + " ms";
        }
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3_600) {
            return pair(seconds / 60, "min", seconds % 60, "s");
        }
        if (seconds < 86_400) {
            return pair(seconds / 3_600, "h", seconds % 3_600 / 60, "min");
        }
        return pair(seconds / 86_400, "d", seconds % 86_400 / 3_600, "h");
    }

    /**
     * A duration given in milliseconds; see {@link #duration(Duration)}.
     *
     * @param millis the duration in milliseconds
     * @return the formatted duration
     */
    public static String millis(long millis) {
        return duration(Duration.ofMillis(millis));
    }

    /**
     * A ratio as a percentage with at most one decimal: {@code 0.31} reads {@code 31%}, {@code 0.9675}
     * reads {@code 96.8%}.
     *
     * @param ratio the ratio, normally between 0 and 1
     * @return the percentage with its sign
     */
    public static String percent(double ratio) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return "unknown %";
        }
        BigDecimal value = BigDecimal.valueOf(ratio * 100).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros();
        return value.toPlainString() + "%";
    }

    /**
     * A count with its noun, singular for one: {@code 1 occurrence}, {@code 2 occurrences}.
     *
     * @param count    the count
     * @param singular the noun for one
     * @param plural   the noun for any other count
     * @return the count and the noun
     */
    public static String count(long count, String singular, String plural) {
        return count + " " + (count == 1 ? singular : plural);
    }

    private static String pair(long major, String majorUnit, long minor, String minorUnit) {
        return minor == 0 ? major + " " + majorUnit : major + " " + majorUnit + " " + minor + " " + minorUnit;
    }
}
