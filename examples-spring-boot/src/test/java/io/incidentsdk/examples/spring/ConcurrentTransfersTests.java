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
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The example application as its users call it: concurrent transfers over real HTTP (the JDK's client against
 * the embedded server), between a few accounts in random directions, so that transfers lock the same rows in
 * opposite order. Run once through each endpoint: {@code POST /transfers} ({@code @RetryableTransaction}) and
 * {@code POST /transfers/spring-retry} (Spring's own {@code @Retryable} with {@code IncidentRetryPredicate}).
 * Each time: no request fails, no money appears or disappears, every transfer is in the ledger once, every
 * deadlock that happened is at {@code /actuator/incidents} as absorbed ({@code WARNING}, retry
 * {@code SUCCEEDED}) with the request's method and route, and {@code incident.jdbc.retries{outcome=SUCCEEDED}}
 * grows by exactly the number of requests whose transfer ran more than once (counted by the test's own
 * {@code JdbcTemplate}, which notes every debit per request id). Run on H2 and on PostgreSQL by the subclasses.
 */
@Import(CountingJdbcTemplate.Replacement.class)
abstract class ConcurrentTransfersTests {

    private static final Logger LOG = LoggerFactory.getLogger(ConcurrentTransfersTests.class);

    static final int THREADS = 8;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CountingJdbcTemplate counting;

    /** Whether this database certainly deadlocks under this load (PostgreSQL does; H2 may). */
    abstract boolean deadlocksExpected();

    /** Transfers each of the {@value #THREADS} threads sends to the endpoint. */
    abstract int transfersPerThread(String path);

    @ParameterizedTest(name = "POST {0}")
    @ValueSource(strings = {"/transfers", "/transfers/spring-retry"})
    void concurrentTransfersNeverFailKeepTheMoneyAndShowTheDeadlocksAsAbsorbed(String path) throws Exception {
        int perThread = transfersPerThread(path);
        JsonNode accounts = json.readTree(get("/accounts"));
        int accountCount = accounts.size();
        long money = sum(accounts);
        long ledgerBefore = jdbc.queryForObject("SELECT COUNT(*) FROM transfer", Long.class);
        double deadlocksBefore = counter("incident.jdbc.failures", "category:DEADLOCK");
        double absorbedBefore = counter("incident.jdbc.retries", "outcome:SUCCEEDED");
        double lostBefore = counter("incident.jdbc.retries", "outcome:EXHAUSTED")
                + counter("incident.jdbc.retries", "outcome:NOT_RETRIED");
        long occurrencesBefore = deadlockOccurrences();
        List<String> openedBefore = deadlockSummaries().stream().map(summary -> summary.path("incidentId").asText())
                .toList();
        counting.debitsByRequest.clear();

        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            String thread = "t" + t;
            workers.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < perThread; i++) {
                    long from = 1 + random.nextInt(accountCount);
                    long to = 1 + (from + random.nextInt(accountCount - 1)) % accountCount;
                    HttpResponse<String> response = post(path, thread + "-" + i,
                            "{\"from\":" + from + ",\"to\":" + to + ",\"amount\":" + (1 + random.nextInt(100)) + "}");
                    if (response.statusCode() != 201) {
                        failed.incrementAndGet();
                        LOG.warn("POST {} answered {}: {}", path, response.statusCode(), response.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        long transfers = (long) THREADS * perThread;
        double deadlocks = counter("incident.jdbc.failures", "category:DEADLOCK") - deadlocksBefore;
        double absorbed = counter("incident.jdbc.retries", "outcome:SUCCEEDED") - absorbedBefore;
        double lost = counter("incident.jdbc.retries", "outcome:EXHAUSTED")
                + counter("incident.jdbc.retries", "outcome:NOT_RETRIED") - lostBefore;
        Map<String, AtomicInteger> debits = Map.copyOf(counting.debitsByRequest);
        long attempts = debits.values().stream().mapToLong(AtomicInteger::get).sum();
        long rerunRequests = debits.values().stream().filter(n -> n.get() > 1).count();
        int mostAttempts = debits.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
        LOG.info("{} POST {}: {} x {} transfers over HTTP between {} accounts in {} ms: {} failed, {} deadlocks, "
                + "{} attempts ({} requests ran more than once, at most {} times), incident.jdbc.retries +{} SUCCEEDED, "
                + "+{} not", getClass().getSimpleName(), path, THREADS, perThread, accountCount, millis, failed.get(),
                deadlocks, attempts, rerunRequests, mostAttempts, absorbed, lost);

        assertThat(failed).as("failed requests").hasValue(0);
        assertThat(sum(json.readTree(get("/accounts")))).as("the money is conserved").isEqualTo(money);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM transfer", Long.class) - ledgerBefore)
                .as("every transfer in the ledger once").isEqualTo(transfers);
        assertThat(debits).as("requests seen by the counting JdbcTemplate").hasSize((int) transfers);
        assertThat(attempts - transfers).as("attempts beyond the first, each after one deadlock")
                .isEqualTo((long) deadlocks);
        assertThat(lost).as("retries given up").isZero();
        assertThat(absorbed).as("incident.jdbc.retries{outcome=SUCCEEDED}: the requests that ran more than once")
                .isEqualTo((double) rerunRequests);
        if (deadlocksExpected()) {
            assertThat(deadlocks).as("real deadlocks happened").isPositive();
        }
        if (deadlocks == 0) {
            return;
        }
        assertThat(absorbed).as("incident.jdbc.retries{outcome=SUCCEEDED}").isPositive();

        // every deadlock of this pass is an occurrence of a DEADLOCK incident at /actuator/incidents: the same
        // incidents through either endpoint (the same statements deadlock), each absorbed
        await().atMost(Duration.ofSeconds(15))
                .until(() -> deadlockOccurrences() - occurrencesBefore >= (long) deadlocks);
        assertThat(deadlockOccurrences() - occurrencesBefore).as("deadlock occurrences at /actuator/incidents")
                .isEqualTo((long) deadlocks);
        List<JsonNode> shown = deadlockSummaries();
        assertThat(shown).allSatisfy(summary -> {
            assertThat(summary.path("severity").asText()).isEqualTo("WARNING");
            assertThat(summary.path("retry").asText()).isEqualTo("SUCCEEDED");
        });
        for (JsonNode summary : shown) {
            JsonNode record = json.readTree(get("/actuator/incidents/" + summary.path("incidentId").asText()));
            assertThat(record.at("/severity").asText()).isEqualTo("WARNING");
            assertThat(record.at("/retry/outcome").asText()).isEqualTo("SUCCEEDED");
            assertThat(record.at("/attributes/http.method").asText()).isEqualTo("POST");
            assertThat(record.at("/attributes/mdc.requestId").asText()).isNotBlank();
            // the request context is the one of the occurrence that opened the incident
            String route = record.at("/attributes/http.route").asText();
            if (!openedBefore.contains(summary.path("incidentId").asText())) {
                assertThat(route).as("route of an incident opened by this pass").isEqualTo(path);
            } else {
                assertThat(route).isIn("/transfers", "/transfers/spring-retry");
            }
        }
    }

    /** The occurrences of every DEADLOCK incident the endpoint lists. */
    private long deadlockOccurrences() throws IOException, InterruptedException {
        return deadlockSummaries().stream().mapToLong(summary -> summary.path("occurrences").asLong()).sum();
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

    private HttpResponse<String> post(String path, String requestId, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .header(RequestIdFilter.HEADER, requestId)
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
