package io.incidentsdk.jdbc.internal.sql;

import java.util.BitSet;

/**
 * A single-pass, allocation-free SQL lexer over a {@link String}. It understands the quoting rules of
 * the common dialects (standard and E/N/X/B/U&amp; strings, PostgreSQL dollar quotes, Oracle
 * {@code q'[...]'}, MySQL charset introducers, double-quoted and backtick identifiers) and skips
 * whitespace and comments ({@code --}, {@code #}, nested block comments).
 *
 * <p>Every construct ends at the end of the input at the latest: an unterminated quote yields one token
 * that runs to the end, flagged {@linkplain #unterminated() unterminated}. Each character is looked at a
 * bounded number of times, so lexing is linear in the input length.
 *
 * <p>The lexer can be {@linkplain #reset(int) reset} to a position it returned earlier, which the
 * redactor uses for a bounded look-ahead.
 */
final class SqlLexer {

    static final int EOF = 0;
    /** An unquoted word: keyword, identifier or function name. */
    static final int WORD = 1;
    /** A {@code "..."} token (or {@code U&"..."}): an identifier in standard SQL, a string in MySQL. */
    static final int QUOTED_IDENT = 2;
    /** A MySQL {@code `...`} identifier. */
    static final int BACKTICK_IDENT = 3;
    /** A quoted string of any kind, including dollar quotes and their prefixes. */
    static final int STRING = 4;
    /** A numeric literal: decimal, exponent, hexadecimal or binary. */
    static final int NUMBER = 5;
    /** {@code ?}, {@code $1} or {@code :name}. */
    static final int PLACEHOLDER = 6;
    /** Any other single character (or surrogate pair). */
    static final int PUNCT = 7;

    /** PostgreSQL limits identifiers, and so dollar-quote tags, to 63 bytes. */
    private static final int MAX_DOLLAR_TAG = 63;

    private final String sql;
    private final int length;
    private final boolean backslashEscapes;
    private final BitSet commentMarks;

    private int pos;
    private int start;
    private int end;
    private boolean spaceBefore;
    private boolean unterminated;
    private boolean backslashInPlainQuotes;

    /**
     * @param sql the statement
     * @param backslashEscapes whether a backslash escapes the next character in every quoted string
     *     (MySQL's default); when false only {@code E'...'} strings use backslash escapes (standard SQL)
     * @param commentMarks when not null, the character ranges of comments are set in it
     */
    SqlLexer(String sql, boolean backslashEscapes, BitSet commentMarks) {
        this.sql = sql;
        this.length = sql.length();
        this.backslashEscapes = backslashEscapes;
        this.commentMarks = commentMarks;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    /** Whether whitespace or a comment separated the current token from the previous one. */
    boolean spaceBefore() {
        return spaceBefore;
    }

    /** Whether the current token is a quoted construct that the input ended inside. */
    boolean unterminated() {
        return unterminated;
    }

    /**
     * Whether a backslash appeared inside a quoted string or a {@code "..."} token whose meaning depends
     * on the dialect (not an {@code E'...'} string, which always uses backslash escapes).
     */
    boolean backslashInPlainQuotes() {
        return backslashInPlainQuotes;
    }

    /** Where the next token's search starts; valid as an argument to {@link #reset(int)}. */
    int position() {
        return pos;
    }

    /** Continues lexing from a position obtained from {@link #position()}. */
    void reset(int position) {
        pos = position;
    }

    /** Reads the next token and returns its kind; {@link #EOF} at the end of the input. */
    int next() {
        spaceBefore = skipWhitespaceAndComments();
        unterminated = false;
        start = pos;
        if (pos >= length) {
            end = length;
            return EOF;
        }
        char c = sql.charAt(pos);
        switch (c) {
            case '\'':
                scanQuoted(pos, '\'', backslashEscapes, true);
                return STRING;
            case '"':
                scanQuoted(pos, '"', backslashEscapes, true);
                return QUOTED_IDENT;
            case '`':
                scanQuoted(pos, '`', false, false);
                return BACKTICK_IDENT;
            case '$':
                return scanDollar();
            case '?':
                return single(PLACEHOLDER);
            case ':':
                if (pos + 1 < length && isWordStart(sql.codePointAt(pos + 1))
                        && (pos == 0 || sql.charAt(pos - 1) != ':')) {
                    pos = skipWordChars(pos + 1);
                    end = pos;
                    return PLACEHOLDER;
                }
                return single(PUNCT);
            case '.':
                if (pos + 1 < length && isAsciiDigit(sql.charAt(pos + 1))) {
                    return scanNumber();
                }
                return single(PUNCT);
            default:
                break;
        }
        if (isAsciiDigit(c)) {
            return scanNumber();
        }
        int codePoint = sql.codePointAt(pos);
        if (isWordStart(codePoint)) {
            return scanWord();
        }
        if (codePoint > 0x7F && Character.isDigit(codePoint)) {
            return scanNumber();
        }
        pos += Character.charCount(codePoint);
        end = pos;
        return PUNCT;
    }

    private int single(int kind) {
        pos++;
        end = pos;
        return kind;
    }

    private boolean skipWhitespaceAndComments() {
        boolean skipped = false;
        while (pos < length) {
            char c = sql.charAt(pos);
            if (isTrivia(c, pos)) {
                pos++;
                skipped = true;
            } else if (c == '-' && pos + 1 < length && sql.charAt(pos + 1) == '-') {
                skipLineComment();
                skipped = true;
            } else if (c == '#' && !(pos + 1 < length && isPostgresHashOperator(sql.charAt(pos + 1)))) {
                skipLineComment();
                skipped = true;
            } else if (c == '/' && pos + 1 < length && sql.charAt(pos + 1) == '*') {
                skipBlockComment();
                skipped = true;
            } else {
                break;
            }
        }
        return skipped;
    }

    // PostgreSQL uses '#' in operators (#>, #>>, #-); MySQL uses it to start a comment.
    private static boolean isPostgresHashOperator(char next) {
        return next == '>' || next == '-';
    }

    private void skipLineComment() {
        int from = pos;
        int p = pos;
        while (p < length) {
            char c = sql.charAt(p);
            if (c == '\n' || c == '\r') {
                break;
            }
            p++;
        }
        markComment(from, p);
        pos = p;
    }

    // Block comments nest as in PostgreSQL and the SQL standard; MySQL does not nest them, which only
    // makes us drop more text, never show more.
    private void skipBlockComment() {
        int from = pos;
        int depth = 1;
        int p = pos + 2;
        while (p < length && depth > 0) {
            char c = sql.charAt(p);
            if (c == '*' && p + 1 < length && sql.charAt(p + 1) == '/') {
                depth--;
                p += 2;
            } else if (c == '/' && p + 1 < length && sql.charAt(p + 1) == '*') {
                depth++;
                p += 2;
            } else {
                p++;
            }
        }
        markComment(from, p);
        pos = p;
    }

    private void markComment(int from, int to) {
        if (commentMarks != null && to > from) {
            commentMarks.set(from, to);
        }
    }

    /**
     * Scans a quoted construct whose opening quote is at {@code quoteAt}; the token starts at
     * {@link #start}. A doubled quote is an escaped quote; with {@code backslash} a backslash escapes
     * the next character.
     */
    private void scanQuoted(int quoteAt, char quote, boolean backslash, boolean dialectDependent) {
        int p = quoteAt + 1;
        while (p < length) {
            char c = sql.charAt(p);
            if (c == '\\') {
                if (dialectDependent) {
                    backslashInPlainQuotes = true;
                }
                if (backslash) {
                    p += 2;
                    continue;
                }
            } else if (c == quote) {
                if (p + 1 < length && sql.charAt(p + 1) == quote) {
                    p += 2;
                    continue;
                }
                pos = p + 1;
                end = pos;
                return;
            }
            p++;
        }
        toEndUnterminated();
    }

    private void toEndUnterminated() {
        pos = length;
        end = length;
        unterminated = true;
    }

    private int scanNumber() {
        int p = pos;
        while (p < length) {
            char c = sql.charAt(p);
            if (c == '.') {
                p++;
            } else if ((c == '+' || c == '-') && p > pos && isExponentMark(sql.charAt(p - 1))
                    && p + 1 < length && isAsciiDigit(sql.charAt(p + 1))) {
                p++;
            } else {
                int codePoint = sql.codePointAt(p);
                if (!isWordPart(codePoint)) {
                    break;
                }
                p += Character.charCount(codePoint);
            }
        }
        pos = p;
        end = p;
        return NUMBER;
    }

    private static boolean isExponentMark(char c) {
        return c == 'e' || c == 'E';
    }

    private int scanDollar() {
        int p = pos + 1;
        if (p < length && isAsciiDigit(sql.charAt(p))) {
            while (p < length && isAsciiDigit(sql.charAt(p))) {
                p++;
            }
            pos = p;
            end = p;
            return PLACEHOLDER;
        }
        if (p < length && sql.charAt(p) != '$') {
            if (!isDollarTagStart(sql.charAt(p))) {
                return single(PUNCT);
            }
            while (p < length && isDollarTagPart(sql.charAt(p))) {
                p++;
            }
            if (p >= length || sql.charAt(p) != '$') {
                return single(PUNCT);
            }
        } else if (p >= length) {
            return single(PUNCT);
        }
        int delimiterLength = p + 1 - pos;
        if (delimiterLength - 2 > MAX_DOLLAR_TAG) {
            // A tag PostgreSQL would not accept: redact everything after it rather than search for it.
            toEndUnterminated();
            return STRING;
        }
        int search = p + 1;
        while (true) {
            int candidate = sql.indexOf('$', search);
            if (candidate < 0 || candidate + delimiterLength > length) {
                toEndUnterminated();
                return STRING;
            }
            if (sql.regionMatches(candidate, sql, pos, delimiterLength)) {
                pos = candidate + delimiterLength;
                end = pos;
                return STRING;
            }
            search = candidate + 1;
        }
    }

    private int scanWord() {
        int wordEnd = skipWordChars(pos);
        if (wordEnd < length) {
            char after = sql.charAt(wordEnd);
            if (after == '\'') {
                int prefixed = scanPrefixedString(wordEnd);
                if (prefixed >= 0) {
                    return prefixed;
                }
            } else if (after == '&' && wordEnd - pos == 1 && (sql.charAt(pos) == 'U' || sql.charAt(pos) == 'u')
                    && wordEnd + 1 < length) {
                char quote = sql.charAt(wordEnd + 1);
                if (quote == '\'') {
                    scanQuoted(wordEnd + 1, '\'', backslashEscapes, true);
                    return STRING;
                }
                if (quote == '"') {
                    scanQuoted(wordEnd + 1, '"', backslashEscapes, true);
                    return QUOTED_IDENT;
                }
            }
        }
        pos = wordEnd;
        end = wordEnd;
        return WORD;
    }

    /**
     * Handles {@code prefix'...'} where the prefix is part of the literal; returns -1 when the word is
     * not such a prefix (e.g. {@code DATE'2024-01-01'}, where only the string is a literal).
     */
    private int scanPrefixedString(int quoteAt) {
        int prefixLength = quoteAt - pos;
        char first = sql.charAt(pos);
        if (prefixLength == 1) {
            switch (first) {
                case 'E', 'e' -> {
                    scanQuoted(quoteAt, '\'', true, false);
                    return STRING;
                }
                case 'N', 'n', 'X', 'x', 'B', 'b' -> {
                    scanQuoted(quoteAt, '\'', backslashEscapes, true);
                    return STRING;
                }
                case 'Q', 'q' -> {
                    return scanOracleQuote(quoteAt);
                }
                default -> {
                    return -1;
                }
            }
        }
        if (prefixLength == 2 && (first == 'N' || first == 'n')
                && (sql.charAt(pos + 1) == 'Q' || sql.charAt(pos + 1) == 'q')) {
            return scanOracleQuote(quoteAt);
        }
        if (first == '_') {
            // MySQL character set introducer: _utf8mb4'...'
            scanQuoted(quoteAt, '\'', backslashEscapes, true);
            return STRING;
        }
        return -1;
    }

    /** Oracle's alternative quoting: {@code q'[...]'}, {@code q'{...}'}, {@code q'!...!'} ... */
    private int scanOracleQuote(int quoteAt) {
        int delimiterAt = quoteAt + 1;
        if (delimiterAt >= length) {
            toEndUnterminated();
            return STRING;
        }
        char open = sql.charAt(delimiterAt);
        if (open == '\'' || isTrivia(open, delimiterAt)) {
            scanQuoted(quoteAt, '\'', backslashEscapes, true);
            return STRING;
        }
        char close = switch (open) {
            case '[' -> ']';
            case '{' -> '}';
            case '(' -> ')';
            case '<' -> '>';
            default -> open;
        };
        int p = delimiterAt + 1;
        while (p + 1 < length) {
            if (sql.charAt(p) == close && sql.charAt(p + 1) == '\'') {
                pos = p + 2;
                end = pos;
                return STRING;
            }
            p++;
        }
        toEndUnterminated();
        return STRING;
    }

    private int skipWordChars(int from) {
        int p = from;
        while (p < length) {
            char c = sql.charAt(p);
            if (c < 0x80) {
                if (isAsciiWordPart(c)) {
                    p++;
                    continue;
                }
                break;
            }
            int codePoint = sql.codePointAt(p);
            if (!isWordPart(codePoint)) {
                break;
            }
            p += Character.charCount(codePoint);
        }
        return p;
    }

    /**
     * Whitespace for our purposes: ASCII blanks and controls, Unicode spaces, line and paragraph
     * separators, other control and format characters, and unpaired surrogates. Treating them as
     * separators keeps them out of the output, which must stay one printable line.
     */
    private boolean isTrivia(char c, int at) {
        if (c <= ' ' || c == 0x7F) {
            return true;
        }
        if (c < 0x80) {
            return false;
        }
        if (Character.isHighSurrogate(c)) {
            return !(at + 1 < length && Character.isLowSurrogate(sql.charAt(at + 1)));
        }
        if (Character.isLowSurrogate(c)) {
            return !(at > 0 && Character.isHighSurrogate(sql.charAt(at - 1)));
        }
        return isUnicodeTrivia(c);
    }

    static boolean isUnicodeTrivia(int codePoint) {
        if (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) {
            return true;
        }
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiWordPart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
    }

    static boolean isWordStart(int codePoint) {
        if (codePoint < 0x80) {
            return (codePoint >= 'a' && codePoint <= 'z') || (codePoint >= 'A' && codePoint <= 'Z') || codePoint == '_';
        }
        return Character.isLetter(codePoint);
    }

    static boolean isWordPart(int codePoint) {
        if (codePoint < 0x80) {
            return isAsciiWordPart((char) codePoint);
        }
        if (Character.isLetterOrDigit(codePoint)) {
            return true;
        }
        int type = Character.getType(codePoint);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    private static boolean isDollarTagStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= 0x80 && Character.isLetter(c));
    }

    private static boolean isDollarTagPart(char c) {
        return isDollarTagStart(c) || isAsciiDigit(c);
    }
}
