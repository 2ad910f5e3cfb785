package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.h2.jdbc.JdbcSQLIntegrityConstraintViolationException;
import org.h2.jdbc.JdbcSQLTimeoutException;
import org.h2.jdbc.JdbcSQLTransactionRollbackException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

class DriverMessageRedactorTest {

    private static final String EMAIL = "jane@example.com";

    @Nested
    class LeaksNamedInTheDesign {

        @Test
        void postgresKeyValuesAreReplacedAndTheColumnListStays() {
            String message = pg("23505", "duplicate key value violates unique constraint \"users_email_key\"",
                    "Key (email)=(jane@example.com) already exists.");

            assertThat(message).contains(EMAIL);
            assertThat(DriverMessageRedactor.redact(message)).isEqualTo("ERROR: duplicate key value violates unique "
                    + "constraint \"users_email_key\" Detail: Key (email)=(?) already exists.");
        }

        @Test
        void postgresFailingRowValuesAreReplaced() {
            String message = pg("23502", "null value in column \"name\" of relation \"users\" violates not-null "
                    + "constraint", "Failing row contains (42, jane@example.com, null, 2026-11-25 10:00:00+00).");

            assertThat(DriverMessageRedactor.redact(message)).isEqualTo("ERROR: null value in column \"name\" of "
                    + "relation \"users\" violates not-null constraint Detail: Failing row contains (?).");
        }

        @Test
        void mariaDbDuplicateEntryValueIsReplacedAndTheKeyNameStays() {
            assertThat(DriverMessageRedactor.redact("(conn=56) Duplicate entry 'jane@example.com' for key 'email'"))
                    .isEqualTo("(conn=56) Duplicate entry '?' for key 'email'");
        }

        @Test
        void mariaDbDuplicateEntryWithQuotesInsideTheValueIsReplacedWhole() {
            assertThat(DriverMessageRedactor.redact("Duplicate entry 'O'Brien-42' for key 'users.name_age'"))
                    .isEqualTo("Duplicate entry '?' for key 'users.name_age'");
        }

        @Test
        void h2StatementTextIsDroppedAndItsErrorCodeSuffixKept() {
            String message = new JdbcSQLIntegrityConstraintViolationException(
                    "Unique index or primary key violation: \"PUBLIC.CONSTRAINT_INDEX_4 ON PUBLIC.USERS(EMAIL NULLS "
                    + "FIRST) VALUES ( /* 1 */ 'jane@example.com' )\"",
                    "INSERT INTO t VALUES (1, 'jane@example.com')", "23505", 23505, null, null).getMessage();

            assertThat(message).contains("SQL statement:\nINSERT INTO t VALUES (1, 'jane@example.com') [23505-252]");
            assertThat(DriverMessageRedactor.redact(message))
                    .isEqualTo("Unique index or primary key violation: \"?\" [23505-252]");
        }
    }

    @Nested
    class MeasuredMessages {

        @Test
        void postgresDeadlockKeepsPidsTransactionIdsAndTheTuple() {
            String message = pg("40P01", "deadlock detected",
                    "Process 19076 waits for ShareLock on transaction 1090; blocked by process 19074.\n"
                    + "Process 19074 waits for ShareLock on transaction 1091; blocked by process 19076.",
                    "See server log for query details.", "while updating tuple (0,1) in relation \"t\"");

            assertThat(DriverMessageRedactor.redact(message)).isEqualTo("ERROR: deadlock detected Detail: Process "
                    + "19076 waits for ShareLock on transaction 1090; blocked by process 19074. Process 19074 waits "
                    + "for ShareLock on transaction 1091; blocked by process 19076. Hint: See server log for query "
                    + "details. Where: while updating tuple (0,1) in relation \"t\"");
        }

        @Test
        void postgresMessagesWithoutDataAreKeptWordForWord() {
            assertUnchanged("ERROR: could not serialize access due to concurrent update");
            assertUnchanged("ERROR: canceling statement due to user request");
            assertUnchanged("ERROR: canceling statement due to statement timeout");
            assertUnchanged("FATAL: terminating connection due to administrator command");
            assertUnchanged("An I/O error occurred while sending to the backend.");
            assertUnchanged("This connection has been closed.");
            assertUnchanged("ERROR: current transaction is aborted, commands ignored until end of transaction block");
            assertThat(DriverMessageRedactor.redact("ERROR: could not serialize access due to read/write dependencies "
                    + "among transactions\n  Detail: Reason code: Canceled on identification as a pivot, during commit "
                    + "attempt.\n  Hint: The transaction might succeed if retried.")).isEqualTo("ERROR: could not "
                    + "serialize access due to read/write dependencies among transactions Detail: Reason code: "
                    + "Canceled on identification as a pivot, during commit attempt. Hint: The transaction might "
                    + "succeed if retried.");
            assertThat(DriverMessageRedactor.redact("ERROR: canceling statement due to lock timeout\n  Where: while "
                    + "updating tuple (0,1) in relation \"t\"")).isEqualTo("ERROR: canceling statement due to lock "
                    + "timeout Where: while updating tuple (0,1) in relation \"t\"");
        }

        @Test
        void mariaDbMessagesKeepTheConnectionIdAndTableNames() {
            assertUnchanged("(conn=56) Deadlock found when trying to get lock; try restarting transaction");
            assertUnchanged("(conn=66) Record has changed since last read in table 't'; try restarting transaction");
            assertUnchanged("(conn=73) Lock wait timeout exceeded; try restarting transaction");
            assertUnchanged("(conn=76) Query execution was interrupted (max_statement_time exceeded)");
            assertUnchanged("(conn=95) Query execution was interrupted");
            assertUnchanged("(conn=87) Socket error");
            assertUnchanged("(conn=87) Connection is closed");
            assertUnchanged("(conn=58) Access denied; you need (at least one of) the PROCESS privilege(s) for this "
                    + "operation");
        }

        @Test
        void h2MessagesLoseTheirStatementButKeepTheirMeaning() {
            String deadlock = new JdbcSQLTransactionRollbackException(
                    "Deadlock detected. The current transaction was rolled back. Details: \"T\"",
                    "UPDATE t SET v = v + 20 WHERE id = 1", "40001", 40001, null, null).getMessage();
            String lockTimeout = new JdbcSQLTimeoutException("Timeout trying to lock table \"T\"",
                    "UPDATE t SET v = 2 WHERE id = 1", "HYT00", 50200, null, null).getMessage();
            String cancelled = new JdbcSQLTimeoutException("Statement was canceled or the session timed out",
                    "SELECT COUNT(*) FROM t a, t b WHERE a.v > 41", "57014", 57014, null, null).getMessage();

            assertThat(DriverMessageRedactor.redact(deadlock))
                    .isEqualTo("Deadlock detected. The current transaction was rolled back. Details: \"T\" "
                            + "[40001-252]");
            assertThat(DriverMessageRedactor.redact(lockTimeout))
                    .isEqualTo("Timeout trying to lock table \"T\" [50200-252]");
            assertThat(DriverMessageRedactor.redact(cancelled))
                    .isEqualTo("Statement was canceled or the session timed out [57014-252]");
            assertUnchanged("Database is already closed (to disable automatic closing at VM shutdown, add "
                    + "\";DB_CLOSE_ON_EXIT=FALSE\" to the db URL) [90121-252]");
            assertUnchanged("The database has been closed [90098-252]");
        }

        @Test
        void h2DeadlockVictimCauseLosesTheKeyValuesButKeepsTheTransactions() {
            String cause = "Transaction 2 has been chosen as a deadlock victim. Details: Transaction 2 attempts to "
                    + "update map <table.4> entry with key <1> modified by transaction 1(27) OPEN 2\nTransaction 1 "
                    + "attempts to update map <table.4> entry with key <2> modified by transaction 2(28) OPEN 1";

            assertThat(DriverMessageRedactor.redact(cause)).isEqualTo("Transaction 2 has been chosen as a deadlock "
                    + "victim. Details: Transaction 2 attempts to update map <table.4> entry with key <?> modified by "
                    + "transaction 1(27) OPEN 2 Transaction 1 attempts to update map <table.4> entry with key <?> "
                    + "modified by transaction 2(28) OPEN 1");
        }

        @Test
        void hsqldbAndSqliteMessagesAreKept() {
            assertUnchanged("transaction rollback: serialization failure");
            assertUnchanged("[SQLITE_BUSY] The database file is locked (database is locked)");
        }
    }

    @Nested
    class OtherFormats {

        @Test
        void postgresInvalidInputValueIsReplacedButIdentifiersStay() {
            assertThat(DriverMessageRedactor.redact("ERROR: invalid input syntax for type integer: \"jane\""))
                    .isEqualTo("ERROR: invalid input syntax for type integer: \"?\"");
            assertThat(DriverMessageRedactor.redact("ERROR: value \"99999999999\" is out of range for type integer"))
                    .isEqualTo("ERROR: value \"?\" is out of range for type integer");
            assertThat(DriverMessageRedactor.redact("ERROR: invalid input syntax for type json\n  Detail: Token "
                    + "\"jane\" is invalid.")).isEqualTo("ERROR: invalid input syntax for type json Detail: Token \"?\" "
                    + "is invalid.");
            assertThat(DriverMessageRedactor.redact("ERROR: syntax error at or near \"jane\""))
                    .isEqualTo("ERROR: syntax error at or near \"?\"");
            assertUnchanged("ERROR: relation \"accounts\" does not exist");
            assertUnchanged("ERROR: \"accounts\" is not a view");
        }

        @Test
        void postgresForeignKeyAndExclusionDetailsLoseTheirValues() {
            assertThat(DriverMessageRedactor.redact("Key (customer_id)=(4711) is not present in table \"customers\"."))
                    .isEqualTo("Key (customer_id)=(?) is not present in table \"customers\".");
            assertThat(DriverMessageRedactor.redact("Key (room, during)=(101, [\"2026-01-01 10:00\",\"2026-01-01 "
                    + "11:00\")) conflicts with existing key (room, during)=(101, [\"2026-01-01 09:00\",\"2026-01-01 "
                    + "10:30\")).")).isEqualTo("Key (room, during)=(?) conflicts with existing key (room, during)=(?).");
            assertThat(DriverMessageRedactor.redact("Key (lower(email::text))=(jane@example.com) already exists."))
                    .isEqualTo("Key (lower(email::text))=(?) already exists.");
        }

        @Test
        void postgresPlpgsqlContextLosesTheStatement() {
            assertThat(DriverMessageRedactor.redact("ERROR: division by zero\n  Where: SQL statement \"UPDATE t SET "
                    + "v = 10 / 0 WHERE id = 42\"\nPL/pgSQL function f(integer) line 3 at SQL statement"))
                    .isEqualTo("ERROR: division by zero Where: SQL statement \"?\" PL/pgSQL function f(integer) line "
                            + "3 at SQL statement");
        }

        @Test
        void pgjdbcBatchEntryStatementIsDropped() {
            assertThat(DriverMessageRedactor.redact("Batch entry 0 INSERT INTO users (id, email) VALUES (42, "
                    + "'jane@example.com') was aborted: ERROR: duplicate key value violates unique constraint "
                    + "\"users_email_key\"\n  Detail: Key (email)=(jane@example.com) already exists.  Call "
                    + "getNextException to see other errors in the batch.")).isEqualTo("Batch entry 0 was aborted: "
                    + "ERROR: duplicate key value violates unique constraint \"users_email_key\" Detail: Key "
                    + "(email)=(?) already exists. Call getNextException to see other errors in the batch.");
        }

        @Test
        void mysqlSyntaxErrorFragmentIsReplaced() {
            assertThat(DriverMessageRedactor.redact("You have an error in your SQL syntax; check the manual that "
                    + "corresponds to your MariaDB server version for the right syntax to use near 'WHERE email = "
                    + "'jane@example.com'' at line 1")).isEqualTo("You have an error in your SQL syntax; check the "
                    + "manual that corresponds to your MariaDB server version for the right syntax to use near '?' "
                    + "at line 1");
        }

        @Test
        void mysqlValueErrorsKeepTheColumnName() {
            assertThat(DriverMessageRedactor.redact("Incorrect integer value: 'jane' for column 'age' at row 1"))
                    .isEqualTo("Incorrect integer value: '?' for column 'age' at row 1");
            assertUnchanged("Table 'app.accounts' doesn't exist");
            assertUnchanged("Column 'email' cannot be null");
        }

        @Test
        void mariaDbQueryDumpIsDropped() {
            assertThat(DriverMessageRedactor.redact("(conn=12) Duplicate entry '42' for key 'PRIMARY'\nQuery is: "
                    + "INSERT INTO t VALUES (?, ?), parameters [42,'jane@example.com']"))
                    .isEqualTo("(conn=12) Duplicate entry '?' for key 'PRIMARY'");
        }

        @Test
        void sqlServerDuplicateKeyValueIsReplacedAndObjectNamesStay() {
            assertThat(DriverMessageRedactor.redact("Violation of UNIQUE KEY constraint 'UQ_users_email'. Cannot "
                    + "insert duplicate key in object 'dbo.users'. The duplicate key value is (jane@example.com)."))
                    .isEqualTo("Violation of UNIQUE KEY constraint 'UQ_users_email'. Cannot insert duplicate key in "
                            + "object 'dbo.users'. The duplicate key value is (?).");
            assertThat(DriverMessageRedactor.redact("Conversion failed when converting the varchar value 'jane' to "
                    + "data type int.")).isEqualTo("Conversion failed when converting the varchar value '?' to data "
                    + "type int.");
            assertThat(DriverMessageRedactor.redact("INSERT INTO t VALUES (N'jane')"))
                    .isEqualTo("INSERT INTO t VALUES (?)");
        }

        @Test
        void oracleColumnValuesAreReplaced() {
            assertThat(DriverMessageRedactor.redact("ORA-00001: unique constraint (APP.UK_EMAIL) violated on table "
                    + "APP.USERS columns (EMAIL)\nORA-03301: (ORA-00001 details) row with column values "
                    + "(EMAIL:'jane@example.com', ID:42) already exists")).isEqualTo("ORA-00001: unique constraint "
                    + "(APP.UK_EMAIL) violated on table APP.USERS columns (EMAIL) ORA-03301: (ORA-00001 details) row "
                    + "with column values (?) already exists");
        }

        @Test
        void quotedTextIsReplacedButApostrophesInWordsAreNot() {
            assertThat(DriverMessageRedactor.redact("can't compare 'jane' with 'joe''s'"))
                    .isEqualTo("can't compare '?' with '?'");
            assertThat(DriverMessageRedactor.redact("unterminated 'jane@example.com and more"))
                    .isEqualTo("unterminated '?'");
        }

        @Test
        void nestedQuotesInsideAKeptIdentifierAreStillReplaced() {
            assertThat(DriverMessageRedactor.redact("Data conversion error converting \"'jane' (USERS: AGE INTEGER)\""))
                    .isEqualTo("Data conversion error converting \"'?' (USERS: AGE INTEGER)\"");
        }

        @Test
        void lineBreaksControlAndFormatCharactersCollapseToOneSpace() {
            assertThat(DriverMessageRedactor.redact("a\r\n\tb\u0000c\u001b[31md\u2028e\u202Ef  \n g\n"))
                    .isEqualTo("a b c [31md e f g");
        }

        @Test
        void theResultIsAtMostAThousandCharsAndMarkedWhenCut() {
            String redacted = DriverMessageRedactor.redact("x".repeat(50_000));

            assertThat(redacted).hasSize(DriverMessageRedactor.MAX_LENGTH).endsWith("...");
            assertThat(DriverMessageRedactor.redact("y".repeat(1000))).isEqualTo("y".repeat(1000));
        }

        @Test
        void aSurrogatePairIsNotCutInHalf() {
            String redacted = DriverMessageRedactor.redact("x".repeat(996) + "\uD83D\uDE00" + "z".repeat(10));

            assertThat(redacted).isEqualTo("x".repeat(996) + "...");
        }

        @Test
        void nullStaysNullAndEmptyStaysEmpty() {
            assertThat(DriverMessageRedactor.redact(null)).isNull();
            assertThat(DriverMessageRedactor.redact("")).isEmpty();
            assertThat(DriverMessageRedactor.redact(" \n ")).isEmpty();
        }

        @Test
        void adversarialInputIsHandledInLinearTime() {
            String[] patterns = {"Duplicate entry '", "near '", "Batch entry 1 ", ")=(", "row contains (",
                "VALUES (", "'", "\"", "key <", "\n  Detail: (", "SQL statement:"};
            for (String pattern : patterns) {
                String input = pattern.repeat(1_000_000 / pattern.length());
                Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
                        () -> assertThat(DriverMessageRedactor.redact(input)).hasSizeLessThanOrEqualTo(1000),
                        pattern);
            }
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

        assertThat(message).contains(secret);
        assertThat(redacted).doesNotContain(secret).doesNotContain("\n").hasSizeLessThanOrEqualTo(1000);
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

    private static void assertUnchanged(String message) {
        assertThat(DriverMessageRedactor.redact(message)).isEqualTo(message);
    }

    /** A message exactly as pgjdbc renders a server error with detail, hint and where. */
    private static String pg(String state, String message, String... detailHintWhere) {
        StringBuilder fields = new StringBuilder("SERROR\0VERROR\0C").append(state).append("\0M").append(message)
                .append('\0');
        char[] keys = {'D', 'H', 'W'};
        for (int i = 0; i < detailHintWhere.length; i++) {
            fields.append(keys[i]).append(detailHintWhere[i]).append('\0');
        }
        return new PSQLException(new ServerErrorMessage(fields.toString())).getMessage();
    }
}
