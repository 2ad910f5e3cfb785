package io.incidentsdk.kafka.internal;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.internal.RateLimitedLogger;
import io.incidentsdk.internal.SinkChannel;
import io.incidentsdk.kafka.FleetIncident;
import io.incidentsdk.sink.IncidentSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards fleet incidents to other sinks: reads the fleet topic ({@code read_committed}, so only what the
 * aggregator committed), turns the records whose change matters to people (opened, an instance joined, the
 * severity rose, resolved) into incident events and hands them to one {@link SinkChannel} per sink (own queue
 * and thread: a slow sink delays nobody). Offsets are committed after the hand-over: at least once, with an
 * event id derived from the fleet incident id and version, so a record forwarded twice is recognisable.
 */
public final class FleetForwarder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetForwarder.class);
    private static final Set<FleetIncident.Change> FORWARDED = EnumSet.of(FleetIncident.Change.OPENED,
            FleetIncident.Change.INSTANCE_JOINED, FleetIncident.Change.SEVERITY_ROSE, FleetIncident.Change.RESOLVED);

    private final String topic;
    private final Consumer<String, byte[]> consumer;
    private final List<SinkChannel> channels = new ArrayList<>();
    private final RateLimitedLogger warnings = new RateLimitedLogger(LOG, 10_000);
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Creates the forwarder; {@link #start()} starts it.
     *
     * @param topic          the fleet topic
     * @param consumerConfig bootstrap servers, security and the like
     * @param groupId        the consumer group
     * @param sinks          where fleet incidents go
     */
    public FleetForwarder(String topic, Map<String, Object> consumerConfig, String groupId, List<IncidentSink> sinks) {
        this.topic = topic;
        Map<String, Object> config = new java.util.HashMap<>(consumerConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        for (IncidentSink sink : sinks) {
            channels.add(new SinkChannel(sink, "fleet-" + sink.name(), 4_096, 3, 200,
                    (channel, reason, dropped) -> warnings.warn("Incident fleet forwarder: sink {}: {}", null,
                            channel.name(), reason)));
        }
        this.thread = new Thread(this::run, "incident-sdk-fleet-forwarder");
        this.thread.setDaemon(true);
    }

    /** Starts reading. */
    public synchronized void start() {
        if (running && !thread.isAlive()) {
            thread.start();
        }
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    forward(record);
                }
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Incident fleet forwarder stopped", e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    private void forward(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        FleetIncident incident;
        try {
            incident = FleetJson.readIncident(record.value());
        } catch (RuntimeException e) {
            warnings.warn("Incident fleet forwarder: a record that is not a fleet incident was skipped", null);
            return;
        }
        if (!FORWARDED.contains(incident.change())) {
            return;
        }
        IncidentEvent event = incident.toIncidentEvent();
        for (SinkChannel channel : channels) {
            channel.offer(event);
        }
    }

    /**
     * Stops reading, delivers what the sinks have queued and closes them, within the timeout.
     *
     * @param timeout the bound
     */
    public void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean started;
        synchronized (this) {
            running = false;
            started = thread.isAlive() || thread.getState() == Thread.State.TERMINATED;
        }
        if (started) {
            consumer.wakeup();
            SinkChannel.joinUntil(thread, deadline);
        } else {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
        for (SinkChannel channel : channels) {
            channel.finish();
        }
        for (SinkChannel channel : channels) {
            channel.awaitFinished(deadline);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

}
