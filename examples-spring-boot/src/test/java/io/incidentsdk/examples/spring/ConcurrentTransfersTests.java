package io.incidentsdk.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The example application as its users call it: concurrent {@code POST /transfers} over real HTTP (the JDK's
 * client against the embedded server), between a few accounts in random directions, so that transfers lock the
 * same rows in opposite order. No request fails, no money appears or disappears, every transfer is in the ledger
 * once, and the deadlocks that happened are at {@code /actuator/incidents} as absorbed ({@code WARNING},
 * retry {@code SUCCEEDED}) with the request's method and route. Run on H2 and on PostgreSQL by the subclasses.
 */
abstract class ConcurrentTransfersTests {

    private static final Logger LOG = LoggerFactory.getLogger(ConcurrentTransfersTests.class);

    static final int THREADS = 8;
    /** 50 by default, to keep the build quick; {@code -Dbank.transfers-per-thread=200} for the load. */
    static final int TRANSFERS_PER_THREAD = Integer.getInteger("bank.transfers-per-thread", 50);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    /** Whether this database certainly deadlocks under this load (PostgreSQL does; H2 may). */
    abstract boolean deadlocksExpected();

    @Test
    void concurrentTransfersNeverFailKeepTheMoneyAndShowTheDeadlocksAsAbsorbed() throws Exception {
        JsonNode accounts = json.readTree(get("/accounts"));
        int accountCount = accounts.size();
        long money = sum(accounts);
        long ledgerBefore = jdbc.queryForObject("SELECT COUNT(*) FROM transfer", Long.class);
        double deadlocksBefore = counter("incident.jdbc.failures", "category:DEADLOCK");
        double absorbedBefore = counter("incident.jdbc.retries", "outcome:SUCCEEDED");
        double lostBefore = counter("incident.jdbc.retries", "outcome:EXHAUSTED")
                + counter("incident.jdbc.retries", "outcome:NOT_RETRIED");

        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < TRANSFERS_PER_THREAD; i++) {
                    long from = 1 + random.nextInt(accountCount);
                    long to = 1 + (from + random.nextInt(accountCount - 1)) % accountCount;
                    HttpResponse<String> response = post("/transfers",
                            "{\"from\":" + from + ",\"to\":" + to + ",\"amount\":" + (1 + random.nextInt(100)) + "}");
                    if (response.statusCode() != 201) {
                        failed.incrementAndGet();
                        LOG.warn("POST /transfers answered {}: {}", response.statusCode(), response.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        double deadlocks = counter("incident.jdbc.failures", "category:DEADLOCK") - deadlocksBefore;
        double absorbed = counter("incident.jdbc.retries", "outcome:SUCCEEDED") - absorbedBefore;
        double lost = counter("incident.jdbc.retries", "outcome:EXHAUSTED")
                + counter("incident.jdbc.retries", "outcome:NOT_RETRIED") - lostBefore;
        LOG.info("{}: {} x {} transfers over HTTP between {} accounts in {} ms: {} failed, {} deadlocks, {} units "
                + "retried successfully, {} not", getClass().getSimpleName(), THREADS, TRANSFERS_PER_THREAD,
                accountCount, millis, failed.get(), deadlocks, absorbed, lost);

        assertThat(failed).as("failed requests").hasValue(0);
        assertThat(sum(json.readTree(get("/accounts")))).as("the money is conserved").isEqualTo(money);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM transfer", Long.class) - ledgerBefore)
                .as("every transfer in the ledger once").isEqualTo((long) THREADS * TRANSFERS_PER_THREAD);
        assertThat(lost).as("retries given up").isZero();
        if (deadlocksExpected()) {
            assertThat(deadlocks).as("real deadlocks happened").isPositive();
        }
        if (deadlocks == 0) {
            return;
        }
        assertThat(absorbed).as("incident.jdbc.retries{outcome=SUCCEEDED}").isPositive();

        await().atMost(Duration.ofSeconds(10)).until(() -> !deadlockSummaries().isEmpty());
        List<JsonNode> shown = deadlockSummaries();
        assertThat(shown).allSatisfy(summary -> {
            assertThat(summary.path("severity").asText()).isEqualTo("WARNING");
            assertThat(summary.path("retry").asText()).isEqualTo("SUCCEEDED");
        });
        JsonNode record = json.readTree(get("/actuator/incidents/" + shown.get(0).path("incidentId").asText()));
        assertThat(record.at("/retry/outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(record.at("/attributes/http.method").asText()).isEqualTo("POST");
        assertThat(record.at("/attributes/http.route").asText()).isEqualTo("/transfers");
        assertThat(record.at("/attributes/mdc.requestId").asText()).isNotBlank();
    }

    private List<JsonNode> deadlockSummaries() throws IOException, InterruptedException {
        List<JsonNode> deadlocks = new ArrayList<>();
        for (JsonNode summary : json.readTree(get("/actuator/incidents")).path("recent")) {
            if ("DEADLOCK".equals(summary.path("kind").asText())) {
                deadlocks.add(summary);
            }
        }
        return deadlocks;
    }

    private static long sum(JsonNode accounts) {
        long sum = 0;
        for (JsonNode account : accounts) {
            sum += account.path("balance").asLong();
        }
        return sum;
    }

    /** A counter's value from {@code /actuator/metrics}; 0 while it does not exist yet. */
    private double counter(String name, String tag) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/actuator/metrics/" + name + "?tag=" + tag))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return 0;
        }
        assertThat(response.statusCode()).as("GET /actuator/metrics/" + name).isEqualTo(200);
        return json.readTree(response.body()).at("/measurements/0/value").asDouble();
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return response.body();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
