package io.incidentsdk;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * How urgent an incident is. The four levels map one to one to PagerDuty's severities
 * ({@code info}, {@code warning}, {@code error}, {@code critical}).
 *
 * @since 0.1.0
 */
public enum Severity {
    /** Worth knowing, nobody needs to act now. */
    INFO,
    /** Users did not notice (for example a deadlock absorbed by a retry), but something needs fixing. */
    WARNING,
    /** Users saw failures. Also what a severity unknown to this version reads as. */
    @JsonEnumDefaultValue
    ERROR,
    /** Data may be at risk or the service is down (for example a commit whose outcome is unknown). */
    CRITICAL;

    /**
     * Returns the more severe of this and {@code other}.
     *
     * @param other another severity, not {@code null}
     * @return the higher of the two
     */
    public Severity atLeast(Severity other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
