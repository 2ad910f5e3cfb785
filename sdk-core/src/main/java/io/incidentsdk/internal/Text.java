package io.incidentsdk.internal;

/**
 * The one place that decides what text may enter an incident record. Every string field of every record type
 * goes through {@link #field(Field, String)} (or its {@code require}/{@code Id} variants), which applies the
 * field's rules: its bound, the cleaning below, and for some fields a redaction ({@link Field#URL}: only the
 * short, credential-free URL of {@link UrlRedactor}; free text: any JDBC URL inside it is reduced the same
 * way). Values that come from a database (driver messages, SQL) are reduced before they get here, by
 * {@code DriverMessageRedactor} and {@code SqlSanitizer} in sdk-jdbc; this gate is the last line, not the
 * only one.
 *
 * <p>Bounds and cleans every string that enters an incident record, so that a record can never break a log
 * line or a JSON parser, whatever the input: a 10 MB title, newlines, ANSI escape sequences, lone
 * surrogates or other control characters.
 *
 * <p>Rules, applied in one linear pass over at most {@code max} characters of the input:
 * <ul>
 *   <li>CR, LF, TAB, form feed, vertical tab and the Unicode line/paragraph separators become one space;
 *       runs of such whitespace collapse to one space, and the result is trimmed;</li>
 *   <li>ANSI escape sequences ({@code ESC [ ... final}) and every other C0/C1 control character are
 *       removed;</li>
 *   <li>lone surrogates become U+FFFD; a surrogate pair is never split by the length bound;</li>
 *   <li>input longer than {@code max} is cut and marked with {@value #TRUNCATION_MARKER}.</li>
 * </ul>
 */
public final class Text {

    /** The kinds of record text, each with its bound and its rules. */
    public enum Field {
        /** An incident's title. */
        TITLE(Limits.TITLE, true),
        /** An incident's summary. */
        SUMMARY(Limits.SUMMARY, true),
        /** A (redacted) driver message. */
        MESSAGE(Limits.MESSAGE, true),
        /** A sanitized SQL statement. */
        SQL(Limits.SQL, false),
        /** A database URL: reduced by {@link UrlRedactor}. */
        URL(Limits.URL, false),
        /** A hint, a timeline detail, a retry reason. */
        DETAIL(Limits.DETAIL, true),
        /** Short labels: names, versions, SQLStates, classes, thread names, attribute values. */
        SHORT(Limits.SHORT, true),
        /** An attribute key. */
        ATTRIBUTE_KEY(Limits.ATTRIBUTE_KEY, false),
        /** Identifiers. */
        ID(Limits.ID, false),
        /** Fingerprints. */
        FINGERPRINT(Limits.FINGERPRINT, false);

        private final int max;
        private final boolean freeText;

        Field(int max, boolean freeText) {
            this.max = max;
            this.freeText = freeText;
        }

        /** The bound of the field, in UTF-16 chars. */
        public int max() {
            return max;
        }
    }

    /**
     * Decides what of {@code value} may enter a record as {@code field}; {@code null} stays {@code null}.
     *
     * @param field the kind of text
     * @param value the input, may be {@code null}
     * @return the cleaned, bounded and (for URLs and free text) redacted value
     */
    public static String field(Field field, String value) {
        if (value == null) {
            return null;
        }
        if (field == Field.URL) {
            return clean(UrlRedactor.redact(value), field.max);
        }
        if (field.freeText && containsJdbcUrl(value)) {
            value = redactJdbcUrls(value);
        }
        return clean(value, field.max);
    }

    /**
     * {@link #field(Field, String)} for a value that must not be {@code null}.
     *
     * @param field the kind of text
     * @param value the input
     * @param name  the parameter name for the exception message
     * @return the cleaned value
     * @throws NullPointerException naming {@code name} when {@code value} is {@code null}
     */
    public static String requireField(Field field, String value, String name) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        return field(field, value);
    }

    private static boolean containsJdbcUrl(String value) {
        int limit = Math.min(value.length(), 64 * 1024);
        for (int i = 0; i + 5 <= limit; i++) {
            char c = value.charAt(i);
            if ((c == 'j' || c == 'J') && value.regionMatches(true, i, "jdbc:", 0, 5)) {
                return true;
            }
        }
        return false;
    }

    /** Replaces each {@code jdbc:...} token (up to white space) of free text by its redacted form. */
    private static String redactJdbcUrls(String value) {
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        int n = value.length();
        while (i < n) {
            if ((value.charAt(i) == 'j' || value.charAt(i) == 'J') && value.regionMatches(true, i, "jdbc:", 0, 5)
                    && (i == 0 || !Character.isLetterOrDigit(value.charAt(i - 1)))) {
                int end = i;
                while (end < n && !Character.isWhitespace(value.charAt(end)) && value.charAt(end) != '\''
                        && value.charAt(end) != '"') {
                    end++;
                }
                out.append(UrlRedactor.redact(value.substring(i, end)));
                i = end;
            } else {
                out.append(value.charAt(i));
                i++;
            }
        }
        return out.toString();
    }

    /** Appended to a string that was cut to its bound. */
    public static final String TRUNCATION_MARKER = "…[truncated]";

    private Text() {
    }

    /**
     * Cleans and bounds a string; {@code null} stays {@code null}.
     *
     * @param value the input, may be {@code null}
     * @param max   the maximum length of the result in UTF-16 chars, at least 16
     * @return a single-line string of at most {@code max} chars, or {@code null}
     */
    public static String clean(String value, int max) {
        if (value == null) {
            return null;
        }
        if (max < 16) {
            throw new IllegalArgumentException("max must be at least 16, was " + max);
        }
        int length = value.length();
        if (length <= max && isAlreadyClean(value)) {
            return value;
        }
        // Scan a bounded prefix only: the output can never be longer than max anyway.
        int scanLimit = (int) Math.min(length, (long) max * 2 + 16);
        StringBuilder out = new StringBuilder(Math.min(scanLimit, max));
        boolean pendingSpace = false;
        boolean cut = false;
        int budget = max;
        int i = 0;
        while (i < scanLimit) {
            char c = value.charAt(i);
            if (c == '\u001b') {
                i = skipEscapeSequence(value, i, scanLimit);
                continue;
            }
            if (isLineBreakOrBlank(c)) {
                pendingSpace = out.length() > 0;
                i++;
                continue;
            }
            if (isControl(c)) {
                i++;
                continue;
            }
            int width = 1;
            char replacement = c;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                    width = 2;
                } else {
                    replacement = '\uFFFD';
                }
            } else if (Character.isLowSurrogate(c)) {
                replacement = '\uFFFD';
            }
            int needed = width + (pendingSpace ? 1 : 0);
            if (out.length() + needed > budget) {
                cut = true;
                break;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            if (width == 2) {
                out.append(c).append(value.charAt(i + 1));
            } else {
                out.append(replacement);
            }
            i += width;
        }
        if (!cut && i < length) {
            cut = true;
        }
        if (cut) {
            int keep = Math.max(0, max - TRUNCATION_MARKER.length());
            if (out.length() > keep) {
                out.setLength(keep);
                if (keep > 0 && Character.isHighSurrogate(out.charAt(keep - 1))) {
                    out.setLength(keep - 1);
                }
            }
            out.append(TRUNCATION_MARKER);
        }
        return out.toString();
    }

    /**
     * Removes ANSI escape sequences whole ({@code ESC [ 3 1 m}, {@code ESC ] ... BEL} and two-character
     * escapes), so that no {@code [31m} is left once control characters are dropped.
     * Everything else is kept as it is. Used by the redactors before they parse text, so that what they see
     * is what {@link #clean(String, int)} will keep.
     *
     * @param value the input, not null
     * @return the input without escape sequences (the same instance when it holds none)
     */
    public static String withoutEscapeSequences(String value) {
        int first = -1;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u001b') {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        out.append(value, 0, first);
        int i = first;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '\u001b') {
                i = skipEscapeSequence(value, i, value.length());
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * Cleans and bounds a string that must not be {@code null}.
     *
     * @param value the input
     * @param max   the maximum length
     * @param name  the parameter name for the exception message
     * @return the cleaned value
     * @throws NullPointerException naming {@code name} when {@code value} is {@code null}
     */
    public static String require(String value, int max, String name) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        return clean(value, max);
    }

    /**
     * Cleans and bounds an optional identifier: an identifier is never empty, so one that is blank after
     * cleaning becomes {@code null}.
     *
     * @param value the input, may be {@code null}
     * @param max   the maximum length
     * @return the cleaned identifier, or {@code null}
     */
    public static String cleanId(String value, int max) {
        String cleaned = clean(value, max);
        return cleaned == null || cleaned.isEmpty() ? null : cleaned;
    }

    /**
     * Cleans and bounds a required identifier.
     *
     * @param value the input
     * @param max   the maximum length
     * @param name  the parameter name for the exception message
     * @return the cleaned identifier, never empty
     * @throws NullPointerException     naming {@code name} when {@code value} is {@code null}
     * @throws IllegalArgumentException naming {@code name} when nothing is left after cleaning
     */
    public static String requireId(String value, int max, String name) {
        String cleaned = require(value, max, name);
        if (cleaned.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return cleaned;
    }

    private static boolean isAlreadyClean(String value) {
        int length = value.length();
        if (length > 0 && (value.charAt(0) == ' ' || value.charAt(length - 1) == ' ')) {
            return false;
        }
        char previous = 'x';
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                    || Character.isSurrogate(c) || (c == ' ' && previous == ' ')) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    private static boolean isLineBreakOrBlank(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\u000b' || c == '\f'
                || c == '\u2028' || c == '\u2029' || c == '\u0085';
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }

    /** Returns the index after an ANSI escape sequence starting at {@code start} (which holds ESC). */
    private static int skipEscapeSequence(String value, int start, int limit) {
        int i = start + 1;
        if (i < limit && value.charAt(i) == '[') {
            i++;
            // CSI: parameter and intermediate bytes 0x20-0x3F, then one final byte 0x40-0x7E
            while (i < limit) {
                char c = value.charAt(i);
                if (c >= 0x40 && c <= 0x7e) {
                    return i + 1;
                }
                if (c < 0x20 || c > 0x3f) {
                    return i;
                }
                i++;
            }
            return i;
        }
        if (i < limit && value.charAt(i) == ']') {
            // OSC: up to BEL or ESC \
            i++;
            while (i < limit) {
                char c = value.charAt(i);
                if (c == '\u0007') {
                    return i + 1;
                }
                if (c == '\u001b') {
                    return (i + 1 < limit && value.charAt(i + 1) == '\\') ? i + 2 : i;
                }
                i++;
            }
            return i;
        }
        // two-character escape (ESC + one byte)
        return Math.min(limit, i + 1);
    }
}
