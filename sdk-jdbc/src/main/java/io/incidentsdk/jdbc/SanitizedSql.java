package io.incidentsdk.jdbc;

import java.util.Objects;

/**
 * A statement after {@link SqlSanitizer#sanitize(String)}: safe to put in incident records, logs and
 * alerts.
 *
 * @param sql the statement with every literal replaced by {@code ?}, comments removed, whitespace
 *     normalized and value lists collapsed; one line, at most the sanitizer's maximum length
 * @param fingerprint 16 lowercase hex digits identifying the statement's shape; equal for statements
 *     that differ only in literal values, whitespace, comments, keyword or identifier case; stable
 *     across runs, JVMs and SDK instances (see {@link SqlSanitizer} for the algorithm)
 * @param summary a short label such as {@code UPDATE account}: the verb and the first table, at most 64
 *     characters, never a literal
 * @param truncated whether {@code sql} was cut to the maximum length (it then ends with
 *     {@code " …[truncated]"}); the fingerprint always covers the whole statement
 * @since 0.1.0
 */
public record SanitizedSql(String sql, String fingerprint, String summary, boolean truncated) {

    /**
     * Checks that no component is null.
     *
     * @param sql the sanitized statement
     * @param fingerprint the statement's fingerprint
     * @param summary the statement's label
     * @param truncated whether {@code sql} was cut
     * @throws NullPointerException naming the null component
     * @since 0.1.0
     */
    public SanitizedSql {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(summary, "summary");
    }
}
