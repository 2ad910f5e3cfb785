package io.incidentsdk.kafka;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.internal.delivery.SpooledDelivery;
import io.incidentsdk.kafka.internal.KafkaSender;
import io.incidentsdk.kafka.internal.ProducerSettings;
import io.incidentsdk.sink.DeliveryOptions;
import io.incidentsdk.sink.DeliveryStats;
import io.incidentsdk.sink.ReportingSink;
import io.incidentsdk.sink.SinkReporter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Produces every incident event to a Kafka topic, so that the events of a whole fleet meet in one place (and
 * {@link IncidentFleetAggregator} can merge them into one incident per fingerprint).
 *
 * <pre>{@code
 * KafkaSink kafka = KafkaSink.builder("kafka-1:9092,kafka-2:9092", "incident-events")
 *         .property("security.protocol", "SASL_SSL")
 *         .property("sasl.mechanism", "SCRAM-SHA-512")
 *         .property("sasl.jaas.config", System.getenv("KAFKA_JAAS"))
 *         .delivery(DeliveryOptions.builder().spoolDirectory(Path.of("/var/spool/checkout/kafka")).build())
 *         .build();
 * IncidentSdk incidents = IncidentSdk.builder().service("checkout", "1.4.2").sink(kafka).build();
 * }</pre>
 *
 * <p>Each record: key = the incident's fingerprint (so one incident's events stay in order on one partition,
 * and one fingerprint from every instance meets on one partition), value = the JSON record of the wire
 * contract ({@code incident-event.schema.json}), headers {@value #HEADER_EVENT_ID}, {@value #HEADER_EVENT},
 * {@value #HEADER_KIND}, {@value #HEADER_SEVERITY} and {@value #HEADER_INSTANCE} (UTF-8).
 *
 * <p>The producer is idempotent with {@code acks=all} and {@code lz4} compression, {@code linger.ms=5},
 * {@code max.block.ms=10000}, {@code request.timeout.ms=15000} and {@code delivery.timeout.ms=30000}; every
 * other producer property is passed through and may override these, except the serializers and
 * {@code transactional.id}, which the sink owns. Events go through the delivery machinery of the remote
 * sinks ({@link DeliveryOptions}): written to the disk spool first (when a spool directory is set), sent in
 * batches from the sink's own thread, acknowledged one by one in order once the cluster has them. While the
 * cluster is unreachable they wait in the spool (bounded by bytes and age) and are sent, in order, when it is
 * back; after a restart the spool is replayed. Delivery is at least once: {@code eventId} identifies an event
 * sent twice. The application never waits for Kafka: the producer is created, and sends, on the sink's
 * thread; {@link #close()} is bounded by the delivery close timeout plus one second.
 *
 * <p>Privacy: property values are never logged and never put in records; {@link #toString()} shows the
 * bootstrap servers, the topic and the property names only. (Kafka's own configuration log masks password
 * properties such as {@code sasl.jaas.config}.)
 *
 * @since 0.2.0
 */
public final class KafkaSink implements ReportingSink {

    /** The header carrying the event id (the receiver's idempotency key). */
    public static final String HEADER_EVENT_ID = KafkaSender.EVENT_ID;
    /** The header carrying the event type: {@code OPENED}, {@code UPDATED} or {@code RESOLVED}. */
    public static final String HEADER_EVENT = KafkaSender.EVENT;
    /** The header carrying the incident kind, for example {@code DEADLOCK}. */
    public static final String HEADER_KIND = KafkaSender.KIND;
    /** The header carrying the severity. */
    public static final String HEADER_SEVERITY = KafkaSender.SEVERITY;
    /** The header carrying the reporting instance (absent when the record has none). */
    public static final String HEADER_INSTANCE = KafkaSender.INSTANCE;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private final String name;
    private final String topic;
    private final String bootstrapServers;
    private final Map<String, Object> properties;
    private final KafkaSender sender;
    private final SpooledDelivery delivery;

    private KafkaSink(Builder b) {
        this.name = b.name;
        this.topic = b.topic;
        this.bootstrapServers = b.bootstrapServers;
        this.properties = Map.copyOf(b.properties);
        Map<String, Object> config = ProducerSettings.producerConfig(b.bootstrapServers, b.properties, b.name);
        this.sender = new KafkaSender(b.name, b.topic, config, KafkaProducer::new,
                ProducerSettings.acknowledgementWaitMillis(config), ProducerSettings.producerCloseTimeout(b.delivery));
        this.delivery = new SpooledDelivery(b.name, b.delivery, sender);
    }

    /**
     * Starts configuring a Kafka sink.
     *
     * @param bootstrapServers the cluster, {@code host:port[,host:port...]}
     * @param topic            the topic every event goes to
     * @return a builder
     */
    public static Builder builder(String bootstrapServers, String topic) {
        return new Builder(bootstrapServers, topic);
    }

    /**
     * Accepts the event into the spool (or memory) and returns at once; the sink's own thread sends it.
     *
     * @param event the event
     */
    @Override
    public void publish(IncidentEvent event) {
        delivery.offer(event);
    }

    @Override
    public void reportTo(SinkReporter reporter) {
        delivery.reportTo(reporter);
    }

    /**
     * Sends what is pending within the delivery close timeout, then closes the producer (at most one more
     * second); what is left stays in the spool for the next start. When the SDK closes the sink, both steps end
     * by the SDK's close deadline as well.
     */
    @Override
    public void close() {
        try {
            delivery.close();
        } finally {
            sender.close();
        }
    }

    /**
     * What the sink did with the events it accepted.
     *
     * @return a snapshot
     */
    public DeliveryStats deliveryStats() {
        return delivery.stats();
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Describes the sink without secrets: name, bootstrap servers, topic and the names (not the values) of
     * the properties set.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "KafkaSink[name=" + name + ", bootstrapServers=" + bootstrapServers + ", topic=" + topic
                + ", properties=" + properties.keySet().stream().sorted().toList() + "]";
    }

    /**
     * Configures a {@link KafkaSink}.
     *
     * @since 0.2.0
     */
    public static final class Builder {
        private final String bootstrapServers;
        private final String topic;
        private final Map<String, Object> properties = new LinkedHashMap<>();
        private String name = "kafka";
        private DeliveryOptions delivery = DeliveryOptions.defaults();

        private Builder(String bootstrapServers, String topic) {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers must not be null");
            if (bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("bootstrapServers must not be blank");
            }
            Objects.requireNonNull(topic, "topic must not be null");
            if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
                throw new IllegalArgumentException("topic must be 1 to 249 letters, digits, '.', '_' or '-', was \""
                        + topic.substring(0, Math.min(topic.length(), 249)) + "\"");
            }
            this.bootstrapServers = bootstrapServers.strip();
            this.topic = topic;
        }

        /**
         * Sets a producer property, passed through to the Kafka producer (security, timeouts, batching ...).
         * Its value is never logged.
         *
         * @param key   a producer property other than {@code key.serializer}, {@code value.serializer},
         *              {@code transactional.id} and {@code bootstrap.servers} (given to the builder)
         * @param value the value, not {@code null}
         * @return this builder
         */
        public Builder property(String key, Object value) {
            ProducerSettings.requireAllowed(key, value);
            properties.put(key, value);
            return this;
        }

        /**
         * Sets several producer properties (see {@link #property(String, Object)}).
         *
         * @param properties the properties, not {@code null}
         * @return this builder
         */
        public Builder properties(Map<String, ?> properties) {
            Objects.requireNonNull(properties, "properties must not be null");
            properties.forEach(this::property);
            return this;
        }

        /**
         * The sink's name in stats, metrics, thread names and the producer's {@code client.id} (default
         * {@code kafka}).
         *
         * @param name 1 to 64 characters of letters, digits, {@code .}, {@code _} or {@code -}
         * @return this builder
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name must not be null");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("name must be 1 to 64 letters, digits, '.', '_' or '-', was \""
                        + name.substring(0, Math.min(name.length(), 64)) + "\"");
            }
            this.name = name;
            return this;
        }

        /**
         * How events are delivered: the spool directory and its bounds, backoff, circuit breaker, memory queue,
         * dead-letter file and close timeout (default {@link DeliveryOptions#defaults()}: no spool). The
         * connect and request timeouts of the options are HTTP settings and do not apply; use the producer's
         * properties.
         *
         * @param delivery not {@code null}
         * @return this builder
         */
        public Builder delivery(DeliveryOptions delivery) {
            this.delivery = Objects.requireNonNull(delivery, "delivery must not be null");
            return this;
        }

        /**
         * Builds the sink. Nothing connects yet: the producer is created on the sink's thread with the first
         * event (or the spool's replay).
         *
         * @return a new sink
         */
        public KafkaSink build() {
            return new KafkaSink(this);
        }
    }
}
