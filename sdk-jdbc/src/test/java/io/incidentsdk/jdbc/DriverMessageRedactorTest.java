package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.h2.jdbc.JdbcSQLIntegrityConstraintViolationException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Message shapes per vendor (PostgreSQL via pgjdbc's own rendering, MariaDB/MySQL, H2 via its own exception
 * classes, Oracle, SQL Server): each row is the vendor, the failed statement, the driver's message and what
 * may enter a record. Compared with the pattern-based redactor before issue 12 this is intentionally stricter:
 * a name the database echoes stays only if the statement shows it (constraint and schema names that the
 * statement does not mention become {@code ?}), numbers stay only after a word that says what they count,
 * words outside the message vocabulary become {@code ?}, and context sections ({@code Where:}) lose their
 * content.
 */
class DriverMessageRedactorTest {

    static Stream<Arguments> table() {
        return Stream.of(
                row(DatabaseVendor.POSTGRESQL, "INSERT INTO users (id, email) VALUES (?, ?)",
                        pg("23505", "duplicate key value violates unique constraint \"users_email_key\"", "Key (email)=(jane@example.com) already exists."),
                        "ERROR: duplicate key value violates unique constraint \"?\" Detail: Key (email)=(?) already exists."),
                row(DatabaseVendor.POSTGRESQL, "INSERT INTO users (id, name) VALUES (42, NULL)",
                        pg("23502", "null value in column \"name\" of relation \"users\" violates not-null constraint", "Failing row contains (42, jane@example.com, null, 2026-11-25 10:00:00+00)."),
                        "ERROR: null value in column \"name\" of relation \"users\" violates not-null constraint Detail: Failing row contains (?)."),
                row(DatabaseVendor.POSTGRESQL, "UPDATE t SET v = v + 1 WHERE id = 1",
                        pg("40P01", "deadlock detected", "Process 19076 waits for ShareLock on transaction 1090; blocked by process 19074.\nProcess 19074 waits for ShareLock on transaction 1091; blocked by process 19076.", "See server log for query details.", "while updating tuple (0,1) in relation \"t\""),
                        "ERROR: deadlock detected Detail: Process 19076 waits for ShareLock on transaction 1090; blocked by process 19074. Process 19074 waits for ShareLock on transaction 1091; blocked by process 19076. Hint: See server log for query details. Where: ?"),
                row(DatabaseVendor.POSTGRESQL, "SELECT CAST(? AS integer)",
                        "ERROR: invalid input syntax for type integer: \"jane\"quoted\" value\"",
                        "ERROR: invalid input syntax for type integer: \"?\""),
                row(DatabaseVendor.POSTGRESQL, "SELECT CAST(? AS integer)",
                        "ERROR: value \"99999999999\" is out of range for type integer",
                        "ERROR: value \"?\" is out of range for type integer"),
                row(DatabaseVendor.POSTGRESQL, "SELECT CAST(? AS json)",
                        pg("22P02", "invalid input syntax for type json", "Token \"jane\" is invalid.", null, "JSON data, line 1: {\"card\": 4111111111111111, \"jane"),
                        "ERROR: invalid input syntax for type json Detail: Token \"?\" is invalid. Where: ?"),
                row(DatabaseVendor.POSTGRESQL, "SELECT * FROM accounts WHERE emial = ?",
                        "ERROR: column \"emial\" does not exist\n  Position: 29",
                        "ERROR: column \"emial\" does not exist Position: 29"),
                row(DatabaseVendor.POSTGRESQL, "SELECT * FROM t WHERE email = \"jane@example.com\"",
                        "ERROR: column \"jane@example.com\" does not exist\n  Position: 31",
                        "ERROR: column \"?\" does not exist Position: 31"),
                row(DatabaseVendor.POSTGRESQL, "SELECT * FROM accounts",
                        "ERROR: relation \"accounts\" does not exist",
                        "ERROR: relation \"accounts\" does not exist"),
                row(DatabaseVendor.POSTGRESQL, "SELECT 1",
                        "ERROR: syntax error at or near \"jane\"",
                        "ERROR: syntax error at or near \"?\""),
                row(DatabaseVendor.POSTGRESQL, "INSERT INTO orders (customer_id) VALUES (?)",
                        pg("23503", "insert or update on table \"orders\" violates foreign key constraint \"orders_customer_id_fkey\"", "Key (customer_id)=(4711) is not present in table \"customers\"."),
                        "ERROR: insert or update on table \"orders\" violates foreign key constraint \"?\" Detail: Key (customer_id)=(?) is not present in table \"?\"."),
                row(DatabaseVendor.POSTGRESQL, "SELECT f(1)",
                        pg("22012", "division by zero", null, null, "SQL statement \"UPDATE t SET v = 10 / 0 WHERE id = 42\"\nPL/pgSQL function f(integer) line 3 at SQL statement"),
                        "ERROR: division by zero Where: ?"),
                row(DatabaseVendor.POSTGRESQL, "INSERT INTO users (id, email) VALUES (?, ?)",
                        "Batch entry 0 INSERT INTO users (id, email) VALUES (42, 'jane@example.com') was aborted: ERROR: duplicate key value violates unique constraint \"users_email_key\"\n  Detail: Key (email)=(jane@example.com) already exists.  Call getNextException to see other errors in the batch.",
                        "Batch entry 0 was aborted: ERROR: duplicate key value violates unique constraint \"?\" Detail: Key (email)=(?) already exists. Call getNextException to see other errors in the batch."),
                row(DatabaseVendor.POSTGRESQL, "UPDATE t SET v = 1",
                        "ERROR: could not serialize access due to read/write dependencies among transactions\n  Detail: Reason code: Canceled on identification as a pivot, during commit attempt.\n  Hint: The transaction might succeed if retried.",
                        "ERROR: could not serialize access due to read/write dependencies among transactions Detail: Reason code: Canceled on identification as a pivot, during commit attempt. Hint: The transaction might succeed if retried."),
                row(DatabaseVendor.POSTGRESQL, "UPDATE t SET v = 1",
                        "ERROR: canceling statement due to lock timeout\n  Where: while updating tuple (0,1) in relation \"t\"",
                        "ERROR: canceling statement due to lock timeout Where: ?"),
                row(DatabaseVendor.POSTGRESQL, null,
                        "Connection to 10.1.2.3:55432 refused. Check that the hostname and port are correct and that the "
                                + "postmaster is accepting TCP/IP connections.",
                        "Connection to ?.?.?.?:? refused. Check that the hostname and port are correct and that the "
                                + "postmaster is accepting TCP/IP connections."),
                row(DatabaseVendor.POSTGRESQL, null,
                        "FATAL: password authentication failed for user \"app_rw\"",
                        "FATAL: password authentication failed for user \"?\""),
                row(DatabaseVendor.POSTGRESQL, "SELECT 1",
                        "FATAL: terminating connection due to administrator command",
                        "FATAL: terminating connection due to administrator command"),
                row(DatabaseVendor.POSTGRESQL, "SELECT 1",
                        "An I/O error occurred while sending to the backend.",
                        "An I/O error occurred while sending to the backend."),
                row(DatabaseVendor.POSTGRESQL, "SELECT 1",
                        "ERROR: current transaction is aborted, commands ignored until end of transaction block",
                        "ERROR: current transaction is aborted, commands ignored until end of transaction block"),
                row(DatabaseVendor.MARIADB, "INSERT INTO users (id, email) VALUES (?, ?)",
                        "(conn=56) Duplicate entry 'jane@example.com' for key 'email'",
                        "(conn=56) Duplicate entry '?' for key 'email'"),
                row(DatabaseVendor.MARIADB, "INSERT INTO users (name, age) VALUES (?, ?)",
                        "Duplicate entry 'O'Brien-42' for key 'users.name_age'",
                        "Duplicate entry '?' for key 'users.?'"),
                row(DatabaseVendor.MARIADB, "INSERT INTO users (name) VALUES (?)",
                        "(conn=7) Duplicate entry 'it' s mine' for key 'name'",
                        "(conn=7) Duplicate entry '?' for key 'name'"),
                row(DatabaseVendor.MARIADB, "UPDATE t SET v = 1 WHERE id = 1",
                        "(conn=56) Deadlock found when trying to get lock; try restarting transaction",
                        "(conn=56) Deadlock found when trying to get lock; try restarting transaction"),
                row(DatabaseVendor.MARIADB, "UPDATE t SET v = 1 WHERE id = 1",
                        "(conn=66) Record has changed since last read in table 't'; try restarting transaction",
                        "(conn=66) Record has changed since last read in table 't'; try restarting transaction"),
                row(DatabaseVendor.MARIADB, "UPDATE t SET v = 1 WHERE id = 1",
                        "(conn=73) Lock wait timeout exceeded; try restarting transaction",
                        "(conn=73) Lock wait timeout exceeded; try restarting transaction"),
                row(DatabaseVendor.MARIADB, "SELECT SLEEP(5)",
                        "(conn=76) Query execution was interrupted (max_statement_time exceeded)",
                        "(conn=76) Query execution was interrupted (max_statement_time exceeded)"),
                row(DatabaseVendor.MARIADB, "SHOW ENGINE INNODB STATUS",
                        "(conn=58) Access denied; you need (at least one of) the PROCESS privilege(s) for this operation",
                        "(conn=58) Access denied; you need (at least one of) the PROCESS privilege(s) for this operation"),
                row(DatabaseVendor.MARIADB, "SELECT * FROM t WHERE email = ?",
                        "You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near 'WHERE email = 'jane@example.com'' at line 1",
                        "You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near '?' at line 1"),
                row(DatabaseVendor.MARIADB, "INSERT INTO people (age) VALUES (?)",
                        "Incorrect integer value: 'jane' for column `app`.`people`.`age` at row 1",
                        "Incorrect integer value: '?' for column `?`.`people`.`age` at row 1"),
                row(DatabaseVendor.MARIADB, "INSERT INTO people (age) VALUES (?)",
                        "Incorrect integer value: 'jane' for column 'age' at row 1",
                        "Incorrect integer value: '?' for column 'age' at row 1"),
                row(DatabaseVendor.MARIADB, "SELECT * FROM accounts",
                        "Table 'app.accounts' doesn't exist",
                        "Table '?.accounts' doesn't exist"),
                row(DatabaseVendor.MARIADB, "INSERT INTO accounts (email) VALUES (NULL)",
                        "Column 'email' cannot be null",
                        "Column 'email' cannot be null"),
                row(DatabaseVendor.MARIADB, "INSERT INTO t (a) VALUES (?)",
                        "(conn=12) Duplicate entry '42' for key 'PRIMARY'\nQuery is: INSERT INTO t VALUES (?, ?), parameters [42,'jane@example.com']",
                        "(conn=12) Duplicate entry '?' for key '?'"),
                row(DatabaseVendor.MARIADB, "INSERT INTO t (d) VALUES (?)",
                        "(conn=9) Incorrect date value: '2026-13-45 jane' for column `test`.`t`.`d` at row 1",
                        "(conn=9) Incorrect date value: '?' for column `?`.`t`.`d` at row 1"),
                row(DatabaseVendor.MARIADB, "SELECT * FROM t WHERE email = \"jane@example.com\"",
                        "(conn=9) Unknown column 'jane@example.com' in 'where clause'",
                        "(conn=9) Unknown column '?' in '?'"),
                row(DatabaseVendor.MARIADB, "INSERT INTO t (j) VALUES (?)",
                        "(conn=9) CONSTRAINT `t.j` failed for `test`.`t`",
                        "(conn=9) CONSTRAINT `t.j` failed for `?`.`t`"),
                row(DatabaseVendor.MARIADB, "INSERT INTO t (s) VALUES (?)",
                        "(conn=9) Data too long for column 's' at row 1",
                        "(conn=9) Data too long for column 's' at row 1"),
                row(DatabaseVendor.H2, "INSERT INTO users (id, email) VALUES (?, ?)",
                        h2("Unique index or primary key violation: \"PUBLIC.CONSTRAINT_INDEX_4 ON PUBLIC.USERS(EMAIL NULLS FIRST) VALUES ( /* 1 */ 'jane@example.com' )\"", "INSERT INTO users VALUES (1, 'jane@example.com')", "23505"),
                        "Unique index or primary key violation: \"?\" [23505-252]"),
                row(DatabaseVendor.H2, "UPDATE t SET v = v + 20 WHERE id = 1",
                        h2("Deadlock detected. The current transaction was rolled back. Details: \"T\"", "UPDATE t SET v = v + 20 WHERE id = 1", "40001"),
                        "Deadlock detected. The current transaction was rolled back. Details: \"T\" [40001-252]"),
                row(DatabaseVendor.H2, "UPDATE t SET v = 2 WHERE id = 1",
                        h2("Timeout trying to lock table \"T\"", "UPDATE t SET v = 2 WHERE id = 1", "50200"),
                        "Timeout trying to lock table \"T\" [50200-252]"),
                row(DatabaseVendor.H2, "SELECT CAST(? AS INT)",
                        h2("Data conversion error converting \"'jane@example.com' (USERS: AGE INTEGER)\"", "SELECT CAST('jane@example.com' AS INT)", "22018"),
                        "Data conversion error converting \"?\" [22018-252]"),
                row(DatabaseVendor.H2, "SELECT DATE ?",
                        h2("Cannot parse \"DATE\" constant \"jane-01-01\"", "SELECT DATE 'jane-01-01'", "22007"),
                        "Cannot parse \"DATE\" constant \"?\" [22007-252]"),
                row(DatabaseVendor.H2, "SELECT * FROM users WHERE emial = ?",
                        h2("Column \"EMIAL\" not found", "SELECT * FROM users WHERE emial = ?", "42122"),
                        "Column \"EMIAL\" not found [42122-252]"),
                row(DatabaseVendor.H2, "SELECT * FROM users WHERE email = \"jane@example.com\"",
                        h2("Column \"jane@example.com\" not found", "SELECT * FROM users WHERE email = \"jane@example.com\"", "42122"),
                        "Column \"?\" not found [42122-252]"),
                row(DatabaseVendor.H2, "INSERT INTO t (name) VALUES (?)",
                        h2("Value too long for column \"NAME CHARACTER VARYING(5)\": \"'jane@example.com' (16)\"", "INSERT INTO t (name) VALUES ('jane@example.com')", "22001"),
                        "Value too long for column \"?\": \"?\" [22001-252]"),
                row(DatabaseVendor.H2, "SELECT * FROM t WHERE x = ?",
                        h2("Syntax error in SQL statement \"SELECT * FROM t WHERE x = 'jane\"s' [*]\"; expected \"identifier\"", "SELECT * FROM t WHERE x = 'jane\"s'", "42001"),
                        "Syntax error in SQL statement \"?\"; expected \"?\" [42001-252]"),
                row(DatabaseVendor.H2, "UPDATE t SET v = 1",
                        "Transaction 2 has been chosen as a deadlock victim. Details: Transaction 2 attempts to update map <table.4> entry with key <4111111111111111> modified by transaction 1(27) OPEN 2\nTransaction 1 attempts to update map <table.4> entry with key <2> modified by transaction 2(28) OPEN 1",
                        "Transaction 2 has been chosen as a deadlock victim. Details: Transaction 2 attempts to update map <table.?> entry with key <?> modified by transaction 1(?) OPEN ? Transaction 1 attempts to update map <table.?> entry with key <?> modified by transaction 2(?) OPEN ?"),
                row(DatabaseVendor.ORACLE, "INSERT INTO users (id, email) VALUES (?, ?)",
                        "ORA-00001: unique constraint (APP.UK_EMAIL) violated on table APP.USERS columns (EMAIL)\nORA-03301: (ORA-00001 details) row with column values (EMAIL:'jane@example.com', ID:42) already exists",
                        "ORA-00001: unique constraint (?) violated on table ?.USERS columns (EMAIL) ORA-03301: (ORA-00001 details) row with column values (?) already exists"),
                row(DatabaseVendor.ORACLE, "SELECT TO_NUMBER(?) FROM dual",
                        "ORA-01722: invalid number",
                        "ORA-01722: invalid number"),
                row(DatabaseVendor.ORACLE, "INSERT INTO users (name) VALUES (?)",
                        "ORA-12899: value too large for column \"APP\".\"USERS\".\"NAME\" (actual: 40, maximum: 20)",
                        "ORA-12899: value too large for column \"?\".\"USERS\".\"NAME\" (?)"),
                row(DatabaseVendor.ORACLE, "INSERT INTO users (email) VALUES (?)",
                        "ORA-01400: cannot insert NULL into (\"APP\".\"USERS\".\"EMAIL\")",
                        "ORA-01400: cannot insert NULL into (?)"),
                row(DatabaseVendor.ORACLE, "SELECT TO_DATE(?, 'YYYY') FROM dual",
                        "ORA-01858: a non-numeric character was found where a numeric was expected",
                        "ORA-01858: a non-numeric character was found where a numeric was expected"),
                row(DatabaseVendor.SQL_SERVER, "INSERT INTO users (email) VALUES (?)",
                        "Violation of UNIQUE KEY constraint 'UQ_users_email'. Cannot insert duplicate key in object 'dbo.users'. The duplicate key value is (jane@example.com).",
                        "Violation of UNIQUE KEY constraint '?'. Cannot insert duplicate key in object '?.users'. The duplicate key value is (?)."),
                row(DatabaseVendor.SQL_SERVER, "SELECT CAST(? AS int)",
                        "Conversion failed when converting the varchar value 'jane' to data type int.",
                        "Conversion failed when converting the varchar value '?' to data type int."),
                row(DatabaseVendor.SQL_SERVER, "INSERT INTO users (email) VALUES (?)",
                        "Cannot insert the value NULL into column 'email', table 'app.dbo.users'; column does not allow nulls. INSERT fails.",
                        "Cannot insert the value NULL into column 'email', table '?.?.users'; column does not allow nulls. INSERT fails."),
                row(DatabaseVendor.SQL_SERVER, "INSERT INTO users (name) VALUES (?)",
                        "String or binary data would be truncated in table 'app.dbo.users', column 'name'. Truncated value: 'jane@exa'.",
                        "String or binary data would be truncated in table '?.?.users', column 'name'. Truncated value: '?'."),
                row(DatabaseVendor.SQL_SERVER, "UPDATE t SET v = 1",
                        "Transaction (Process ID 52) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction.",
                        "Transaction (Process ID 52) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction."),
                row(DatabaseVendor.UNKNOWN, null,
                        "can't compare 'jane' with 'joe''s'",
                        "can't compare '?' with '?'"),
                row(DatabaseVendor.UNKNOWN, null,
                        "\u001b[31mERROR\u001b[0m: boom \"jane\"",
                        "ERROR: ? \"?\""));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("table")
    void eachVendorsMessageShapeKeepsItsTemplateAndLosesItsValues(DatabaseVendor vendor, String sql, String message,
                                                                   String expected) {
        SanitizedSql sanitized = sql == null ? null : SqlSanitizer.defaults().sanitize(sql, vendor);

        String redacted = DriverMessageRedactor.redact(message, vendor, sanitized);

        assertThat(redacted).isEqualTo(expected);
        assertThat(redacted).doesNotContain("jane", "4111", "O'Br", "mine", "2026", "4711", "9999");
    }

    @Test
    void anIdentifierEchoedByTheDatabaseStaysOnlyIfTheStatementShowsIt() {
        String message = "ERROR: column \"emial\" does not exist";

        assertThat(DriverMessageRedactor.redact(message, DatabaseVendor.POSTGRESQL,
                SqlSanitizer.defaults().sanitize("SELECT emial FROM t", DatabaseVendor.POSTGRESQL)))
                .isEqualTo("ERROR: column \"emial\" does not exist");
        assertThat(DriverMessageRedactor.redact(message, DatabaseVendor.POSTGRESQL,
                SqlSanitizer.defaults().sanitize("SELECT 'emial' FROM t", DatabaseVendor.POSTGRESQL)))
                .isEqualTo("ERROR: column \"?\" does not exist");
        assertThat(DriverMessageRedactor.redact(message)).isEqualTo("ERROR: column \"?\" does not exist");
    }

    @Test
    void ansiEscapeSequencesAreRemovedWhole() {
        assertThat(DriverMessageRedactor.redact("\u001b[31mERROR\u001b[0m: deadlock \u001b[1;4mdetected\u001b[m"))
                .isEqualTo("ERROR: deadlock detected");
    }

    @Test
    void lineBreaksControlAndFormatCharactersCollapseToOneSpace() {
        assertThat(DriverMessageRedactor.redact("lock\r\n\ttimeout\u0000exceeded\u2028on\u202Etable  \n t\n"))
                .isEqualTo("lock timeout exceeded on table t");
    }

    @Test
    void whatCannotBeParsedIsReplaced() {
        assertThat(DriverMessageRedactor.redact("can't compare 'jane' with 'joe''s'")).isEqualTo("can't compare '?' with '?'");
        assertThat(DriverMessageRedactor.redact("unterminated 'jane@example.com and more")).isEqualTo("? '?");
        assertThat(DriverMessageRedactor.redact("Zq3k8 w9x")).isEqualTo("?");
    }

    @Test
    void theResultIsAtMostAThousandCharsAndMarkedWhenCut() {
        String redacted = DriverMessageRedactor.redact("lock ".repeat(10_000));

        assertThat(redacted).hasSize(DriverMessageRedactor.MAX_LENGTH).endsWith("...");
        assertThat(DriverMessageRedactor.redact("x".repeat(50_000))).isEqualTo("?");
    }

    @Test
    void nullStaysNullAndEmptyStaysEmpty() {
        assertThat(DriverMessageRedactor.redact(null)).isNull();
        assertThat(DriverMessageRedactor.redact(null, DatabaseVendor.H2, null)).isNull();
        assertThat(DriverMessageRedactor.redact("")).isEmpty();
        assertThat(DriverMessageRedactor.redact(" \n ")).isEmpty();
    }

    @Test
    void adversarialInputIsHandledInLinearTime() {
        String[] patterns = {"Duplicate entry '", "near '", "Batch entry 1 ", ")=(", "row contains (",
            "VALUES (", "'", "\"", "key <", "\n  Detail: (", "SQL statement:", "(", "'a' ", ": \"", "\n  Where: x"};
        for (String pattern : patterns) {
            String input = pattern.repeat(1_000_000 / pattern.length());
            Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThat(DriverMessageRedactor.redact(input, DatabaseVendor.UNKNOWN,
                            SqlSanitizer.defaults().sanitize("SELECT a FROM t"))).hasSizeLessThanOrEqualTo(1000),
                    pattern);
        }
    }

    private static final List<String> TEMPLATES = List.of(
            "Key (email)=(%s) already exists.",
            "Key (a, b)=(%s, %s) is not present in table \"t\".",
            "Failing row contains (%s, null).",
            "Duplicate entry '%s' for key 'email'",
            "Incorrect string value: '%s' for column 'name' at row 1",
            "invalid input syntax for type uuid: \"%s\"",
            "The duplicate key value is (%s).",
            "row with column values (EMAIL:'%s') already exists",
            "Unique index or primary key violation: \"PK VALUES ( /* 1 */ '%s' )\"; SQL statement:\n"
                    + "INSERT INTO t VALUES ('%s') [23505-252]",
            "Batch entry 3 INSERT INTO t VALUES ('%s') was aborted: ERROR: boom",
            "near 'WHERE x = '%s'' at line 1",
            "SQL statement \"SELECT '%s'\"",
            "update ... where name = '%s'");

    static Stream<Arguments> generatedLeaks() {
        long seed = 4_2026_11_25L;
        Random random = new Random(seed);
        return IntStream.range(0, 300).mapToObj(i -> {
            StringBuilder secret = new StringBuilder("Zq");
            String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789@.-_+";
            int length = 4 + random.nextInt(24);
            for (int k = 0; k < length; k++) {
                secret.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            StringBuilder message = new StringBuilder(random.nextBoolean() ? "ERROR: something failed\n  Detail: " : "");
            int parts = 1 + random.nextInt(3);
            for (int p = 0; p < parts; p++) {
                String template = TEMPLATES.get(random.nextInt(TEMPLATES.size()));
                message.append(template.replace("%s", secret));
                message.append(List.of(" ", "; ", "\n  Hint: ", "\n", ". ").get(random.nextInt(5)));
            }
            return Arguments.of("seed " + seed + " #" + i, message.toString(), secret.toString());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generatedLeaks")
    void noGeneratedValueSurvives(String name, String message, String secret) {
        String redacted = DriverMessageRedactor.redact(message);
        // what the message says without the secret: its 4-character pieces there are template, not data
        String template = DriverMessageRedactor.redact(message.replace(secret, "Q"));

        assertThat(message).contains(secret);
        assertThat(redacted).doesNotContain(secret).doesNotContain("\n").hasSizeLessThanOrEqualTo(1000);
        for (int i = 0; i + 4 <= secret.length(); i++) {
            String piece = secret.substring(i, i + 4);
            assertThat(redacted.contains(piece) && !template.contains(piece)).as(piece + " in " + redacted).isFalse();
        }
    }

    static Stream<Arguments> randomGarbage() {
        long seed = 7_2026_11_25L;
        Random random = new Random(seed);
        String alphabet = "ab '\"()=[]-;:\n\r\t\u0000\u202E\uD83D\uDE00\uDE00 Key Failing row contains VALUES "
                + "Duplicate entry near ' at line Batch entry 1 was aborted key <>SQL statement:Query is:";
        return IntStream.range(0, 300).mapToObj(i -> {
            int length = random.nextInt(i % 10 == 0 ? 40_000 : 400);
            StringBuilder text = new StringBuilder(length);
            for (int k = 0; k < length; k++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return Arguments.of("seed " + seed + " #" + i, text.toString());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomGarbage")
    void anyInputGivesABoundedSingleLineWithoutThrowing(String name, String message) {
        assertThatCode(() -> DriverMessageRedactor.redact(message)).doesNotThrowAnyException();

        String redacted = DriverMessageRedactor.redact(message);
        assertThat(redacted).hasSizeLessThanOrEqualTo(DriverMessageRedactor.MAX_LENGTH);
        assertThat(redacted.chars().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT))
                .isTrue();
        assertThat(redacted).isNotEqualTo("(message withheld)");
    }

    private static Arguments row(DatabaseVendor vendor, String sql, String message, String expected) {
        return Arguments.of(vendor, sql, message, expected);
    }

    /** A message exactly as pgjdbc renders a server error with detail, hint and where. */
    private static String pg(String state, String message, String... detailHintWhere) {
        StringBuilder fields = new StringBuilder("SERROR\0VERROR\0C").append(state).append("\0M").append(message)
                .append('\0');
        char[] keys = {'D', 'H', 'W'};
        for (int i = 0; i < detailHintWhere.length; i++) {
            if (detailHintWhere[i] != null) {
                fields.append(keys[i]).append(detailHintWhere[i]).append('\0');
            }
        }
        return new PSQLException(new ServerErrorMessage(fields.toString())).getMessage();
    }

    /** A message exactly as H2 2.x renders it: the text, then {@code ; SQL statement:}, the SQL and the code. */
    private static String h2(String text, String sql, String code) {
        return new JdbcSQLIntegrityConstraintViolationException(text, sql, code, Integer.parseInt(code.replaceAll("\\D", "")),
                null, null).getMessage();
    }
}
