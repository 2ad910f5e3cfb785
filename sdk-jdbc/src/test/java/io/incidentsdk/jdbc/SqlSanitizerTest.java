package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqlSanitizerTest {

    private static final String MARKER = " \u2026[truncated]";

    private final SqlSanitizer sanitizer = SqlSanitizer.defaults();

    private String sql(String statement) {
        return sanitizer.sanitize(statement).sql();
    }

    private String fingerprint(String statement) {
        return sanitizer.sanitize(statement).fingerprint();
    }

    private String summary(String statement) {
        return sanitizer.sanitize(statement).summary();
    }

    @Nested
    class Configuration {

        @Test
        void defaultsCapTheOutputAtFourThousandCharacters() {
            String statement = "SELECT " + "column_name, ".repeat(1000) + "x FROM t";

            SanitizedSql result = sanitizer.sanitize(statement);

            assertThat(result.sql()).hasSizeLessThanOrEqualTo(4000).endsWith(MARKER);
            assertThat(result.sql().length()).isGreaterThan(3900);
            assertThat(result.truncated()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(ints = {63, 0, -1, Integer.MIN_VALUE})
        void maximumLengthsBelowSixtyFourAreRejectedNamingTheBound(int maxChars) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> SqlSanitizer.withMaxLength(maxChars))
                    .withMessageContaining("maxChars")
                    .withMessageContaining("64")
                    .withMessageContaining(String.valueOf(maxChars));
        }

        @Test
        void sixtyFourIsTheSmallestMaximumLength() {
            SanitizedSql result = SqlSanitizer.withMaxLength(64).sanitize("SELECT " + "a, ".repeat(100) + "b FROM t");

            assertThat(result.sql()).hasSizeLessThanOrEqualTo(64).endsWith(MARKER);
        }

        @Test
        void aNullStatementIsRejectedNamingTheParameter() {
            assertThatNullPointerException().isThrownBy(() -> sanitizer.sanitize(null)).withMessage("sql");
        }

        @Test
        void theDescriptionShowsTheConfigurationOnly() {
            assertThat(SqlSanitizer.withMaxLength(100)).hasToString("SqlSanitizer[maxLength=100]");
        }

        @Test
        void aSanitizedStatementRejectsNullComponents() {
            assertThatNullPointerException().isThrownBy(() -> new SanitizedSql(null, "f", "s", false))
                    .withMessage("sql");
            assertThatNullPointerException().isThrownBy(() -> new SanitizedSql("q", null, "s", false))
                    .withMessage("fingerprint");
            assertThatNullPointerException().isThrownBy(() -> new SanitizedSql("q", "f", null, false))
                    .withMessage("summary");
        }
    }

    @Nested
    class Strings {

        @Test
        void singleQuotedStringsWithDoubledQuotesBecomeOnePlaceholder() {
            assertThat(sql("SELECT * FROM t WHERE name = 'O''Brien' AND city = 'Paris'"))
                    .isEqualTo("SELECT * FROM t WHERE name = ? AND city = ?");
        }

        @Test
        void postgresEscapeStringsHonourBackslashEscapedQuotes() {
            assertThat(sql("SELECT E'it\\'s secret', e'back\\\\', E'a''b' FROM t WHERE x = 'plain'"))
                    .isEqualTo("SELECT ?, ?, ? FROM t WHERE x = ?");
        }

        @Test
        void nationalUnicodeHexBitAndCharsetStringsIncludingTheirPrefixAreReplaced() {
            assertThat(sql("SELECT N'naïve', n'x', U&'d\\0061t\\+000061', X'0A1B', x'ff', B'101', b'0', _utf8mb4'héllo' FROM t"))
                    .isEqualTo("SELECT ?, ?, ?, ?, ?, ?, ?, ? FROM t");
        }

        @Test
        void oracleAlternativeQuotesAreReplaced() {
            assertThat(sql("SELECT q'[it's]', Q'{a}b}', nq'!x'y!' FROM dual WHERE a = q'<o'k>'"))
                    .isEqualTo("SELECT ?, ?, ? FROM dual WHERE a = ?");
        }

        @Test
        void typeNamesBeforeStringsStay() {
            assertThat(sql("SELECT * FROM t WHERE d > DATE '2024-01-01' AND ts < TIMESTAMP'2024-01-01 10:00' AND i = INTERVAL '1 day'"))
                    .isEqualTo("SELECT * FROM t WHERE d > DATE ? AND ts < TIMESTAMP? AND i = INTERVAL ?");
        }

        @Test
        void postgresDollarQuotesAreReplacedWhateverTheyContain() {
            String statement = "SELECT $$it's a $ \"quote\" -- not a comment$$, $fn$ body $$ still body ' $fn$, "
                    + "$a_1$x$a_1$ FROM t";

            assertThat(sql(statement)).isEqualTo("SELECT ?, ?, ? FROM t");
        }

        @Test
        void dollarSignsInsideIdentifiersAndPositionalParametersAreNotQuotes() {
            assertThat(sql("SELECT a$b$c, $1, $2 FROM t$x WHERE y = $3"))
                    .isEqualTo("SELECT a$b$c, $1, $2 FROM t$x WHERE y = $3");
        }

        @Test
        void literalsWithJsonBreakersNewlinesAndTerminalEscapesLeaveNoTrace() {
            String statement = "INSERT INTO audit (note) VALUES ('\"}{\"injected\":true,\n\r\u001b[31mred\u001b[0m\u2028x')";

            SanitizedSql result = sanitizer.sanitize(statement);

            assertThat(result.sql()).isEqualTo("INSERT INTO audit (note) VALUES (?)");
            assertThat(result.summary()).isEqualTo("INSERT audit");
        }
    }

    @Nested
    class Numbers {

        @Test
        void integersDecimalsAndExponentsAreReplaced() {
            assertThat(sql("SELECT 1, 42, 3.14, .5, 1e10, 1.5E-3, 6.02e+23 FROM t"))
                    .isEqualTo("SELECT ?, ?, ?, ?, ?, ?, ? FROM t");
        }

        @Test
        void hexAndBinaryNumbersAreReplaced() {
            assertThat(sql("SELECT * FROM t WHERE flags = 0xFF AND mask = 0b1010")).isEqualTo("SELECT * FROM t WHERE flags = ? AND mask = ?");
        }

        @Test
        void aSignAfterAnOperatorKeywordOrParenthesisBelongsToTheNumber() {
            assertThat(sql("SELECT -1, +2 FROM t WHERE a = -5 AND b BETWEEN -10 AND - 3 AND c IN (-1) AND d<>-7"))
                    .isEqualTo("SELECT ?, ? FROM t WHERE a = ? AND b BETWEEN ? AND ? AND c IN (?) AND d<>?");
        }

        @Test
        void aMinusAfterAnOperandIsSubtraction() {
            assertThat(sql("UPDATE t SET a = a - 1, b = b-2, c = (x) - 3, d = f(x) -4"))
                    .isEqualTo("UPDATE t SET a = a - ?, b = b-?, c = (x) - ?, d = f(x) -?");
        }

        @Test
        void digitsInsideIdentifiersStay() {
            assertThat(sql("SELECT t1.col_2, c3po FROM t1 JOIN t2 ON t1.id = t2.id WHERE col_2 = 7"))
                    .isEqualTo("SELECT t1.col_2, c3po FROM t1 JOIN t2 ON t1.id = t2.id WHERE col_2 = ?");
        }
    }

    @Nested
    class KeywordsAndPlaceholders {

        @Test
        void booleansWhereAValueIsExpectedAreReplaced() {
            assertThat(sql("UPDATE t SET active = TRUE, deleted = false WHERE a <> TRUE OR b IN (TRUE, FALSE)"))
                    .isEqualTo("UPDATE t SET active = ?, deleted = ? WHERE a <> ? OR b IN (?)");
            assertThat(sql("INSERT INTO t (a, b) VALUES (1, TRUE)")).isEqualTo("INSERT INTO t (a, b) VALUES (?, ?)");
            assertThat(sql("SELECT CASE WHEN x THEN TRUE ELSE FALSE END, coalesce(a, TRUE) FROM t"))
                    .isEqualTo("SELECT CASE WHEN x THEN ? ELSE ? END, coalesce(a, ?) FROM t");
        }

        @Test
        void booleansThatAreNotValuesStay() {
            assertThat(sql("SET autocommit TRUE")).isEqualTo("SET autocommit TRUE");
            assertThat(sql("SELECT * FROM t WHERE TRUE AND done IS NOT FALSE")).isEqualTo("SELECT * FROM t WHERE TRUE AND done IS NOT FALSE");
        }

        @Test
        void nullStays() {
            assertThat(sql("UPDATE t SET a = NULL WHERE b IS NULL AND c = null")).isEqualTo("UPDATE t SET a = NULL WHERE b IS NULL AND c = null");
        }

        @Test
        void placeholdersStayAsWritten() {
            assertThat(sql("SELECT * FROM t WHERE a = ? AND b = $1 AND c = :name AND d = :name_2 AND e::text = ?"))
                    .isEqualTo("SELECT * FROM t WHERE a = ? AND b = $1 AND c = :name AND d = :name_2 AND e::text = ?");
        }

        @Test
        void keywordsAndIdentifiersKeepTheirCase() {
            assertThat(sql("select Id, NAME from Account where ID = 1")).isEqualTo("select Id, NAME from Account where ID = ?");
        }
    }

    @Nested
    class Identifiers {

        @Test
        void doubleQuotedIdentifiersStayWhereTheDialectQuotesNamesSo() {
            String statement = "SELECT \"id\", \"Name\" FROM \"public\".\"account\" WHERE \"id\" = ? AND a.\"x\" = b.\"y\"";
            for (DatabaseVendor vendor : List.of(DatabaseVendor.POSTGRESQL, DatabaseVendor.H2, DatabaseVendor.ORACLE)) {
                assertThat(SqlSanitizer.defaults().sanitize(statement, vendor).sql()).isEqualTo(statement);
            }
        }

        // Intentionally stricter than before: without ANSI_QUOTES, MySQL reads "id" in a select list or a
        // comparison as a string, and the SDK cannot see the mode; only positions that can only hold a name stay.
        @Test
        void doubleQuotedTokensStayOnlyInNamePositionsWhenTheDialectMayReadThemAsStrings() {
            String statement = "SELECT \"id\", \"Name\" FROM \"public\".\"account\" WHERE \"id\" = ? AND a.\"x\" = b.\"y\"";
            String conservative = "SELECT ?, ? FROM \"public\".\"account\" WHERE ? = ? AND a.\"x\" = b.\"y\"";
            assertThat(sql(statement)).isEqualTo(conservative);
            for (DatabaseVendor vendor : Arrays.asList(DatabaseVendor.MYSQL, DatabaseVendor.MARIADB, DatabaseVendor.UNKNOWN, null)) {
                assertThat(SqlSanitizer.defaults().sanitize(statement, vendor).sql()).isEqualTo(conservative);
            }
            assertThat(sql("SELECT * FROM t WHERE email = (\"alice@example.com\") AND (a, b) = (1, \"bob\") OFFSET \"x9\""))
                    .isEqualTo("SELECT * FROM t WHERE email = (?) AND (a, b) = (?, ?) OFFSET ?");
            assertThat(sql("UPDATE \"t\" SET \"a\" = 1 FROM \"u\" JOIN \"v\" ON \"u\".\"id\" = \"v\".id"))
                    .isEqualTo("UPDATE \"t\" SET ? = ? FROM \"u\" JOIN \"v\" ON \"u\".\"id\" = \"v\".id");
        }

        @Test
        void credentialClausesAreReplacedWhateverTheirQuoting() {
            assertThat(sql("ALTER USER scott IDENTIFIED BY tiger")).isEqualTo("ALTER USER scott IDENTIFIED BY ?");
            assertThat(sql("CREATE USER 'app'@'%' IDENTIFIED BY 'S3cret!'")).isEqualTo("CREATE USER ?@? IDENTIFIED BY ?");
            assertThat(sql("CREATE USER app IDENTIFIED WITH mysql_native_password BY \"S3cret\""))
                    .isEqualTo("CREATE USER app IDENTIFIED WITH mysql_native_password BY ?");
            assertThat(sql("ALTER ROLE app WITH LOGIN PASSWORD \"S3cret\" VALID UNTIL 'infinity'"))
                    .isEqualTo("ALTER ROLE app WITH LOGIN PASSWORD ? VALID UNTIL ?");
            assertThat(SqlSanitizer.defaults().sanitize("ALTER ROLE app PASSWORD \"S3cret\"", DatabaseVendor.POSTGRESQL).sql())
                    .isEqualTo("ALTER ROLE app PASSWORD ?");
            assertThat(sql("CREATE USER bob PASSWORD 'x1'")).isEqualTo("CREATE USER bob PASSWORD ?");
            assertThat(sql("ALTER LOGIN sa WITH PASSWORD = 'S3cret'")).isEqualTo("ALTER LOGIN sa WITH PASSWORD = ?");
            assertThat(sql("SET PASSWORD = PASSWORD('S3cret')")).isEqualTo("SET PASSWORD = PASSWORD(?)");
            assertThat(sql("CREATE DATABASE LINK remote CONNECT TO scott IDENTIFIED BY tiger USING 'db'"))
                    .isEqualTo("CREATE DATABASE LINK remote CONNECT TO scott IDENTIFIED BY ? USING ?");
            // a column named password is not a credential clause
            assertThat(sql("SELECT password FROM users WHERE password = ?")).isEqualTo("SELECT password FROM users WHERE password = ?");
        }

        @Test
        void doubleQuotedTextWhereAValueIsExpectedIsTreatedAsAMysqlString() {
            assertThat(sql("SELECT * FROM t WHERE name = \"Bob\" AND city LIKE \"Par\" AND c IN (\"x\", \"y\") AND d BETWEEN \"a\" AND \"b\""))
                    .isEqualTo("SELECT * FROM t WHERE name = ? AND city LIKE ? AND c IN (?) AND d BETWEEN ? AND ?");
            assertThat(sql("INSERT INTO t (a, b) VALUES (\"one\", \"two\")")).isEqualTo("INSERT INTO t (a, b) VALUES (?, ?)");
            assertThat(sql("SELECT concat(\"pre\", name) FROM t")).isEqualTo("SELECT concat(?, name) FROM t");
        }

        @Test
        void doubleQuotedTextThatDoesNotLookLikeANameIsReplacedAnywhere() {
            assertThat(sql("SELECT \"hello world\", \"a\"\"b\", \"1abc\", \"\", \"x-y\" FROM t"))
                    .isEqualTo("SELECT ?, ?, ?, ?, ? FROM t");
        }

        @Test
        void doubleQuotedColumnListsStay() {
            assertThat(sql("INSERT INTO \"t\" (\"a\", \"b\") VALUES (?, ?)")).isEqualTo("INSERT INTO \"t\" (\"a\", \"b\") VALUES (?, ?)");
            assertThat(sql("CREATE TABLE IF NOT EXISTS \"t\" (\"id\" INT)")).isEqualTo("CREATE TABLE IF NOT EXISTS \"t\" (\"id\" INT)");
        }

        @Test
        void backtickIdentifiersStay() {
            assertThat(sql("SELECT `id`, `order items` FROM `db`.`t` WHERE `id` = 5"))
                    .isEqualTo("SELECT `id`, `order items` FROM `db`.`t` WHERE `id` = ?");
        }

        @Test
        void backtickIdentifiersWithControlCharactersAreReplaced() {
            assertThat(sql("SELECT `a\nb` FROM t")).isEqualTo("SELECT ? FROM t");
        }
    }

    @Nested
    class Lists {

        @Test
        void inListsOfValuesCollapseToOnePlaceholder() {
            assertThat(sql("SELECT * FROM t WHERE id IN (1, 2, 3) AND name IN ('a','b') AND x in(?,?,?) AND y IN ($1, $2) AND z NOT IN (NULL, 4)"))
                    .isEqualTo("SELECT * FROM t WHERE id IN (?) AND name IN (?) AND x in(?) AND y IN (?) AND z NOT IN (?)");
        }

        @Test
        void inListsOfDifferentLengthShareAFingerprint() {
            assertThat(fingerprint("SELECT * FROM t WHERE id IN (1)"))
                    .isEqualTo(fingerprint("SELECT * FROM t WHERE id IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)"))
                    .isEqualTo(fingerprint("select * from t where id in (?, ?)"));
        }

        @Test
        void inListsWithColumnsOrSubqueriesKeepTheirShape() {
            assertThat(sql("SELECT * FROM t WHERE a IN (1, b, 3) AND c IN (SELECT id FROM u WHERE v = 2) AND d IN ()"))
                    .isEqualTo("SELECT * FROM t WHERE a IN (?, b, ?) AND c IN (SELECT id FROM u WHERE v = ?) AND d IN ()");
        }

        @Test
        void multiRowValuesCollapseToOneRow() {
            assertThat(sql("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (NULL, DEFAULT)"))
                    .isEqualTo("INSERT INTO t (a, b) VALUES (?, ?)");
            assertThat(fingerprint("INSERT INTO t (a, b) VALUES (1, 'x')"))
                    .isEqualTo(fingerprint("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z')"))
                    .isEqualTo(fingerprint("INSERT INTO t (a, b) VALUES (?, ?)"));
        }

        @Test
        void valuesRowsWithExpressionsKeepTheirShape() {
            assertThat(sql("INSERT INTO t VALUES (1, now()), (2, 'b'), (3, 'c'), (lower('D'), 4), (5, 6)"))
                    .isEqualTo("INSERT INTO t VALUES (?, now()), (?, ?), (lower(?), ?), (?, ?)");
        }

        @Test
        void valuesFollowedByMoreClausesEndsTheRows() {
            assertThat(sql("INSERT INTO t (a) VALUES (1), (2) ON DUPLICATE KEY UPDATE a = VALUES(a), b = (3)"))
                    .isEqualTo("INSERT INTO t (a) VALUES (?) ON DUPLICATE KEY UPDATE a = VALUES(a), b = (?)");
            assertThat(sql("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v (n, s)"))
                    .isEqualTo("SELECT * FROM (VALUES (?, ?)) AS v (n, s)");
        }
    }

    @Nested
    class CommentsAndWhitespace {

        @Test
        void lineAndBlockCommentsAreRemoved() {
            assertThat(sql("SELECT a -- secret 'x'\n, b /* secret 'y' */ FROM t # mysql secret\nWHERE c = 1"))
                    .isEqualTo("SELECT a , b FROM t WHERE c = ?");
        }

        @Test
        void nestedBlockCommentsAreRemovedWhole() {
            assertThat(sql("SELECT /* outer /* inner 'x' */ still comment 42 */ a FROM t"))
                    .isEqualTo("SELECT a FROM t");
        }

        @Test
        void aCommentSeparatesTokensLikeWhitespace() {
            assertThat(sql("SELECT a/**/FROM t")).isEqualTo("SELECT a FROM t");
        }

        @Test
        void postgresHashOperatorsAreNotComments() {
            assertThat(sql("SELECT data #> '{a,b}', data #>> '{c}', data #- '{d}' FROM j"))
                    .isEqualTo("SELECT data #> ?, data #>> ?, data #- ? FROM j");
        }

        @Test
        void whitespaceRunsBecomeOneSpaceAndTheResultIsTrimmed() {
            assertThat(sql("  \n\tSELECT\r\n  a,\t\tb\n\nFROM    t \u00a0 WHERE\u2028c = 1 \n  "))
                    .isEqualTo("SELECT a, b FROM t WHERE c = ?");
        }

        @Test
        void noSpaceIsAddedWhereThereWasNone() {
            assertThat(sql("SELECT a,b FROM t WHERE id=1 AND f(x)>2")).isEqualTo("SELECT a,b FROM t WHERE id=? AND f(x)>?");
        }

        @Test
        void emptyAndBlankStatementsGiveEmptyText() {
            SanitizedSql blank = sanitizer.sanitize(" \n -- only a comment");

            assertThat(blank.sql()).isEmpty();
            assertThat(blank.summary()).isEqualTo("UNKNOWN");
            assertThat(blank.fingerprint()).isEqualTo(sanitizer.sanitize("").fingerprint());
        }
    }

    @Nested
    class Fingerprints {

        @Test
        void statementsDifferingInCaseSpacingAndLiteralsShareAFingerprint() {
            assertThat(fingerprint("select * from T where id=1")).isEqualTo(fingerprint("SELECT * FROM t WHERE id = 2"));
            assertThat(fingerprint("UPDATE account SET note = 'a' /* c */ WHERE id = -1"))
                    .isEqualTo(fingerprint("update   ACCOUNT\nset NOTE = $$b$$ where ID = 99 -- x"));
        }

        @Test
        void statementsWithADifferentShapeHaveDifferentFingerprints() {
            String base = fingerprint("SELECT * FROM account WHERE id = 1");

            assertThat(fingerprint("SELECT * FROM ledger WHERE id = 1")).isNotEqualTo(base);
            assertThat(fingerprint("SELECT * FROM account WHERE id > 1")).isNotEqualTo(base);
            assertThat(fingerprint("SELECT * FROM account WHERE id = 1 AND x = 2")).isNotEqualTo(base);
        }

        @Test
        void quotedIdentifiersKeepTheirCaseInTheFingerprint() {
            assertThat(fingerprint("SELECT * FROM \"Account\"")).isNotEqualTo(fingerprint("SELECT * FROM \"account\""));
        }

        @Test
        void theFingerprintIsPinnedSoThatAnAlgorithmChangeIsNoticed() {
            // SHA-256("select * from account where id = ?"), first 8 bytes, computed once and pinned
            assertThat(fingerprint("SELECT * FROM account WHERE id = 42")).isEqualTo("f5fa39657c1bcea2");
            // SHA-256("update \"Account\" set note = ? , n = ? where id in ( ? )")
            assertThat(fingerprint("UPDATE \"Account\" SET note = 'x', n = -1.5e3 WHERE id IN (1,2,3)"))
                    .isEqualTo("dc920ea23227fa6e");
        }

        @Test
        void theFingerprintIsSixteenLowercaseHexDigits() {
            assertThat(fingerprint("SELECT 1")).matches("[0-9a-f]{16}");
        }

        @Test
        void theFingerprintCoversTheWholeStatementEvenWhenTheTextIsTruncated() {
            SqlSanitizer small = SqlSanitizer.withMaxLength(64);
            String prefix = "SELECT " + "a, ".repeat(50);

            SanitizedSql one = small.sanitize(prefix + "b FROM t");
            SanitizedSql other = small.sanitize(prefix + "c FROM t");

            assertThat(one.sql()).isEqualTo(other.sql());
            assertThat(one.fingerprint()).isNotEqualTo(other.fingerprint());
            assertThat(one.fingerprint()).isEqualTo(SqlSanitizer.defaults().sanitize(prefix + "b FROM t").fingerprint());
        }
    }

    @Nested
    class Truncation {

        @Test
        void longOutputIsCutAtATokenBoundaryAndMarked() {
            SqlSanitizer small = SqlSanitizer.withMaxLength(80);

            SanitizedSql result = small.sanitize("SELECT alpha, beta, gamma, delta, epsilon, zeta, eta, theta, iota, kappa, lambda FROM t");

            assertThat(result.truncated()).isTrue();
            assertThat(result.sql()).hasSizeLessThanOrEqualTo(80)
                    .isEqualTo("SELECT alpha, beta, gamma, delta, epsilon, zeta, eta, theta, iota," + MARKER);
        }

        @Test
        void outputThatFitsExactlyIsNotTruncated() {
            String statement = "SELECT a FROM t WHERE b = 1 AND c = 2 AND dddddddddddddddddddddd = 3";
            String expected = "SELECT a FROM t WHERE b = ? AND c = ? AND dddddddddddddddddddddd = ?";

            SanitizedSql result = SqlSanitizer.withMaxLength(expected.length()).sanitize(statement);

            assertThat(result.truncated()).isFalse();
            assertThat(result.sql()).isEqualTo(expected);
        }

        @Test
        void aFirstTokenLongerThanTheLimitLeavesOnlyTheMarker() {
            SanitizedSql result = SqlSanitizer.withMaxLength(64).sanitize("x".repeat(500) + " FROM t");

            assertThat(result.sql()).isEqualTo(MARKER.trim());
            assertThat(result.truncated()).isTrue();
        }
    }

    @Nested
    class MalformedInput {

        @ParameterizedTest
        @ValueSource(strings = {
            "SELECT * FROM t WHERE a = 'never closed secret",
            "SELECT * FROM t WHERE a = E'never closed \\' secret",
            "SELECT * FROM t WHERE a = $$never closed secret",
            "SELECT * FROM t WHERE a = $tag$never closed secret $other$",
            "SELECT * FROM t WHERE a = \"never closed secret",
            "SELECT * FROM t WHERE a = q'[never closed secret'",
            "SELECT * FROM t WHERE a = `never closed secret",
        })
        void everythingAfterAnUnterminatedQuoteIsRedacted(String statement) {
            SanitizedSql result = sanitizer.sanitize(statement);

            assertThat(result.sql()).isEqualTo("SELECT * FROM t WHERE a = ?");
            assertThat(result.summary()).isEqualTo("SELECT t");
        }

        @Test
        void anUnterminatedCommentDropsTheRest() {
            assertThat(sql("SELECT a FROM t /* never closed 'secret' /* nested */")).isEqualTo("SELECT a FROM t");
        }

        @Test
        void anOverlongDollarQuoteTagRedactsTheRest() {
            String tag = "t".repeat(64);

            assertThat(sql("SELECT $" + tag + "$ secret $" + tag + "$ FROM t")).isEqualTo("SELECT ?");
        }

        @ParameterizedTest
        @ValueSource(strings = {"'", "\"", "$", "$$", "$a", "E'", "U&", "q'", "/*", "--", "#", ":", "-", ")", "((", "\\",
            "IN (", "VALUES (1", "VALUES (1),", "\uD800", "x\uDC00y", "SELECT \uD83D\uDE00 FROM t", "{?=", "."})
        void fragmentsNeverThrow(String statement) {
            SanitizedSql result = sanitizer.sanitize(statement);

            assertThat(result.sql()).doesNotContain("\uD800", "\uDC00").doesNotContain("\n");
            assertThat(result.fingerprint()).matches("[0-9a-f]{16}");
        }
    }

    @Nested
    class AmbiguousBackslashes {

        @Test
        void mysqlBackslashEscapedQuotesDoNotLeakTheRestOfTheString() {
            SanitizedSql result = sanitizer.sanitize("UPDATE users SET name = 'O\\'Brien secret' WHERE token = 'tok\\'en'");

            assertThat(result.sql()).doesNotContain("Brien", "secret", "tok", "en'").startsWith("UPDATE users SET name = ?");
            assertThat(result.summary()).isEqualTo("UPDATE users");
        }

        @Test
        void standardStringsEndingInABackslashDoNotLeakTheNextString() {
            SanitizedSql result = sanitizer.sanitize("SELECT * FROM files WHERE dir = 'C:\\' AND owner = 'secret'");

            assertThat(result.sql()).doesNotContain("secret", "C:").startsWith("SELECT * FROM files WHERE dir = ?");
        }

        @Test
        void mysqlDoubleQuotedStringsWithBackslashesAreRedacted() {
            assertThat(sql("SELECT * FROM t WHERE a = \"say \\\"secret\\\"\" AND b = 1")).doesNotContain("secret", "say");
        }

        @Test
        void textThatTheBackslashReadingSeesAsACommentIsHiddenToo() {
            // MySQL reads 'a\' , ' as one string and "-- x' note_text" as a comment
            assertThat(sql("SELECT 'a\\' , ' -- x' note_text\nFROM t")).isEqualTo("SELECT ? FROM t");
        }

        @Test
        void statementsWithoutBackslashesInStringsKeepTheirFullShape() {
            assertThat(sql("SELECT E'a\\'b', c FROM t WHERE d = 'x'")).isEqualTo("SELECT ?, c FROM t WHERE d = ?");
        }
    }

    @Nested
    class Summaries {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            SELECT * FROM account WHERE id = 1                                   | SELECT account
            select a.id from public.account a join ledger l on l.a = a.id        | SELECT public.account
            SELECT (SELECT max(x) FROM inner_t) FROM outer_t                     | SELECT outer_t
            SELECT * FROM (SELECT * FROM nested_t) x                             | SELECT nested_t
            SELECT extract(year from created) FROM orders                        | SELECT orders
            SELECT 1                                                             | SELECT
            (SELECT a FROM t1) UNION (SELECT a FROM t2)                          | SELECT t1
            UPDATE account SET balance = 0                                       | UPDATE account
            update ONLY "Account" set x = 1                                      | UPDATE "Account"
            INSERT INTO ledger (a) VALUES (1)                                    | INSERT ledger
            INSERT IGNORE INTO `ledger` SET a = 1                                | INSERT `ledger`
            insert or replace into cache values (1)                              | INSERT cache
            REPLACE INTO kv VALUES (1, 2)                                        | REPLACE kv
            MERGE INTO target t USING source s ON t.id = s.id                    | MERGE target
            DELETE FROM orders WHERE id = 5                                      | DELETE orders
            CALL transfer(1, 2, 300)                                             | CALL transfer
            {call transfer(?, ?)}                                                | CALL transfer
            {?= call bank.balance(?)}                                            | CALL bank.balance
            EXEC dbo.cleanup                                                     | EXEC dbo.cleanup
            WITH x AS (SELECT * FROM a WHERE v = 3) UPDATE b SET c = 1           | UPDATE b
            WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n FROM r) SELECT n FROM r | SELECT r
            WITH x AS (SELECT 1)                                                 | WITH
            TRUNCATE TABLE events                                                | TRUNCATE events
            CREATE UNIQUE INDEX idx ON t (a)                                     | CREATE INDEX
            drop table t                                                         | DROP TABLE
            VACUUM ANALYZE t                                                     | VACUUM
            'just a literal'                                                     | UNKNOWN
            """)
        void theSummaryNamesTheVerbAndTheFirstTable(String statement, String expected) {
            assertThat(summary(statement)).isEqualTo(expected);
        }

        @Test
        void theSummaryIsAtMostSixtyFourCharacters() {
            String table = "t".repeat(100);

            assertThat(summary("SELECT * FROM " + table)).isEqualTo("SELECT " + "t".repeat(57)).hasSize(64);
            assertThat(summary("x".repeat(200))).hasSize(32);
        }

        @Test
        void theSummaryNeverContainsALiteral() {
            assertThat(summary("SELECT 'secret'")).isEqualTo("SELECT");
            assertThat(summary("SELECT * FROM 'secret'")).isEqualTo("SELECT");
            assertThat(summary("INSERT INTO \"se cret\" VALUES (1)")).isEqualTo("INSERT");
            assertThat(summary("CALL $$secret$$")).isEqualTo("CALL");
        }
    }

    @Test
    void anH2StyleStatementKeepsItsStructure() {
        SanitizedSql result = sanitizer.sanitize(
                "MERGE INTO \"PUBLIC\".\"ACCOUNT\" KEY(\"ID\") VALUES (1, 'alice@example.com', 100.50, TRUE)");

        assertThat(result.sql()).isEqualTo("MERGE INTO \"PUBLIC\".\"ACCOUNT\" KEY(\"ID\") VALUES (?, ?, ?, ?)");
        assertThat(result.summary()).isEqualTo("MERGE \"PUBLIC\".\"ACCOUNT\"");
    }

    @Test
    void anH2ErrorMessageStatementLosesItsLiterals() {
        // H2 repeats the statement in its messages, with [*] where parsing stopped
        SanitizedSql result = sanitizer.sanitize(
                "INSERT INTO PUBLIC.ACCOUNT(ID, EMAIL) VALUES (1, 'bob@example.com') [*]");

        assertThat(result.sql()).isEqualTo("INSERT INTO PUBLIC.ACCOUNT(ID, EMAIL) VALUES (?, ?) [*]");
        assertThat(result.summary()).isEqualTo("INSERT PUBLIC.ACCOUNT");
    }

    @Nested
    class LargeStatements {

        private static final int TEN_MEGABYTES = 10 * 1024 * 1024;
        private static final Duration GENEROUS = Duration.ofSeconds(5);

        private String repeatTo(String unit, int length) {
            return unit.repeat(length / unit.length() + 1);
        }

        @Test
        void aTenMegabyteInsertFinishesInBoundedTime() {
            String statement = "INSERT INTO t (a, b, c, d) VALUES "
                    + repeatTo("(1, 'it''s', E'x\\'y', $$z$$), ", TEN_MEGABYTES) + "(2, 'last', 'x', 'y')";

            SanitizedSql result = assertTimeoutPreemptively(GENEROUS, () -> sanitizer.sanitize(statement));

            assertThat(result.sql()).isEqualTo("INSERT INTO t (a, b, c, d) VALUES (?, ?, ?, ?)");
            assertThat(result.truncated()).isFalse();
        }

        @Test
        void aTenMegabyteListThatIsNotCollapsibleFinishesInBoundedTime() {
            String statement = "SELECT * FROM t WHERE a IN (" + repeatTo("1,", TEN_MEGABYTES) + "x)";

            SanitizedSql result = assertTimeoutPreemptively(GENEROUS, () -> sanitizer.sanitize(statement));

            assertThat(result.sql()).startsWith("SELECT * FROM t WHERE a IN (?,?,?").hasSizeLessThanOrEqualTo(4000);
            assertThat(result.truncated()).isTrue();
        }

        @Test
        void tenMegabytesOfAmbiguousBackslashStringsFinishInBoundedTime() {
            String statement = "SELECT " + repeatTo("'a\\', 'b', ", TEN_MEGABYTES) + "1 FROM t";

            SanitizedSql result = assertTimeoutPreemptively(GENEROUS, () -> sanitizer.sanitize(statement));

            assertThat(result.sql()).doesNotContain("a", "b");
        }

        @Test
        void tenMegabytesOfNestingAndSignsFinishInBoundedTime() {
            String statement = "SELECT " + repeatTo("(- ", TEN_MEGABYTES / 2) + repeatTo("$a", TEN_MEGABYTES / 2);

            SanitizedSql result = assertTimeoutPreemptively(GENEROUS, () -> sanitizer.sanitize(statement));

            assertThat(result.sql()).hasSizeLessThanOrEqualTo(4000);
            assertThat(result.summary()).isEqualTo("SELECT");
        }
    }
}
