package io.incidentsdk.kafka.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.incidentsdk.kafka.FleetIncident;
import java.io.IOException;
import java.time.Instant;

/** The JSON form of fleet incidents (the fleet topic) and of the aggregator's state (its store). */
public final class FleetJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule("incident-sdk-fleet")
                    .addSerializer(Instant.class, new JsonSerializer<Instant>() {
                        @Override
                        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
                                throws IOException {
                            gen.writeString(value.toString());
                        }
                    })
                    .addDeserializer(Instant.class, new JsonDeserializer<Instant>() {
                        @Override
                        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                            return Instant.parse(p.getValueAsString());
                        }
                    }))
            .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private FleetJson() {
    }

    /**
     * Writes a fleet incident or a state.
     *
     * @param value the value
     * @return UTF-8 JSON
     */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("fleet record could not be written as JSON", e);
        }
    }

    /**
     * Reads a fleet incident.
     *
     * @param json UTF-8 JSON
     * @return the fleet incident
     */
    public static FleetIncident readIncident(byte[] json) {
        try {
            return MAPPER.readValue(json, FleetIncident.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a fleet incident (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /**
     * Reads a stored state.
     *
     * @param json UTF-8 JSON
     * @return the state
     */
    public static FleetState readState(byte[] json) {
        try {
            return MAPPER.readValue(json, FleetState.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a fleet state (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
