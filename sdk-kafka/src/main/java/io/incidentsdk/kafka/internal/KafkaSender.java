package io.incidentsdk.kafka.internal;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.internal.RateLimitedLogger;
import io.incidentsdk.internal.delivery.SpooledDelivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries incident events to a Kafka topic for {@link SpooledDelivery}: a batch of spooled events is handed to
 * the producer at once (it batches, compresses and pipelines them) and each event is acknowledged when the
 * broker has it ({@code acks=all}). Key = fingerprint, value = the JSON record, headers {@code eventId},
 * {@code event}, {@code kind}, {@code severity}, {@code instance}.
 *
 * <p>The producer is created on the delivery thread at the first batch, never on an application thread.
 * Retriable errors (the cluster unreachable, a timeout, a leader change) and refusals that an operator can fix
 * (authorization, authentication) leave the events pending in the spool; a record the broker can never take
 * (too large, invalid) is refused and dead-lettered. After an error that may leave the producer unusable it
 * is closed and a new one is created for the next batch. After a failure events go one at a time until one is
 * delivered, so that a batch that failed in part cannot put one incident's events out of order. Exceptions are logged by class name only: a
 * producer property (a SASL password) never reaches a log line.
 */
public final class KafkaSender implements SpooledDelivery.Sender, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSender.class);
    /** Events handed to the producer per batch. */
    static final int MAX_BATCH = 500;

    /** Header names. */
    public static final String EVENT_ID = "eventId";
    /** Header names. */
    public static final String EVENT = "event";
    /** Header names. */
    public static final String KIND = "kind";
    /** Header names. */
    public static final String SEVERITY = "severity";
    /** Header names. */
    public static final String INSTANCE = "instance";

    private final String name;
    private final String topic;
    private final Map<String, Object> config;
    private final Function<Map<String, Object>, Producer<byte[], byte[]>> factory;
    private final long waitMillis;
    private final Duration closeTimeout;
    private final RateLimitedLogger warnings = new RateLimitedLogger(LOG, 10_000);
    private volatile Producer<byte[], byte[]> producer;
    /**
     * After a failure, one event at a time until one is delivered. A batch can fail in part (an earlier record
     * expires while a later one of the same incident is written), and its failed events are sent again after
     * the later ones: sending one event at a time while the cluster is in trouble keeps one incident's events in
     * order.
     */
    private boolean probing;

    /**
     * Creates the sender; the producer is created at the first batch.
     *
     * @param name         the sink's name (logs)
     * @param topic        the topic
     * @param config       the producer configuration (with serializers)
     * @param factory      creates the producer
     * @param waitMillis   how long to wait for the broker's acknowledgement of a batch at most
     * @param closeTimeout how long closing the producer may take
     */
    public KafkaSender(String name, String topic, Map<String, Object> config,
                       Function<Map<String, Object>, Producer<byte[], byte[]>> factory, long waitMillis,
                       Duration closeTimeout) {
        this.name = name;
        this.topic = topic;
        this.config = Map.copyOf(config);
        this.factory = factory;
        this.waitMillis = waitMillis;
        this.closeTimeout = closeTimeout;
    }

    @Override
    public int maxBatch() {
        return MAX_BATCH;
    }

    @Override
    public List<SpooledDelivery.Outcome> send(List<IncidentEvent> events) throws InterruptedException {
        Producer<byte[], byte[]> p;
        try {
            p = producer();
        } catch (KafkaException e) {
            return List.of(SpooledDelivery.Outcome.retry("producer could not be created ("
                    + e.getClass().getSimpleName() + ")"));
        }
        if (probing && events.size() > 1) {
            events = events.subList(0, 1);
        }
        List<Future<RecordMetadata>> futures = new ArrayList<>(events.size());
        List<SpooledDelivery.Outcome> outcomes = new ArrayList<>(events.size());
        SpooledDelivery.Outcome failedToSend = null;
        for (IncidentEvent event : events) {
            try {
                futures.add(p.send(record(event)));
            } catch (InterruptException e) {
                Thread.interrupted();
                throw new InterruptedException("interrupted while sending");
            } catch (KafkaException e) {
                // for example no metadata within max.block.ms: the cluster is unreachable
                failedToSend = outcome(e);
                break;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        for (Future<RecordMetadata> future : futures) {
            try {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                outcomes.add(SpooledDelivery.Outcome.delivered("acknowledged"));
            } catch (ExecutionException e) {
                outcomes.add(outcome(e.getCause() != null ? e.getCause() : e));
            } catch (TimeoutException e) {
                outcomes.add(SpooledDelivery.Outcome.retry("no acknowledgement within " + waitMillis + " ms"));
            }
        }
        if (failedToSend != null) {
            outcomes.add(failedToSend);
        }
        probing = outcomes.size() < events.size()
                || outcomes.stream().anyMatch(o -> o.kind() != SpooledDelivery.Kind.DELIVERED);
        return outcomes;
    }

    private SpooledDelivery.Outcome outcome(Throwable error) {
        String what = error.getClass().getSimpleName();
        if (error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException
                || error instanceof InvalidRecordException) {
            return SpooledDelivery.Outcome.refused("refused by the cluster (" + what + ")");
        }
        if (!(error instanceof RetriableException) && !(error instanceof AuthorizationException)
                && !(error instanceof AuthenticationException)) {
            // a producer in an error state does not recover by itself: a fresh one for the next batch
            warnings.warn("Incident sink {}: the producer failed ({}); a new one is created for the next attempt",
                    null, name, what);
            closeProducer(Duration.ZERO);
        }
        return SpooledDelivery.Outcome.retry(what);
    }

    private ProducerRecord<byte[], byte[]> record(IncidentEvent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EVENT_ID, bytes(event.eventId()));
        headers.add(EVENT, bytes(event.event().name()));
        headers.add(KIND, bytes(event.incident().kind().name()));
        headers.add(SEVERITY, bytes(event.incident().severity().name()));
        String instance = event.incident().service().instance();
        if (instance != null) {
            headers.add(INSTANCE, bytes(instance));
        }
        return new ProducerRecord<>(topic, null, bytes(event.incident().fingerprint()),
                bytes(IncidentJson.toJson(event)), headers);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private Producer<byte[], byte[]> producer() {
        Producer<byte[], byte[]> p = producer;
        if (p == null) {
            p = factory.apply(config);
            producer = p;
        }
        return p;
    }

    private void closeProducer(Duration timeout) {
        Producer<byte[], byte[]> p = producer;
        producer = null;
        if (p != null) {
            try {
                p.close(timeout);
            } catch (RuntimeException e) {
                LOG.debug("Incident sink {}: closing the producer failed ({})", name, e.getClass().getSimpleName());
            }
        }
    }

    /** Closes the producer, waiting at most the close timeout for records in flight. */
    @Override
    public void close() {
        // within the SDK's close deadline when the SDK closes the sink (IncidentSdk.close() stays bounded)
        Duration timeout = closeTimeout;
        java.util.OptionalLong deadline = io.incidentsdk.internal.CloseDeadline.current();
        if (deadline.isPresent()) {
            long left = Math.max(0L, deadline.getAsLong() - System.nanoTime());
            if (Duration.ofNanos(left).compareTo(timeout) < 0) {
                timeout = Duration.ofNanos(left);
            }
        }
        closeProducer(timeout);
    }
}
