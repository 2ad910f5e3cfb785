package io.incidentsdk;

import io.incidentsdk.internal.Text;

/**
 * The error behind an incident.
 *
 * @param category              the failure category ({@code DEADLOCK}, {@code LOCK_TIMEOUT}, ...)
 * @param sqlState              the SQLState reported by the driver, may be {@code null}
 * @param vendorCode            the vendor error code, may be {@code null}
 * @param exceptionClass        the class name of the exception
 * @param message               the driver message after redaction of literals and key values
 * @param transactionRolledBack whether the database rolled back the whole transaction; {@code null} when
 *                              unknown
 * @since 0.1.0
 */
public record ErrorInfo(String category, String sqlState, Integer vendorCode, String exceptionClass,
                        String message, Boolean transactionRolledBack) {

    /**
     * Cleans and bounds every field; every field may be {@code null}.
     *
     * @param category              the failure category ({@code DEADLOCK}, {@code LOCK_TIMEOUT}, ...)
     * @param sqlState              the SQLState reported by the driver, may be {@code null}
     * @param vendorCode            the vendor error code, may be {@code null}
     * @param exceptionClass        the class name of the exception
     * @param message               the driver message after redaction of literals and key values
     * @param transactionRolledBack whether the database rolled back the whole transaction; {@code null} when unknown
     */
    public ErrorInfo {
        category = Text.field(Text.Field.SHORT, category);
        sqlState = Text.field(Text.Field.SHORT, sqlState);
        exceptionClass = Text.field(Text.Field.SHORT, exceptionClass);
        message = Text.field(Text.Field.MESSAGE, message);
    }
}
