package io.incidentsdk;

import io.incidentsdk.internal.Text;
import java.util.Objects;

/**
 * What retrying did about the failure.
 *
 * @param attempts how many attempts were made in all (1 means no retry)
 * @param outcome  how the retries ended
 * @param reason   why there was no retry, when {@code outcome} is {@link Outcome#NOT_RETRIED}
 * @since 0.1.0
 */
public record RetryInfo(int attempts, Outcome outcome, String reason) {

    /**
     * How the retries of a unit of work ended.
     *
     * @since 0.1.0
     */
    public enum Outcome {
        /** A later attempt succeeded: the user saw nothing. */
        SUCCEEDED,
        /** Every allowed attempt failed. */
        EXHAUSTED,
        /** The failure was not retried (see {@code reason}). */
        NOT_RETRIED
    }

    /**
     * Validates the attempts and cleans the reason.
     *
     * @param attempts how many attempts were made in all (1 means no retry)
     * @param outcome  how the retries ended
     * @param reason   why there was no retry, when {@code outcome} is {@link Outcome#NOT_RETRIED}
     */
    public RetryInfo {
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be >= 0, was " + attempts);
        }
        Objects.requireNonNull(outcome, "outcome must not be null");
        reason = Text.field(Text.Field.DETAIL, reason);
    }
}
