package io.incidentsdk;

import static io.incidentsdk.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.incidentsdk.internal.Limits;
import io.incidentsdk.internal.Uuid7;
import io.incidentsdk.sink.InMemorySink;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks {@link IncidentJson}'s output against the JSON Schema shipped in the jar, and the schema itself. */
class IncidentJsonSchemaTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final Schema SCHEMA = loadSchema();
    private static final JsonNode SCHEMA_TREE = loadSchemaTree();

    private static Schema loadSchema() {
        try (InputStream in = IncidentJson.openSchema()) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode loadSchemaTree() {
        try (InputStream in = IncidentJson.openSchema()) {
            return PLAIN.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<com.networknt.schema.Error> validate(String json) {
        return SCHEMA.validate(json, InputFormat.JSON);
    }

    @ParameterizedTest(name = "{0} with every field")
    @EnumSource(IncidentEvent.Type.class)
    void anEventWithEveryFieldIsValid(IncidentEvent.Type type) throws Exception {
        String json = IncidentJson.toJson(Fixtures.event(type, Fixtures.fullIncident()));
        JsonNode tree = PLAIN.readTree(json);

        assertThat(validate(json)).isEmpty();
        assertThat(tree.fieldNames()).toIterable().containsAll(List.of("database", "error", "statements", "retry",
                "impact", "hints", "timeline", "trace", "attributes", "summary"));
        assertThat(tree.get("statements")).hasSize(3);
        assertThat(tree.has("resolvedAt")).isEqualTo(type == IncidentEvent.Type.RESOLVED);
    }

    @ParameterizedTest(name = "{0} with the minimum")
    @EnumSource(IncidentEvent.Type.class)
    void anEventWithTheMinimumIsValid(IncidentEvent.Type type) {
        assertThat(validate(IncidentJson.toJson(Fixtures.event(type, Fixtures.minimalIncident())))).isEmpty();
    }

    @ParameterizedTest(name = "hostile string {index}")
    @MethodSource("hostileStrings")
    void anEventWithAHostileStringInEveryFieldIsValid(String hostile) {
        Incident incident = IncidentJsonTest.everyFieldHolding(hostile);

        assertThat(validate(IncidentJson.toJson(Fixtures.event(IncidentEvent.Type.OPENED, incident)))).isEmpty();
    }

    static Stream<String> hostileStrings() {
        return Fixtures.HOSTILE.stream();
    }

    @Test
    void anEventWithEveryCollectionOverItsBoundIsValid() {
        String huge = "z".repeat(100_000);
        Incident.Builder b = Incident.builder(IncidentKind.ERROR_SPIKE, huge).summary(huge).fingerprint(huge);
        Map<String, Long> categories = new LinkedHashMap<>();
        List<String> fingerprints = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            b.statement(new StatementInfo(StatementInfo.Role.FAILED, huge + i, huge, huge, huge, huge, (long) i,
                    List.of(huge, huge, huge)));
            b.hint(huge + i);
            b.timeline(new TimelineEntry(T0.plusMillis(i), "type" + huge, huge));
            b.attribute(i + huge, huge);
            categories.put(i + huge, (long) i);
            fingerprints.add(huge + i);
        }
        b.impact(new Impact(Duration.ofHours(1), 1000, 200, 0.2, categories, fingerprints));
        b.database(new DatabaseInfo(huge, huge, huge, huge, "jdbc:h2:mem:" + huge));
        b.error(new ErrorInfo(huge, huge, 1, huge, huge, false));
        b.retry(new RetryInfo(3, RetryInfo.Outcome.EXHAUSTED, huge));
        b.trace(new TraceInfo(huge, huge));

        assertThat(validate(IncidentJson.toJson(Fixtures.event(IncidentEvent.Type.UPDATED, b.build())))).isEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void generatedIncidentsAreAlwaysValid(long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 40; round++) {
            IncidentEvent event = Fixtures.event(IncidentEvent.Type.values()[random.nextInt(3)], randomIncident(random));
            String json = IncidentJson.toJson(event);

            assertThat(validate(json)).as(json).isEmpty();
            assertThat(IncidentJson.fromJson(json)).isEqualTo(event);
        }
    }

    static Stream<Arguments> seeds() {
        return LongStream.range(0, 10).mapToObj(i -> Arguments.of(0x5C4E3AL + i));
    }

    @Test
    void eventsFromARunningSdkAreValid() throws Exception {
        InMemorySink memory = new InMemorySink(100);
        try (IncidentSdk sdk = IncidentSdk.builder().service("checkout", "1.0").environment("test").sink(memory)
                .updateInterval(Duration.ofMillis(1)).housekeepingInterval(Duration.ofMillis(10)).build()) {
            sdk.record(Fixtures.fullIncident());
            try (OpenIncident handle = sdk.open(IncidentKind.CUSTOM, "Payment provider\n timing out")) {
                handle.note("escalated \u001b[31m to the payments team").severity(Severity.CRITICAL)
                        .attribute("provider", "acme");
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> memory.events().stream().anyMatch(e -> e.event() == IncidentEvent.Type.RESOLVED));
        }

        assertThat(memory.events()).isNotEmpty()
                .allSatisfy(event -> assertThat(validate(IncidentJson.toJson(event))).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRecords")
    void theSchemaRejectsAnInvalidRecord(String field, Consumer<ObjectNode> breakIt) {
        ObjectNode tree = IncidentJson.toTree(Fixtures.event(IncidentEvent.Type.OPENED, Fixtures.fullIncident()));
        breakIt.accept(tree);

        List<com.networknt.schema.Error> errors = validate(tree.toString());

        assertThat(errors).isNotEmpty();
        assertThat(errors.toString()).contains(field);
    }

    static Stream<Arguments> invalidRecords() {
        return Stream.of(
                invalid("severity", t -> t.put("severity", "HUGE")),
                invalid("title", t -> t.put("title", "line one\nline two")),
                invalid("title", t -> t.put("title", "t".repeat(Limits.TITLE + 1))),
                invalid("kind", t -> t.put("kind", "QUANTUM")),
                invalid("event", t -> t.put("event", "EXPLODED")),
                invalid("eventId", t -> t.remove("eventId")),
                invalid("eventTime", t -> t.put("eventTime", "yesterday")),
                invalid("firstSeen", t -> t.put("firstSeen", "2025-03-01 10:15:30")),
                invalid("fingerprint", t -> t.put("fingerprint", "has space")),
                invalid("fingerprint", t -> t.put("fingerprint", "f".repeat(Limits.FINGERPRINT + 1))),
                invalid("occurrences", t -> t.put("occurrences", 0)),
                invalid("schemaVersion", t -> t.put("schemaVersion", 0)),
                invalid("name", t -> ((ObjectNode) t.get("service")).remove("name")),
                invalid("url", t -> ((ObjectNode) t.get("database")).put("url", "jdbc:h2:mem:\u001b[31m")),
                invalid("role", t -> ((ObjectNode) t.get("statements").get(0)).put("role", "VICTIM")),
                invalid("statements", t -> {
                    ArrayNode statements = (ArrayNode) t.get("statements");
                    while (statements.size() <= Limits.STATEMENTS) {
                        statements.add(statements.get(0).deepCopy());
                    }
                }),
                invalid("outcome", t -> ((ObjectNode) t.get("retry")).put("outcome", "MAYBE")),
                invalid("failureRate", t -> ((ObjectNode) t.get("impact")).put("failureRate", 2.0)),
                invalid("at", t -> ((ObjectNode) t.get("timeline").get(0)).remove("at")),
                invalid("hints", t -> ((ArrayNode) t.get("hints")).add("bad\u2028hint")),
                invalid("attributes", t -> ((ObjectNode) t.get("attributes")).put("k", "v\u0085")));
    }

    private static Arguments invalid(String field, Consumer<ObjectNode> breakIt) {
        return Arguments.of(field, breakIt);
    }

    @Test
    void theSchemaEnumsMatchTheJavaEnums() {
        JsonNode properties = SCHEMA_TREE.get("properties");

        assertThat(texts(properties.get("kind").get("enum"))).containsExactlyElementsOf(names(IncidentKind.values()));
        assertThat(texts(properties.get("severity").get("enum"))).containsExactlyElementsOf(names(Severity.values()));
        assertThat(texts(properties.get("event").get("enum")))
                .containsExactlyElementsOf(names(IncidentEvent.Type.values()));
        assertThat(texts(properties.get("retry").get("properties").get("outcome").get("enum")))
                .containsExactlyElementsOf(names(RetryInfo.Outcome.values()));
        assertThat(texts(properties.get("statements").get("items").get("properties").get("role").get("enum")))
                .containsExactlyElementsOf(Arrays.stream(StatementInfo.Role.values())
                        .map(r -> r.name().toLowerCase(Locale.ROOT)).toList());
    }

    @Test
    void theSchemaBoundsMatchTheLimitsOfTheRecords() {
        JsonNode properties = SCHEMA_TREE.get("properties");
        JsonNode statement = properties.get("statements").get("items").get("properties");

        assertThat(properties.get("title").get("maxLength").asInt()).isEqualTo(Limits.TITLE);
        assertThat(properties.get("summary").get("maxLength").asInt()).isEqualTo(Limits.SUMMARY);
        assertThat(properties.get("fingerprint").get("maxLength").asInt()).isEqualTo(Limits.FINGERPRINT);
        assertThat(SCHEMA_TREE.get("$defs").get("id").get("maxLength").asInt()).isEqualTo(Limits.ID);
        assertThat(SCHEMA_TREE.get("$defs").get("short").get("maxLength").asInt()).isEqualTo(Limits.SHORT);
        assertThat(properties.get("database").get("properties").get("url").get("maxLength").asInt())
                .isEqualTo(Limits.URL);
        assertThat(properties.get("error").get("properties").get("message").get("maxLength").asInt())
                .isEqualTo(Limits.MESSAGE);
        assertThat(statement.get("sql").get("maxLength").asInt()).isEqualTo(Limits.SQL);
        assertThat(statement.get("transactionStatements").get("maxItems").asInt())
                .isEqualTo(Limits.TRANSACTION_STATEMENTS);
        assertThat(properties.get("statements").get("maxItems").asInt()).isEqualTo(Limits.STATEMENTS);
        assertThat(properties.get("hints").get("maxItems").asInt()).isEqualTo(Limits.HINTS);
        assertThat(properties.get("hints").get("items").get("maxLength").asInt()).isEqualTo(Limits.DETAIL);
        assertThat(properties.get("timeline").get("maxItems").asInt()).isEqualTo(Limits.TIMELINE);
        assertThat(properties.get("attributes").get("maxProperties").asInt()).isEqualTo(Limits.ATTRIBUTES);
        assertThat(properties.get("attributes").get("propertyNames").get("maxLength").asInt())
                .isEqualTo(Limits.ATTRIBUTE_KEY);
        assertThat(properties.get("impact").get("properties").get("topFingerprints").get("maxItems").asInt())
                .isEqualTo(Limits.IMPACT_ENTRIES);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

    /** An incident with random content in random fields, including hostile characters and oversized values. */
    private static Incident randomIncident(Random random) {
        IncidentKind kind = IncidentKind.values()[random.nextInt(IncidentKind.values().length)];
        Incident.Builder b = Incident.builder(kind, text(random))
                .severity(Severity.values()[random.nextInt(Severity.values().length)])
                .firstSeen(T0.plusMillis(random.nextInt(1_000_000)))
                .occurrences(1 + random.nextInt(1_000_000))
                .suppressed(random.nextInt(1000))
                .service(new ServiceInfo(text(random), maybe(random), maybe(random), maybe(random)));
        if (random.nextBoolean()) {
            b.fingerprint(text(random));
        }
        if (random.nextBoolean()) {
            b.incidentId("id-" + text(random));
        }
        if (random.nextBoolean()) {
            b.summary(text(random));
        }
        if (random.nextBoolean()) {
            b.database(new DatabaseInfo(maybe(random), maybe(random), maybe(random), maybe(random), maybe(random)));
        }
        if (random.nextBoolean()) {
            b.error(new ErrorInfo(maybe(random), maybe(random), random.nextBoolean() ? random.nextInt() : null,
                    maybe(random), maybe(random), random.nextBoolean() ? null : random.nextBoolean()));
        }
        int statements = random.nextInt(20);
        for (int i = 0; i < statements; i++) {
            List<String> earlier = new ArrayList<>();
            int count = random.nextInt(40);
            for (int j = 0; j < count; j++) {
                earlier.add(text(random));
            }
            b.statement(new StatementInfo(StatementInfo.Role.values()[random.nextInt(3)], maybe(random),
                    maybe(random), maybe(random), maybe(random), maybe(random),
                    random.nextBoolean() ? null : (long) random.nextInt(Integer.MAX_VALUE), earlier));
        }
        if (random.nextBoolean()) {
            b.retry(new RetryInfo(random.nextInt(10), RetryInfo.Outcome.values()[random.nextInt(3)], maybe(random)));
        }
        if (random.nextBoolean()) {
            long calls = random.nextInt(10_000);
            long failures = calls == 0 ? 0 : random.nextInt((int) calls);
            Map<String, Long> categories = new LinkedHashMap<>();
            int count = random.nextInt(30);
            for (int i = 0; i < count; i++) {
                categories.put(text(random), (long) random.nextInt(1000));
            }
            b.impact(new Impact(random.nextBoolean() ? null : Duration.ofMillis(random.nextInt(1_000_000)), calls,
                    failures, calls == 0 ? 0.0 : (double) failures / calls, categories, List.of(text(random))));
        }
        int hints = random.nextInt(15);
        for (int i = 0; i < hints; i++) {
            b.hint(text(random));
        }
        int entries = random.nextInt(130);
        for (int i = 0; i < entries; i++) {
            b.timeline(new TimelineEntry(T0.plusMillis(i), "t" + text(random), maybe(random)));
        }
        if (random.nextBoolean()) {
            b.trace(new TraceInfo(maybe(random), maybe(random)));
        }
        int attributes = random.nextInt(40);
        for (int i = 0; i < attributes; i++) {
            b.attribute(text(random), text(random));
        }
        return b.build();
    }

    private static String maybe(Random random) {
        return random.nextInt(4) == 0 ? null : text(random);
    }

    private static String text(Random random) {
        String nasty = "\n\r\t \u0000\u0007\u001b[m\u007f\u0085\u009b\u2028\u2029\"\\}{\uD83D\uDE00\u00e9";
        int length = random.nextInt(10) == 0 ? 5_000 + random.nextInt(5_000) : random.nextInt(40);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(random.nextInt(3) == 0 ? nasty.charAt(random.nextInt(nasty.length()))
                    : (char) ('a' + random.nextInt(26)));
        }
        return out.toString();
    }

    @Test
    void aFreshUuid7IsAValidId() {
        String id = Uuid7.at(T0.toEpochMilli()).toString();
        ObjectNode tree = IncidentJson.toTree(Fixtures.event(IncidentEvent.Type.OPENED, Fixtures.minimalIncident()));
        tree.put("eventId", id);

        assertThat(validate(tree.toString())).isEmpty();
    }
}
