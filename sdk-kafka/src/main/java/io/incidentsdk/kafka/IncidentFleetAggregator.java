package io.incidentsdk.kafka;

import io.incidentsdk.kafka.internal.FleetForwarder;
import io.incidentsdk.kafka.internal.FleetMerge;
import io.incidentsdk.kafka.internal.FleetProcessor;
import io.incidentsdk.sink.IncidentSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the incident events of a whole fleet into one {@link FleetIncident} per fingerprint, on Kafka Streams
 * with {@code exactly_once_v2}: reads the topic {@link KafkaSink}s write to, keeps per fingerprint which
 * instances are affected and how (the state store, backed by its changelog), and writes every change of a
 * fleet incident to a compacted topic (key = fingerprint, value = {@link FleetIncident} JSON). Optionally it
 * forwards fleet incidents to other sinks, so that a deadlock on fifty instances is one page, not fifty.
 *
 * <pre>{@code
 * IncidentFleetAggregator fleet = IncidentFleetAggregator.builder("kafka-1:9092", "incident-events", "fleet-incidents")
 *         .stateDirectory(Path.of("/var/lib/incident-fleet"))
 *         .forwardTo(PagerDutySink.builder(routingKey).build())
 *         .build();
 * fleet.start();          // or run it as an application: java ... io.incidentsdk.kafka.IncidentFleetAggregator fleet.properties
 * ...
 * fleet.close();
 * }</pre>
 *
 * <p>The merge, per fingerprint: the instances affected (by {@code service.instance}), each with its state
 * (open, resolved, or quiet when it sent nothing for {@link Builder#quietAfter(Duration)}), its occurrences
 * and worst severity; the fleet's total occurrences, first and last seen and worst severity. Occurrences are
 * exact: an instance's events carry its running total per incident, and the aggregator keeps the highest count
 * per (instance, incident id) and sums those, so an event replayed after a restart, or sent twice by a sink,
 * changes nothing. The fleet incident is resolved when every instance has resolved it or gone quiet; the
 * fingerprint coming back after that opens a new fleet incident. Records carry a {@code version} without
 * gaps per fleet incident and say what changed ({@link FleetIncident.Change}).
 *
 * <p>Forwarding ({@link Builder#forwardTo}): a consumer reads the fleet topic with {@code read_committed},
 * and the records that matter to people (opened, an instance joined, the severity rose, resolved; not every
 * count) go to each sink as an {@link io.incidentsdk.IncidentEvent} ({@link FleetIncident#toIncidentEvent()}),
 * each sink on its own thread with its own queue. At least once; the event id is stable per record.
 *
 * <p>Requirements: events keyed by fingerprint (what {@link KafkaSink} does), so that one fingerprint's events
 * meet on one partition. This class needs {@code kafka-streams} on the class path (an optional dependency of
 * this module). The state store is in memory with a changelog topic (no RocksDB is loaded): fleet state is
 * small, one entry per fingerprint seen recently.
 *
 * @since 0.2.0
 */
public final class IncidentFleetAggregator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentFleetAggregator.class);

    private final Builder settings;
    private final KafkaStreams streams;
    private final FleetForwarder forwarder;
    private boolean started;
    private boolean closed;

    private IncidentFleetAggregator(Builder b) {
        this.settings = b;
        this.streams = new KafkaStreams(topology(b), streamsConfig(b));
        this.streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Incident fleet aggregator: a stream thread failed; it is replaced", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        if (b.sinks.isEmpty()) {
            this.forwarder = null;
        } else {
            Map<String, Object> consumer = new HashMap<>(clientProperties(b));
            consumer.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
            this.forwarder = new FleetForwarder(b.fleetTopic, consumer, b.applicationId + "-forwarder", b.sinks);
        }
    }

    /**
     * Starts configuring an aggregator.
     *
     * @param bootstrapServers the cluster
     * @param eventsTopic      the topic the instances' {@link KafkaSink}s write to
     * @param fleetTopic       the compacted topic fleet incidents are written to
     * @return a builder
     */
    public static Builder builder(String bootstrapServers, String eventsTopic, String fleetTopic) {
        return new Builder(bootstrapServers, eventsTopic, fleetTopic);
    }

    /**
     * Creates the topics that do not exist yet (when {@link Builder#createTopics(int, short)} is on: the default),
     * then starts the stream threads and the forwarder. Returns once started; processing goes on in the
     * background.
     *
     * @throws IllegalStateException when the topics could not be checked or created
     */
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        if (settings.partitions > 0) {
            createTopics();
        }
        streams.start();
        if (forwarder != null) {
            forwarder.start();
        }
        started = true;
    }

    /**
     * Whether the stream threads are running (or rebalancing).
     *
     * @return {@code true} while running
     */
    public boolean isRunning() {
        return streams.state().isRunningOrRebalancing();
    }

    /**
     * Stops: the stream threads commit what they processed and stop, the forwarder delivers what its sinks
     * have queued. Bounded by the close timeout ({@link Builder#closeTimeout(Duration)}).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + settings.closeTimeout.toNanos();
        if (forwarder != null) {
            forwarder.close(Duration.ofNanos(Math.max(0, (deadline - System.nanoTime()) / 2)));
        }
        // leaving the group hands the partitions to the other aggregators at once, not after a session timeout
        streams.close(org.apache.kafka.streams.CloseOptions.timeout(
                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))
                .withGroupMembershipOperation(org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }

    private void createTopics() {
        Map<String, Object> admin = new HashMap<>(clientProperties(settings));
        admin.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers);
        try (Admin client = Admin.create(admin)) {
            Set<String> existing = client.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            if (!existing.contains(settings.eventsTopic)) {
                missing.add(new NewTopic(settings.eventsTopic, settings.partitions, settings.replicationFactor));
            }
            if (!existing.contains(settings.fleetTopic)) {
                missing.add(new NewTopic(settings.fleetTopic, settings.partitions, settings.replicationFactor)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            }
            if (!missing.isEmpty()) {
                client.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the fleet topics", e);
        } catch (Exception e) {
            throw new IllegalStateException("the fleet topics could not be checked or created ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static Topology topology(Builder b) {
        FleetMerge merge = new FleetMerge(b.maxInstances, b.quietAfter.toMillis());
        long retain = Math.max(b.quietAfter.toMillis(), Duration.ofHours(24).toMillis());
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(FleetProcessor.STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
        builder.stream(b.eventsTopic, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(() -> new FleetProcessor(merge, b.clock, b.checkInterval, retain), FleetProcessor.STORE)
                .to(b.fleetTopic, Produced.with(Serdes.String(), Serdes.ByteArray()));
        return builder.build();
    }

    private static Properties streamsConfig(Builder b) {
        Properties p = new Properties();
        p.putAll(b.properties);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, b.applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        if (b.stateDirectory != null) {
            p.put(StreamsConfig.STATE_DIR_CONFIG, b.stateDirectory.toString());
        }
        return p;
    }

    /** The user's properties that a plain client (admin, consumer) understands: security and the like. */
    private static Map<String, Object> clientProperties(Builder b) {
        Map<String, Object> client = new HashMap<>();
        b.properties.forEach((k, v) -> {
            if (k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")
                    || k.equals(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG)) {
                client.put(k, v);
            }
        });
        return client;
    }

    /**
     * Runs the aggregator as an application until the process is stopped (SIGTERM closes it cleanly).
     *
     * <p>The one argument is a properties file: {@code bootstrap.servers}, {@code incident.events.topic}
     * (default {@code incident-events}), {@code incident.fleet.topic} (default {@code fleet-incidents}),
     * {@code incident.quiet-after} (ISO-8601 duration, default {@code PT15M}), {@code application.id} (default
     * {@code incident-fleet-aggregator}); every other property goes to Kafka Streams ({@code state.dir},
     * security settings ...).
     *
     * @param args the path of the properties file
     * @throws IOException          when the file cannot be read
     * @throws InterruptedException when interrupted while running
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: IncidentFleetAggregator <fleet.properties>");
            System.exit(2);
        }
        Properties file = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            file.load(in);
        }
        Map<String, String> p = new LinkedHashMap<>();
        file.stringPropertyNames().forEach(name -> p.put(name, file.getProperty(name)));
        String bootstrap = Objects.requireNonNull(p.remove(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG),
                "bootstrap.servers is required");
        Builder builder = builder(bootstrap, p.getOrDefault("incident.events.topic", "incident-events"),
                p.getOrDefault("incident.fleet.topic", "fleet-incidents"));
        p.remove("incident.events.topic");
        p.remove("incident.fleet.topic");
        String quiet = p.remove("incident.quiet-after");
        if (quiet != null) {
            builder.quietAfter(Duration.parse(quiet));
        }
        String applicationId = p.remove(StreamsConfig.APPLICATION_ID_CONFIG);
        if (applicationId != null) {
            builder.applicationId(applicationId);
        }
        p.forEach(builder::property);
        CountDownLatch stopped = new CountDownLatch(1);
        IncidentFleetAggregator aggregator = builder.build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            aggregator.close();
            stopped.countDown();
        }, "incident-fleet-shutdown"));
        aggregator.start();
        LOG.info("Incident fleet aggregator running: {} -> {}", builder.eventsTopic, builder.fleetTopic);
        stopped.await();
    }

    /**
     * Describes the aggregator without property values.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "IncidentFleetAggregator[applicationId=" + settings.applicationId + ", bootstrapServers="
                + settings.bootstrapServers + ", events=" + settings.eventsTopic + ", fleet=" + settings.fleetTopic
                + ", properties=" + settings.properties.keySet().stream().sorted().toList() + ", sinks="
                + settings.sinks.stream().map(IncidentSink::name).toList() + "]";
    }

    /**
     * Configures an {@link IncidentFleetAggregator}.
     *
     * @since 0.2.0
     */
    public static final class Builder {
        private final String bootstrapServers;
        private final String eventsTopic;
        private final String fleetTopic;
        private String applicationId = "incident-fleet-aggregator";
        private final Map<String, Object> properties = new LinkedHashMap<>();
        private final List<IncidentSink> sinks = new ArrayList<>();
        private Duration quietAfter = Duration.ofMinutes(15);
        private Duration checkInterval = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private Path stateDirectory;
        private int maxInstances = 10_000;
        private int partitions = 6;
        private short replicationFactor = -1;
        private Clock clock = Clock.systemUTC();

        private Builder(String bootstrapServers, String eventsTopic, String fleetTopic) {
            this.bootstrapServers = requireText(bootstrapServers, "bootstrapServers");
            this.eventsTopic = requireText(eventsTopic, "eventsTopic");
            this.fleetTopic = requireText(fleetTopic, "fleetTopic");
            if (eventsTopic.equals(fleetTopic)) {
                throw new IllegalArgumentException("eventsTopic and fleetTopic must differ");
            }
        }

        private static String requireText(String value, String name) {
            Objects.requireNonNull(value, name + " must not be null");
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value.strip();
        }

        /**
         * The Kafka Streams application id: names the consumer group, the changelog topic and the transactional
         * ids; instances with the same id share the work (default {@code incident-fleet-aggregator}).
         *
         * @param applicationId not blank
         * @return this builder
         */
        public Builder applicationId(String applicationId) {
            this.applicationId = requireText(applicationId, "applicationId");
            return this;
        }

        /**
         * Sets a Kafka Streams property (security, {@code num.stream.threads}, ...); security properties also
         * go to the forwarder's consumer and the admin client. Values are never logged by this class.
         * {@code processing.guarantee} is always {@code exactly_once_v2}.
         *
         * @param key   the property
         * @param value its value, not {@code null}
         * @return this builder
         */
        public Builder property(String key, Object value) {
            Objects.requireNonNull(key, "property key must not be null");
            Objects.requireNonNull(value, "value of property " + key + " must not be null");
            if (key.equals(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)) {
                throw new IllegalArgumentException("processing.guarantee is always exactly_once_v2");
            }
            properties.put(key, value);
            return this;
        }

        /**
         * How long an instance may send nothing about an open incident before it counts as quiet (it may have
         * stopped or crashed); a fleet incident whose instances all resolved or went quiet is resolved
         * (default 15 min; instances send an update at least every update interval while occurrences go on).
         *
         * @param quietAfter positive
         * @return this builder
         */
        public Builder quietAfter(Duration quietAfter) {
            this.quietAfter = requirePositive(quietAfter, "quietAfter");
            return this;
        }

        /**
         * How often quiet instances are looked for (default 30 s).
         *
         * @param interval positive
         * @return this builder
         */
        public Builder checkInterval(Duration interval) {
            this.checkInterval = requirePositive(interval, "checkInterval");
            return this;
        }

        /**
         * The bound of {@link #close()} (default 10 s).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = requirePositive(timeout, "closeTimeout");
            return this;
        }

        /**
         * Where Kafka Streams keeps its local state (default: its own, under the temporary directory).
         *
         * @param directory the directory
         * @return this builder
         */
        public Builder stateDirectory(Path directory) {
            this.stateDirectory = Objects.requireNonNull(directory, "stateDirectory must not be null");
            return this;
        }

        /**
         * The most instances tracked per fleet incident (default 10,000); events of further instances are
         * counted in the state and not merged.
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxInstances(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxInstances must be >= 1, was " + max);
            }
            this.maxInstances = max;
            return this;
        }

        /**
         * Creates the events topic and the (compacted) fleet topic at start when they do not exist (default: 6
         * partitions, the broker's default replication factor). {@code partitions = 0} switches it off.
         *
         * @param partitions        0 (off) or the partitions of each topic created
         * @param replicationFactor the replication factor, or -1 for the broker's default
         * @return this builder
         */
        public Builder createTopics(int partitions, short replicationFactor) {
            if (partitions < 0 || (replicationFactor < 1 && replicationFactor != -1)) {
                throw new IllegalArgumentException("partitions must be >= 0 and replicationFactor >= 1 or -1");
            }
            this.partitions = partitions;
            this.replicationFactor = replicationFactor;
            return this;
        }

        /**
         * Forwards fleet incidents to these sinks (for example a {@code PagerDutySink}: one page per fleet
         * incident). Each sink is closed when the aggregator closes.
         *
         * @param sinks the sinks
         * @return this builder
         */
        public Builder forwardTo(IncidentSink... sinks) {
            for (IncidentSink sink : sinks) {
                this.sinks.add(Objects.requireNonNull(sink, "sink must not be null"));
            }
            return this;
        }

        /**
         * The clock for quiet times and record times (tests).
         *
         * @param clock not {@code null}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        private static Duration requirePositive(Duration d, String name) {
            Objects.requireNonNull(d, name + " must not be null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }

        /**
         * Builds the aggregator; nothing connects before {@link IncidentFleetAggregator#start()}.
         *
         * @return a new aggregator
         */
        public IncidentFleetAggregator build() {
            return new IncidentFleetAggregator(this);
        }
    }
}
