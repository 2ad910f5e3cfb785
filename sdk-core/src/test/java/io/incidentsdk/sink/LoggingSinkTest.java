package io.incidentsdk.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.incidentsdk.DatabaseInfo;
import io.incidentsdk.Fixtures;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.RetryInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.StatementInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

class LoggingSinkTest {

    private Logger logger;
    private ListAppender<ILoggingEvent> appender;

    @BeforeEach
    void attachAppender() {
        logger = (Logger) LoggerFactory.getLogger("test.incidents." + System.nanoTime());
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
        appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detachAppender() {
        logger.detachAppender(appender);
        appender.stop();
    }

    @ParameterizedTest(name = "{0} {1} is logged at {2}")
    @MethodSource("levels")
    void theLevelFollowsTheSeverityAndResolvedIsInfo(IncidentEvent.Type type, Severity severity, Level expected) {
        IncidentEvent event = Fixtures.event(type, Fixtures.fullIncident().toBuilder().severity(severity).build());

        LoggingSink.to(logger).publish(event);

        assertThat(appender.list).singleElement().satisfies(e -> assertThat(e.getLevel()).isEqualTo(expected));
    }

    static Stream<Arguments> levels() {
        return Stream.of(
                Arguments.of(IncidentEvent.Type.OPENED, Severity.INFO, Level.INFO),
                Arguments.of(IncidentEvent.Type.OPENED, Severity.WARNING, Level.WARN),
                Arguments.of(IncidentEvent.Type.UPDATED, Severity.ERROR, Level.ERROR),
                Arguments.of(IncidentEvent.Type.OPENED, Severity.CRITICAL, Level.ERROR),
                Arguments.of(IncidentEvent.Type.RESOLVED, Severity.ERROR, Level.INFO),
                Arguments.of(IncidentEvent.Type.RESOLVED, Severity.CRITICAL, Level.INFO));
    }

    @Test
    void oneLineCarriesKindSeverityTitleAndTheKeyValues() {
        IncidentEvent event = Fixtures.event(IncidentEvent.Type.OPENED, Fixtures.fullIncident());
        Incident incident = event.incident();

        LoggingSink.to(logger).publish(event);

        ILoggingEvent logged = appender.list.get(0);
        assertThat(appender.list).hasSize(1);
        assertThat(logged.getFormattedMessage())
                .isEqualTo(LoggingSink.format(event))
                .startsWith("incident OPENED kind=DEADLOCK severity=ERROR title=\"Deadlock on UPDATE account\"")
                .contains("occurrences=3", "database=postgresql", "dataSource=\"ordersDataSource\"",
                        "retry=NOT_RETRIED attempts=1", "incidentId=" + incident.incidentId(),
                        "fingerprint=" + incident.fingerprint(), "eventId=" + event.eventId())
                .doesNotContain("\n");
        Map<String, Object> keyValues = new LinkedHashMap<>();
        for (KeyValuePair pair : logged.getKeyValuePairs()) {
            keyValues.put(pair.key, pair.value);
        }
        assertThat(keyValues).containsEntry("event", "OPENED").containsEntry("kind", "DEADLOCK")
                .containsEntry("severity", "ERROR").containsEntry("title", "Deadlock on UPDATE account")
                .containsEntry("occurrences", 3L).containsEntry("incidentId", incident.incidentId())
                .containsEntry("fingerprint", incident.fingerprint()).containsEntry("eventId", event.eventId());
    }

    @Test
    void theLineAndTheKeyValuesCarryTheFactsAReaderNeeds() {
        Incident incident = Fixtures.fullIncident().toBuilder()
                .statements(java.util.List.of(
                        new StatementInfo(StatementInfo.Role.VICTIM, "stmt:debit",
                                "UPDATE account SET balance = balance - ? WHERE id = ?", "worker-1", "c1", "4711", 12L,
                                java.util.List.of("stmt:credit"), "TransferService.debitFirst(TransferService.java:42)"),
                        new StatementInfo(StatementInfo.Role.BLOCKER, "stmt:credit",
                                "UPDATE account SET balance = balance + ? WHERE id = ?", "worker-2", "c2", "4712", 9L,
                                java.util.List.of("stmt:debit"), "TransferService.creditFirst(TransferService.java:57)")))
                .retry(new RetryInfo(3, RetryInfo.Outcome.SUCCEEDED, null))
                .build();
        IncidentEvent event = Fixtures.event(IncidentEvent.Type.UPDATED, incident);

        LoggingSink.to(logger).publish(event);

        ILoggingEvent logged = appender.list.get(0);
        assertThat(appender.list).hasSize(1);
        assertThat(logged.getFormattedMessage())
                .contains("category=DEADLOCK", "summary=\"Two transactions updated account rows in opposite order.\"",
                        "statements=\"victim: UPDATE account SET balance = balance - ? WHERE id = ? "
                                + "(at TransferService.debitFirst(TransferService.java:42)); blocker: UPDATE account SET "
                                + "balance = balance + ? WHERE id = ? (at TransferService.creditFirst(TransferService.java:57))\"",
                        "hint=\"Update account rows in one order, for example by ascending id.\"",
                        "occurrences=3", "retry=SUCCEEDED attempts=3")
                .endsWith("eventId=" + event.eventId());
        Map<String, Object> keyValues = new LinkedHashMap<>();
        for (KeyValuePair pair : logged.getKeyValuePairs()) {
            keyValues.put(pair.key, pair.value);
        }
        assertThat(keyValues)
                .containsEntry("summary", "Two transactions updated account rows in opposite order.")
                .containsEntry("category", "DEADLOCK").containsEntry("sqlState", "40P01")
                .containsEntry("statements", 2)
                .containsEntry("statement.1.role", "victim")
                .containsEntry("statement.1.sql", "UPDATE account SET balance = balance - ? WHERE id = ?")
                .containsEntry("statement.1.callSite", "TransferService.debitFirst(TransferService.java:42)")
                .containsEntry("statement.1.thread", "worker-1")
                .containsEntry("statement.2.role", "blocker")
                .containsEntry("statement.2.callSite", "TransferService.creditFirst(TransferService.java:57)")
                .containsEntry("hint", "Update account rows in one order, for example by ascending id.")
                .containsEntry("hints", 2)
                .containsEntry("retry.outcome", "SUCCEEDED").containsEntry("retry.attempts", 3)
                .containsEntry("database", "postgresql").containsEntry("dataSource", "ordersDataSource");
    }

    @Test
    void whereverTheLineIsCutItIsNeverInsideAnEscapeOrASurrogatePairAndEveryQuoteCloses() {
        // backslashes, quotes and characters outside the BMP in every value; the title's length moves the place
        // where the line is cut across every phase of the pattern
        String hostile = "\\\"\uD83D\uDE00";
        java.util.List<String> problems = new java.util.ArrayList<>();
        for (int shift = 1; shift <= 40; shift++) {
            Incident.Builder big = Fixtures.fullIncident().toBuilder().title(hostile.repeat(20) + "t".repeat(shift))
                    .summary(hostile.repeat(200)).statements(java.util.List.of());
            for (int i = 0; i < LoggingSink.MAX_STATEMENTS; i++) {
                big.statement(new StatementInfo(StatementInfo.Role.BLOCKER, "f" + i, "UPDATE t SET c = '"
                        + hostile.repeat(100) + "'", "t", null, null, null, java.util.List.of(),
                        "Caller.m" + hostile.repeat(50)));
            }
            big.hint(hostile.repeat(150));
            IncidentEvent event = Fixtures.event(IncidentEvent.Type.OPENED, big.build());

            String line = LoggingSink.format(event);

            assertThat(line.length()).isGreaterThan(LoggingSink.MAX_LINE - 8) // the line itself was cut
                    .isLessThanOrEqualTo(LoggingSink.MAX_LINE);
            assertThat(line).contains("…[truncated]\"").endsWith("eventId=" + event.eventId());
            problems.addAll(malformed(line));
        }
        assertThat(problems).isEmpty();
    }

    /**
     * What is wrong with a line: every quoted value must open after {@code =}, hold only {@code \"} and
     * {@code \\} escapes and close; every surrogate must have its pair.
     */
    private static java.util.List<String> malformed(String line) {
        java.util.List<String> problems = new java.util.ArrayList<>();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < line.length() && Character.isLowSurrogate(line.charAt(i + 1))) {
                    i++;
                } else {
                    problems.add("a surrogate pair cut at " + i);
                }
                continue;
            }
            if (Character.isLowSurrogate(c)) {
                problems.add("a lone low surrogate at " + i);
            } else if (quoted) {
                if (c == '\\') {
                    char next = i + 1 < line.length() ? line.charAt(++i) : ' ';
                    if (next != '"' && next != '\\') {
                        problems.add("an escape cut at " + i);
                    }
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                if (i == 0 || line.charAt(i - 1) != '=') {
                    problems.add("a quote outside a value at " + i);
                }
                quoted = true;
            }
        }
        if (quoted) {
            problems.add("a value left open");
        }
        return problems;
    }

    @Test
    void aRecordAtItsBoundsStillGivesOneBoundedLineEndingWithItsIds() {
        Incident.Builder big = Fixtures.fullIncident().toBuilder().summary("s".repeat(20_000))
                .statements(java.util.List.of());
        for (int i = 0; i < 30; i++) {
            big.statement(new StatementInfo(StatementInfo.Role.BLOCKER, "f" + i,
                    "UPDATE t" + i + " SET " + "c = ?, ".repeat(400) + "d = ? WHERE id = ?", "t" + i, null, null, null,
                    java.util.List.of(), "Caller.method" + "x".repeat(300) + "(Caller.java:1)"));
        }
        for (int i = 0; i < 20; i++) {
            big.hint("h".repeat(5_000));
        }
        IncidentEvent event = Fixtures.event(IncidentEvent.Type.OPENED, big.build());

        String line = LoggingSink.format(event);

        assertThat(line.length()).isLessThanOrEqualTo(LoggingSink.MAX_LINE);
        assertThat(line).contains("…[truncated]").endsWith("eventId=" + event.eventId()).doesNotContain("\n");
        LoggingSink.to(logger).publish(event);
        assertThat(appender.list).singleElement().satisfies(e -> {
            int statementKeys = 0;
            for (KeyValuePair pair : e.getKeyValuePairs()) {
                assertThat(String.valueOf(pair.value).length()).isLessThanOrEqualTo(600);
                if (pair.key.endsWith(".sql")) {
                    statementKeys++;
                }
            }
            assertThat(statementKeys).isEqualTo(LoggingSink.MAX_STATEMENTS);
        });
    }

    @Test
    void atDebugASecondLineCarriesTheFullRecordAsJson() {
        logger.setLevel(Level.DEBUG);
        IncidentEvent event = Fixtures.event(IncidentEvent.Type.OPENED, Fixtures.fullIncident());

        LoggingSink.to(logger).publish(event);

        assertThat(appender.list).hasSize(2);
        assertThat(appender.list.get(0).getLevel()).isEqualTo(Level.ERROR);
        ILoggingEvent record = appender.list.get(1);
        assertThat(record.getLevel()).isEqualTo(Level.DEBUG);
        String message = record.getFormattedMessage();
        assertThat(message).startsWith("incident record {").doesNotContain("\n");
        assertThat(IncidentJson.fromJson(message.substring("incident record ".length()))).isEqualTo(event);
    }

    @Test
    void aMinimalEventLeavesOutTheOptionalParts() {
        String line = LoggingSink.format(Fixtures.event(IncidentEvent.Type.OPENED, Fixtures.minimalIncident()));

        assertThat(line).startsWith("incident OPENED kind=CUSTOM severity=ERROR title=\"Payment provider timing out\"")
                .doesNotContain("database=", "dataSource=", "retry=", "summary=", "statements=", "hint=", "category=");
    }

    @Test
    void nothingIsLoggedWhenTheLevelIsOff() {
        logger.setLevel(Level.OFF);

        LoggingSink.to(logger).publish(Fixtures.event(IncidentEvent.Type.OPENED, Fixtures.fullIncident()));

        assertThat(appender.list).isEmpty();
    }

    @ParameterizedTest(name = "hostile string {index}")
    @MethodSource("hostileStrings")
    void aHostileTitleGivesOneReadableLine(String hostile) {
        Incident incident = Incident.builder(IncidentKind.DEADLOCK, hostile).firstSeen(Fixtures.T0)
                .database(new DatabaseInfo("h2", null, null, hostile, null)).build();

        String line = LoggingSink.format(Fixtures.event(IncidentEvent.Type.OPENED, incident));

        assertThat(line).doesNotContain("\n", "\r", "\u2028", "\u2029", "\u0085", "\u001b", "\u0000");
        assertThat(line).contains("kind=DEADLOCK", "severity=ERROR", "incidentId=");
    }

    static Stream<String> hostileStrings() {
        return Fixtures.HOSTILE.stream();
    }

    @Test
    void quotesAndBackslashesInQuotedValuesAreEscaped() {
        Incident incident = Incident.builder(IncidentKind.CUSTOM, "say \"hi\"}{ \\o/").firstSeen(Fixtures.T0)
                .database(new DatabaseInfo(null, null, null, "ds \"main\"", null)).build();

        String line = LoggingSink.format(Fixtures.event(IncidentEvent.Type.OPENED, incident));

        assertThat(line).contains("title=\"say \\\"hi\\\"}{ \\\\o/\" occurrences=1")
                .contains("dataSource=\"ds \\\"main\\\"\"");
    }

    @Test
    void theDefaultSinkLogsToTheIncidentsLogger() {
        Logger incidents = (Logger) LoggerFactory.getLogger(LoggingSink.DEFAULT_LOGGER);
        ListAppender<ILoggingEvent> defaultAppender = new ListAppender<>();
        defaultAppender.start();
        incidents.addAppender(defaultAppender);
        try {
            LoggingSink.create().publish(Fixtures.event(IncidentEvent.Type.OPENED, Fixtures.fullIncident()));

            assertThat(defaultAppender.list).singleElement()
                    .satisfies(e -> assertThat(e.getLoggerName()).isEqualTo("io.incidentsdk.incidents"));
        } finally {
            incidents.detachAppender(defaultAppender);
        }
    }

    @Test
    void aNullLoggerIsRejectedAndTheSinkHasAName() {
        assertThatNullPointerException().isThrownBy(() -> LoggingSink.to(null)).withMessageContaining("logger");
        assertThat(LoggingSink.create().name()).isEqualTo("log");
    }
}
