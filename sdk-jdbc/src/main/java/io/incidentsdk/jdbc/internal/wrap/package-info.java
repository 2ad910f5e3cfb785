/**
 * Hand-written JDBC 4.3 wrappers that watch every call of a {@code DataSource}, its connections,
 * statements, result sets and metadata, and report to a {@link io.incidentsdk.jdbc.internal.wrap.JdbcObserver}.
 *
 * <p>Internal: not part of the public API; may change without notice.
 */
package io.incidentsdk.jdbc.internal.wrap;
