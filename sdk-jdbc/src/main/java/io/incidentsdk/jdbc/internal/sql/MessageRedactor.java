package io.incidentsdk.jdbc.internal.sql;

import io.incidentsdk.internal.Text;
import io.incidentsdk.jdbc.DatabaseVendor;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Reduces a driver message to what is known to be safe, structurally and per vendor. See
 * {@link io.incidentsdk.jdbc.DriverMessageRedactor} for the rules; this class holds the parser.
 *
 * <p>The message is first cut into its vendor's parts: H2's echoed {@code SQL statement:} is dropped and its
 * {@code [code-build]} suffix kept; pgjdbc's sections ({@code Detail:}, {@code Hint:}, {@code Where:} ...)
 * are redacted one by one and context sections ({@code Where:}, {@code Internal Query:}) lose their content;
 * MariaDB/MySQL's {@code Query is:} dump is dropped and its {@code (conn=N)} prefix kept; pgjdbc's
 * {@code Batch entry N <sql> was aborted} loses the statement. Each remaining part is then read as a template:
 * words are kept only when they are message words ({@link MessageVocabulary}) or identifiers of the
 * statement's sanitized SQL; quoted text is kept only when it is a (qualified) name made of such identifiers;
 * a parenthesised group is kept only when nothing inside it had to be replaced; numbers are kept only after a
 * word that says what they count (line, row, position, process, transaction...). Everything else is
 * {@code ?}.
 */
public final class MessageRedactor {

    /** Input beyond this many chars cannot make it into the bounded output and is not examined. */
    private static final int MAX_INPUT = 16 * 1024;
    private static final int MAX_NESTING = 8;

    private final String s;
    private final DatabaseVendor vendor;
    private final Set<String> identifiers;
    private final StringBuilder out;
    private boolean pendingSpace;
    /** Replacements made in the current parenthesised group. */
    private int replaced;

    private MessageRedactor(String s, DatabaseVendor vendor, Set<String> identifiers, int capacity) {
        this.s = s;
        this.vendor = vendor;
        this.identifiers = identifiers;
        this.out = new StringBuilder(capacity);
    }

    /**
     * Redacts one message.
     *
     * @param message the driver message, not null
     * @param vendor the database, {@link DatabaseVendor#UNKNOWN} if not known
     * @param sanitizedSql the statement's sanitized SQL, or null: its identifiers may be echoed
     * @param maxLength the bound of the result (the caller cuts it)
     * @return the redacted text, one line, not yet bounded
     */
    public static String redact(String message, DatabaseVendor vendor, String sanitizedSql, int maxLength) {
        String m = dropBatchStatement(Text.withoutEscapeSequences(message));
        if (m.length() > MAX_INPUT) {
            int cut = MAX_INPUT;
            if (Character.isHighSurrogate(m.charAt(cut - 1))) {
                cut--;
            }
            m = m.substring(0, cut);
        }
        MessageRedactor redactor = new MessageRedactor(m, vendor == null ? DatabaseVendor.UNKNOWN : vendor,
                identifiersOf(sanitizedSql), Math.min(m.length(), maxLength + 64));
        redactor.run();
        return redactor.out.toString().trim();
    }

    /** pgjdbc's {@code Batch entry N <statement> was aborted}: the statement goes. */
    static String dropBatchStatement(String m) {
        int at = m.indexOf("Batch entry ");
        if (at < 0) {
            return m;
        }
        int k = at + "Batch entry ".length();
        while (k < m.length() && isAsciiDigit(m.charAt(k))) {
            k++;
        }
        int aborted = m.indexOf(" was aborted", k);
        if (k == at + "Batch entry ".length() || aborted < 0) {
            return m;
        }
        return m.substring(0, k) + m.substring(aborted);
    }

    /** The identifiers (unquoted words, quoted names) of a sanitized statement, lower-cased. */
    static Set<String> identifiersOf(String sanitizedSql) {
        if (sanitizedSql == null || sanitizedSql.isEmpty()) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        SqlLexer lexer = new SqlLexer(sanitizedSql, false, null);
        for (int kind = lexer.next(); kind != SqlLexer.EOF; kind = lexer.next()) {
            int start = lexer.start();
            int end = lexer.end();
            if (kind == SqlLexer.WORD) {
                names.add(sanitizedSql.substring(start, end).toLowerCase(Locale.ROOT));
            } else if ((kind == SqlLexer.QUOTED_IDENT || kind == SqlLexer.BACKTICK_IDENT) && !lexer.unterminated()
                    && end - start > 2) {
                int open = sanitizedSql.indexOf(sanitizedSql.charAt(end - 1), start);
                names.add(sanitizedSql.substring(open + 1, end - 1).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    // ---------------------------------------------------------------- structure

    private void run() {
        int n = s.length();
        int end = n;
        String suffix = null;
        boolean h2 = vendor == DatabaseVendor.H2 || vendor == DatabaseVendor.UNKNOWN;
        if (h2) {
            int suffixAt = h2SuffixStart(end);
            if (suffixAt >= 0) {
                suffix = s.substring(suffixAt).trim();
                end = suffixAt;
            }
            int statement = s.indexOf("SQL statement:");
            if (statement >= 0 && statement < end) {
                end = statement;
                while (end > 0 && (s.charAt(end - 1) == ';' || Character.isWhitespace(s.charAt(end - 1)))) {
                    end--;
                }
            }
        }
        boolean mysql = vendor == DatabaseVendor.MYSQL || vendor == DatabaseVendor.MARIADB
                || vendor == DatabaseVendor.UNKNOWN;
        int from = 0;
        if (mysql) {
            int query = s.indexOf("Query is:");
            if (query >= 0 && query < end) {
                end = query;
            }
            from = connPrefix();
        }
        sections(from, end);
        if (suffix != null) {
            pendingSpace = out.length() > 0;
            space();
            out.append(suffix);
        }
    }

    /** Keeps MariaDB's {@code (conn=N)} prefix; returns where the message goes on. */
    private int connPrefix() {
        if (!s.startsWith("(conn=")) {
            return 0;
        }
        int k = 6;
        while (k < s.length() && k < 20 && isAsciiDigit(s.charAt(k))) {
            k++;
        }
        if (k > 6 && k < s.length() && s.charAt(k) == ')') {
            out.append(s, 0, k + 1);
            pendingSpace = true;
            return k + 1;
        }
        return 0;
    }

    /** H2's trailing {@code [errorCode-build]}: its index, or -1. */
    private int h2SuffixStart(int end) {
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        if (end == 0 || s.charAt(end - 1) != ']') {
            return -1;
        }
        int i = end - 2;
        int after = 0;
        while (i >= 0 && isAsciiDigit(s.charAt(i))) {
            i--;
            after++;
        }
        if (after == 0 || i < 0 || s.charAt(i) != '-') {
            return -1;
        }
        i--;
        int before = 0;
        while (i >= 0 && (isAsciiDigit(s.charAt(i)) || (s.charAt(i) >= 'A' && s.charAt(i) <= 'Z'))) {
            i--;
            before++;
        }
        return before > 0 && before <= 5 && i >= 0 && s.charAt(i) == '[' ? i : -1;
    }

    /**
     * Splits {@code [from, to)} into sections at line breaks that start {@code Word:} (pgjdbc's
     * {@code   Detail: }, {@code   Where: } ...) and redacts each; a context section loses its content.
     */
    private void sections(int from, int to) {
        int start = from;
        boolean context = false;
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                int header = sectionHeader(i + 1, to);
                if (header >= 0) {
                    section(start, i, context);
                    String name = s.substring(skipBlanks(i + 1, to), header).trim();
                    pendingSpace = out.length() > 0;
                    space();
                    out.append(name).append(':');
                    pendingSpace = true;
                    context = isContext(name);
                    start = header + 1;
                    i = start;
                    continue;
                }
            }
            i++;
        }
        section(start, to, context);
    }

    private static boolean isContext(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.equals("where") || lower.equals("context") || lower.contains("query") || lower.contains("statement")
                || lower.equals("location") || lower.equals("routine") || lower.equals("file");
    }

    private void section(int from, int to, boolean context) {
        if (from >= to) {
            return;
        }
        if (context) {
            pendingSpace = true;
            space();
            out.append('?');
            return;
        }
        template(from, to, 0);
    }

    /** Whether the line at {@code from} starts with up to 8 blanks, one to three words and a colon. */
    private int sectionHeader(int from, int to) {
        int k = skipBlanks(from, to);
        if (k - from > 8 || k >= to || !Character.isUpperCase(s.charAt(k))) {
            return -1;
        }
        int wordStart = k;
        while (k < to && k - wordStart < 24 && (isAsciiLetter(s.charAt(k)) || s.charAt(k) == ' ')) {
            k++;
        }
        return k < to && s.charAt(k) == ':' ? k : -1;
    }

    private int skipBlanks(int from, int to) {
        int k = from;
        while (k < to && (s.charAt(k) == ' ' || s.charAt(k) == '\t')) {
            k++;
        }
        return k;
    }

    // ---------------------------------------------------------------- template

    /** Redacts {@code [from, to)} as message text. */
    private void template(int from, int to, int nesting) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
                    || Character.getType(c) == Character.FORMAT || Character.isSurrogate(c) && !isWordStart(i)) {
                pendingSpace = out.length() > 0;
                i++;
            } else if (c == '"' || c == '`' || (c == '\'' && opensQuote(i))) {
                i = quoted(i, to);
            } else if (c == '(' && nesting < MAX_NESTING) {
                i = parenthesised(i, to, nesting);
            } else if (isWordStart(i)) {
                i = word(i, to);
            } else {
                emit(c);
                i++;
            }
        }
    }

    /** A quote opens quoted text unless it is an apostrophe inside a word ({@code doesn't}). */
    private boolean opensQuote(int i) {
        return i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1));
    }

    /** Quoted text at {@code open}: kept only if it is a name of the statement; returns where to go on. */
    private int quoted(int open, int to) {
        char q = s.charAt(open);
        int close = -1;
        if (afterColon(open)) {
            // "...: \"value\"" ending a message part: the value runs to the last quote of the part
            int last = s.lastIndexOf(q, to - 1);
            if (last > open && onlyPunctuationAfter(last + 1, to)) {
                close = last;
            }
        }
        if (close < 0) {
            int k = open + 1;
            while (k < to) {
                if (s.charAt(k) == q) {
                    if (k + 1 < to && s.charAt(k + 1) == q) {
                        if (continues(k + 2, to)) {
                            close = k + 1; // MySQL: near '... = 'x'' at line 1
                            break;
                        }
                        k += 2;
                        continue;
                    }
                    if (continues(k + 1, to)) {
                        close = k;
                        break;
                    }
                }
                k++;
            }
        }
        if (close < 0) {
            space();
            out.append(q).append('?');
            replaced++;
            return to;
        }
        space();
        out.append(q);
        name(open + 1, close);
        out.append(q);
        return close + 1;
    }

    private boolean onlyPunctuationAfter(int from, int to) {
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (!(Character.isWhitespace(c) || c == '.' || c == ';' || c == ',')) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code ": "} precedes the quote at {@code open}. */
    private boolean afterColon(int open) {
        int k = open - 1;
        while (k >= 0 && s.charAt(k) == ' ') {
            k--;
        }
        return k >= 0 && k < open - 1 && s.charAt(k) == ':';
    }

    /**
     * Whether a quote just before {@code at} can close a quoted part: what follows is the end, punctuation,
     * or a space and then a message word, a quote, or punctuation.
     */
    private boolean continues(int at, int to) {
        if (at >= to) {
            return true;
        }
        char c = s.charAt(at);
        if (",;:.)]}>!?".indexOf(c) >= 0) {
            return at + 1 >= to || !Character.isLetterOrDigit(s.charAt(at + 1));
        }
        if (!Character.isWhitespace(c)) {
            return false;
        }
        int k = at;
        while (k < to && Character.isWhitespace(s.charAt(k))) {
            k++;
        }
        if (k >= to) {
            return true;
        }
        char d = s.charAt(k);
        if (isAsciiLetter(d)) {
            int e = k;
            while (e < to && (isAsciiLetter(s.charAt(e)) || s.charAt(e) == '\'')) {
                e++;
            }
            return MessageVocabulary.isMessageWord(s.substring(k, e).toLowerCase(Locale.ROOT));
        }
        return d == '(' || d == '[' || d == '-' || d == '"' || d == '\'';
    }

    /** Writes {@code [from, to)} if it is a (qualified) name whose parts the statement shows, else {@code ?}. */
    private void name(int from, int to) {
        if (from >= to || to - from > 200) {
            out.append('?');
            replaced++;
            return;
        }
        StringBuilder kept = new StringBuilder(to - from);
        int partStart = from;
        for (int k = from; k <= to; k++) {
            if (k == to || s.charAt(k) == '.') {
                if (!isIdentifier(partStart, k)) {
                    out.append('?');
                    replaced++;
                    return;
                }
                String part = s.substring(partStart, k);
                if (identifiers.contains(part.toLowerCase(Locale.ROOT))) {
                    kept.append(part);
                } else {
                    kept.append('?');
                    replaced++;
                }
                if (k < to) {
                    kept.append('.');
                }
                partStart = k + 1;
            }
        }
        out.append(kept);
    }

    private boolean isIdentifier(int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '#')) {
                return false;
            }
        }
        return true;
    }

    /**
     * A parenthesised group: kept with its content redacted when nothing inside had to be replaced,
     * else written {@code (?)}. Without a closing parenthesis in the part, the rest of the part is replaced.
     */
    private int parenthesised(int open, int to, int nesting) {
        int depth = 0;
        int close = -1;
        for (int k = open; k < to; k++) {
            char c = s.charAt(k);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                close = k;
                break;
            }
        }
        space();
        if (close < 0) {
            out.append("(?");
            replaced++;
            return to;
        }
        int mark = out.length();
        int replacedBefore = replaced;
        replaced = 0;
        out.append('(');
        pendingSpace = false;
        template(open + 1, close, nesting + 1);
        pendingSpace = false;
        out.append(')');
        if (replaced > 0) {
            out.setLength(mark);
            out.append("(?)");
        }
        replaced = replacedBefore + (replaced > 0 ? 1 : 0);
        return close + 1;
    }

    /** A word or number: kept if it is a message word, an identifier of the statement or a counted number. */
    private int word(int from, int to) {
        int k = from;
        while (k < to) {
            char c = s.charAt(k);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '#') {
                k++;
            } else if (Character.isHighSurrogate(c) && k + 1 < to && Character.isLowSurrogate(s.charAt(k + 1))) {
                k += 2;
            } else if (c == '\'' && k > from && k + 1 < to && isAsciiLetter(s.charAt(k + 1))
                    && isAsciiLetter(s.charAt(k - 1))) {
                k++; // doesn't, can't
            } else {
                break;
            }
        }
        if (k == from) {
            emit(s.charAt(from));
            return from + 1;
        }
        String word = s.substring(from, k);
        String lower = word.toLowerCase(Locale.ROOT);
        if (allDigits(word)) {
            if (countedNumber(from)) {
                write(word);
            } else {
                replace();
            }
            return k;
        }
        if (isOracleCode(word, k, to)) {
            write(s.substring(from, k + 6));
            return k + 6;
        }
        if ((word.length() == 1 && isAsciiLetter(word.charAt(0))) || MessageVocabulary.isMessageWord(lower)
                || identifiers.contains(lower)) {
            write(word);
        } else {
            replace();
        }
        return k;
    }

    /** {@code ORA-00001}, {@code PLS-00201} ...: a vendor code. */
    private boolean isOracleCode(String word, int k, int to) {
        if (word.length() != 3 || k + 6 > to || s.charAt(k) != '-' || !(word.equals("ORA") || word.equals("PLS")
                || word.equals("TNS") || word.equals("SP2"))) {
            return false;
        }
        for (int i = k + 1; i < k + 6; i++) {
            if (!isAsciiDigit(s.charAt(i))) {
                return false;
            }
        }
        return k + 6 == to || !Character.isLetterOrDigit(s.charAt(k + 6));
    }

    /** A number is kept after a word that says what it counts, or as {@code Position: N}. */
    private boolean countedNumber(int at) {
        int k = at - 1;
        while (k >= 0 && (s.charAt(k) == ' ' || s.charAt(k) == ':' || s.charAt(k) == '=' || s.charAt(k) == '#')) {
            k--;
        }
        int end = k + 1;
        while (k >= 0 && isAsciiLetter(s.charAt(k))) {
            k--;
        }
        String before = s.substring(k + 1, end).toLowerCase(Locale.ROOT);
        return MessageVocabulary.isCountingWord(before);
    }

    // ---------------------------------------------------------------- output

    private void write(String text) {
        space();
        out.append(text);
    }

    private void replace() {
        replaced++;
        int len = out.length();
        // one ? for a run of replaced words
        if (len > 0 && out.charAt(len - 1) == '?' && (len == 1 || !isQuote(out.charAt(len - 2)))) {
            pendingSpace = false;
            return;
        }
        space();
        out.append('?');
    }

    private static boolean isQuote(char c) {
        return c == '\'' || c == '"' || c == '`';
    }

    private void emit(char c) {
        space();
        out.append(c);
    }

    private void space() {
        if (pendingSpace) {
            if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
                out.append(' ');
            }
            pendingSpace = false;
        }
    }

    private boolean isWordStart(int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                    && Character.isLetterOrDigit(s.codePointAt(i));
        }
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static boolean allDigits(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (!isAsciiDigit(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
