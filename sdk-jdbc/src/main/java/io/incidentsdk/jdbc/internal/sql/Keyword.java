package io.incidentsdk.jdbc.internal.sql;

/**
 * The few SQL words the redactor and the summary need to recognise. Matching is ASCII
 * case-insensitive and allocation-free.
 */
enum Keyword {
    SELECT, INSERT(Flag.OPENS_ARGUMENTS), UPDATE, DELETE, MERGE, UPSERT, REPLACE(Flag.OPENS_ARGUMENTS),
    CALL, EXEC, EXECUTE, WITH, RECURSIVE, TRUNCATE, CREATE, ALTER, DROP,
    FROM, INTO, JOIN, TABLE, ONLY, LATERAL, USING, SET, WHERE, AND, OR, NOT, IS, ON, HAVING, BY, AS,
    LIMIT, OFFSET, FETCH, TOP, DISTINCT, ALL, ANY, SOME, EXISTS, UNION, EXCEPT, INTERSECT,
    // KEY(...) is a column list (H2 MERGE ... KEY(id), PRIMARY KEY (id)), not a function call
    KEY, CASE, WHEN, RETURNING, IGNORE, LOW_PRIORITY, DELAYED, HIGH_PRIORITY,
    IN(Flag.INTRODUCES_VALUE), BETWEEN(Flag.INTRODUCES_VALUE), LIKE(Flag.INTRODUCES_VALUE),
    ILIKE(Flag.INTRODUCES_VALUE), REGEXP(Flag.INTRODUCES_VALUE), RLIKE(Flag.INTRODUCES_VALUE),
    ESCAPE(Flag.INTRODUCES_VALUE), THEN(Flag.INTRODUCES_VALUE), ELSE(Flag.INTRODUCES_VALUE),
    DEFAULT(Flag.INTRODUCES_VALUE), RETURN(Flag.INTRODUCES_VALUE), INTERVAL(Flag.INTRODUCES_VALUE),
    AGAINST(Flag.INTRODUCES_VALUE), BINARY(Flag.INTRODUCES_VALUE), VALUES(Flag.INTRODUCES_VALUE),
    VALUE(Flag.INTRODUCES_VALUE, Flag.MAY_NAME_TABLE), COMMENT(Flag.INTRODUCES_VALUE, Flag.MAY_NAME_TABLE),
    SEPARATOR(Flag.INTRODUCES_VALUE, Flag.MAY_NAME_TABLE),
    NULL(Flag.OPERAND), TRUE(Flag.OPERAND, Flag.BOOLEAN), FALSE(Flag.OPERAND, Flag.BOOLEAN), END(Flag.OPERAND);

    private enum Flag { OPERAND, BOOLEAN, INTRODUCES_VALUE, OPENS_ARGUMENTS, MAY_NAME_TABLE }

    private static final int MAX_LENGTH = 13;
    private static final Keyword[][] BY_LENGTH = byLength();

    private final boolean operand;
    private final boolean bool;
    private final boolean introducesValue;
    private final boolean opensArguments;
    private final boolean mayNameTable;

    Keyword(Flag... flags) {
        boolean isOperand = false;
        boolean isBoolean = false;
        boolean isValueIntroducer = false;
        boolean isArgumentOpener = false;
        boolean isTableName = false;
        for (Flag flag : flags) {
            switch (flag) {
                case OPERAND -> isOperand = true;
                case BOOLEAN -> isBoolean = true;
                case INTRODUCES_VALUE -> isValueIntroducer = true;
                case OPENS_ARGUMENTS -> isArgumentOpener = true;
                case MAY_NAME_TABLE -> isTableName = true;
            }
        }
        this.operand = isOperand;
        this.bool = isBoolean;
        this.introducesValue = isValueIntroducer;
        this.opensArguments = isArgumentOpener;
        this.mayNameTable = isTableName;
    }

    /** Whether the word stands for a value ({@code NULL}, {@code TRUE}, {@code END} of a CASE). */
    boolean operand() {
        return operand;
    }

    /** {@code TRUE} or {@code FALSE}. */
    boolean bool() {
        return bool;
    }

    /** Whether a value (rather than a name) usually follows the word, e.g. {@code LIKE}, {@code THEN}. */
    boolean introducesValue() {
        return introducesValue;
    }

    /** Whether {@code word(} is more likely a function call than a clause (MySQL {@code REPLACE(...)}). */
    boolean opensArguments() {
        return opensArguments;
    }

    /** Whether the word is commonly used as an unquoted table name ({@code value}, {@code comment}). */
    boolean mayNameTable() {
        return mayNameTable;
    }

    /**
     * The keyword spelled by {@code text[start, end)}, ignoring ASCII case, or {@code null}.
     */
    static Keyword lookup(String text, int start, int end) {
        int length = end - start;
        if (length <= 1 || length > MAX_LENGTH) {
            return null;
        }
        Keyword[] candidates = BY_LENGTH[length];
        for (Keyword candidate : candidates) {
            if (equalsIgnoreAsciiCase(text, start, candidate.name())) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean equalsIgnoreAsciiCase(String text, int start, String upperCaseName) {
        for (int i = 0; i < upperCaseName.length(); i++) {
            char c = text.charAt(start + i);
            if (c >= 'a' && c <= 'z') {
                c = (char) (c - ('a' - 'A'));
            }
            if (c != upperCaseName.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static Keyword[][] byLength() {
        int[] counts = new int[MAX_LENGTH + 1];
        for (Keyword keyword : values()) {
            counts[keyword.name().length()]++;
        }
        Keyword[][] table = new Keyword[MAX_LENGTH + 1][];
        for (int length = 0; length <= MAX_LENGTH; length++) {
            table[length] = new Keyword[counts[length]];
            counts[length] = 0;
        }
        for (Keyword keyword : values()) {
            int length = keyword.name().length();
            table[length][counts[length]++] = keyword;
        }
        return table;
    }
}
