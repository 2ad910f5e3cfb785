package io.incidentsdk.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.ServiceInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.sink.DeliveryOptions;
import io.incidentsdk.sink.WebhookSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events per second through a {@link WebhookSink} with its disk spool, to a receiver on 127.0.0.1 (the JDK's
 * HTTP server, answering {@code 200} at once), per fsync policy ({@code spool}: {@code every-event},
 * {@code batched} (200 ms), {@code never}, and {@code memory}: no spool).
 *
 * <p>{@code endToEnd}: hands the sink {@value #BATCH} events and waits until the receiver acknowledged all of
 * them (spool append, fsync per policy, HTTP POST, acknowledgement mark); JMH reports events per second.
 * {@code accept}: only {@code publish} (the append to the spool, with its fsync), the cost on the SDK's sink
 * thread per event; the sending thread delivers meanwhile.
 *
 * @since 0.2.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms512m", "-Xmx512m"})
public class WebhookSinkBench {

    /** Events handed over per {@code endToEnd} invocation. */
    public static final int BATCH = 200;

    /** The spool's fsync policy, or {@code memory} for no spool. */
    @Param({"every-event", "batched", "never", "memory"})
    public String spool;

    private HttpServer server;
    private ExecutorService executor;
    private Path directory;
    private WebhookSink sink;
    private IncidentEvent[] events;
    private long handedOver;
    private int next;

    /** Starts the receiver and the sink, and builds the events. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "bench-receiver");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        directory = Files.createTempDirectory("incident-sdk-bench-spool");
        DeliveryOptions.Builder delivery = DeliveryOptions.builder()
                .backoff(Duration.ofMillis(1), Duration.ofMillis(10))
                .spoolMaxBytes(256L << 20)
                .memoryCapacity(1_000_000)
                .closeTimeout(Duration.ofSeconds(10));
        if (!spool.equals("memory")) {
            delivery.spoolDirectory(directory.resolve("spool"))
                    .fsync(DeliveryOptions.Fsync.valueOf(spool.toUpperCase(java.util.Locale.ROOT).replace('-', '_')));
        }
        sink = WebhookSink.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"))
                .secret("benchmark-secret-0123456789")
                .delivery(delivery.build())
                .build();
        events = new IncidentEvent[1024];
        ServiceInfo service = new ServiceInfo("bench", "1", "bench", "host/1");
        for (int i = 0; i < events.length; i++) {
            Incident incident = Incident.builder(IncidentKind.DEADLOCK, "Deadlock on UPDATE account " + i)
                    .severity(Severity.ERROR).service(service)
                    .summary("Two transactions updated account rows in opposite order.")
                    .hint("Update account rows in one order, for example by ascending id.")
                    .build();
            events[i] = new IncidentEvent(IncidentEvent.SCHEMA_VERSION, UUID.randomUUID().toString(),
                    IncidentEvent.Type.OPENED, Instant.now(), incident);
        }
    }

    /** Closes the sink and the receiver, and removes the spool. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        sink.close();
        server.stop(0);
        executor.shutdownNow();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /**
     * Hands over {@value #BATCH} events and waits until all of them were acknowledged by the receiver.
     *
     * @return the events delivered so far
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long endToEnd() {
        for (int i = 0; i < BATCH; i++) {
            sink.publish(nextEvent());
        }
        handedOver += BATCH;
        long delivered;
        while ((delivered = sink.deliveryStats().delivered()) < handedOver) {
            LockSupport.parkNanos(20_000);
        }
        return delivered;
    }

    /**
     * Hands over one event (spool append and fsync per policy); delivery goes on in the background.
     *
     * @return the events handed over
     */
    @Benchmark
    public long accept() {
        sink.publish(nextEvent());
        return ++handedOver;
    }

    private IncidentEvent nextEvent() {
        IncidentEvent event = events[next];
        next = (next + 1) & (events.length - 1);
        return event;
    }

    /**
     * What the sink did (for the smoke test).
     *
     * @return the stats
     */
    public io.incidentsdk.sink.DeliveryStats stats() {
        return sink.deliveryStats();
    }
}
