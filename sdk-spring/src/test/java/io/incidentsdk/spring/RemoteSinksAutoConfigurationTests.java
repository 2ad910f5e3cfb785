package io.incidentsdk.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.SinkStats;
import io.incidentsdk.sink.DeliveryOptions;
import io.incidentsdk.sink.WebhookSignature;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * {@code incident.sinks.webhook.*}, {@code .pagerduty.*} and {@code .slack.*}: each sink is on when its URL or
 * key is set, delivers over real HTTP with the configured settings, is refused with a failure analysis that
 * never shows a secret, and defaults to the core's {@link DeliveryOptions}.
 */
class RemoteSinksAutoConfigurationTests {

    private static final String SECRET = "spring-test-secret-0123456789";
    private static final String ROUTING_KEY = "R0UT1NGKEYSPRING00000000000000000";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(IncidentAutoConfiguration.class));

    private final Map<String, List<Request>> received = new ConcurrentHashMap<>();
    private HttpServer server;

    @TempDir
    Path dir;

    record Request(Map<String, String> headers, byte[] body) {
    }

    @BeforeEach
    void startReceiver() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            received.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new CopyOnWriteArrayList<>())
                    .add(new Request(headers, body));
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().startsWith("/pd") ? 202 : 200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopReceiver() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void eachRemoteSinkIsOnWhenConfiguredAndDeliversOverHttp() {
        runner.withPropertyValues(
                "incident.service.name=checkout",
                "incident.sinks.webhook.url=" + url("/hook"),
                "incident.sinks.webhook.secret=" + SECRET,
                "incident.sinks.webhook.format=cloud-events",
                "incident.sinks.webhook.headers.Authorization=Bearer spring-token",
                "incident.sinks.webhook.delivery.spool-directory=" + dir.resolve("webhook"),
                "incident.sinks.webhook.delivery.fsync=batched",
                "incident.sinks.webhook.delivery.initial-backoff=10ms",
                "incident.sinks.webhook.delivery.max-backoff=20ms",
                "incident.sinks.pagerduty.routing-key=" + ROUTING_KEY,
                "incident.sinks.pagerduty.endpoint=" + url("/pd/v2/enqueue"),
                "incident.sinks.pagerduty.postmortem-url=https://incidents.example.com/{incidentId}",
                "incident.sinks.slack.webhook-url=" + url("/slack/T0/B0/token"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    IncidentSdk sdk = context.getBean(IncidentSdk.class);
                    assertThat(sdk.sinkStats().stream().map(SinkStats::sink).collect(Collectors.toList()))
                            .containsExactly("webhook", "pagerduty", "slack"); // logging only without other sinks
                    sdk.record(Incident.builder(IncidentKind.CUSTOM, "configured from properties").build());
                    await().atMost(10, TimeUnit.SECONDS).until(() -> received.keySet().size() == 3);
                });
        Request hook = received.get("/hook").get(0);
        assertThat(hook.headers().get("content-type")).startsWith("application/cloudevents+json");
        assertThat(hook.headers().get("authorization")).isEqualTo("Bearer spring-token");
        assertThat(WebhookSignature.verifier(SECRET).verify(hook.headers().get("incident-signature"), hook.body()))
                .isEqualTo(WebhookSignature.Result.VALID);
        JsonNode pd = read(received.get("/pd/v2/enqueue").get(0).body());
        assertThat(pd.get("routing_key").asText()).isEqualTo(ROUTING_KEY);
        assertThat(pd.get("payload").get("group").asText()).isEqualTo("checkout");
        assertThat(pd.get("links").get(0).get("href").asText()).startsWith("https://incidents.example.com/");
        assertThat(read(received.get("/slack/T0/B0/token").get(0).body()).get("text").asText())
                .contains("configured from properties");
        assertThat(dir.resolve("webhook").resolve("spool.lock")).exists();
    }

    @Test
    void noRemoteSinkWithoutItsUrlOrKey() {
        runner.run(context -> assertThat(context.getBean(IncidentSdk.class).sinkStats())
                .extracting(SinkStats::sink).containsExactly("log"));
    }

    @Test
    void aRefusedSettingIsNamedAndASecretIsNeverShown() {
        runner.withPropertyValues("incident.sinks.webhook.url=" + url("/hook"),
                "incident.sinks.webhook.secret=tiny-secret").run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("Property: incident.sinks.webhook.secret",
                            "must be at least 16 characters").doesNotContain("tiny-secret");
                });
        // a secret set from an environment variable that is not set: refused, not silently unsigned
        runner.withPropertyValues("incident.sinks.webhook.url=" + url("/hook"), "incident.sinks.webhook.secret=")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(analyze(context.getStartupFailure()).getDescription())
                            .contains("Property: incident.sinks.webhook.secret", "set but blank");
                });
        runner.withPropertyValues("incident.sinks.pagerduty.routing-key=" + ROUTING_KEY,
                "incident.sinks.pagerduty.delivery.max-backoff=1ms",
                "incident.sinks.pagerduty.delivery.initial-backoff=1s").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(analyze(context.getStartupFailure()).getDescription())
                            .contains("Property: incident.sinks.pagerduty.delivery.max-backoff",
                                    "must be >= initialBackoff");
                });
        runner.withPropertyValues("incident.sinks.slack.webhook-url=ftp://chat.example.com/secret-path").run(context -> {
            assertThat(context).hasFailed();
            assertThat(analyze(context.getStartupFailure()).getDescription())
                    .contains("Property: incident.sinks.slack.webhook-url").doesNotContain("secret-path");
        });
    }

    @Test
    void aRefusedUrlIsShownOnlyAsSchemeHostAndPortBecauseItsPathOrQueryHoldsAToken() {
        runner.withPropertyValues("incident.sinks.webhook.url=ftp://hooks.example.com/services/T0/B0/secret-token")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(analyze(context.getStartupFailure()).getDescription())
                            .contains("Property: incident.sinks.webhook.url", "Value: \"ftp://hooks.example.com/\u2026\"")
                            .doesNotContain("secret-token").doesNotContain("T0/B0");
                });
        runner.withPropertyValues("incident.sinks.pagerduty.routing-key=" + ROUTING_KEY,
                "incident.sinks.pagerduty.endpoint=ftp://user:pw-secret@events.example.com/v2/enqueue?token=secret-token")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(analyze(context.getStartupFailure()).getDescription())
                            .contains("Property: incident.sinks.pagerduty.endpoint", "ftp://events.example.com")
                            .doesNotContain("secret-token").doesNotContain("pw-secret");
                });
        // a value that is not a URL at all fails before validation: Boot's own analysis would print it
        runner.withPropertyValues("incident.sinks.webhook.url=hooks.example.com/services/T0/B0/s3cr3t tok3n")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("Property: incident.sinks.webhook.url")
                            .doesNotContain("s3cr3t").doesNotContain("tok3n").doesNotContain("T0/B0");
                });
    }

    @Test
    void deliveryDefaultsAreTheCoresDefaults() {
        DeliveryOptions mapped = new RemoteSinkProperties.Delivery().options();
        DeliveryOptions core = DeliveryOptions.defaults();
        assertThat(mapped.toString()).isEqualTo(core.toString());
        assertThat(new RemoteSinkProperties.Delivery().getCloseTimeout())
                .isLessThan(Duration.ofSeconds(5)); // within the SDK's own close timeout
    }

    private static JsonNode read(byte[] body) {
        try {
            return new ObjectMapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static FailureAnalysis analyze(Throwable failure) {
        for (FailureAnalyzer analyzer : SpringFactoriesLoader.forDefaultResourceLocation(
                RemoteSinksAutoConfigurationTests.class.getClassLoader()).load(FailureAnalyzer.class,
                SpringFactoriesLoader.FailureHandler.handleMessage((message, e) -> { }))) {
            FailureAnalysis analysis = analyzer.analyze(failure);
            if (analysis != null) {
                return analysis;
            }
        }
        return null;
    }
}
