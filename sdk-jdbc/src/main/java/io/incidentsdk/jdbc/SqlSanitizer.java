package io.incidentsdk.jdbc;

import io.incidentsdk.jdbc.internal.sql.StatementRedactor;
import java.util.Objects;

/**
 * Removes literals from SQL statements and computes a stable fingerprint and a short summary for each,
 * so statements can go into incident records, logs and metrics without leaking data.
 *
 * <h2>What is replaced by {@code ?}</h2>
 * <ul>
 *   <li>Strings: {@code '...'} with {@code ''} escapes; {@code E'...'} with backslash escapes;
 *       {@code N'...'}, {@code U&'...'}, {@code X'...'}, {@code B'...'}, MySQL charset introducers
 *       ({@code _utf8mb4'...'}), Oracle {@code q'[...]'}; PostgreSQL dollar quotes ({@code $$...$$},
 *       {@code $tag$...$tag$}). A prefix that is part of the literal is replaced with it; a type name
 *       before a string stays ({@code DATE '2024-01-01'} becomes {@code DATE ?}).</li>
 *   <li>Numbers: integers, decimals, exponents, {@code 0xFF}, {@code 0b101}. A sign directly before a
 *       number is part of it unless it follows an operand ({@code x = -1} becomes {@code x = ?},
 *       {@code a - 1} becomes {@code a - ?}). Digits inside identifiers ({@code t1}, {@code col_2}) stay.</li>
 *   <li>{@code TRUE} and {@code FALSE} where a value is expected: after an operator such as {@code =} or
 *       {@code <>}, after {@code THEN}, {@code ELSE}, {@code DEFAULT}, {@code LIKE} ..., and as elements
 *       of {@code VALUES} rows, {@code IN} lists and function arguments. Elsewhere they stay, e.g.
 *       {@code SET autocommit TRUE}, {@code x IS TRUE}, {@code WHERE TRUE}.</li>
 *   <li>{@code "..."}, which is an identifier in standard SQL but a string in MySQL's and MariaDB's
 *       default mode (without {@code ANSI_QUOTES}). The dialect decides:
 *       <ul>
 *         <li>MySQL, MariaDB and a database not known ({@link #sanitize(String)}, and
 *             {@link #sanitize(String, DatabaseVendor)} with {@link DatabaseVendor#MYSQL},
 *             {@link DatabaseVendor#MARIADB} or {@link DatabaseVendor#UNKNOWN}): it is kept only where it can
 *             only be a name, whatever the mode: qualified ({@code "t"."id"}, {@code t."id"}), right after
 *             {@code FROM}, {@code JOIN}, {@code INTO}, {@code UPDATE}, {@code TABLE} or {@code ONLY}, or in
 *             the column list of {@code INSERT INTO t (...)} and {@code CREATE TABLE t (...)}. Everywhere
 *             else it is replaced, also in a select list or a comparison ({@code SELECT "abc"},
 *             {@code email = ("...")}, {@code OFFSET "..."}), because there it would be a string when
 *             {@code ANSI_QUOTES} is off, which the SDK cannot see. This costs PostgreSQL-style quoted
 *             column names in those places when the vendor is not known: the safe side.</li>
 *         <li>Other vendors (standard quoting): it is kept when it looks like an identifier (1 to 63
 *             letters, digits, {@code _} or {@code $} not starting with a digit) and is qualified or not in
 *             a value position as defined for booleans above; {@code name = "Bob"} or
 *             {@code "hello world"} are replaced (such a statement fails, and its failure is recorded).</li>
 *       </ul></li>
 *   <li>Credentials, whatever their quoting: the value after {@code PASSWORD} in {@code CREATE}/{@code ALTER}
 *       {@code USER}, {@code ROLE}, {@code LOGIN} or {@code GROUP}, {@code GRANT} and {@code SET PASSWORD}
 *       statements ({@code PASSWORD 'x'}, {@code PASSWORD "x"}, {@code PASSWORD = 'x'},
 *       {@code PASSWORD('x')}), any value assigned with {@code =} in such a statement
 *       ({@code OLD_PASSWORD = 'x'}, {@code SET PASSWORD FOR u = 'x'}), and the value after
 *       {@code IDENTIFIED BY} or {@code IDENTIFIED ... AS} in any statement, also Oracle's unquoted
 *       {@code IDENTIFIED BY tiger}.</li>
 *   <li>Everything after an unterminated string, quoted identifier or dollar quote; a dollar-quote tag
 *       longer than 63 characters counts as unterminated.</li>
 * </ul>
 *
 * <h2>What stays</h2>
 * {@code NULL}; keywords and unquoted identifiers as written (their case is kept); backtick
 * identifiers (replaced only if they contain control or invisible characters); placeholders {@code ?},
 * {@code $1} and {@code :name} as written.
 *
 * <h2>Normalization</h2>
 * <ul>
 *   <li>Comments ({@code -- ...}, {@code /* ... *&#47;} nested as in PostgreSQL, MySQL {@code # ...})
 *       are removed. A {@code #} followed by {@code >} or {@code -} is kept as a PostgreSQL operator.</li>
 *   <li>Any run of whitespace, comments, control and invisible characters becomes one space; the result
 *       is trimmed and is always one line. No space is added where the input had none
 *       ({@code id=1} becomes {@code id=?}).</li>
 *   <li>A list after {@code IN} holding only literals, placeholders, {@code NULL} and booleans is written
 *       {@code (?)}: {@code id IN (1, 2, 3)} becomes {@code id IN (?)}.</li>
 *   <li>In {@code VALUES}, a row holding only literals, placeholders, {@code NULL}, {@code DEFAULT} and
 *       booleans keeps its shape, one {@code ?} per column, and consecutive such rows of the same width
 *       become one: {@code VALUES (1, 'a'), (2, 'b')} becomes {@code VALUES (?, ?)}, as does
 *       {@code VALUES (?, ?)}. Other rows are written as they are, with their literals replaced:
 *       {@code VALUES (1, now()), (2, 'x')} becomes {@code VALUES (?, now()), (?, ?)}. So a batch of
 *       rows and a single row share a fingerprint, and statements of different widths do not.</li>
 * </ul>
 *
 * <h2>Ambiguous backslashes</h2>
 * A backslash inside a quoted string is an escape in MySQL and MariaDB (by default) and a plain
 * character in standard SQL. When a statement has one, it is read both ways and every token that
 * either reading considers a literal or a comment is replaced, so no literal survives whichever
 * dialect produced it. Such statements may lose more structure than others.
 *
 * <h2>Length</h2>
 * The sanitized text is at most {@code maxChars} characters. Longer text is cut at a token boundary
 * and ends with {@code " …[truncated]"}; {@link SanitizedSql#truncated()} is then true.
 *
 * <h2>Fingerprint</h2>
 * The tokens of the complete sanitized statement (before truncation, with literals as {@code ?} and
 * lists collapsed) are joined with single spaces ({@code U+0020}); punctuation counts as one token per
 * character, and ASCII letters of unquoted words are lower-cased (quoted identifiers keep their case).
 * The fingerprint is the first 8 bytes of the SHA-256 hash of that text's UTF-8 encoding, as 16
 * lowercase hexadecimal digits. So {@code select * from T where id=1} and
 * {@code SELECT * FROM t WHERE id = 2} share a fingerprint. The raw literals never enter it.
 *
 * <h2>Summary</h2>
 * The verb upper-cased and the first table as written: {@code SELECT account}, {@code INSERT ledger},
 * {@code UPDATE account}, {@code DELETE orders}, {@code CALL transfer} (JDBC escapes such as
 * {@code {call transfer(?)}} included); {@code WITH ...} resolves to the main statement's verb when it
 * can be found, else {@code WITH}; {@code CREATE}, {@code ALTER} and {@code DROP} give the object kind
 * ({@code CREATE TABLE}); any other statement gives its first word upper-cased, and a statement that
 * does not start with a word gives {@code UNKNOWN}. At most 64 characters.
 *
 * <h2>Guarantees</h2>
 * Linear time in the length of the statement (a single-pass lexer, no regular expressions, bounded
 * look-ahead), no per-character allocation, and {@link #sanitize(String)} never throws for a non-null
 * statement, however malformed. Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class SqlSanitizer {

    /** The maximum sanitized length of {@link #defaults()}. */
    private static final int DEFAULT_MAX_LENGTH = 4000;
    /** Room for a few tokens and the truncation marker. */
    private static final int MIN_MAX_LENGTH = 64;

    private static final SqlSanitizer DEFAULTS = new SqlSanitizer(DEFAULT_MAX_LENGTH);

    private final int maxLength;

    private SqlSanitizer(int maxLength) {
        this.maxLength = maxLength;
    }

    /**
     * A sanitizer whose output is at most 4000 characters.
     *
     * @return the shared default sanitizer
     * @since 0.1.0
     */
    public static SqlSanitizer defaults() {
        return DEFAULTS;
    }

    /**
     * A sanitizer whose output is at most {@code maxChars} characters, truncation marker included.
     *
     * @param maxChars the maximum length of {@link SanitizedSql#sql()}, at least 64
     * @return a new sanitizer
     * @throws IllegalArgumentException if {@code maxChars} is below 64
     * @since 0.1.0
     */
    public static SqlSanitizer withMaxLength(int maxChars) {
        if (maxChars < MIN_MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "maxChars must be at least " + MIN_MAX_LENGTH + " but was " + maxChars);
        }
        return new SqlSanitizer(maxChars);
    }

    /**
     * Sanitizes one statement (or a script; the summary describes its first statement).
     *
     * @param sql the statement as given to the driver
     * @return the statement without literals, its fingerprint and its summary
     * @throws NullPointerException if {@code sql} is null
     * @since 0.1.0
     */
    public SanitizedSql sanitize(String sql) {
        Objects.requireNonNull(sql, "sql");
        return StatementRedactor.sanitize(sql, maxLength, true);
    }

    /**
     * Sanitizes one statement written in the dialect of {@code vendor}: the same as {@link #sanitize(String)}
     * except that, for databases whose double quotes always delimit identifiers, a {@code "name"} outside a
     * value position is kept (see the class documentation).
     *
     * @param sql the statement as given to the driver
     * @param vendor the database the statement is for; {@code null} means not known
     * @return the statement without literals, its fingerprint and its summary
     * @throws NullPointerException if {@code sql} is null
     * @since 0.1.0
     */
    public SanitizedSql sanitize(String sql, DatabaseVendor vendor) {
        Objects.requireNonNull(sql, "sql");
        return StatementRedactor.sanitize(sql, maxLength, doubleQuotedStrings(vendor));
    }

    /** Whether {@code "..."} may be a string for this vendor: MySQL, MariaDB (no ANSI_QUOTES known), unknown. */
    static boolean doubleQuotedStrings(DatabaseVendor vendor) {
        return vendor == null || vendor == DatabaseVendor.MYSQL || vendor == DatabaseVendor.MARIADB
                || vendor == DatabaseVendor.UNKNOWN;
    }

    /**
     * Describes the configuration, never a statement.
     *
     * @return e.g. {@code SqlSanitizer[maxLength=4000]}
     * @since 0.1.0
     */
    @Override
    public String toString() {
        return "SqlSanitizer[maxLength=" + maxLength + "]";
    }
}
