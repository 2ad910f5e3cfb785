package io.incidentsdk.jdbc.internal.sql;

import java.util.Locale;

/**
 * What one statement locks, as far as its text says (lock-order analysis, DESIGN section 11): whether it takes
 * row locks ({@code UPDATE}, {@code DELETE}, {@code INSERT} and its kin, {@code SELECT ... FOR UPDATE / SHARE},
 * {@code LOCK IN SHARE MODE}), the table it locks, and which value picks its row: the first {@code column = ?}
 * (or {@code column = 123}) of its {@code WHERE} clause at the statement's own depth, when that clause has no
 * {@code OR} (then one key names one row; otherwise the statement locks a set of rows in the database's order).
 *
 * <p>One pass of the {@link SqlLexer}; no regular expressions. A statement it does not understand is
 * {@linkplain #NONE not locking}, so an unknown form can cause a missed risk, never a false one.
 *
 * <p>The literal key of a plain statement ({@link #literalKey()}) is read for the comparison that happens at
 * once and is never kept by the analysis.
 *
 * <p>Internal: not part of the public API.
 *
 * @param kind         what kind of lock the statement takes
 * @param table        the locked table, lower-cased and unquoted, without its schema; {@code null} for {@link Kind#NONE}
 * @param keyParameter the 1-based ordinal of the {@code ?} that picks the row, {@code 0} for none
 * @param hasLiteralKey whether a numeric literal picks the row (plain statements)
 * @param literalKey   that literal, when {@code hasLiteralKey}
 */
public record LockingStatement(Kind kind, String table, int keyParameter, boolean hasLiteralKey, long literalKey) {

    /** What kind of lock a statement takes. */
    public enum Kind {
        /** No row lock (a plain {@code SELECT}, DDL, anything not understood). */
        NONE,
        /** {@code UPDATE}. */
        UPDATE,
        /** {@code DELETE}. */
        DELETE,
        /** {@code INSERT}, {@code REPLACE}, {@code MERGE}, {@code UPSERT}. */
        INSERT,
        /** {@code SELECT ... FOR UPDATE} (and {@code FOR NO KEY UPDATE}). */
        SELECT_FOR_UPDATE,
        /** {@code SELECT ... FOR SHARE} (and {@code FOR KEY SHARE}, {@code LOCK IN SHARE MODE}). */
        SELECT_FOR_SHARE
    }

    /** A statement that takes no row lock. */
    public static final LockingStatement NONE = new LockingStatement(Kind.NONE, null, 0, false, 0L);

    /** Whether it takes row locks. */
    public boolean locks() {
        return kind != Kind.NONE;
    }

    /**
     * Reads what a statement locks.
     *
     * @param sql the raw SQL, may be {@code null}
     * @return what it locks, {@link #NONE} when nothing (or not understood)
     */
    public static LockingStatement of(String sql) {
        if (sql == null || sql.isEmpty()) {
            return NONE;
        }
        try {
            return parse(sql);
        } catch (RuntimeException e) {
            return NONE; // an analysis aid: never a reason to fail
        }
    }

    private static LockingStatement parse(String sql) {
        SqlLexer lexer = new SqlLexer(sql, false, null);
        int kind = lexer.next();
        while (kind == SqlLexer.PUNCT && (sql.charAt(lexer.start()) == '(' || sql.charAt(lexer.start()) == '{')) {
            kind = lexer.next();
        }
        if (kind != SqlLexer.WORD) {
            return NONE;
        }
        String verb = word(sql, lexer);
        Kind lock;
        switch (verb) {
            case "UPDATE":
                lock = Kind.UPDATE;
                break;
            case "DELETE":
                lock = Kind.DELETE;
                break;
            case "INSERT":
            case "REPLACE":
            case "MERGE":
            case "UPSERT":
                lock = Kind.INSERT;
                break;
            case "SELECT":
                lock = null; // decided by a FOR UPDATE / FOR SHARE clause
                break;
            default:
                return NONE;
        }
        String table = null;
        boolean wantTable = lock == Kind.UPDATE;
        boolean seekInto = lock == Kind.INSERT;
        boolean seekFrom = lock == null || lock == Kind.DELETE;
        int depth = 0;
        int placeholders = 0;
        boolean inWhere = false;
        boolean hasOr = false;
        int keyParameter = 0;
        boolean literal = false;
        long literalValue = 0L;
        boolean afterEquals = false;
        boolean columnBeforeEquals = false;
        boolean previousWord = false;
        boolean keyDecided = false;
        String previous = verb;
        Kind selectLock = null;
        for (int t = lexer.next(); t != SqlLexer.EOF; t = lexer.next()) {
            boolean wordToken = t == SqlLexer.WORD || t == SqlLexer.QUOTED_IDENT || t == SqlLexer.BACKTICK_IDENT;
            if (t == SqlLexer.PLACEHOLDER && lexer.end() - lexer.start() == 1) {
                placeholders++;
            }
            if (t == SqlLexer.PUNCT) {
                char c = sql.charAt(lexer.start());
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth = Math.max(0, depth - 1);
                }
            }
            if (depth > 0) {
                if (inWhere && !keyDecided && afterEquals) {
                    keyDecided = true; // "= (SELECT ...)" or a function: no single key
                }
                previousWord = false;
                afterEquals = false;
                continue;
            }
            String w = t == SqlLexer.WORD ? word(sql, lexer) : null;
            if (table == null && (wantTable || seekInto || seekFrom)) {
                if (wantTable && wordToken) {
                    if (w != null && (w.equals("ONLY") || w.equals("LOW_PRIORITY") || w.equals("IGNORE"))) {
                        continue;
                    }
                    table = name(sql, lexer, t);
                    wantTable = false;
                    previous = table;
                    continue;
                }
                if (seekInto && "INTO".equals(w)) {
                    seekInto = false;
                    wantTable = true;
                    continue;
                }
                if (seekFrom && "FROM".equals(w)) {
                    seekFrom = false;
                    wantTable = true;
                    continue;
                }
            }
            if (t == SqlLexer.PUNCT && sql.charAt(lexer.start()) == '.' && table != null && previous == table) {
                // schema.table: the part after the dot is the table
                int next = lexer.next();
                if (next == SqlLexer.WORD || next == SqlLexer.QUOTED_IDENT || next == SqlLexer.BACKTICK_IDENT) {
                    table = name(sql, lexer, next);
                    previous = table;
                }
                continue;
            }
            if (w != null) {
                if (w.equals("WHERE")) {
                    inWhere = true;
                } else if (w.equals("OR") && inWhere) {
                    hasOr = true;
                } else if (inWhere && (w.equals("RETURNING") || w.equals("ORDER") || w.equals("LIMIT")
                        || w.equals("GROUP") || w.equals("FOR") || w.equals("LOCK") || w.equals("UNION"))) {
                    inWhere = false;
                }
                if (lock == null && "FOR".equals(previous) && (w.equals("UPDATE") || w.equals("NO"))) {
                    selectLock = Kind.SELECT_FOR_UPDATE;
                } else if (lock == null && (("FOR".equals(previous) && (w.equals("SHARE") || w.equals("KEY")))
                        || ("IN".equals(previous) && w.equals("SHARE")))) {
                    selectLock = selectLock == null ? Kind.SELECT_FOR_SHARE : selectLock;
                }
                previous = w;
            } else {
                previous = null;
            }
            if (inWhere && !keyDecided) {
                if (afterEquals) {
                    keyDecided = true;
                    if (columnBeforeEquals && t == SqlLexer.PLACEHOLDER && lexer.end() - lexer.start() == 1) {
                        keyParameter = placeholders;
                    } else if (columnBeforeEquals && t == SqlLexer.NUMBER) {
                        try {
                            literalValue = Long.parseLong(sql.substring(lexer.start(), lexer.end()));
                            literal = true;
                        } catch (NumberFormatException e) {
                            literal = false;
                        }
                    }
                } else if (t == SqlLexer.PUNCT && sql.charAt(lexer.start()) == '=') {
                    afterEquals = true;
                    columnBeforeEquals = previousWord;
                    previousWord = false;
                    continue;
                }
            }
            previousWord = wordToken && (w == null || !w.equals("WHERE") && !w.equals("AND"));
        }
        Kind result = lock != null ? lock : selectLock;
        if (result == null || table == null) {
            return NONE;
        }
        if (hasOr || result == Kind.INSERT) {
            return new LockingStatement(result, table, 0, false, 0L);
        }
        return new LockingStatement(result, table, keyParameter, keyParameter == 0 && literal, literalValue);
    }

    private static String word(String sql, SqlLexer lexer) {
        return sql.substring(lexer.start(), lexer.end()).toUpperCase(Locale.ROOT);
    }

    private static String name(String sql, SqlLexer lexer, int kind) {
        String text = sql.substring(lexer.start(), lexer.end());
        if (kind != SqlLexer.WORD && text.length() >= 2) {
            text = text.substring(1, text.length() - 1);
        }
        return text.toLowerCase(Locale.ROOT);
    }
}
