package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Statements built by a seeded generator: random SELECT/UPDATE/INSERT/DELETE shapes, literals of every
 * kind, comments and whitespace. Every string-like literal and every comment carries a marker that
 * appears nowhere else; every numeric literal is a long digit string that appears nowhere else.
 */
class SqlSanitizerGeneratedTest {

    private static final int SHAPES_PER_SEED = 300;
    private static final String MARKER_PREFIX = "zq83k";
    private static final SqlSanitizer SANITIZER = SqlSanitizer.defaults();

    static Stream<Long> seeds() {
        return LongStream.of(1L, 42L, 20240917L, 7_777_777L, 0x5EED_0001L, 0xC0FFEEL, 31_337L, 9_000_001L)
                .boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void noLiteralOrCommentSurvivesAndTheOutputIsOneLine(long seed) {
        Random seeds = new Random(seed);
        SoftAssertions softly = new SoftAssertions();
        for (int i = 0; i < SHAPES_PER_SEED; i++) {
            Generated statement = StatementGenerator.generate(seeds.nextLong(), seeds.nextLong(), null, Dialect.STANDARD);
            SanitizedSql result = SANITIZER.sanitize(statement.sql());
            assertNoSecretSurvives(softly, statement, result);
        }
        softly.assertAll();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void statementsDifferingOnlyInLiteralsShareAFingerprintAndDifferentTablesDoNot(long seed) {
        Random seeds = new Random(seed);
        SoftAssertions softly = new SoftAssertions();
        for (int i = 0; i < SHAPES_PER_SEED; i++) {
            long shapeSeed = seeds.nextLong();
            Generated one = StatementGenerator.generate(shapeSeed, seeds.nextLong(), null, Dialect.STANDARD);
            Generated other = StatementGenerator.generate(shapeSeed, seeds.nextLong(), null, Dialect.STANDARD);
            Generated otherTable = StatementGenerator.generate(shapeSeed, seeds.nextLong(), "zebra", Dialect.STANDARD);
            SanitizedSql first = SANITIZER.sanitize(one.sql());
            SanitizedSql second = SANITIZER.sanitize(other.sql());
            SanitizedSql third = SANITIZER.sanitize(otherTable.sql());

            softly.assertThat(second.fingerprint()).as("same shape:%n%s%n%s", one.sql(), other.sql())
                    .isEqualTo(first.fingerprint());
            softly.assertThat(squeezed(second.sql())).as("same shape:%n%s%n%s", one.sql(), other.sql())
                    .isEqualTo(squeezed(first.sql()));
            softly.assertThat(third.fingerprint()).as("other table:%n%s%n%s", one.sql(), otherTable.sql())
                    .isNotEqualTo(first.fingerprint());
            softly.assertThat(first.summary().toLowerCase(Locale.ROOT)).as("summary of %s", one.sql())
                    .isEqualTo(one.expectedSummary().toLowerCase(Locale.ROOT));
            softly.assertThat(third.summary().toLowerCase(Locale.ROOT)).as("summary of %s", otherTable.sql())
                    .isEqualTo(otherTable.expectedSummary().toLowerCase(Locale.ROOT));
        }
        softly.assertAll();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void sanitizingTwiceChangesNothing(long seed) {
        Random seeds = new Random(seed);
        SoftAssertions softly = new SoftAssertions();
        for (int i = 0; i < SHAPES_PER_SEED; i++) {
            Generated statement = StatementGenerator.generate(seeds.nextLong(), seeds.nextLong(), null, Dialect.STANDARD);
            SanitizedSql once = SANITIZER.sanitize(statement.sql());
            SanitizedSql twice = SANITIZER.sanitize(once.sql());

            softly.assertThat(twice.sql()).as("from %s", statement.sql()).isEqualTo(once.sql());
            softly.assertThat(twice.fingerprint()).as("from %s", statement.sql()).isEqualTo(once.fingerprint());
        }
        softly.assertAll();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void backslashEscapedStringsOfEitherDialectNeverLeak(long seed) {
        Random seeds = new Random(seed);
        SoftAssertions softly = new SoftAssertions();
        for (int i = 0; i < SHAPES_PER_SEED; i++) {
            Dialect dialect = seeds.nextBoolean() ? Dialect.MYSQL_BACKSLASH : Dialect.STANDARD_WITH_BACKSLASHES;
            Generated statement = StatementGenerator.generate(seeds.nextLong(), seeds.nextLong(), null, dialect);
            SanitizedSql result = SANITIZER.sanitize(statement.sql());
            assertNoSecretSurvives(softly, statement, result);
        }
        softly.assertAll();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void truncatedOutputStaysWithinTheLimitAndLeaksNothing(long seed) {
        Random seeds = new Random(seed);
        SoftAssertions softly = new SoftAssertions();
        for (int i = 0; i < SHAPES_PER_SEED; i++) {
            int maxChars = 64 + seeds.nextInt(120);
            Generated statement = StatementGenerator.generate(seeds.nextLong(), seeds.nextLong(), null,
                    Dialect.values()[seeds.nextInt(Dialect.values().length)]);
            SanitizedSql full = SANITIZER.sanitize(statement.sql());
            SanitizedSql result = SqlSanitizer.withMaxLength(maxChars).sanitize(statement.sql());

            softly.assertThat(result.sql()).as("limit %d for %s", maxChars, statement.sql())
                    .hasSizeLessThanOrEqualTo(maxChars);
            softly.assertThat(result.fingerprint()).isEqualTo(full.fingerprint());
            if (result.truncated()) {
                softly.assertThat(result.sql()).endsWith("\u2026[truncated]");
                String kept = result.sql().substring(0, result.sql().length() - "\u2026[truncated]".length()).stripTrailing();
                softly.assertThat(full.sql()).as("a token-boundary prefix").startsWith(kept);
            } else {
                softly.assertThat(result.sql()).isEqualTo(full.sql());
            }
            assertNoSecretSurvives(softly, statement, result);
        }
        softly.assertAll();
    }

    private static void assertNoSecretSurvives(SoftAssertions softly, Generated statement, SanitizedSql result) {
        String sql = result.sql().toLowerCase(Locale.ROOT);
        String summary = result.summary().toLowerCase(Locale.ROOT);
        softly.assertThat(sql).as("sql of %s", statement.sql()).doesNotContain(MARKER_PREFIX);
        softly.assertThat(summary).as("summary of %s", statement.sql()).doesNotContain(MARKER_PREFIX);
        for (String secret : statement.secrets()) {
            softly.assertThat(sql).as("sql of %s", statement.sql()).doesNotContain(secret.toLowerCase(Locale.ROOT));
            softly.assertThat(summary).as("summary of %s", statement.sql()).doesNotContain(secret.toLowerCase(Locale.ROOT));
        }
        softly.assertThat(isOneLine(result.sql())).as("one line: %s", result.sql()).isTrue();
        softly.assertThat(isOneLine(result.summary())).as("one line: %s", result.summary()).isTrue();
    }

    private static boolean isOneLine(String text) {
        return text.chars().noneMatch(c -> c < 0x20 || c == 0x7F || c == 0x85 || c == 0x2028 || c == 0x2029);
    }

    private static String squeezed(String sql) {
        return sql.replace(" ", "").toLowerCase(Locale.ROOT);
    }

    enum Dialect {
        /** Standard quoting; no backslash in plain strings. */
        STANDARD,
        /** MySQL: backslash escapes in '...' and "..." strings. */
        MYSQL_BACKSLASH,
        /** Standard quoting with literal backslashes in plain strings, e.g. 'C:\'. */
        STANDARD_WITH_BACKSLASHES
    }

    record Generated(String sql, List<String> secrets, String expectedSummary) {
    }

    /**
     * Builds one statement. Structural choices (verb, table, columns, conditions) come from the shape
     * seed only; literals, list lengths, spacing, comments and letter case come from the literal seed,
     * so two statements with the same shape seed differ only in what the sanitizer must hide or ignore.
     */
    static final class StatementGenerator {

        private static final String[] TABLES = {"account", "ledger", "orders", "customer", "payment", "audit_log", "t1"};
        private static final String[] COLUMNS = {"id", "name", "balance", "status", "created_at", "note", "col_2",
            "owner", "amount", "kind"};
        private static final String[] COMPARISONS = {"=", "<>", "!=", "<", ">=", ">"};
        private static final String NOISE = "abc XYZ_09'\"`$#-;*/()[]{}}{,.\\:?\n\r\t\u001b[31m\u2028\u00e9\uD83D\uDE00";

        private final Random shape;
        private final Random literal;
        private final Dialect dialect;
        private final List<String> secrets = new ArrayList<>();
        private final List<Token> tokens = new ArrayList<>();
        private int markers;

        private StatementGenerator(long shapeSeed, long literalSeed, Dialect dialect) {
            this.shape = new Random(shapeSeed);
            this.literal = new Random(literalSeed);
            this.dialect = dialect;
        }

        static Generated generate(long shapeSeed, long literalSeed, String tableOverride, Dialect dialect) {
            return new StatementGenerator(shapeSeed, literalSeed, dialect).build(tableOverride);
        }

        private record Token(String text, boolean word) {
        }

        private Generated build(String tableOverride) {
            int verb = shape.nextInt(4);
            String table = TABLES[shape.nextInt(TABLES.length)];
            if (tableOverride != null) {
                table = tableOverride;
            }
            boolean quoted = shape.nextInt(4) == 0;
            String tableText = quoted ? '"' + table + '"' : cased(table);
            String summary;
            switch (verb) {
                case 0 -> {
                    keyword("SELECT");
                    int columns = 1 + shape.nextInt(3);
                    for (int i = 0; i < columns; i++) {
                        if (i > 0) {
                            punct(",");
                        }
                        column(quoted);
                    }
                    keyword("FROM");
                    word(tableText);
                    where(quoted);
                    if (shape.nextBoolean()) {
                        keyword("ORDER");
                        keyword("BY");
                        column(quoted);
                    }
                    if (shape.nextBoolean()) {
                        keyword("LIMIT");
                        number(false);
                    }
                    summary = "SELECT " + tableText;
                }
                case 1 -> {
                    keyword("UPDATE");
                    word(tableText);
                    keyword("SET");
                    int assignments = 1 + shape.nextInt(3);
                    for (int i = 0; i < assignments; i++) {
                        if (i > 0) {
                            punct(",");
                        }
                        column(quoted);
                        punct("=");
                        value(true);
                    }
                    where(quoted);
                    summary = "UPDATE " + tableText;
                }
                case 2 -> {
                    keyword("INSERT");
                    keyword("INTO");
                    word(tableText);
                    int arity = 1 + shape.nextInt(4);
                    punct("(");
                    for (int i = 0; i < arity; i++) {
                        if (i > 0) {
                            punct(",");
                        }
                        column(quoted);
                    }
                    punct(")");
                    keyword("VALUES");
                    int rows = 1 + literal.nextInt(4);
                    for (int row = 0; row < rows; row++) {
                        if (row > 0) {
                            punct(",");
                        }
                        punct("(");
                        for (int i = 0; i < arity; i++) {
                            if (i > 0) {
                                punct(",");
                            }
                            listValue();
                        }
                        punct(")");
                    }
                    summary = "INSERT " + tableText;
                }
                default -> {
                    keyword("DELETE");
                    keyword("FROM");
                    word(tableText);
                    where(quoted);
                    summary = "DELETE " + tableText;
                }
            }
            return new Generated(render(), List.copyOf(secrets), summary);
        }

        private void where(boolean quoted) {
            int conditions = shape.nextInt(4);
            for (int i = 0; i < conditions; i++) {
                keyword(i == 0 ? "WHERE" : shape.nextBoolean() ? "AND" : "OR");
                column(quoted);
                switch (shape.nextInt(5)) {
                    case 0 -> {
                        keyword("IN");
                        punct("(");
                        int elements = 1 + literal.nextInt(6);
                        for (int e = 0; e < elements; e++) {
                            if (e > 0) {
                                punct(",");
                            }
                            listValue();
                        }
                        punct(")");
                    }
                    case 1 -> {
                        keyword("BETWEEN");
                        value(true);
                        keyword("AND");
                        value(true);
                    }
                    case 2 -> {
                        keyword("LIKE");
                        value(true);
                    }
                    case 3 -> {
                        keyword("IS");
                        if (shape.nextBoolean()) {
                            keyword("NOT");
                        }
                        keyword("NULL");
                    }
                    default -> {
                        punct(COMPARISONS[shape.nextInt(COMPARISONS.length)]);
                        value(true);
                    }
                }
            }
        }

        private void column(boolean quoted) {
            String column = COLUMNS[shape.nextInt(COLUMNS.length)];
            word(quoted ? '"' + column + '"' : cased(column));
        }

        /** A value inside an IN list or VALUES row: also NULL, DEFAULT-free placeholders. */
        private void listValue() {
            int choice = literal.nextInt(12);
            if (choice == 0) {
                keyword("NULL");
            } else if (choice == 1) {
                punct("?");
            } else {
                value(true);
            }
        }

        private void value(boolean allowDoubleQuoted) {
            int kinds = dialect == Dialect.STANDARD ? 16 : 18;
            switch (literal.nextInt(kinds)) {
                case 0, 1 -> word(plainString());
                case 2 -> word("E'" + escapeString() + "'");
                case 3 -> word(literal.nextBoolean() ? "N'" + plainContent() + "'" : "U&'" + plainContent() + "'");
                case 4 -> word(dollarQuoted());
                case 5 -> number(false);
                case 6 -> number(true);
                case 7 -> word(decimal());
                case 8 -> word(hexOrBits());
                case 9 -> word(literal.nextBoolean() ? "TRUE" : "false");
                case 10 -> word("q'[" + marker() + noise().replace("]'", "] '") + "]'");
                case 11 -> word(cased("x") + "'" + hexSecret() + "'");
                case 12 -> {
                    if (allowDoubleQuoted) {
                        word('"' + marker() + noise().replace("\\", "").replace("\"", "\"\"") + '"');
                    } else {
                        word(plainString());
                    }
                }
                case 13 -> word(cased("b") + "'" + bitSecret() + "'");
                case 14, 15 -> word(plainString());
                default -> word(backslashString());
            }
        }

        private String plainString() {
            return "'" + plainContent() + "'";
        }

        /** Content for a standard string: quotes doubled, no backslash (that is the other dialects' test). */
        private String plainContent() {
            String content = marker() + noise();
            if (dialect == Dialect.STANDARD) {
                content = content.replace("\\", "");
            }
            if (dialect == Dialect.MYSQL_BACKSLASH) {
                // in MySQL a backslash escapes the next character: keep each one escaped
                content = content.replace("\\", "\\\\");
            }
            return content.replace("'", "''");
        }

        private String escapeString() {
            String content = marker() + noise();
            StringBuilder escaped = new StringBuilder();
            for (int i = 0; i < content.length(); i++) {
                char c = content.charAt(i);
                if (c == '\\') {
                    escaped.append("\\\\");
                } else if (c == '\'') {
                    escaped.append(literal.nextBoolean() ? "\\'" : "''");
                } else {
                    escaped.append(c);
                }
            }
            return escaped.toString();
        }

        /** Strings only the non-standard dialects produce. */
        private String backslashString() {
            String content = marker() + noise();
            if (dialect == Dialect.MYSQL_BACKSLASH) {
                StringBuilder escaped = new StringBuilder();
                char quote = literal.nextBoolean() ? '\'' : '"';
                for (int i = 0; i < content.length(); i++) {
                    char c = content.charAt(i);
                    if (c == '\\' || c == quote) {
                        escaped.append('\\');
                    }
                    escaped.append(c);
                }
                return quote + escaped.toString() + quote;
            }
            // standard SQL: a backslash is an ordinary character, e.g. a Windows path
            return "'" + content.replace("'", "''") + "\\'";
        }

        private String dollarQuoted() {
            String content = marker() + noise();
            if (literal.nextBoolean()) {
                while (content.contains("$$")) {
                    content = content.replace("$$", "$ $");
                }
                return "$$" + content + (content.endsWith("$") ? " " : "") + "$$";
            }
            // neither markers nor noise contain 't' or 'g', so the delimiter cannot occur in the content
            String delimiter = "$tg" + (char) ('a' + literal.nextInt(26)) + "$";
            return delimiter + content + delimiter;
        }

        private void number(boolean negative) {
            String digits = digitSecret();
            word(negative ? "-" + digits : digits);
        }

        private String decimal() {
            String whole = digitSecret();
            String fraction = digitSecret();
            return switch (literal.nextInt(3)) {
                case 0 -> whole + "." + fraction;
                case 1 -> whole + "e" + (literal.nextBoolean() ? "-" : "+") + (1 + literal.nextInt(30));
                default -> "-" + whole + "." + fraction + "E" + (1 + literal.nextInt(30));
            };
        }

        private String hexOrBits() {
            return literal.nextBoolean() ? "0x" + hexSecret() : "0b" + bitSecret();
        }

        private String digitSecret() {
            StringBuilder digits = new StringBuilder().append((char) ('1' + literal.nextInt(9)));
            for (int i = 0; i < 7; i++) {
                digits.append((char) ('0' + literal.nextInt(10)));
            }
            return remember(digits.toString());
        }

        private String hexSecret() {
            StringBuilder hex = new StringBuilder("9");
            for (int i = 0; i < 9; i++) {
                hex.append("0123456789ABCDEF".charAt(literal.nextInt(16)));
            }
            return remember(hex.toString());
        }

        private String bitSecret() {
            StringBuilder bits = new StringBuilder("1");
            for (int i = 0; i < 19; i++) {
                bits.append(literal.nextBoolean() ? '1' : '0');
            }
            return remember(bits.toString());
        }

        private String remember(String secret) {
            secrets.add(secret);
            return secret;
        }

        private String marker() {
            return MARKER_PREFIX + Integer.toString(markers++, 36) + "k";
        }

        private String noise() {
            StringBuilder noise = new StringBuilder();
            int length = literal.nextInt(12);
            for (int i = 0; i < length; i++) {
                int at = literal.nextInt(NOISE.length());
                char c = NOISE.charAt(at);
                if (Character.isSurrogate(c)) {
                    noise.append("\uD83D\uDE00");
                } else {
                    noise.append(c);
                }
            }
            return noise.toString();
        }

        private void keyword(String keyword) {
            word(cased(keyword));
        }

        private void word(String text) {
            tokens.add(new Token(text, true));
        }

        private void punct(String text) {
            tokens.add(new Token(text, false));
        }

        private String cased(String text) {
            return switch (literal.nextInt(3)) {
                case 0 -> text.toLowerCase(Locale.ROOT);
                case 1 -> text.toUpperCase(Locale.ROOT);
                default -> Character.toUpperCase(text.charAt(0)) + text.substring(1).toLowerCase(Locale.ROOT);
            };
        }

        private String render() {
            StringBuilder sql = new StringBuilder(separator(false));
            for (int i = 0; i < tokens.size(); i++) {
                Token token = tokens.get(i);
                if (i > 0) {
                    boolean required = token.word() && tokens.get(i - 1).word();
                    sql.append(separator(required));
                }
                sql.append(token.text());
            }
            return sql.append(separator(false)).toString();
        }

        /** Whitespace and comments between tokens; comments carry markers too. */
        private String separator(boolean required) {
            StringBuilder separator = new StringBuilder();
            int parts = (required ? 1 : 0) + literal.nextInt(3);
            for (int i = 0; i < parts; i++) {
                switch (literal.nextInt(9)) {
                    case 0 -> separator.append("/* ").append(marker()).append(" '\" */");
                    case 1 -> separator.append("/* a /* ").append(marker()).append(" nested */ b */");
                    case 2 -> separator.append("-- ").append(marker()).append(" 'x\n");
                    case 3 -> separator.append("# ").append(marker()).append("\r\n");
                    case 4 -> separator.append('\t');
                    case 5 -> separator.append("\n  ");
                    case 6 -> separator.append("\u00a0");
                    default -> separator.append(' ');
                }
            }
            return separator.toString();
        }
    }
}
