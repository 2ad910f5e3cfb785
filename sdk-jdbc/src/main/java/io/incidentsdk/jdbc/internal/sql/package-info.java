/**
 * Internals of {@link io.incidentsdk.jdbc.SqlSanitizer}: a single-pass SQL lexer, the redacting pass
 * that turns its tokens into the sanitized text, the streaming fingerprint and the statement summary.
 *
 * <p>Not API: these types may change in any release.
 */
package io.incidentsdk.jdbc.internal.sql;
