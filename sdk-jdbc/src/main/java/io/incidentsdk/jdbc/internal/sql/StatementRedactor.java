package io.incidentsdk.jdbc.internal.sql;

import io.incidentsdk.jdbc.SanitizedSql;

/**
 * Entry point of the internals behind {@link io.incidentsdk.jdbc.SqlSanitizer}.
 *
 * <p>A statement is read once with standard quoting. If a backslash appeared inside a quoted string
 * whose meaning depends on the dialect (standard SQL: a plain character; MySQL: an escape), the
 * statement is also lexed with backslash escapes, and a second standard pass hides every token that
 * either reading considers a literal or a comment. That costs up to three linear passes, and only for
 * such statements.
 */
public final class StatementRedactor {

    private StatementRedactor() {
    }

    /**
     * Sanitizes one statement.
     *
     * @param sql the statement, not null
     * @param maxChars the maximum length of the sanitized text, at least the marker length
     * @param doubleQuotedStrings whether {@code "..."} may be a string literal (MySQL and MariaDB without
     *     {@code ANSI_QUOTES}, or a database not known): it is then kept only where it can only be a name
     * @return the sanitized text, its fingerprint and summary
     */
    public static SanitizedSql sanitize(String sql, int maxChars, boolean doubleQuotedStrings) {
        RedactionPass pass = new RedactionPass(sql, maxChars, null, doubleQuotedStrings);
        pass.run();
        if (pass.ambiguousBackslashes()) {
            pass = new RedactionPass(sql, maxChars, LiteralMask.ofBackslashDialect(sql), doubleQuotedStrings);
            pass.run();
        }
        return pass.result();
    }
}
