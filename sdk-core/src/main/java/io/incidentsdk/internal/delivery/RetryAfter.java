package io.incidentsdk.internal.delivery;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads an HTTP {@code Retry-After} value: delay-seconds or an HTTP-date. */
public final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * The pause a {@code Retry-After} value asks for.
     *
     * @param value     the header value, may be {@code null}
     * @param nowMillis the current wall-clock time
     * @return milliseconds, 0 when absent, unreadable or in the past
     */
    public static long parseMillis(String value, long nowMillis) {
        if (value == null) {
            return 0;
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return 0;
        }
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (v.length() > 9) {
                return Long.MAX_VALUE / 4; // absurd: the caller's bound applies
            }
            return Long.parseLong(v) * 1000L;
        }
        try {
            long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return Math.max(0, at - nowMillis);
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
