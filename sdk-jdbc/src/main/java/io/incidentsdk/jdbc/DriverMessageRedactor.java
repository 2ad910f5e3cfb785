package io.incidentsdk.jdbc;

import java.util.Locale;
import java.util.Set;

/**
 * Removes data values from a JDBC driver's exception message so that it can go into an incident record,
 * a log line or a metric without leaking what the application stored.
 *
 * <p>Driver messages quote the data that caused the error: PostgreSQL's
 * {@code Key (email)=(jane@example.com) already exists.}, MariaDB's
 * {@code Duplicate entry 'jane@example.com' for key 'email'}, and H2 appends the whole SQL statement with
 * its literals. {@link #redact(String)} keeps the words that explain the failure and the identifiers and
 * ids the SDK parses (constraint, table and column names; PostgreSQL backend PIDs and transaction ids;
 * MariaDB's {@code (conn=N)}; H2's {@code [40001-252]}), and replaces values:
 * <ul>
 *   <li>single-quoted text becomes {@code '?'}, except a plain identifier right after {@code key},
 *       {@code table}, {@code column}, {@code index}, {@code constraint}, {@code object} and similar words
 *       ({@code for key 'email'} stays);</li>
 *   <li>double-quoted text becomes {@code "?"} when it is in value position ({@code ...: "abc"}), holds no
 *       letter ({@code "42"}), or follows a word such as {@code statement}, {@code token} or {@code near}
 *       (PostgreSQL's {@code SQL statement "..."}, {@code Token "..." is invalid},
 *       {@code at or near "..."}); double-quoted identifiers ({@code relation "t"}) stay;</li>
 *   <li>the values of PostgreSQL's {@code Key (...)=(...)}, {@code Failing row contains (...)} and
 *       {@code ... = (...)}, SQL Server's {@code duplicate key value is (...)}, Oracle's
 *       {@code column values (...)} and any {@code VALUES (...)} list become {@code ?};</li>
 *   <li>MySQL/MariaDB {@code Duplicate entry '...' for key} and {@code near '...' at line} become
 *       {@code '?'} even when the value contains quotes; H2's {@code key <...>} becomes {@code key <?>};</li>
 *   <li>SQL statements are dropped: H2's {@code SQL statement: ...} (its {@code [code-build]} suffix is
 *       kept), pgjdbc's {@code Batch entry N <sql> was aborted}, MariaDB/MySQL's {@code Query is: ...};</li>
 *   <li>runs of line breaks, control and format characters and white space become one space;</li>
 *   <li>the result is at most {@value #MAX_LENGTH} characters long (a longer one ends with
 *       {@code ...}).</li>
 * </ul>
 * Redaction is best effort against the message formats above; it errs on the side of removing text.
 * It runs in time linear in the message length and never throws.
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

    /** Input beyond this many chars cannot make it into the bounded output and is not examined. */
    private static final int MAX_INPUT = 16 * 1024;

    private static final String ELLIPSIS = "...";

    /** Returned if redaction fails unexpectedly: never the original text. */
    private static final String WITHHELD = "(message withheld)";

    /** Words after which a single-quoted plain identifier is kept. */
    private static final Set<String> IDENTIFIER_WORDS = Set.of("key", "table", "column", "index", "constraint",
            "object", "database", "schema", "relation", "view", "sequence", "trigger", "procedure", "function");

    /**
     * Words after which double-quoted text is a value or SQL text, not an identifier: PostgreSQL's
     * {@code SQL statement "..."}, {@code Token "..." is invalid}, {@code at or near "..."}.
     */
    private static final Set<String> VALUE_WORDS = Set.of("statement", "token", "near", "value", "literal",
            "string", "input");

    /** Texts that end PostgreSQL's {@code Key (...)=(...)} value list. */
    private static final String[] KEY_VALUE_ENDINGS = {
        ") already exists", ") is not present", ") is still referenced", ") conflicts with", ") is duplicated"
    };

    private DriverMessageRedactor() {
    }

    /**
     * Redacts a driver message; see the class documentation for what is removed and what is kept.
     *
     * @param driverMessage the message, e.g. {@code SQLException.getMessage()}; may be {@code null}
     * @return the redacted message, at most {@value #MAX_LENGTH} chars, with no line breaks or control
     *     characters; {@code null} for {@code null}
     * @since 0.1.0
     */
    public static String redact(String driverMessage) {
        if (driverMessage == null) {
            return null;
        }
        try {
            String message = dropH2Statement(driverMessage);
            if (message.length() > MAX_INPUT) {
                message = message.substring(0, safeCut(message, MAX_INPUT));
            }
            return bound(new Scanner(message).run());
        } catch (RuntimeException e) {
            return WITHHELD;
        }
    }

    /** Drops H2's {@code ; SQL statement:\n<sql>} but keeps its {@code [errorCode-build]} suffix. */
    private static String dropH2Statement(String message) {
        int at = message.indexOf("SQL statement:");
        if (at < 0) {
            return message;
        }
        int prefixEnd = at;
        while (prefixEnd > 0 && (message.charAt(prefixEnd - 1) == ';' || Character.isWhitespace(message.charAt(
                prefixEnd - 1)))) {
            prefixEnd--;
        }
        int suffix = h2SuffixStart(message);
        String head = message.substring(0, prefixEnd);
        return suffix > at ? head + " " + message.substring(suffix).trim() : head;
    }

    /** The index of a trailing {@code [digits-digits]}, or -1. */
    private static int h2SuffixStart(String message) {
        int end = message.length();
        while (end > 0 && Character.isWhitespace(message.charAt(end - 1))) {
            end--;
        }
        if (end == 0 || message.charAt(end - 1) != ']') {
            return -1;
        }
        int i = end - 2;
        int digitsAfterDash = 0;
        while (i >= 0 && isAsciiDigit(message.charAt(i))) {
            i--;
            digitsAfterDash++;
        }
        if (digitsAfterDash == 0 || i < 0 || message.charAt(i) != '-') {
            return -1;
        }
        i--;
        int digitsBeforeDash = 0;
        while (i >= 0 && isAsciiDigit(message.charAt(i))) {
            i--;
            digitsBeforeDash++;
        }
        return digitsBeforeDash > 0 && i >= 0 && message.charAt(i) == '[' ? i : -1;
    }

    private static String bound(String text) {
        if (text.length() <= MAX_LENGTH) {
            return text;
        }
        return text.substring(0, safeCut(text, MAX_LENGTH - ELLIPSIS.length())) + ELLIPSIS;
    }

    /** {@code end}, moved back by one if it would split a surrogate pair. */
    private static int safeCut(String text, int end) {
        return end > 0 && Character.isHighSurrogate(text.charAt(end - 1)) ? end - 1 : end;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** One left-to-right pass over a message; every lookahead is consumed or remembered, so it is linear. */
    private static final class Scanner {

        private final String s;
        private final int n;
        private final StringBuilder out;
        /** For each index, the index of the next line break that starts a new section, or {@code n}. */
        private final int[] sectionEnd;
        /** For each index, the last index at or before it holding {@code ')'}, or -1. */
        private final int[] lastClose;
        /** Index up to which a kept double-quoted identifier runs (its closing quote), or -1. */
        private int keptQuoteClose = -1;
        /** Searches that failed once need not be repeated before these indexes. */
        private int noForKeyBefore = -1;
        private int noAtLineBefore = -1;
        private int noWasAbortedBefore = -1;

        Scanner(String s) {
            this.s = s;
            this.n = s.length();
            this.out = new StringBuilder(Math.min(n, MAX_LENGTH + 64));
            this.sectionEnd = new int[n + 1];
            this.lastClose = new int[n + 1];
            int next = n;
            sectionEnd[n] = n;
            for (int i = n - 1; i >= 0; i--) {
                char c = s.charAt(i);
                if ((c == '\n' || c == '\r') && startsSection(i + 1)) {
                    next = i;
                }
                sectionEnd[i] = next;
            }
            int last = -1;
            for (int i = 0; i < n; i++) {
                if (s.charAt(i) == ')') {
                    last = i;
                }
                lastClose[i] = last;
            }
            lastClose[n] = last;
        }

        String run() {
            int i = 0;
            while (i < n && out.length() <= MAX_LENGTH) {
                i = step(i);
            }
            int end = out.length();
            while (end > 0 && out.charAt(end - 1) == ' ') {
                end--;
            }
            out.setLength(end);
            return out.toString();
        }

        /** Handles the text at {@code i}; returns the index to continue at (always greater than {@code i}). */
        private int step(int i) {
            char c = s.charAt(i);
            if (keptQuoteClose >= 0 && i >= keptQuoteClose) {
                boolean closing = i == keptQuoteClose;
                keptQuoteClose = -1;
                if (closing) {
                    out.append(c);
                    return i + 1;
                }
            }
            int next = trigger(i, c);
            if (next > i) {
                return next;
            }
            if (c == '\'' && opensSingleQuote(i)) {
                return singleQuoted(i);
            }
            if (c == '"' && keptQuoteClose < 0) {
                return doubleQuoted(i);
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
                    || Character.getType(c) == Character.FORMAT) {
                if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
                return i + 1;
            }
            out.append(c);
            return i + 1;
        }

        /** The structured value patterns; returns the index to continue at, or -1 if none applies. */
        private int trigger(int i, char c) {
            switch (c) {
                case ')':
                    if (at(i, ")=(")) {
                        return valueList(i, ")=(", true);
                    }
                    if (at(i, ") = (")) {
                        return valueList(i, ") = (", false);
                    }
                    return -1;
                case 'r':
                    return at(i, "row contains (") ? valueList(i, "row contains (", false) : -1;
                case 'k':
                    if (at(i, "key value is (")) {
                        return valueList(i, "key value is (", false);
                    }
                    return at(i, "key <") && (i == 0 || !isWordChar(s.charAt(i - 1))) ? angleKey(i) : -1;
                case 'c':
                    return at(i, "column values (") ? valueList(i, "column values (", true) : -1;
                case 'V':
                case 'v':
                    return valuesClause(i);
                case 'D':
                    return at(i, "Duplicate entry '") ? duplicateEntry(i) : -1;
                case 'n':
                    return at(i, "near '") && (i == 0 || !isWordChar(s.charAt(i - 1))) ? nearFragment(i) : -1;
                case 'B':
                    return at(i, "Batch entry ") ? batchEntry(i) : -1;
                case 'Q':
                    // MariaDB/MySQL dumpQueriesOnException: the statement and its parameters follow
                    return at(i, "Query is:") ? n : -1;
                default:
                    return -1;
            }
        }

        private boolean at(int i, String text) {
            return s.startsWith(text, i);
        }

        /** {@code <opener>?} then continue at the closing parenthesis of the value list. */
        private int valueList(int i, String opener, boolean knownEndings) {
            int start = i + opener.length();
            out.append(opener).append('?');
            return valueEnd(start, knownEndings);
        }

        /** The index of the parenthesis that closes a value list starting at {@code start}. */
        private int valueEnd(int start, boolean knownEndings) {
            int end = sectionEnd[start];
            int last = end > 0 ? lastClose[end - 1] : -1;
            if (last < start) {
                return end;
            }
            if (knownEndings) {
                // only up to the last ')' of the section, which is where the scan would stop anyway
                for (int k = start; k <= last; k++) {
                    if (s.charAt(k) == ')' && endsKeyValue(k)) {
                        return k;
                    }
                }
            }
            return last;
        }

        private boolean endsKeyValue(int k) {
            for (String ending : KEY_VALUE_ENDINGS) {
                if (s.startsWith(ending, k)) {
                    return true;
                }
            }
            return false;
        }

        /** H2's {@code MVStoreException}: {@code ... entry with key <1> modified by ...}. */
        private int angleKey(int i) {
            int start = i + "key <".length();
            int end = sectionEnd[start];
            int k = start;
            while (k < end && s.charAt(k) != '>') {
                k++;
            }
            out.append("key <?");
            return k;
        }

        /** {@code VALUES (...)}: the list, with nested parentheses and quotes, becomes {@code ?}. */
        private int valuesClause(int i) {
            if (!s.regionMatches(true, i, "values", 0, 6) || (i > 0 && isWordChar(s.charAt(i - 1)))) {
                return -1;
            }
            int open = i + 6;
            if (open < n && s.charAt(open) == ' ') {
                open++;
            }
            if (open >= n || s.charAt(open) != '(') {
                return -1;
            }
            out.append(s, i, open + 1).append('?');
            int end = sectionEnd[open];
            int depth = 1;
            int k = open + 1;
            while (k < end) {
                char c = s.charAt(k);
                if (c == '\'') {
                    k = closingSingleQuote(k, end) + 1;
                    continue;
                }
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    return k;
                }
                k++;
            }
            return Math.min(k, end);
        }

        /** MySQL/MariaDB {@code Duplicate entry '<value>' for key '<name>'}. */
        private int duplicateEntry(int i) {
            int start = i + "Duplicate entry '".length();
            if (start < noForKeyBefore) {
                return -1;
            }
            int close = s.indexOf("' for key ", start);
            if (close < 0) {
                noForKeyBefore = n;
                return -1;
            }
            out.append("Duplicate entry '?'");
            return close + 1;
        }

        /** MySQL/MariaDB syntax errors: {@code near '<sql fragment>' at line N}. */
        private int nearFragment(int i) {
            int start = i + "near '".length();
            if (start < noAtLineBefore) {
                return -1;
            }
            int close = s.indexOf("' at line ", start);
            if (close < 0) {
                noAtLineBefore = n;
                return -1;
            }
            out.append("near '?'");
            return close + 1;
        }

        /** pgjdbc: {@code Batch entry 3 <sql with values> was aborted: ...}: the statement is dropped. */
        private int batchEntry(int i) {
            int k = i + "Batch entry ".length();
            int digits = k;
            while (digits < n && isAsciiDigit(s.charAt(digits))) {
                digits++;
            }
            if (digits == k || k < noWasAbortedBefore) {
                return -1;
            }
            int aborted = s.indexOf(" was aborted", digits);
            if (aborted < 0) {
                noWasAbortedBefore = n;
                return -1;
            }
            out.append(s, i, digits);
            return aborted;
        }

        /**
         * Whether the {@code '} at {@code i} starts a quoted text: not when it is an apostrophe inside a
         * word ({@code doesn't}), but yes after a one-letter prefix such as {@code N'...'} or {@code E'...'}.
         */
        private boolean opensSingleQuote(int i) {
            if (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1))) {
                return true;
            }
            return Character.isLetter(s.charAt(i - 1)) && (i == 1 || !isWordChar(s.charAt(i - 2)));
        }

        /**
         * The index of the quote closing the single-quoted text opened at {@code open} ({@code ''} is an
         * escaped quote), or {@code limit} if there is none before it.
         */
        private int closingSingleQuote(int open, int limit) {
            int k = open + 1;
            while (k < limit) {
                if (s.charAt(k) == '\'') {
                    if (k + 1 < limit && s.charAt(k + 1) == '\'') {
                        k += 2;
                        continue;
                    }
                    return k;
                }
                k++;
            }
            return limit;
        }

        private int singleQuoted(int open) {
            int close = closingSingleQuote(open, n);
            if (close < n && isIdentifier(open + 1, close) && IDENTIFIER_WORDS.contains(wordBefore(open))) {
                out.append(s, open, close + 1);
            } else {
                out.append("'?'");
            }
            return Math.min(close + 1, n);
        }

        private int doubleQuoted(int open) {
            int close = open + 1;
            while (close < n) {
                if (s.charAt(close) == '"') {
                    if (close + 1 < n && s.charAt(close + 1) == '"') {
                        close += 2;
                        continue;
                    }
                    break;
                }
                close++;
            }
            boolean empty = close == open + 1;
            if (!empty && (close >= n || inValuePosition(open) || !hasLetter(open + 1, close)
                    || VALUE_WORDS.contains(wordBefore(open)))) {
                out.append("\"?\"");
                return Math.min(close + 1, n);
            }
            // an identifier: keep it, but still redact what is quoted inside it (H2: "'abc' (T: V INT)")
            out.append('"');
            keptQuoteClose = close;
            return open + 1;
        }

        /**
         * Whether the quote at {@code open} follows {@code word: } where the word is not a severity
         * ({@code ERROR}) or H2's {@code Details}.
         */
        private boolean inValuePosition(int open) {
            if (open < 2 || s.charAt(open - 1) != ' ' || s.charAt(open - 2) != ':') {
                return false;
            }
            int end = open - 2;
            int start = end;
            while (start > 0 && end - start < 32 && Character.isLetter(s.charAt(start - 1))) {
                start--;
            }
            String word = s.substring(start, end);
            return !word.equals("Details") && !word.equals(word.toUpperCase(Locale.ROOT));
        }

        /** The lower-case word before the quote at {@code open} (one space between), or "". */
        private String wordBefore(int open) {
            int end = open;
            if (end > 0 && s.charAt(end - 1) == ' ') {
                end--;
            }
            int start = end;
            while (start > 0 && end - start < 16 && Character.isLetter(s.charAt(start - 1))) {
                start--;
            }
            return s.substring(start, end).toLowerCase(Locale.ROOT);
        }

        private boolean isIdentifier(int from, int to) {
            if (to <= from || to - from > 128) {
                return false;
            }
            for (int k = from; k < to; k++) {
                char c = s.charAt(k);
                if (!(isWordChar(c) || c == '$' || c == '#' || c == '.')) {
                    return false;
                }
            }
            return true;
        }

        private boolean hasLetter(int from, int to) {
            for (int k = from; k < to; k++) {
                if (Character.isLetter(s.charAt(k))) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Whether a line starting at {@code from} opens a new section of a pgjdbc message
         * ({@code   Detail: }, {@code   Hint: }, {@code   Where: }, {@code   Position: }...): up to eight
         * blanks, then a capitalised word or two of at most 24 letters, then a colon.
         */
        private boolean startsSection(int from) {
            int k = from;
            while (k < n && k - from < 8 && (s.charAt(k) == ' ' || s.charAt(k) == '\t')) {
                k++;
            }
            if (k >= n || !Character.isUpperCase(s.charAt(k))) {
                return false;
            }
            int wordStart = k;
            while (k < n && k - wordStart < 24 && (Character.isLetter(s.charAt(k)) || s.charAt(k) == ' ')) {
                k++;
            }
            return k < n && s.charAt(k) == ':';
        }
    }
}
