package io.incidentsdk.jdbc.internal.sql;

import io.incidentsdk.jdbc.SanitizedSql;
import java.util.Arrays;

/**
 * One pass over a statement: reads the lexer's tokens, decides which are literals, collapses value
 * lists and writes the result to the bounded text, the fingerprint and the summary.
 *
 * <p>Look-ahead is bounded: one token after a sign, and the elements of one candidate list (which are
 * read again at most once if the list turns out not to be collapsible). The pass is therefore linear in
 * the length of the statement.
 */
final class RedactionPass {

    // what the previously written token was, for the "value position" and unary-sign decisions
    private static final int PREV_NONE = 0;
    private static final int PREV_OPERAND = 1;
    private static final int PREV_KEYWORD = 2;
    private static final int PREV_OPERATOR = 3;
    private static final int PREV_OPEN = 4;
    private static final int PREV_COMMA = 5;
    private static final int PREV_DOT = 6;
    private static final int PREV_OTHER = 7;

    // what an open parenthesis encloses
    private static final int GROUP = 0;
    private static final int ARGUMENTS = 1;
    private static final int COLUMN_LIST = 2;
    private static final int IN_LIST = 3;
    private static final int VALUES_ROW = 4;

    // where we are in VALUES (row), (row) ...
    private static final int VALUES_NONE = 0;
    private static final int VALUES_EXPECT_ROW = 1;
    private static final int VALUES_IN_ROW = 2;
    private static final int VALUES_AFTER_ROW = 3;
    private static final int VALUES_AFTER_COLLAPSED_ROW = 4;

    private static final int MAX_TRACKED_DEPTH = 1024;
    private static final int MAX_QUOTED_IDENTIFIER = 63;

    private final String sql;
    private final SqlLexer lexer;
    private final LiteralMask mask;
    private final BoundedText text;
    private final Fingerprint fingerprint = new Fingerprint();
    private final StatementSummarizer summarizer;
    /** Whether {@code "..."} may be a string (MySQL and MariaDB without {@code ANSI_QUOTES}, or not known). */
    private final boolean doubleQuotedStrings;

    private int prev = PREV_NONE;
    private Keyword prevKeyword;
    private boolean prevWasWord;
    private boolean prevBetweenAnd;
    private boolean betweenPending;
    private boolean tableContext;
    private boolean lastWasMasked;

    private int[] parenKinds = new int[16];
    private int depth;

    private int valuesState = VALUES_NONE;
    private int valuesDepth = -1;
    private boolean valuesProtocol;
    private int knownImpureList = -1;
    /** Elements of the list {@link #collapsible(int)} last accepted. */
    private int listElements;
    /** Elements of the last VALUES row written collapsed, or -1. */
    private int collapsedRowElements = -1;

    // credential clauses: the first two words of the statement, and whether the next value is a secret
    private int wordsInStatement;
    private Keyword firstWord;
    private boolean credentialStatement;
    private boolean identifiedSeen;
    private boolean secretNext;

    RedactionPass(String sql, int maxChars, LiteralMask mask, boolean doubleQuotedStrings) {
        this.sql = sql;
        this.lexer = new SqlLexer(sql, false, null);
        this.mask = mask;
        this.doubleQuotedStrings = doubleQuotedStrings;
        this.text = new BoundedText(maxChars, sql.length());
        this.summarizer = new StatementSummarizer(sql);
    }

    void run() {
        for (int kind = lexer.next(); kind != SqlLexer.EOF; kind = lexer.next()) {
            handle(kind, lexer.start(), lexer.end(), lexer.spaceBefore());
        }
    }

    boolean ambiguousBackslashes() {
        return lexer.backslashInPlainQuotes();
    }

    SanitizedSql result() {
        return new SanitizedSql(text.toString(), fingerprint.finish(), summarizer.summary(), text.truncated());
    }

    private void handle(int kind, int start, int end, boolean space) {
        if (secretNext && secret(kind, start, end, space)) {
            return;
        }
        if (masked(start, end)) {
            if (!lastWasMasked) {
                literal(space);
                lastWasMasked = true;
            }
            return;
        }
        switch (kind) {
            case SqlLexer.STRING, SqlLexer.NUMBER -> literal(space);
            case SqlLexer.PLACEHOLDER -> placeholder(start, end, space);
            case SqlLexer.QUOTED_IDENT -> {
                if (lexer.unterminated() || !identifierShaped(start, end)
                        || (doubleQuotedStrings ? !namePosition(end) : !dotted(end) && valuePosition())) {
                    literal(space);
                } else {
                    identifier(start, end, space);
                }
            }
            case SqlLexer.BACKTICK_IDENT -> {
                if (lexer.unterminated() || hasInvisibleCharacters(start + 1, end - 1)) {
                    literal(space);
                } else {
                    identifier(start, end, space);
                }
            }
            case SqlLexer.WORD -> word(start, end, space);
            default -> {
                punctuation(start, end, space);
                if (credentialStatement && end - start == 1 && sql.charAt(start) == '=') {
                    // PASSWORD = x, OLD_PASSWORD = x, SET PASSWORD FOR u = x: what is assigned is a secret
                    secretNext = true;
                }
            }
        }
    }

    // ---- decisions ----------------------------------------------------------------------------

    /**
     * Whether the next token stands where a value is expected: after an operator, after a keyword such
     * as LIKE or THEN, or as an element of a VALUES row, an IN list or function arguments.
     */
    private boolean valuePosition() {
        return switch (prev) {
            case PREV_OPERATOR -> true;
            case PREV_OPEN, PREV_COMMA -> {
                int enclosing = enclosingParen();
                yield enclosing == ARGUMENTS || enclosing == IN_LIST || enclosing == VALUES_ROW;
            }
            case PREV_KEYWORD -> prevKeyword.introducesValue() || prevBetweenAnd;
            default -> false;
        };
    }

    /**
     * Whether a {@code "..."} token can only be a name, even in a dialect where it may be a string:
     * qualified ({@code "t"."id"}, {@code t."id"}), right after a word that introduces a table
     * ({@code FROM}, {@code JOIN}, {@code INTO}, {@code UPDATE}, {@code TABLE}), or in the column list
     * of {@code INSERT INTO t (...)} or {@code CREATE TABLE t (...)}.
     */
    private boolean namePosition(int end) {
        if (dotted(end) || tableContext) {
            return true;
        }
        if (prev == PREV_KEYWORD && prevKeyword != null) {
            switch (prevKeyword) {
                case FROM, JOIN, INTO, UPDATE, TABLE, ONLY -> {
                    return true;
                }
                default -> { }
            }
        }
        return (prev == PREV_OPEN || prev == PREV_COMMA) && enclosingParen() == COLUMN_LIST;
    }

    /**
     * Handles the token after {@code PASSWORD}, {@code IDENTIFIED BY} or {@code IDENTIFIED ... AS} in a
     * credential statement: whatever its quoting (Oracle's {@code IDENTIFIED BY tiger} is a bare word), it
     * is a secret. {@code =} and {@code (} in between are kept ({@code PASSWORD = '...'},
     * {@code PASSWORD('...')}). Returns whether the token was written.
     */
    private boolean secret(int kind, int start, int end, boolean space) {
        switch (kind) {
            case SqlLexer.WORD, SqlLexer.STRING, SqlLexer.NUMBER, SqlLexer.QUOTED_IDENT, SqlLexer.BACKTICK_IDENT -> {
                if (kind == SqlLexer.WORD && is(start, end, "PASSWORD")) {
                    return false; // PASSWORD('...'), IDENTIFIED BY PASSWORD '...': the secret follows
                }
                secretNext = false;
                literal(space);
                return true;
            }
            case SqlLexer.PUNCT -> {
                char c = end - start == 1 ? sql.charAt(start) : '\0';
                if (c == '=' || c == '(') {
                    return false; // written as usual; the secret is still to come
                }
                secretNext = false;
                return false;
            }
            default -> {
                secretNext = false;
                return false;
            }
        }
    }

    /** Notes the words that open a credential clause. */
    private void credentialWords(Keyword keyword, int start, int end) {
        wordsInStatement++;
        if (wordsInStatement == 1) {
            firstWord = keyword;
            credentialStatement = is(start, end, "GRANT");
        } else if (wordsInStatement == 2) {
            boolean createOrAlter = firstWord == Keyword.CREATE || firstWord == Keyword.ALTER;
            credentialStatement = credentialStatement
                    || (createOrAlter && (is(start, end, "USER") || is(start, end, "ROLE")
                        || is(start, end, "LOGIN") || is(start, end, "GROUP")))
                    || (firstWord == Keyword.SET && is(start, end, "PASSWORD"));
        }
        if (is(start, end, "IDENTIFIED")) {
            identifiedSeen = true;
        } else if (credentialStatement && is(start, end, "PASSWORD")) {
            secretNext = true;
        } else if ((keyword == Keyword.BY || keyword == Keyword.AS) && identifiedSeen) {
            secretNext = true;
            identifiedSeen = false;
        }
    }

    /** Whether {@code sql[start, end)} spells {@code upperCaseWord}, ignoring ASCII case. */
    private boolean is(int start, int end, String upperCaseWord) {
        if (end - start != upperCaseWord.length()) {
            return false;
        }
        for (int i = 0; i < upperCaseWord.length(); i++) {
            char c = sql.charAt(start + i);
            if (c >= 'a' && c <= 'z') {
                c = (char) (c - ('a' - 'A'));
            }
            if (c != upperCaseWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean dotted(int end) {
        return prev == PREV_DOT || (end < sql.length() && sql.charAt(end) == '.');
    }

    /** {@code "name"} with 1 to 63 letters, digits, {@code _} or {@code $}, not starting with a digit. */
    private boolean identifierShaped(int start, int end) {
        if (sql.charAt(start) != '"' || end - start < 3 || end - start - 2 > MAX_QUOTED_IDENTIFIER) {
            return false;
        }
        int contentEnd = end - 1;
        int first = sql.codePointAt(start + 1);
        if (!SqlLexer.isWordStart(first)) {
            return false;
        }
        for (int i = start + 1; i < contentEnd; ) {
            int codePoint = sql.codePointAt(i);
            if (!SqlLexer.isWordPart(codePoint)) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }

    private boolean hasInvisibleCharacters(int from, int to) {
        for (int i = from; i < to; ) {
            int codePoint = sql.codePointAt(i);
            if (codePoint < 0x20 || codePoint == 0x7F || (codePoint >= 0x80 && SqlLexer.isUnicodeTrivia(codePoint))) {
                return true;
            }
            i += Character.charCount(codePoint);
        }
        return false;
    }

    private boolean masked(int start, int end) {
        return mask != null && mask.overlaps(start, end);
    }

    // ---- token handlers ---------------------------------------------------------------------------

    private void word(int start, int end, boolean space) {
        Keyword keyword = Keyword.lookup(sql, start, end);
        credentialWords(keyword, start, end);
        if (keyword != null && keyword.bool() && valuePosition()) {
            literal(space);
            return;
        }
        text.append(sql, start, end, space);
        fingerprint.token(sql, start, end, true);
        summarizer.word(start, end, keyword);
        boolean operand = keyword == null || keyword.operand();
        boolean continuesName = keyword == null || keyword == Keyword.NOT || keyword == Keyword.EXISTS
                || keyword == Keyword.ONLY;
        written(operand ? PREV_OPERAND : PREV_KEYWORD, keyword, true, continuesName);
        if (keyword == null) {
            return;
        }
        switch (keyword) {
            case VALUES, VALUE -> {
                valuesState = VALUES_EXPECT_ROW;
                valuesDepth = depth;
            }
            case BETWEEN -> betweenPending = true;
            case AND -> {
                if (betweenPending) {
                    betweenPending = false;
                    prevBetweenAnd = true;
                }
            }
            case INTO, TABLE -> tableContext = true;
            default -> { }
        }
    }

    private void punctuation(int start, int end, boolean space) {
        if (end - start != 1) {
            // a symbol outside the Basic Multilingual Plane
            text.append(sql, start, end, space);
            fingerprint.token(sql, start, end, false);
            summarizer.punctuation('\0');
            written(PREV_OTHER, null, false, false);
            return;
        }
        char c = sql.charAt(start);
        switch (c) {
            case '-', '+' -> {
                if (prev != PREV_OPERAND && signedNumberFollows()) {
                    literal(space);
                } else {
                    symbol(c, space, PREV_OPERATOR);
                }
            }
            case '(' -> openParen(start, space);
            case ')' -> closeParen(space);
            case ',' -> comma(space);
            case '.' -> symbol(c, space, PREV_DOT);
            case ';' -> {
                symbol(c, space, PREV_OTHER);
                betweenPending = false;
                tableContext = false;
                valuesState = VALUES_NONE;
                valuesDepth = -1;
                wordsInStatement = 0;
                firstWord = null;
                credentialStatement = false;
                identifiedSeen = false;
                secretNext = false;
            }
            case ']' -> symbol(c, space, PREV_OPERAND);
            case '=', '<', '>', '!', '*', '/', '%', '|', '&', '^', '~' -> symbol(c, space, PREV_OPERATOR);
            default -> symbol(c, space, PREV_OTHER);
        }
    }

    /** After a sign that is not a binary operator: consumes the number if one follows. */
    private boolean signedNumberFollows() {
        int resume = lexer.position();
        if (lexer.next() == SqlLexer.NUMBER && !masked(lexer.start(), lexer.end())) {
            return true;
        }
        lexer.reset(resume);
        return false;
    }

    private void openParen(int start, boolean space) {
        int kind;
        if (prev == PREV_KEYWORD && prevKeyword == Keyword.IN) {
            if (collapsible(start)) {
                writeCollapsedList(space, false);
                return;
            }
            kind = IN_LIST;
        } else if (valuesState == VALUES_EXPECT_ROW && depth == valuesDepth) {
            if (collapsible(start)) {
                collapsedRowElements = listElements;
                writeCollapsedList(space, true);
                valuesState = VALUES_AFTER_COLLAPSED_ROW;
                return;
            }
            valuesProtocol = true;
            valuesState = VALUES_IN_ROW;
            kind = VALUES_ROW;
        } else if (tableContext || (prev == PREV_KEYWORD && prevKeyword == Keyword.KEY)) {
            kind = COLUMN_LIST;
        } else if (prevWasWord && (prevKeyword == null || prevKeyword.opensArguments())) {
            kind = ARGUMENTS;
        } else {
            kind = GROUP;
        }
        symbol('(', space, PREV_OPEN);
        push(kind);
    }

    private void closeParen(boolean space) {
        int kind = pop();
        boolean rowClosed = kind == VALUES_ROW && valuesState == VALUES_IN_ROW && depth == valuesDepth;
        valuesProtocol = rowClosed;
        symbol(')', space, PREV_OPERAND);
        if (rowClosed) {
            valuesState = VALUES_AFTER_ROW;
        }
    }

    private void comma(boolean space) {
        boolean betweenRows = depth == valuesDepth
                && (valuesState == VALUES_AFTER_ROW || valuesState == VALUES_AFTER_COLLAPSED_ROW);
        if (!betweenRows) {
            symbol(',', space, PREV_COMMA);
            return;
        }
        if (valuesState == VALUES_AFTER_COLLAPSED_ROW) {
            int resume = lexer.position();
            if (lexer.next() == SqlLexer.PUNCT && isSingle('(') && collapsible(lexer.start())
                    && listElements == collapsedRowElements) {
                // a row like the one already written as (?, ...): leave it out, with its comma
                return;
            }
            lexer.reset(resume);
        }
        valuesProtocol = true;
        symbol(',', space, PREV_COMMA);
        valuesState = VALUES_EXPECT_ROW;
    }

    private boolean isSingle(char c) {
        return lexer.end() - lexer.start() == 1 && sql.charAt(lexer.start()) == c
                && !masked(lexer.start(), lexer.end());
    }

    /**
     * With the lexer just after the {@code (} at {@code openAt}: whether the list holds only literals,
     * placeholders, NULL, DEFAULT and booleans. If so the lexer is left after the {@code )}; if not it is
     * put back after the {@code (}, and the list is remembered so it is not examined twice.
     */
    private boolean collapsible(int openAt) {
        if (openAt == knownImpureList) {
            return false;
        }
        int resume = lexer.position();
        int elements = 0;
        while (isListValue(lexer.next())) {
            elements++;
            if (lexer.next() != SqlLexer.PUNCT) {
                break;
            }
            if (isSingle(')')) {
                listElements = elements;
                return true;
            }
            if (!isSingle(',')) {
                break;
            }
        }
        lexer.reset(resume);
        knownImpureList = openAt;
        return false;
    }

    private boolean isListValue(int kind) {
        int start = lexer.start();
        int end = lexer.end();
        if (kind == SqlLexer.EOF || masked(start, end)) {
            return false;
        }
        switch (kind) {
            case SqlLexer.STRING, SqlLexer.NUMBER, SqlLexer.PLACEHOLDER:
                return true;
            case SqlLexer.QUOTED_IDENT:
                return !(end < sql.length() && sql.charAt(end) == '.');
            case SqlLexer.WORD: {
                Keyword keyword = Keyword.lookup(sql, start, end);
                return keyword == Keyword.NULL || keyword == Keyword.DEFAULT
                        || (keyword != null && keyword.bool());
            }
            case SqlLexer.PUNCT: {
                char c = sql.charAt(start);
                return end - start == 1 && (c == '-' || c == '+')
                        && lexer.next() == SqlLexer.NUMBER && !masked(lexer.start(), lexer.end());
            }
            default:
                return false;
        }
    }

    // ---- writing ----------------------------------------------------------------------------------

    private void writeCollapsedList(boolean space, boolean valuesRow) {
        valuesProtocol = valuesRow;
        text.append('(', space);
        fingerprint.token('(');
        summarizer.punctuation('(');
        written(PREV_OPEN, null, false, false);

        // a VALUES row keeps its shape (one ? per column); an IN list becomes (?) whatever its length
        int elements = valuesRow ? Math.max(1, listElements) : 1;
        for (int i = 0; i < elements; i++) {
            if (i > 0) {
                valuesProtocol = valuesRow;
                text.append(',', false);
                fingerprint.token(',');
                summarizer.punctuation(',');
                written(PREV_COMMA, null, false, false);
            }
            valuesProtocol = valuesRow;
            text.append('?', i > 0);
            fingerprint.token('?');
            summarizer.value();
            written(PREV_OPERAND, null, false, false);
        }

        valuesProtocol = valuesRow;
        text.append(')', false);
        fingerprint.token(')');
        summarizer.punctuation(')');
        written(PREV_OPERAND, null, false, false);
    }

    private void literal(boolean space) {
        text.append('?', space);
        fingerprint.token('?');
        summarizer.value();
        written(PREV_OPERAND, null, false, false);
    }

    private void placeholder(int start, int end, boolean space) {
        text.append(sql, start, end, space);
        fingerprint.token(sql, start, end, false);
        summarizer.value();
        written(PREV_OPERAND, null, false, false);
    }

    private void identifier(int start, int end, boolean space) {
        text.append(sql, start, end, space);
        fingerprint.token(sql, start, end, false);
        summarizer.identifier(start, end);
        written(PREV_OPERAND, null, false, true);
    }

    private void symbol(char c, boolean space, int kind) {
        text.append(c, space);
        fingerprint.token(c);
        summarizer.punctuation(c);
        written(kind, null, false, c == '.');
    }

    /** Bookkeeping after every written token. */
    private void written(int kind, Keyword keyword, boolean word, boolean continuesName) {
        if (!valuesProtocol && valuesState != VALUES_NONE && depth <= valuesDepth) {
            valuesState = VALUES_NONE;
            valuesDepth = -1;
        }
        valuesProtocol = false;
        tableContext = tableContext && continuesName;
        prev = kind;
        prevKeyword = keyword;
        prevWasWord = word;
        prevBetweenAnd = false;
        lastWasMasked = false;
    }

    // ---- parentheses ------------------------------------------------------------------------------

    private int enclosingParen() {
        if (depth == 0 || depth > MAX_TRACKED_DEPTH) {
            return GROUP;
        }
        return parenKinds[depth - 1];
    }

    private void push(int kind) {
        if (depth < MAX_TRACKED_DEPTH) {
            if (depth == parenKinds.length) {
                parenKinds = Arrays.copyOf(parenKinds, parenKinds.length * 2);
            }
            parenKinds[depth] = kind;
        }
        depth++;
    }

    private int pop() {
        if (depth == 0) {
            return GROUP;
        }
        depth--;
        return depth < MAX_TRACKED_DEPTH ? parenKinds[depth] : GROUP;
    }
}
