package io.incidentsdk.jdbc.internal.sql;

import java.util.BitSet;

/**
 * The characters that the backslash-escaping dialects (MySQL, MariaDB by default) would read as part of
 * a literal or a comment. Used only when a statement's quoting is ambiguous between the two families
 * of dialects: the redactor then hides every token that either reading considers a literal.
 */
final class LiteralMask {

    private final BitSet bits;
    private int cachedFrom = -1;
    private int cachedNext = -1;

    private LiteralMask(BitSet bits) {
        this.bits = bits;
    }

    /** Lexes {@code sql} with backslash escapes in every quoted string and records its literals. */
    static LiteralMask ofBackslashDialect(String sql) {
        BitSet bits = new BitSet(sql.length());
        SqlLexer lexer = new SqlLexer(sql, true, bits);
        for (int kind = lexer.next(); kind != SqlLexer.EOF; kind = lexer.next()) {
            boolean literal = kind == SqlLexer.STRING || kind == SqlLexer.NUMBER
                    // in these dialects "..." is a string, and its extent may differ from the standard reading
                    || kind == SqlLexer.QUOTED_IDENT
                    || lexer.unterminated();
            if (literal && lexer.end() > lexer.start()) {
                bits.set(lexer.start(), lexer.end());
            }
        }
        return new LiteralMask(bits);
    }

    /** Whether any character in {@code [start, end)} is masked. */
    boolean overlaps(int start, int end) {
        int next = nextMasked(start);
        return next >= 0 && next < end;
    }

    // Tokens arrive in increasing order (apart from short re-reads), so remembering the last answer
    // keeps the total work linear even when masked characters are far apart.
    private int nextMasked(int from) {
        if (cachedFrom >= 0 && from >= cachedFrom && (cachedNext < 0 || from <= cachedNext)) {
            return cachedNext;
        }
        cachedFrom = from;
        cachedNext = bits.nextSetBit(from);
        return cachedNext;
    }
}
