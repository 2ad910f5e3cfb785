package io.incidentsdk.kafka.internal;

import io.incidentsdk.sink.DeliveryOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The producer configuration of the Kafka sink: our defaults, the user's properties, what we own. */
public final class ProducerSettings {

    /** Properties the sink sets itself and refuses from the user. */
    static final Set<String> OWNED = Set.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);

    private ProducerSettings() {
    }

    /**
     * Checks a user property; the message never shows the value.
     *
     * @param key   the property
     * @param value the value
     */
    public static void requireAllowed(String key, Object value) {
        Objects.requireNonNull(key, "property key must not be null");
        Objects.requireNonNull(value, "value of producer property " + key + " must not be null");
        if (key.isBlank()) {
            throw new IllegalArgumentException("property key must not be blank");
        }
        if (OWNED.contains(key)) {
            throw new IllegalArgumentException("producer property " + key + " is set by the sink");
        }
    }

    /**
     * The producer configuration: defaults, then the user's properties, then what the sink owns.
     *
     * @param bootstrapServers the cluster
     * @param properties       the user's properties
     * @param name             the sink's name
     * @return the configuration
     */
    public static Map<String, Object> producerConfig(String bootstrapServers, Map<String, Object> properties,
                                                     String name) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "incident-sdk-" + name);
        config.putAll(properties);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    /**
     * How long the sender waits for a batch's acknowledgements: the producer fails a record by
     * {@code max.block.ms + delivery.timeout.ms} at the latest; a little more so its own error is what we see.
     *
     * @param config the producer configuration
     * @return milliseconds
     */
    public static long acknowledgementWaitMillis(Map<String, Object> config) {
        return millis(config, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000)
                + millis(config, ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000) + 1_000;
    }

    /**
     * How long closing the producer may take after the delivery thread stopped: up to one second.
     *
     * @param delivery the delivery options
     * @return the timeout
     */
    public static Duration producerCloseTimeout(DeliveryOptions delivery) {
        Duration close = delivery.closeTimeout();
        return close.compareTo(Duration.ofSeconds(1)) < 0 ? close : Duration.ofSeconds(1);
    }

    private static long millis(Map<String, Object> config, String key, long fallback) {
        Object value = config.get(key);
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value != null) {
            try {
                return Long.parseLong(value.toString().strip());
            } catch (NumberFormatException e) {
                return fallback; // the producer reports the bad value itself
            }
        }
        return fallback;
    }
}
