package io.incidentsdk;

import static io.incidentsdk.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentsdk.sink.LoggingSink;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class IncidentJsonTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    @Test
    void anEventIsOneLineThatStartsWithTheEnvelope() {
        IncidentEvent event = Fixtures.event(IncidentEvent.Type.OPENED, Fixtures.fullIncident());

        String json = IncidentJson.toJson(event);

        assertThat(json).startsWith("{\"schemaVersion\":1,\"eventId\":\"" + event.eventId()
                + "\",\"event\":\"OPENED\",\"eventTime\":\"" + event.eventTime() + "\",\"incidentId\":");
        assertThat(json).doesNotContain("\n", "\r");
    }

    @Test
    void timesDurationsAndRolesUseTheWireFormat() throws Exception {
        IncidentEvent event = Fixtures.event(IncidentEvent.Type.RESOLVED, Fixtures.fullIncident());

        JsonNode tree = PLAIN.readTree(IncidentJson.toJson(event));

        assertThat(tree.get("firstSeen").asText()).isEqualTo("2025-03-01T10:15:30.123Z");
        assertThat(tree.get("resolvedAt").asText()).isEqualTo("2025-03-01T10:16:33.123Z");
        assertThat(tree.get("impact").get("window").asText()).isEqualTo("PT1M");
        assertThat(tree.get("statements").get(0).get("role").asText()).isEqualTo("victim");
        assertThat(tree.get("statements").get(1).get("role").asText()).isEqualTo("blocker");
        assertThat(tree.get("error").get("transactionRolledBack").asBoolean()).isTrue();
        assertThat(tree.get("database").get("url").asText())
                .isEqualTo("jdbc:postgresql://db.internal:5432/orders?sslmode=require");
        assertThat(tree.has("resolved")).as("isResolved() is not a field").isFalse();
    }

    @Test
    void nullFieldsAreLeftOutAndEmptyCollectionsAreWritten() throws Exception {
        IncidentEvent event = Fixtures.event(IncidentEvent.Type.OPENED, Fixtures.minimalIncident());

        JsonNode tree = PLAIN.readTree(IncidentJson.toJson(event));

        assertThat(tree.has("database")).isFalse();
        assertThat(tree.has("summary")).isFalse();
        assertThat(tree.has("resolvedAt")).isFalse();
        assertThat(tree.has("trace")).isFalse();
        assertThat(tree.get("statements").isArray()).isTrue();
        assertThat(tree.get("attributes").isObject()).isTrue();
        assertThat(tree.get("service").get("name").asText()).isEqualTo("unknown-service");
    }

    @ParameterizedTest(name = "{0} with every field")
    @EnumSource(IncidentEvent.Type.class)
    void aFullEventSurvivesTheRoundTrip(IncidentEvent.Type type) {
        IncidentEvent event = Fixtures.event(type, Fixtures.fullIncident());

        assertThat(IncidentJson.fromJson(IncidentJson.toJson(event))).isEqualTo(event);
    }

    @ParameterizedTest(name = "{0} with the minimum")
    @EnumSource(IncidentEvent.Type.class)
    void aMinimalEventSurvivesTheRoundTrip(IncidentEvent.Type type) {
        IncidentEvent event = Fixtures.event(type, Fixtures.minimalIncident());

        assertThat(IncidentJson.fromJson(IncidentJson.toJson(event))).isEqualTo(event);
    }

    @Test
    void toTreeHoldsTheSameFieldsAsToJson() throws Exception {
        IncidentEvent event = Fixtures.event(IncidentEvent.Type.UPDATED, Fixtures.fullIncident());

        ObjectNode tree = IncidentJson.toTree(event);

        assertThat(PLAIN.readTree(tree.toString())).isEqualTo(PLAIN.readTree(IncidentJson.toJson(event)));
        assertThat(tree.get("event").asText()).isEqualTo("UPDATED");
    }

    @ParameterizedTest(name = "hostile string {index}")
    @MethodSource("hostileStrings")
    void aHostileStringInEveryFieldStillGivesOneValidJsonLine(String hostile) throws Exception {
        IncidentEvent event = Fixtures.event(IncidentEvent.Type.OPENED, everyFieldHolding(hostile));

        String json = IncidentJson.toJson(event);

        assertThat(json).doesNotContain("\n", "\r", "\u2028", "\u2029", "\u0085", "\u001b");
        assertThat(PLAIN.readTree(json).get("title").asText()).isEqualTo(event.incident().title());
        assertThat(IncidentJson.fromJson(json)).isEqualTo(event);
    }

    @Test
    void tenMegabyteTitleAndSummaryGiveAShortSingleLineAndLogLine() {
        String huge = "x\n".repeat(5 * 1024 * 1024);
        IncidentEvent event = Fixtures.event(IncidentEvent.Type.OPENED,
                Incident.builder(IncidentKind.CUSTOM, huge).summary(huge).firstSeen(T0).build());

        String json = IncidentJson.toJson(event);
        String logLine = LoggingSink.format(event);

        assertThat(json).hasSizeLessThan(4_000).doesNotContain("\n");
        assertThat(IncidentJson.fromJson(json)).isEqualTo(event);
        assertThat(logLine).hasSizeLessThan(1_000).doesNotContain("\n").contains("kind=CUSTOM");
    }

    static Stream<String> hostileStrings() {
        return Fixtures.HOSTILE.stream();
    }

    /** An incident with {@code value} in every string field, keys included. */
    static Incident everyFieldHolding(String value) {
        return Incident.builder(IncidentKind.DEADLOCK, value)
                .firstSeen(T0)
                .summary(value)
                .service(new ServiceInfo(value, value, value, value))
                .database(new DatabaseInfo(value, value, value, value, "jdbc:h2:mem:" + value))
                .error(new ErrorInfo(value, value, 1205, value, value, null))
                .statement(new StatementInfo(StatementInfo.Role.VICTIM, value, value, value, value, value, 5L,
                        List.of(value)))
                .retry(new RetryInfo(2, RetryInfo.Outcome.EXHAUSTED, value))
                .impact(new Impact(Duration.ofSeconds(30), 10, 5, 0.5, Map.of("k" + value, 5L), List.of(value)))
                .hint(value)
                .timeline(new TimelineEntry(T0, "t" + value, value))
                .trace(new TraceInfo(value, value))
                .attribute("k" + value, value)
                .build();
    }

    @Test
    void unknownFieldsFromANewerVersionAreIgnoredAtTopLevelAndNested() {
        IncidentEvent event = Fixtures.event(IncidentEvent.Type.UPDATED, Fixtures.fullIncident());
        ObjectNode tree = IncidentJson.toTree(event);
        tree.put("futureTopLevel", "x");
        tree.putObject("futureObject").put("nested", 1);
        ((ObjectNode) tree.get("service")).put("region", "eu-west-1");
        ((ObjectNode) tree.get("database")).put("cluster", "c1");
        ((ObjectNode) tree.get("error")).putArray("causes").add("x");
        ((ObjectNode) tree.get("statements").get(0)).put("lockMode", "ROW EXCLUSIVE");
        ((ObjectNode) tree.get("retry")).put("budget", 3);
        ((ObjectNode) tree.get("impact")).put("p99Millis", 12.5);
        ((ObjectNode) tree.get("timeline").get(0)).put("actor", "sdk");
        ((ObjectNode) tree.get("trace")).put("traceFlags", "01");

        assertThat(IncidentJson.fromJson(tree.toString())).isEqualTo(event);
    }

    @Test
    void anUnknownKindReadsAsCustom() {
        ObjectNode tree = IncidentJson.toTree(Fixtures.event(IncidentEvent.Type.OPENED, Fixtures.fullIncident()));
        tree.put("kind", "QUANTUM_DECOHERENCE");

        IncidentEvent read = IncidentJson.fromJson(tree.toString());

        assertThat(read.incident().kind()).isEqualTo(IncidentKind.CUSTOM);
        assertThat(read.incident().title()).isEqualTo("Deadlock on UPDATE account");
    }

    @Test
    void anUnknownSeverityReadsAsErrorAndAnUnknownStatementRoleAsFailed() {
        ObjectNode tree = IncidentJson.toTree(Fixtures.event(IncidentEvent.Type.OPENED, Fixtures.fullIncident()));
        tree.put("severity", "CATASTROPHIC");
        ((ObjectNode) tree.get("statements").get(0)).put("role", "witness");

        IncidentEvent read = IncidentJson.fromJson(tree.toString());

        assertThat(read.incident().severity()).isEqualTo(Severity.ERROR);
        assertThat(read.incident().statements().get(0).role()).isEqualTo(StatementInfo.Role.FAILED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptedLines")
    void aCorruptedLineThrowsIncidentJsonException(String description, String line) {
        assertThatThrownBy(() -> IncidentJson.fromJson(line))
                .isInstanceOf(IncidentJson.IncidentJsonException.class)
                .hasMessageStartingWith("not a valid incident event");
    }

    static Stream<Arguments> corruptedLines() {
        String good = IncidentJson.toJson(Fixtures.event(IncidentEvent.Type.OPENED, Fixtures.fullIncident()));
        return Stream.of(
                Arguments.of("the first half of a line", good.substring(0, good.length() / 2)),
                Arguments.of("all but the closing brace", good.substring(0, good.length() - 1)),
                Arguments.of("two events glued together", good + good),
                Arguments.of("not JSON", "Exception in thread main"),
                Arguments.of("an empty line", ""),
                Arguments.of("a JSON array", "[" + good + "]"),
                Arguments.of("JSON null", "null"),
                Arguments.of("a number", "42"),
                Arguments.of("no eventId", mutate(good, t -> t.remove("eventId"))),
                Arguments.of("no event", mutate(good, t -> t.remove("event"))),
                Arguments.of("no title", mutate(good, t -> t.remove("title"))),
                Arguments.of("no fingerprint", mutate(good, t -> t.remove("fingerprint"))),
                Arguments.of("an unknown event type", mutate(good, t -> t.put("event", "EXPLODED"))),
                Arguments.of("an eventTime that is no instant", mutate(good, t -> t.put("eventTime", "yesterday"))),
                Arguments.of("a firstSeen that is no instant", mutate(good, t -> t.put("firstSeen", "yesterday"))),
                Arguments.of("a window that is no duration",
                        mutate(good, t -> ((ObjectNode) t.get("impact")).put("window", "forever"))),
                Arguments.of("a severity that is not a string", mutate(good, t -> t.putObject("severity"))),
                Arguments.of("occurrences that are no number", mutate(good, t -> t.put("occurrences", "many"))),
                Arguments.of("zero occurrences", mutate(good, t -> t.put("occurrences", 0))),
                Arguments.of("statements that are no array", mutate(good, t -> t.put("statements", "oops"))),
                Arguments.of("schemaVersion 0", mutate(good, t -> t.put("schemaVersion", 0))));
    }

    private static String mutate(String json, Consumer<ObjectNode> change) {
        try {
            ObjectNode tree = (ObjectNode) PLAIN.readTree(json);
            change.accept(tree);
            return PLAIN.writeValueAsString(tree);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void nullArgumentsAreRejectedNamingTheParameter() {
        assertThatNullPointerException().isThrownBy(() -> IncidentJson.toJson(null)).withMessageContaining("event");
        assertThatNullPointerException().isThrownBy(() -> IncidentJson.toTree(null)).withMessageContaining("event");
        assertThatNullPointerException().isThrownBy(() -> IncidentJson.fromJson(null)).withMessageContaining("json");
    }

    @Test
    void theSchemaIsShippedOnTheClassPath() throws Exception {
        try (InputStream in = IncidentJson.openSchema()) {
            JsonNode schema = PLAIN.readTree(in);

            assertThat(schema.get("$schema").asText()).contains("2020-12");
            assertThat(schema.get("properties").has("fingerprint")).isTrue();
        }
    }
}
