package io.incidentsdk;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Reads and writes incident events as JSON, one flat object per event: the envelope fields
 * ({@code schemaVersion}, {@code eventId}, {@code event}, {@code eventTime}) followed by the fields of the
 * {@link Incident}. Times are ISO-8601 strings, durations ISO-8601 durations, {@code null} fields are
 * left out. The output is always a single line.
 *
 * <p>The SDK owns its {@code ObjectMapper}; the application's mapper is never touched. Reading ignores
 * fields it does not know, so records written by a newer version can be read by an older one.
 *
 * <p>The JSON Schema of the record is shipped at {@value #SCHEMA_RESOURCE}.
 *
 * @since 0.1.0
 */
public final class IncidentJson {

    /** Class path location of the JSON Schema describing one serialized event. */
    public static final String SCHEMA_RESOURCE = "/io/incidentsdk/incident-event.schema.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("incident-sdk-time")
                    .addSerializer(Instant.class, new InstantSerializer())
                    .addDeserializer(Instant.class, new InstantDeserializer())
                    .addSerializer(Duration.class, new DurationSerializer())
                    .addDeserializer(Duration.class, new DurationDeserializer()))
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .disable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .build();

    private IncidentJson() {
    }

    /**
     * Serializes an event to one line of JSON.
     *
     * @param event the event, not {@code null}
     * @return the JSON text, without a line terminator
     */
    public static String toJson(IncidentEvent event) {
        Objects.requireNonNull(event, "event must not be null");
        try {
            return MAPPER.writeValueAsString(toTree(event));
        } catch (JsonProcessingException e) {
            // every field is a record, string, number or enum that Jackson can always write
            throw new IllegalStateException("could not serialize incident event " + event.eventId(), e);
        }
    }

    /**
     * Serializes an event to a JSON tree.
     *
     * @param event the event, not {@code null}
     * @return a new object node
     */
    public static ObjectNode toTree(IncidentEvent event) {
        Objects.requireNonNull(event, "event must not be null");
        ObjectNode node = MAPPER.createObjectNode();
        node.put("schemaVersion", event.schemaVersion());
        node.put("eventId", event.eventId());
        node.put("event", event.event().name());
        node.put("eventTime", event.eventTime().toString());
        ObjectNode incident = MAPPER.valueToTree(event.incident());
        node.setAll(incident);
        return node;
    }

    /**
     * Reads one event from JSON.
     *
     * @param json the JSON text of one event, not {@code null}
     * @return the event
     * @throws IncidentJsonException when the text is not a valid incident event
     */
    public static IncidentEvent fromJson(String json) {
        Objects.requireNonNull(json, "json must not be null");
        try {
            return fromTree(MAPPER.readTree(json));
        } catch (IOException | IllegalArgumentException | NullPointerException | DateTimeException e) {
            throw new IncidentJsonException("not a valid incident event: " + e.getMessage(), e);
        }
    }

    private static IncidentEvent fromTree(JsonNode tree) throws IOException {
        if (tree == null || !tree.isObject()) {
            throw new IncidentJsonException("not a valid incident event: expected a JSON object", null);
        }
        ObjectNode fields = ((ObjectNode) tree).deepCopy();
        int schemaVersion = requireField(fields, "schemaVersion").asInt();
        String eventId = requireField(fields, "eventId").asText();
        IncidentEvent.Type type = IncidentEvent.Type.valueOf(requireField(fields, "event").asText());
        Instant eventTime = Instant.parse(requireField(fields, "eventTime").asText());
        fields.remove("schemaVersion");
        fields.remove("eventId");
        fields.remove("event");
        fields.remove("eventTime");
        Incident incident = MAPPER.treeToValue(fields, Incident.class);
        return new IncidentEvent(schemaVersion, eventId, type, eventTime, incident);
    }

    private static JsonNode requireField(ObjectNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new IncidentJsonException("not a valid incident event: missing field " + name, null);
        }
        return value;
    }

    /**
     * Opens the JSON Schema of one serialized event.
     *
     * @return a new stream over the schema; the caller closes it
     */
    public static InputStream openSchema() {
        InputStream in = IncidentJson.class.getResourceAsStream(SCHEMA_RESOURCE);
        if (in == null) {
            throw new IllegalStateException("the schema " + SCHEMA_RESOURCE + " is missing from the class path");
        }
        return in;
    }

    /**
     * Thrown when a text is not a valid incident event.
     *
     * @since 0.1.0
     */
    public static final class IncidentJsonException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        IncidentJsonException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final class InstantSerializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(value.toString());
        }
    }

    private static final class InstantDeserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            try {
                return text == null ? null : Instant.parse(text);
            } catch (DateTimeParseException e) {
                return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 instant");
            }
        }
    }

    private static final class DurationSerializer extends JsonSerializer<Duration> {
        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(value.toString());
        }
    }

    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            try {
                return text == null ? null : Duration.parse(text);
            } catch (DateTimeParseException e) {
                return (Duration) ctxt.handleWeirdStringValue(Duration.class, text, "not an ISO-8601 duration");
            }
        }
    }
}
