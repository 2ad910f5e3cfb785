package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentsdk.DatabaseInfo;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.sink.InMemorySink;
import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The acceptance test of issue 12: private literals of many shapes, in every literal syntax of the database,
 * in statements executed for real on H2, PostgreSQL and MariaDB through a watched data source that records
 * every failure category; every record the in-memory sink receives is serialized ({@link IncidentJson}) and
 * searched for any 4-character piece of the statement's literals. Target: no leak.
 *
 * <p>Each statement carries a unique alias ({@code q<n>}), so each failure is its own incident (a repeat of an
 * open incident would only be counted, and its message would never be looked at) and each record is checked
 * against the literals of its own statement. What is compared: every string value of the record except the
 * SDK's own ids, times and fingerprints and the database's own numbers that the redactor keeps by design
 * (H2's {@code [code-build]}, {@code Position: N}, {@code line N}, {@code conn=N}, process and transaction
 * ids, the SQLState and vendor code): those are the database's, not the data. The test's own identifiers
 * (table and alias names) are removed too. A piece must hold at least two letters or digits.
 *
 * <p>The seed is random per run and printed with every failure; {@code -Dincident.leakSeed=N} repeats a run.
 * The figures (statements, records, leaks, time) are written to standard error for the issue note.
 */
@ExtendWith(RealDatabases.class)
class PrivacyLeakTest {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PrivacyLeakTest.class);

    /** Statements with private literals per database; three databases make more than 10,000 per run. */
    private static final int STATEMENTS_PER_DATABASE = 3_400;

    private static final String CONSONANTS = "bcdfghjklmnpqrstvwxzBCDFGHJKLMNPQRSTVWXZ";
    private static final String MIXED = CONSONANTS + "23456789";
    private static final String[] UNICODE_TEXTS = {"Łódź", "Ærøskøb", "東京都", "Ελλάδα", "\uD83D\uDE00\uD83D\uDE80", "naïve",
        "e\u0301\u0301", "Straße", "Ünïcödé", "שלום", "\u202Ertl\u202C", "ǅž"};

    private static final long SEED = Long.getLong("incident.leakSeed", new Random().nextLong());

    // ---------------------------------------------------------------- the generated run

    @ParameterizedTest
    @EnumSource(Database.class)
    void noPieceOfAnyLiteralReachesAnyRecord(Database database, TestDatabases databases) throws Exception {
        long seed = SEED ^ database.ordinal();
        Random random = new Random(seed);
        InMemorySink memory = new InMemorySink(1_000_000);
        IncidentSdk sdk = IncidentSdk.builder().service("leak-test", "1").sink(memory)
                .maxOpenIncidents(1_000_000).sinkQueueCapacity(200_000).build();
        DataSource watched = JdbcIncidents.watch(databases.dataSource(database), sdk, JdbcWatchOptions.builder()
                .dataSourceName("leaks")
                .incidentCategories(EnumSet.allOf(SqlFailureCategory.class))
                .spikeDetection(false)
                .autoCommitRetry(false, 1)
                .build());
        String table = database == Database.H2 ? "leak_rows" : TestDatabases.uniqueName("leak_rows");
        String one = database == Database.H2 ? "leak_one" : TestDatabases.uniqueName("leak_one");
        Run run = new Run(database, random, table, one);
        long started = System.nanoTime();
        try (Connection connection = watched.getConnection(); Statement statement = connection.createStatement()) {
            run.setUp(statement);
            try {
                while (run.statements < STATEMENTS_PER_DATABASE) {
                    run.next(statement);
                }
            } finally {
                run.tearDown(statement);
            }
        } finally {
            sdk.close();
        }
        long executedNanos = System.nanoTime() - started;

        List<IncidentEvent> events = memory.events();
        List<String> leaks = new ArrayList<>();
        int unmapped = 0;
        int batchRecords = 0;
        Set<String> secrets = new HashSet<>();
        if (database != Database.H2) {
            secrets.add(passwordOf(databases, database));
        }
        for (IncidentEvent event : events) {
            JsonNode tree = IncidentJson.toTree(event);
            if (tree.path("error").path("exceptionClass").asText("").contains("Batch")) {
                batchRecords++;
            }
            String text = comparableText(tree, run);
            // the account's password may only be looked for in the URL too (the URL has the database's numbers)
            String withUrl = text + "\n" + tree.path("database").path("url").asText("");
            List<String> literals = new ArrayList<>();
            Matcher alias = ALIAS.matcher(sqlOf(tree));
            if (alias.find()) {
                literals.addAll(run.literalsByAlias.getOrDefault(Integer.parseInt(alias.group(1)), List.of()));
            } else {
                // the sanitizer replaced the rest of the statement, alias included (an ambiguous backslash or
                // quote): compare with every literal of the run
                unmapped++;
                run.literalsByAlias.values().forEach(literals::addAll);
            }
            for (String literal : literals) {
                String piece = leakedPiece(literal, text);
                if (piece != null) {
                    leaks.add(describe(piece, literal, text));
                }
            }
            for (String secret : secrets) {
                String piece = leakedPiece(secret, withUrl);
                if (piece != null) {
                    leaks.add(describe(piece, "(the account password)", withUrl));
                }
            }
        }
        LOG.info(String.format(Locale.ROOT, "privacy leak test, %s (seed %d): %d statements (%d failed), %d records "
                        + "(%d without a statement alias, %d of batches), %d leaks, %d ms", database, seed, run.statements,
                run.failed, events.size(), unmapped, batchRecords, leaks.size(), executedNanos / 1_000_000));
        // MariaDB accepts about half of them (lenient casts); each failure is its own incident but for a few
        // statements whose shape the sanitizer cut short (an ambiguous quote), which repeat one another
        assertThat(run.failed).as("seed %d: statements that failed", seed).isGreaterThan(STATEMENTS_PER_DATABASE / 3);
        assertThat(events.size()).as("seed %d: records", seed).isGreaterThan(run.failed * 3 / 4);
        assertThat(leaks).as("seed %d (-Dincident.leakSeed=%d repeats this run): %d leaks in %d records", seed, SEED,
                leaks.size(), events.size()).isEmpty();
    }

    private static final Pattern ALIAS = Pattern.compile("(?:\\b|_)q(\\d+)\\b");

    private static String describe(String piece, String literal, String text) {
        int at = text.indexOf(piece);
        String around = text.substring(Math.max(0, at - 80), Math.min(text.length(), at + 80)).replace('\n', '|');
        return "piece '" + piece + "' of '" + (literal.length() > 80 ? literal.substring(0, 80) + "..." : literal)
                + "' in ..." + around + "...";
    }

    private static String passwordOf(TestDatabases databases, Database database) {
        return database == Database.POSTGRESQL ? databases.accounts().postgres().password()
                : databases.accounts().mariaDb().password();
    }

    /** One database's run: the statements, their literals by alias, and counts. */
    private static final class Run {
        final Database database;
        final Random random;
        final String table;
        final String one;
        final Map<Integer, List<String>> literalsByAlias = new HashMap<>();
        int statements;
        int failed;
        int nextAlias = 1;
        int nextId = 1;

        Run(Database database, Random random, String table, String one) {
            this.database = database;
            this.random = random;
            this.table = table;
            this.one = one;
        }

        void setUp(Statement statement) throws SQLException {
            String json = switch (database) {
                case POSTGRESQL -> "jsonb";
                case H2 -> "JSON";
                case MARIADB -> "LONGTEXT CHECK (JSON_VALID(j))";
            };
            if (database == Database.MARIADB) {
                statement.execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'");
            }
            statement.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, n INT, "
                    + "d DATE, u VARCHAR(600) UNIQUE, j " + json + ")");
            statement.execute("CREATE TABLE " + one + " (k INT)");
            statement.execute("INSERT INTO " + one + " VALUES (1)");
        }

        void tearDown(Statement statement) throws SQLException {
            if (database != Database.H2) {
                statement.execute("DROP TABLE " + table);
                statement.execute("DROP TABLE " + one);
            }
        }

        /** Runs one generated statement (two for a duplicate key: the first insert succeeds). */
        void next(Statement statement) {
            int alias = nextAlias++;
            String q = "q" + alias;
            Shape shape = Shape.values()[random.nextInt(Shape.values().length)];
            String value = shape.generate(random);
            List<String> literals = new ArrayList<>();
            literals.add(value);
            String rendered = render(value, literals);
            String sql;
            int template = random.nextInt(19);
            switch (template) {
                case 0 -> sql = "INSERT INTO " + table + " (id, name, n) SELECT " + id() + ", 'x', " + rendered
                        + " FROM " + one + " " + q;
                case 1 -> sql = "INSERT INTO " + table + " (id, name, d) SELECT " + id() + ", 'x', " + rendered
                        + " FROM " + one + " " + q;
                case 2 -> sql = "INSERT INTO " + table + " (id, name) SELECT " + id() + ", " + rendered + " FROM "
                        + one + " " + q;
                case 3 -> {
                    execute(statement, "INSERT INTO " + table + " (id, name, u) SELECT " + id() + ", 'x', " + rendered
                            + " FROM " + one + " " + q);
                    sql = "INSERT INTO " + table + " (id, name, u) SELECT " + id() + ", 'x', " + render(value, literals)
                            + " FROM " + one + " " + q;
                }
                case 4 -> sql = "INSERT INTO " + table + " (id, name, u) SELECT " + id() + ", NULL, " + rendered
                        + " FROM " + one + " " + q;
                case 5 -> sql = "INSERT INTO " + table + " (id, name, j) SELECT " + id() + ", 'x', " + rendered
                        + " FROM " + one + " " + q;
                case 6 -> sql = "SELECT CAST(" + rendered + " AS INTEGER) AS " + q + " FROM " + one;
                case 7 -> sql = "SELECT CAST(" + rendered + " AS DATE) AS " + q + " FROM " + one;
                case 8 -> sql = "SELECT * FROM " + table + " " + q + " WHERE " + q + ".n = " + rendered;
                case 9 -> sql = "SELECT " + rendered + " " + render(Shape.values()[random.nextInt(Shape.values().length)]
                        .generate(random), literals) + " AS " + q + " FROM " + one;
                case 10 -> sql = "SELECT * FROM " + table + " " + q + " WHERE " + q + ".name = " + doubleQuoted(value);
                case 11 -> sql = "UPDATE " + table + " " + q + " SET n = " + rendered + " WHERE " + q + ".id = 0";
                case 12 -> sql = database == Database.POSTGRESQL
                        ? "SELECT CAST(" + rendered + " AS jsonb) AS " + q
                        : "SELECT " + rendered + " + 1 AS " + q + " FROM " + one;
                case 13 -> {
                    String card = Shape.CARD.generate(random);
                    literals.add(card);
                    sql = "INSERT INTO " + table + " (id, name, n) SELECT " + id() + ", 'x', " + card + " FROM " + one
                            + " " + q;
                }
                case 14 -> sql = switch (database) {
                    case POSTGRESQL -> "ALTER ROLE nosuch_" + q + " PASSWORD " + (random.nextBoolean()
                            ? doubleQuoted(value) : rendered);
                    case MARIADB -> "ALTER USER 'nosuch_" + q + "'@'localhost' IDENTIFIED BY " + rendered;
                    case H2 -> "ALTER USER nosuch_" + q + " SET PASSWORD " + rendered;
                };
                case 15 -> {
                    String word = Shape.PASSWORD_WORD.generate(random);
                    literals.add(word);
                    sql = "ALTER USER nosuch_" + q + " IDENTIFIED BY " + word;
                }
                case 16 -> sql = "SELECT * FROM " + table + " " + q + " WHERE " + q + ".name = (" + rendered + ") OR ("
                        + q + ".id, " + q + ".name) = (1, " + render(value, literals) + ") OR " + q + ".u = \"" + q
                        + "\" LIMIT 1 OFFSET " + render(value, literals);
                case 17 -> {
                    // a JDBC batch: pgjdbc's "Batch entry N <statement> was aborted" quotes the statement
                    List<String> batch = new ArrayList<>();
                    batch.add("INSERT INTO " + table + " (id, name, u) SELECT " + id() + ", 'x', " + rendered + " FROM "
                            + one + " " + q);
                    batch.add("INSERT INTO " + table + " (id, name, u) SELECT " + id() + ", 'x', "
                            + render(value, literals) + " FROM " + one + " " + q);
                    batch.add("INSERT INTO " + table + " (id, name, n) SELECT " + id() + ", 'x', "
                            + render(value, literals) + " FROM " + one + " " + q);
                    literalsByAlias.put(alias, literals);
                    executeBatch(statement, batch);
                    return;
                }
                default -> sql = "SELECT * FROM " + table + " " + q + " WHERE name = " + doubleQuoted(value)
                        + " AND u IN (" + rendered + ", " + render(value, literals) + ")";
            }
            literalsByAlias.put(alias, literals);
            execute(statement, sql);
        }

        private void execute(Statement statement, String sql) {
            statements++;
            try {
                statement.execute(sql);
            } catch (SQLException e) {
                failed++;
            }
        }

        private void executeBatch(Statement statement, List<String> batch) {
            statements += batch.size();
            try {
                for (String sql : batch) {
                    statement.addBatch(sql);
                }
                statement.executeBatch();
            } catch (SQLException e) {
                failed++;
            } finally {
                try {
                    statement.clearBatch();
                } catch (SQLException e) {
                    failed++;
                }
            }
        }

        private int id() {
            return nextId++;
        }

        /** The value in one of the database's literal syntaxes; what the syntax writes is a literal too. */
        private String render(String value, List<String> literals) {
            List<String> forms = new ArrayList<>();
            forms.add(standard(value));
            forms.add("N" + standard(value));
            String hex = hex(value);
            forms.add("X'" + hex + "'");
            switch (database) {
                case POSTGRESQL -> {
                    forms.add("E'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'");
                    if (!value.contains("$")) {
                        forms.add("$$" + value + "$$");
                        forms.add("$zq$" + value + "$zq$");
                    }
                }
                case MARIADB -> {
                    forms.add(doubleQuoted(value));
                    forms.add("_utf8mb4" + standard(value));
                }
                case H2 -> {
                    if (!value.contains("$$")) {
                        forms.add("$$" + value + "$$");
                    }
                }
            }
            String form = forms.get(random.nextInt(forms.size()));
            if (form.startsWith("X'")) {
                literals.add(hex);
            }
            return form;
        }

        private String standard(String value) {
            String escaped = value.replace("'", "''");
            if (database == Database.MARIADB) {
                escaped = escaped.replace("\\", "\\\\");
            }
            return "'" + escaped + "'";
        }

        /** {@code "..."}: a string on MariaDB (ANSI_QUOTES off), an identifier elsewhere. */
        private String doubleQuoted(String value) {
            String escaped = value.replace("\"", "\"\"");
            if (database == Database.MARIADB) {
                escaped = escaped.replace("\\", "\\\\");
            }
            return "\"" + escaped + "\"";
        }
    }

    private static String hex(String value) {
        StringBuilder hex = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            hex.append(String.format(Locale.ROOT, "%02X", b));
        }
        return hex.toString();
    }

    /** The shapes of private values. */
    enum Shape {
        EMAIL {
            @Override
            String generate(Random r) {
                return word(r, 4, 8) + "." + word(r, 3, 6) + "@" + word(r, 4, 7) + ".xq";
            }
        },
        CARD {
            @Override
            String generate(Random r) {
                StringBuilder card = new StringBuilder("4");
                for (int i = 0; i < 15; i++) {
                    card.append((char) ('0' + r.nextInt(10)));
                }
                return card.toString();
            }
        },
        IBAN {
            @Override
            String generate(Random r) {
                StringBuilder iban = new StringBuilder("DE").append(10 + r.nextInt(90));
                for (int g = 0; g < 4; g++) {
                    iban.append(' ').append(1000 + r.nextInt(9000));
                }
                return iban.append(' ').append(10 + r.nextInt(90)).toString();
            }
        },
        NAME_WITH_QUOTES {
            @Override
            String generate(Random r) {
                String[] marks = {"'", "\"", "''", "\\'", "`", "\\", "\\\"", "'--", "/*"};
                return word(r, 3, 6) + marks[r.nextInt(marks.length)] + word(r, 3, 7) + " " + word(r, 4, 8);
            }
        },
        UNICODE {
            @Override
            String generate(Random r) {
                return word(r, 3, 5) + " " + UNICODE_TEXTS[r.nextInt(UNICODE_TEXTS.length)] + " " + word(r, 3, 5);
            }
        },
        JSON {
            @Override
            String generate(Random r) {
                String json = "{\"" + word(r, 2, 4) + "\": \"" + CARD.generate(r) + "\", \"" + word(r, 2, 4) + "\": [\""
                        + word(r, 3, 6) + "\", " + (1000 + r.nextInt(9000)) + "], \"" + word(r, 2, 3) + "\": {\""
                        + word(r, 2, 3) + "\": \"" + NAME_WITH_QUOTES.generate(r).replace("\\", "").replace("\"", "")
                        + "\"}}";
                // half of them invalid, so that the JSON parser complains and quotes its context
                return r.nextBoolean() ? json : json.substring(0, json.length() - 2) + word(r, 3, 4) + "}";
            }
        },
        LONG {
            @Override
            String generate(Random r) {
                StringBuilder value = new StringBuilder();
                int length = 100 + r.nextInt(300);
                while (value.length() < length) {
                    value.append(word(r, 3, 9)).append(r.nextInt(4) == 0 ? ", " : " ");
                }
                return value.toString().trim();
            }
        },
        QUOTES_AND_ESCAPES {
            @Override
            String generate(Random r) {
                return word(r, 3, 5) + "\\'" + word(r, 3, 5) + "\"\"" + word(r, 3, 5) + "\\n" + word(r, 2, 4) + "%_"
                        + word(r, 3, 5) + "')" + word(r, 3, 4);
            }
        },
        PASSWORD_WORD {
            @Override
            String generate(Random r) {
                return CONSONANTS.charAt(r.nextInt(CONSONANTS.length())) + word(r, 7, 11);
            }
        };

        abstract String generate(Random random);

        /**
         * Random letters and digits, starting and ending with a digit: no English (or SQL) word can be cut
         * out of it, so a piece found in a record is a piece of the value, not of the message's own words.
         */
        static String word(Random r, int min, int max) {
            int length = min + r.nextInt(max - min + 1);
            StringBuilder word = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                boolean edge = i == 0 || i == length - 1;
                word.append(edge ? (char) ('2' + r.nextInt(8)) : MIXED.charAt(r.nextInt(MIXED.length())));
            }
            return word.toString();
        }
    }

    // ---------------------------------------------------------------- the URL forms

    @Test
    void noPieceOfAnyUrlSecretReachesAnyRecord() {
        Random random = new Random(SEED);
        List<String> templates = List.of(
                "jdbc:postgresql://alice:%s@db.internal:5432/shop?sslmode=require",
                "jdbc:mysql://app:%s@address=(host=db.internal)(port=3306)/shop",
                "jdbc:postgresql://db.internal/shop?user=alice&password=%s&pass=%s&auth=%s&sessionid=%s",
                "jdbc:postgresql://db.internal/shop?options=-c%%20password=%s&sslfactoryarg=%s&ApplicationName=shop",
                "jdbc:mariadb://app:%s@db1:3306,db2:3306/shop?useSSL=true",
                "jdbc:mysql://(host=db.internal,port=3306,user=root,password=%s)/shop",
                "jdbc:mysql://address=(host=db.internal)(port=3306)(password=%s)/shop",
                "jdbc:oracle:thin:scott/%s@db.internal:1521/shop",
                "jdbc:oracle:thin:scott/\"%s\"@//db.internal:1521/shop",
                "jdbc:oracle:thin:scott/%s@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=db.internal)(PORT=1521))"
                        + "(CONNECT_DATA=(SERVICE_NAME=shop)))",
                "jdbc:sqlserver://db.internal:1433;databaseName=shop;user=sa;password={%s};encrypt=true",
                "jdbc:sqlserver://db.internal:1433;databaseName=shop;password=%s",
                "jdbc:h2:tcp://sa:%s@db.internal/~/shop;PASSWORD=%s",
                "jdbc:db2://db.internal:50000/shop:user=u;password=%s;",
                "jdbc:derby://db.internal:1527/shop;user=u;password=%s");
        String alphabet = MIXED + "/?;@=&!$%*+-._~:#[](),";
        InMemorySink memory = new InMemorySink(100_000);
        List<String[]> cases = new ArrayList<>();
        try (IncidentSdk sdk = IncidentSdk.builder().service("leak-test", "1").sink(memory).maxOpenIncidents(100_000)
                .build()) {
            for (String template : templates) {
                for (int round = 0; round < 200; round++) {
                    StringBuilder secret = new StringBuilder();
                    int length = 8 + random.nextInt(12);
                    for (int i = 0; i < length; i++) {
                        char c = alphabet.charAt(random.nextInt(alphabet.length()));
                        // inside braces, a SQL Server value writes } as }}
                        secret.append(c);
                    }
                    String value = template.contains("{%s}") ? secret.toString().replace("}", "}}") : secret.toString();
                    String url = template.replace("%%", "%").replace("%s", value);
                    String id = "u" + cases.size();
                    cases.add(new String[] {id, secret.toString(), url});
                    sdk.record(Incident.builder(IncidentKind.CUSTOM, "url case " + id)
                            .fingerprint("url-" + id)
                            .database(new DatabaseInfo("x", null, null, "leaks", url))
                            .build());
                }
            }
        }
        Map<String, String[]> byTitle = new HashMap<>();
        for (String[] c : cases) {
            byTitle.put("url case " + c[0], c);
        }
        List<String> leaks = new ArrayList<>();
        for (IncidentEvent event : memory.events()) {
            String[] c = byTitle.get(event.incident().title());
            String url = event.incident().database().url();
            // the template's own scheme ("jdbc:postgresql:") is not the secret's: a random secret may share four
            // characters with it
            // and a piece the URL holds outside the secret ("pt=t" of "encrypt=true") is the template's own text
            String piece = leakedPiece(c[1], url.replaceFirst("^jdbc:[a-z0-9]+:(thin:)?", " "),
                    c[2].replace(c[1], " ").replace(c[1].replace("}", "}}"), " "));
            if (piece != null) {
                leaks.add("piece '" + piece + "' of '" + c[1] + "' in " + url + " (from " + c[2] + ")");
            }
            assertThat(url).as(c[2]).contains("jdbc:");
        }
        LOG.info(String.format(Locale.ROOT, "privacy leak test, URLs (seed %d): %d URLs, %d records, %d leaks", SEED,
                cases.size(), memory.events().size(), leaks.size()));
        assertThat(memory.events()).hasSize(cases.size());
        assertThat(leaks).as("seed %d", SEED).isEmpty();
    }

    // ---------------------------------------------------------------- comparison

    /** The first 4-character piece of {@code literal} (with two letters or digits at least) found in {@code text}. */
    static String leakedPiece(String literal, String text) {
        return leakedPiece(literal, text, "");
    }

    /**
     * The first 4-character piece of {@code literal} (with two letters or digits at least) found in {@code text}
     * but not in {@code besides} (text the input held outside the literal).
     */
    static String leakedPiece(String literal, String text, String besides) {
        if (literal == null) {
            return null;
        }
        for (int i = 0; i + 4 <= literal.length(); i++) {
            String piece = literal.substring(i, i + 4);
            int alphanumerics = 0;
            for (int k = 0; k < 4; k++) {
                if (Character.isLetterOrDigit(piece.charAt(k))) {
                    alphanumerics++;
                }
            }
            if (alphanumerics >= 2 && text.contains(piece) && !besides.contains(piece)) {
                return piece;
            }
        }
        return null;
    }

    private static final Set<String> SDK_FIELDS = Set.of("schemaVersion", "eventId", "event", "eventTime", "incidentId",
            "fingerprint", "kind", "severity", "firstSeen", "lastSeen", "resolvedAt", "occurrences", "suppressed",
            "service", "sqlState", "vendorCode", "category", "exceptionClass", "transactionRolledBack", "role", "thread",
            "connectionId", "backendId", "transactionAgeMillis", "transactionStatements", "at", "type", "trace",
            "topFingerprints", "rule", "system", "product", "version", "url", "callSite");

    /** The record's string values that may carry data, without the database's own numbers and the test's names. */
    private static String comparableText(JsonNode tree, Run run) {
        StringBuilder text = new StringBuilder();
        collect(tree, null, text);
        String sqlState = tree.path("error").path("sqlState").asText("");
        String vendorCode = tree.path("error").path("vendorCode").asText("");
        // H2's [code-build] first, then the database's own codes (the timeline says "SQLState 42S22, vendor code 42122")
        String comparable = text.toString().replaceAll("\\[[0-9A-Z]{5}-\\d+\\]", " ");
        // the SDK's own vocabulary (category and operation names in summaries and timelines): a random literal
        // may share four characters with CONSTRAINT_VIOLATION
        for (io.incidentsdk.jdbc.SqlFailureCategory category : io.incidentsdk.jdbc.SqlFailureCategory.values()) {
            comparable = comparable.replace(category.name(), " ");
        }
        for (io.incidentsdk.jdbc.internal.wrap.JdbcOperation operation
                : io.incidentsdk.jdbc.internal.wrap.JdbcOperation.values()) {
            comparable = comparable.replace(operation.name(), " ");
        }
        // the application's code location (a summary says "called from Class.method(File.java:42)"): code, not data
        comparable = comparable.replaceAll("[\\w$.]+\\.[\\w$<>]+\\([\\w$]+\\.java:\\d+\\)", " ");
        if (!sqlState.isEmpty()) {
            comparable = comparable.replace(sqlState, " ");
        }
        if (!vendorCode.isEmpty() && !vendorCode.equals("0")) {
            comparable = comparable.replace(vendorCode, " ");
        }
        comparable = comparable
                .replaceAll("(?i)\\b(position|line|row|column|process|transaction|conn|entry|id|pid|version|level|"
                        + "build|port|code|sqlstate)\\b[:= ]*\\d+", " ")
                .replace(run.table, " ").replace(run.one, " ")
                .replace(run.table.toUpperCase(Locale.ROOT), " ").replace(run.one.toUpperCase(Locale.ROOT), " ")
                .replaceAll("(?i)\\b(nosuch_)?q\\d+\\b", " ");
        return comparable;
    }

    private static void collect(JsonNode node, String field, StringBuilder text) {
        if (field != null && SDK_FIELDS.contains(field)) {
            return;
        }
        if (node.isTextual()) {
            text.append(node.asText()).append('\n');
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                collect(entry.getValue(), entry.getKey(), text);
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                collect(element, null, text);
            }
        }
    }

    private static String sqlOf(JsonNode tree) {
        StringBuilder sql = new StringBuilder();
        for (JsonNode statement : tree.path("statements")) {
            sql.append(statement.path("sql").asText("")).append('\n');
        }
        return sql.toString();
    }
}
