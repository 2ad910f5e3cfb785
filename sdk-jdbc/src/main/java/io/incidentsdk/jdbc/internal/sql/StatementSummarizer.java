package io.incidentsdk.jdbc.internal.sql;

import java.util.Set;

/**
 * Builds the short label of a statement ({@code UPDATE account}) from the tokens the redactor emits,
 * so it only ever sees words, kept identifiers and punctuation, never a literal. Constant work per
 * token; the label is at most {@value #MAX_LENGTH} characters.
 *
 * <ul>
 *   <li>{@code SELECT}, {@code DELETE}: the first name after a {@code FROM} of the statement itself,
 *       else the first name after a {@code FROM} of a nested {@code SELECT};</li>
 *   <li>{@code INSERT}, {@code REPLACE}, {@code MERGE}, {@code UPSERT}: the name after {@code INTO};</li>
 *   <li>{@code UPDATE}, {@code CALL}, {@code EXEC}, {@code EXECUTE}, {@code TRUNCATE}: the next name;</li>
 *   <li>{@code CREATE}, {@code ALTER}, {@code DROP}: the object kind ({@code CREATE TABLE});</li>
 *   <li>{@code WITH}: the main verb after the common table expressions, else {@code WITH};</li>
 *   <li>anything else: the first word upper-cased; {@value #UNKNOWN} when the statement has none.</li>
 * </ul>
 */
final class StatementSummarizer {

    static final int MAX_LENGTH = 64;
    static final String UNKNOWN = "UNKNOWN";

    private static final int MAX_VERB_LENGTH = 32;
    private static final int MAX_TRACKED_DEPTH = 63;
    private static final Set<String> OBJECT_KINDS = Set.of("TABLE", "VIEW", "INDEX", "SEQUENCE", "SCHEMA",
            "DATABASE", "FUNCTION", "PROCEDURE", "TRIGGER", "TYPE", "USER", "ROLE", "EXTENSION");
    private static final Set<String> OBJECT_MODIFIERS = Set.of("OR", "REPLACE", "UNIQUE", "TEMPORARY", "TEMP",
            "GLOBAL", "LOCAL", "UNLOGGED", "MATERIALIZED");

    private enum Phase {
        /** Before the first word; skips {@code (}, JDBC escape braces and {@code ?=}. */
        START,
        /** After {@code WITH}: looking for the main verb at the statement's depth. */
        WITH,
        /** After INSERT and friends: looking for {@code INTO}. */
        SEEK_INTO,
        /** Looking for {@code FROM} (SELECT, DELETE). */
        SEEK_FROM,
        /** The next word is the name (after UPDATE, CALL, INTO ...), modifiers skipped. */
        NEXT_NAME,
        /** After CREATE, ALTER, DROP. */
        OBJECT_KIND,
        /** Collecting a possibly qualified name. */
        NAME,
        DONE
    }

    private final String sql;
    private Phase phase = Phase.START;
    private String verb;
    private int verbDepth;
    private int depth;
    private long selectAtDepth;

    private StringBuilder name;
    private boolean nameWantsPart;
    private boolean nameAtVerbDepth;
    private Phase afterName;
    private String table;
    private String nestedTable;

    StatementSummarizer(String sql) {
        this.sql = sql;
    }

    /** An unquoted word, possibly a keyword. */
    void word(int start, int end, Keyword keyword) {
        if (phase == Phase.NAME) {
            if (nameWantsPart && (keyword == null || keyword.mayNameTable())) {
                appendNamePart(start, end);
                return;
            }
            if (nameWantsPart && name.length() == 0 && (keyword == Keyword.ONLY || keyword == Keyword.LATERAL)) {
                return;
            }
            finishName();
        }
        switch (phase) {
            case START -> startVerb(start, end, keyword);
            case WITH -> {
                if (depth == verbDepth && isMainVerb(keyword)) {
                    verb = keyword.name();
                    beginVerb(keyword);
                }
            }
            case SEEK_INTO -> {
                if (keyword == Keyword.INTO) {
                    phase = Phase.NEXT_NAME;
                } else if (!isModifier(keyword)) {
                    // MySQL allows INSERT t VALUES ...
                    nameOrDone(start, end, keyword);
                }
            }
            case NEXT_NAME -> {
                if (!isModifier(keyword)) {
                    nameOrDone(start, end, keyword);
                }
            }
            case SEEK_FROM -> {
                if (keyword == Keyword.SELECT) {
                    markSelect();
                } else if (keyword == Keyword.FROM && (depth == verbDepth || selectAt(depth))) {
                    expectName(Phase.SEEK_FROM);
                }
            }
            case OBJECT_KIND -> {
                String kind = upperAscii(start, Math.min(end, start + MAX_VERB_LENGTH));
                if (OBJECT_KINDS.contains(kind)) {
                    verb = verb + ' ' + kind;
                    phase = Phase.DONE;
                } else if (!OBJECT_MODIFIERS.contains(kind)) {
                    phase = Phase.DONE;
                }
            }
            default -> { }
        }
    }

    /** A quoted identifier kept in the output. */
    void identifier(int start, int end) {
        if (phase == Phase.NAME) {
            if (nameWantsPart) {
                appendNamePart(start, end);
                return;
            }
            finishName();
        }
        if (phase == Phase.NEXT_NAME || phase == Phase.SEEK_INTO) {
            expectName(Phase.DONE);
            appendNamePart(start, end);
        } else if (phase != Phase.SEEK_FROM && phase != Phase.WITH) {
            phase = Phase.DONE;
        }
    }

    /** Punctuation, including the parentheses of collapsed lists. */
    void punctuation(char c) {
        if (phase == Phase.NAME) {
            if (c == '.' && !nameWantsPart && name.length() > 0) {
                name.append('.');
                nameWantsPart = true;
                return;
            }
            finishName();
        }
        if (phase == Phase.START && !(c == '(' || c == '{' || c == '=' || c == ';')) {
            phase = Phase.DONE;
        }
        if (c == '(') {
            depth++;
            if (phase == Phase.NEXT_NAME || phase == Phase.SEEK_INTO || phase == Phase.OBJECT_KIND) {
                phase = Phase.DONE;
            }
        } else if (c == ')') {
            if (depth > 0 && depth <= MAX_TRACKED_DEPTH) {
                selectAtDepth &= ~(1L << depth);
            }
            depth = Math.max(0, depth - 1);
        }
    }

    /** A literal or a placeholder. */
    void value() {
        if (phase == Phase.NAME) {
            finishName();
        }
        // {?= call f(?)}: a placeholder before the verb is part of the JDBC escape
        if (phase != Phase.START && phase != Phase.SEEK_FROM && phase != Phase.WITH) {
            phase = Phase.DONE;
        }
    }

    /** The label: verb and first table, at most {@value #MAX_LENGTH} characters. */
    String summary() {
        if (phase == Phase.NAME) {
            finishName();
        }
        if (verb == null) {
            return UNKNOWN;
        }
        String found = table != null ? table : nestedTable;
        String label = found == null ? verb : verb + ' ' + found;
        if (label.length() <= MAX_LENGTH) {
            return label;
        }
        int cut = MAX_LENGTH;
        if (Character.isHighSurrogate(label.charAt(cut - 1))) {
            cut--;
        }
        return label.substring(0, cut);
    }

    private void startVerb(int start, int end, Keyword keyword) {
        int verbEnd = Math.min(end, start + MAX_VERB_LENGTH);
        if (verbEnd < end && Character.isHighSurrogate(sql.charAt(verbEnd - 1))) {
            verbEnd--;
        }
        verb = upperAscii(start, verbEnd);
        verbDepth = depth;
        if (keyword == Keyword.WITH) {
            phase = Phase.WITH;
        } else {
            beginVerb(keyword);
        }
    }

    private static boolean isMainVerb(Keyword keyword) {
        return keyword == Keyword.SELECT || keyword == Keyword.INSERT || keyword == Keyword.UPDATE
                || keyword == Keyword.DELETE || keyword == Keyword.MERGE || keyword == Keyword.UPSERT
                || keyword == Keyword.REPLACE;
    }

    private void beginVerb(Keyword keyword) {
        if (keyword == null) {
            phase = Phase.DONE;
            return;
        }
        switch (keyword) {
            case SELECT -> {
                markSelect();
                phase = Phase.SEEK_FROM;
            }
            case DELETE -> phase = Phase.SEEK_FROM;
            case INSERT, REPLACE, MERGE, UPSERT -> phase = Phase.SEEK_INTO;
            case UPDATE, CALL, EXEC, EXECUTE, TRUNCATE -> phase = Phase.NEXT_NAME;
            case CREATE, ALTER, DROP -> phase = Phase.OBJECT_KIND;
            default -> phase = Phase.DONE;
        }
    }

    private void nameOrDone(int start, int end, Keyword keyword) {
        if (keyword == null || keyword.mayNameTable()) {
            expectName(Phase.DONE);
            appendNamePart(start, end);
        } else {
            phase = Phase.DONE;
        }
    }

    // Words between the verb and the table that are not the table: INSERT IGNORE INTO, UPDATE ONLY,
    // TRUNCATE TABLE, INSERT OR REPLACE INTO.
    private static boolean isModifier(Keyword keyword) {
        return keyword == Keyword.IGNORE || keyword == Keyword.LOW_PRIORITY || keyword == Keyword.DELAYED
                || keyword == Keyword.HIGH_PRIORITY || keyword == Keyword.ONLY || keyword == Keyword.TABLE
                || keyword == Keyword.OR || keyword == Keyword.REPLACE;
    }

    private void expectName(Phase resume) {
        nameAtVerbDepth = depth == verbDepth;
        name = new StringBuilder();
        nameWantsPart = true;
        afterName = resume;
        phase = Phase.NAME;
    }

    private void appendNamePart(int start, int end) {
        int room = MAX_LENGTH - name.length();
        int cut = Math.min(end, start + Math.max(0, room));
        if (cut < end && cut > start && Character.isHighSurrogate(sql.charAt(cut - 1))) {
            cut--;
        }
        name.append(sql, start, cut);
        nameWantsPart = false;
    }

    private void finishName() {
        if (nameWantsPart && name.length() > 0) {
            name.setLength(name.length() - 1); // the dangling '.'
        }
        String found = name.length() > 0 ? name.toString() : null;
        name = null;
        if (found != null && nameAtVerbDepth) {
            table = found;
            phase = Phase.DONE;
            return;
        }
        if (found != null && nestedTable == null) {
            nestedTable = found;
        }
        phase = afterName;
    }

    private void markSelect() {
        if (depth <= MAX_TRACKED_DEPTH) {
            selectAtDepth |= 1L << depth;
        }
    }

    private boolean selectAt(int atDepth) {
        return atDepth <= MAX_TRACKED_DEPTH && (selectAtDepth & (1L << atDepth)) != 0;
    }

    private String upperAscii(int start, int end) {
        char[] chars = new char[end - start];
        for (int i = 0; i < chars.length; i++) {
            char c = sql.charAt(start + i);
            chars[i] = c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c;
        }
        return new String(chars);
    }
}
