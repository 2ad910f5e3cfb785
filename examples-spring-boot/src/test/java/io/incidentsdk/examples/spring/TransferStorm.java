package io.incidentsdk.examples.spring;

import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.testing.DatabaseAccount;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 16's storm, as users meet it: the example bank application (Spring Boot, embedded web server, the
 * founding transfer as an ordinary {@code @RetryableTransaction @Transactional} method with {@code JdbcTemplate})
 * on PostgreSQL, two accounts, and {@code threads} HTTP clients sending transfers in random directions as fast as
 * they are answered, so that every concurrent pair of transfers can deadlock. Starts the application with the
 * given {@code incident.jdbc.lock-order.avoidance}, on a schema of its own, and reports what the clients and the
 * SDK saw.
 */
final class TransferStorm {

    /**
     * What one storm did.
     *
     * @param avoidance      the lock-order avoidance of the run
     * @param requests       transfer requests answered
     * @param failed         requests not answered with 201
     * @param statuses       the status codes of the failed ones, with their counts
     * @param deadlocks      {@code incident.jdbc.failures{category=DEADLOCK}}
     * @param absorbed       {@code incident.jdbc.retries{outcome=SUCCEEDED}}
     * @param notRetried     {@code incident.jdbc.retries{outcome=NOT_RETRIED}}
     * @param exhausted      {@code incident.jdbc.retries{outcome=EXHAUSTED}}
     * @param budgetRefused  retries the retry budget refused during the run
     * @param millis         the storm's duration
     * @param moneyBefore    the sum of the balances before
     * @param moneyAfter     the sum of the balances after
     * @param ledgerRows     rows the run added to the ledger
     * @param lastDeadlockMs when the last deadlock was counted, ms after the start ({@code -1}: none)
     */
    record Result(String avoidance, int requests, int failed, Map<Integer, Integer> statuses, double deadlocks,
                  double absorbed, double notRetried, double exhausted, long budgetRefused, long millis,
                  long moneyBefore, long moneyAfter, long ledgerRows, long lastDeadlockMs) {

        int succeeded() {
            return requests - failed;
        }

        String row() {
            return String.format(java.util.Locale.ROOT, "| %s | %,d | %,d | %.1f %% | %,.0f | %,.0f | %,.0f | %,.0f | %,d | %,.0f/s | %s |",
                    avoidance, requests, failed, 100.0 * failed / Math.max(1, requests), deadlocks, absorbed,
                    notRetried + exhausted, exhausted, budgetRefused, succeeded() * 1000.0 / Math.max(1, millis),
                    moneyAfter == moneyBefore && ledgerRows == succeeded() ? "holds" : "BROKEN");
        }
    }

    private TransferStorm() {
    }

    /**
     * Starts the application, runs the storm for {@code duration}, stops the application, drops its schema.
     *
     * @param postgres  the database
     * @param avoidance {@code off}, {@code in-process} or {@code database}
     * @param threads   HTTP clients
     * @param duration  how long they send
     * @return what happened
     */
    static Result run(DatabaseAccount postgres, String avoidance, int threads, Duration duration) throws Exception {
        String schema = io.incidentsdk.jdbc.testing.TestDatabases.uniqueName("storm");
        String url = postgres.url() + (postgres.url().contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(BankApplication.class)
                .profiles("postgres")
                // command-line arguments: above the application's own properties (its postgres profile)
                .run("--server.port=0", "--spring.datasource.url=" + url,
                        "--spring.datasource.username=" + postgres.user(),
                        "--spring.datasource.password=" + postgres.password(),
                        "--spring.flyway.schemas=" + schema,
                        "--spring.datasource.hikari.maximum-pool-size=" + (threads + 2),
                        "--incident.jdbc.lock-order.avoidance=" + avoidance,
                        "--logging.level.io.incidentsdk.examples=WARN")) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            MeterRegistry meters = app.getBean(MeterRegistry.class);
            RetryPolicy policy = app.getBean(RetryPolicy.class);
            long refusedBefore = policy.budget().refused();
            long moneyBefore = money(jdbc);
            long ledgerBefore = jdbc.queryForObject("SELECT COUNT(*) FROM transfer", Long.class);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            AtomicInteger requests = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            AtomicLong lastDeadlock = new AtomicLong(-1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long started = System.nanoTime();
            long end = started + duration.toNanos();
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int client = t;
                clients.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; System.nanoTime() < end; i++) {
                        long from = 1 + random.nextInt(2);
                        long to = 3 - from;
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/transfers"))
                                .header("Content-Type", "application/json")
                                .header(RequestIdFilter.HEADER, "c" + client + "-" + i)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"from\":" + from + ",\"to\":" + to
                                        + ",\"amount\":" + (1 + random.nextInt(100)) + "}"))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        requests.incrementAndGet();
                        if (response.statusCode() != 201) {
                            failed.incrementAndGet();
                            statuses.merge(response.statusCode(), 1, Integer::sum);
                        }
                    }
                    return null;
                }));
            }
            // when the last deadlock happened: sampled here every 20 ms (the clients do not wait for it)
            double seen = 0;
            while (System.nanoTime() < end) {
                double now = count(meters, "incident.jdbc.failures", "category", "DEADLOCK");
                if (now > seen) {
                    seen = now;
                    lastDeadlock.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            for (Future<?> f : clients) {
                f.get(2, TimeUnit.MINUTES);
            }
            pool.shutdown();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            double deadlocksAtEnd = count(meters, "incident.jdbc.failures", "category", "DEADLOCK");
            if (deadlocksAtEnd > seen) {
                lastDeadlock.set(millis);
            }
            return new Result(avoidance, requests.get(), failed.get(), Map.copyOf(statuses), deadlocksAtEnd,
                    count(meters, "incident.jdbc.retries", "outcome", "SUCCEEDED"),
                    count(meters, "incident.jdbc.retries", "outcome", "NOT_RETRIED"),
                    count(meters, "incident.jdbc.retries", "outcome", "EXHAUSTED"),
                    policy.budget().refused() - refusedBefore, millis, moneyBefore, money(jdbc),
                    jdbc.queryForObject("SELECT COUNT(*) FROM transfer", Long.class) - ledgerBefore,
                    lastDeadlock.get());
        } finally {
            try (Connection connection = DriverManager.getConnection(postgres.url(), postgres.user(),
                    postgres.password()); Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (SQLException e) {
                // the schema is this run's own; a leftover is harmless
            }
        }
    }

    private static long money(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT SUM(balance) FROM account", Long.class);
    }

    private static double count(MeterRegistry meters, String name, String tag, String value) {
        Counter counter = meters.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }
}
