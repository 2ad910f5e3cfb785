package io.incidentsdk.jdbc;

import io.incidentsdk.jdbc.internal.sql.MessageRedactor;

/**
 * Reduces a JDBC driver's exception message to what is known to be safe, so that it can go into an incident
 * record, a log line or a metric without leaking what the application stored or sent.
 *
 * <p>Driver messages quote the data that caused the error: PostgreSQL's
 * {@code Key (email)=(jane@example.com) already exists.} and its {@code Where: JSON data, line 1: ...}
 * context, MariaDB's {@code Duplicate entry 'jane@example.com' for key 'email'}, H2's
 * {@code Data conversion error converting "..."} followed by the whole SQL statement. Redaction is
 * <em>structural</em>: the message is parsed per vendor and only what is known to be safe is kept, the rest
 * is replaced by {@code ?}, including what cannot be parsed.
 * <ul>
 *   <li>Per vendor: H2's echoed {@code SQL statement: ...} is dropped and its {@code [code-build]} suffix
 *       kept; MariaDB/MySQL's {@code (conn=N)} prefix is kept and a {@code Query is: ...} dump dropped;
 *       pgjdbc's sections are read one by one ({@code Detail:}, {@code Hint:} are redacted like the message;
 *       the content of context sections such as {@code Where:} and {@code Internal Query:} becomes
 *       {@code ?}); pgjdbc's {@code Batch entry N <statement> was aborted} loses the statement; Oracle's
 *       {@code ORA-NNNNN} codes stay.</li>
 *   <li>Words outside quotes stay only if they are words of database messages (a fixed vocabulary) or
 *       identifiers of the failed statement as its sanitized SQL shows them; any other word becomes
 *       {@code ?}.</li>
 *   <li>Quoted text ({@code '...'}, {@code "..."}, {@code `...`}) stays only if it is a name, possibly
 *       qualified, each of whose parts is an identifier of the sanitized SQL; otherwise it becomes
 *       {@code '?'} (a part that is not becomes {@code ?}: {@code 'app.accounts'} gives {@code '?.accounts'}).
 *       A quote closes only where the message goes on (end, punctuation, or a message word), so a value with
 *       quotes inside does not end early; a value after {@code ": "} runs to the last quote of its part.
 *       A name the database echoes, such as a constraint that the statement does not mention, is replaced
 *       too: only the statement says what is a name.</li>
 *   <li>A parenthesised group stays only if nothing inside it had to be replaced ({@code Key (email)=(?)}),
 *       else it becomes {@code (?)}.</li>
 *   <li>Numbers stay only after a word saying what they count ({@code line}, {@code row},
 *       {@code position}, {@code process}, {@code transaction}, {@code conn} ...).</li>
 *   <li>ANSI escape sequences are removed whole; runs of line breaks, control and format characters and
 *       white space become one space; the result is at most {@value #MAX_LENGTH} characters (a longer one
 *       ends with {@code ...}).</li>
 * </ul>
 * Redaction errs on the side of removing text. It runs in time linear in the message length (the input
 * is examined up to 16 Ki chars) and never throws.
 *
 * @since 0.1.0
 */
public final class DriverMessageRedactor {

    /**
     * The maximum length of a redacted message, in {@code char}s.
     *
     * @since 0.1.0
     */
    public static final int MAX_LENGTH = 1000;

    private static final String ELLIPSIS = "...";

    /** Returned if redaction fails unexpectedly: never the original text. */
    private static final String WITHHELD = "(message withheld)";

    private DriverMessageRedactor() {
    }

    /**
     * Redacts a driver message when neither the database nor the statement is known: the strictest form
     * (no identifier is known, so every quoted name is replaced).
     *
     * @param driverMessage the message, e.g. {@code SQLException.getMessage()}; may be {@code null}
     * @return the redacted message, at most {@value #MAX_LENGTH} chars, with no line breaks or control
     *     characters; {@code null} for {@code null}
     * @since 0.1.0
     */
    public static String redact(String driverMessage) {
        return redact(driverMessage, DatabaseVendor.UNKNOWN, null);
    }

    /**
     * Redacts a driver message, reading it in the format of {@code vendor}'s driver and keeping the names
     * that {@code sql} shows; see the class documentation.
     *
     * @param driverMessage the message, e.g. {@code SQLException.getMessage()}; may be {@code null}
     * @param vendor the database that produced it; {@code null} means not known
     * @param sql the failed statement as sanitized, or {@code null}; only its identifiers are used
     * @return the redacted message, at most {@value #MAX_LENGTH} chars, with no line breaks or control
     *     characters; {@code null} for {@code null}
     * @since 0.1.0
     */
    public static String redact(String driverMessage, DatabaseVendor vendor, SanitizedSql sql) {
        if (driverMessage == null) {
            return null;
        }
        try {
            return bound(MessageRedactor.redact(driverMessage, vendor, sql == null ? null : sql.sql(), MAX_LENGTH));
        } catch (RuntimeException e) {
            return WITHHELD;
        }
    }

    private static String bound(String text) {
        if (text.length() <= MAX_LENGTH) {
            return text;
        }
        int end = MAX_LENGTH - ELLIPSIS.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + ELLIPSIS;
    }
}
