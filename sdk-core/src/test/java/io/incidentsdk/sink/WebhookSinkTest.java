package io.incidentsdk.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.OpenIncident;
import io.incidentsdk.Severity;
import io.incidentsdk.SinkStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "0123456789abcdef-test-secret";

    @TempDir
    Path dir;

    /** Short backoffs and timeouts so that the tests take milliseconds, not minutes. */
    static DeliveryOptions.Builder fast() {
        return DeliveryOptions.builder()
                .connectTimeout(Duration.ofMillis(500))
                .requestTimeout(Duration.ofMillis(500))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .circuitBreaker(3, Duration.ofMillis(100))
                .closeTimeout(Duration.ofSeconds(1));
    }

    private static IncidentSdk sdk(IncidentSink... sinks) {
        IncidentSdk.Builder b = IncidentSdk.builder().service("checkout", "1.4.2").environment("test")
                .housekeepingInterval(Duration.ofMillis(5)).updateInterval(Duration.ofMillis(1))
                .closeTimeout(Duration.ofSeconds(3));
        for (IncidentSink sink : sinks) {
            b.sink(sink);
        }
        return b.build();
    }

    private static Incident incident(String title) {
        return Incident.builder(IncidentKind.CUSTOM, title).severity(Severity.ERROR).build();
    }

    private static List<String> titles(List<TestReceiver.Received> received) {
        return received.stream().map(r -> IncidentJson.fromJson(r.text()).incident().title()).collect(Collectors.toList());
    }

    @Test
    void receiverDownThenUpEveryEventArrivesOnceAndInOrder() throws Exception {
        try (TestReceiver receiver = TestReceiver.down()) {
            WebhookSink webhook = WebhookSink.builder(receiver.url("/hook"))
                    .delivery(fast().spoolDirectory(dir.resolve("spool")).build()).build();
            List<String> expected = new ArrayList<>();
            try (IncidentSdk sdk = sdk(webhook)) {
                for (int i = 0; i < 20; i++) {
                    sdk.record(incident("outage " + i));
                    expected.add("outage " + i);
                }
                OpenIncident handled = sdk.open(IncidentKind.CUSTOM, "provider timing out");
                await().atMost(5, TimeUnit.SECONDS).until(() -> webhook.deliveryStats().accepted() == 21);
                handled.severity(Severity.CRITICAL);
                await().atMost(5, TimeUnit.SECONDS).until(() -> webhook.deliveryStats().accepted() == 22);
                handled.resolve("provider recovered");
                await().atMost(5, TimeUnit.SECONDS).until(() -> webhook.deliveryStats().accepted() >= 23);
                await().atMost(5, TimeUnit.SECONDS).until(() -> webhook.deliveryStats().retried() >= 3);
                assertThat(webhook.deliveryStats().circuitOpen()).isTrue();
                assertThat(webhook.deliveryStats().pending()).isEqualTo(23);
                assertThat(webhook.deliveryStats().spooling()).isTrue();

                receiver.start();
                await().atMost(10, TimeUnit.SECONDS).until(() -> receiver.received().size() >= 23);
                await().atMost(5, TimeUnit.SECONDS).until(() -> webhook.deliveryStats().pending() == 0);
            }
            List<TestReceiver.Received> got = receiver.received();
            assertThat(got).hasSize(23);
            assertThat(got.stream().map(r -> r.header(WebhookSink.EVENT_ID_HEADER)).distinct()).hasSize(23);
            List<IncidentEvent> events = got.stream().map(r -> IncidentJson.fromJson(r.text())).collect(Collectors.toList());
            assertThat(events).allSatisfy(e -> assertThat(got.get(events.indexOf(e)).header(WebhookSink.EVENT_ID_HEADER))
                    .isEqualTo(e.eventId()));
            assertThat(titles(got)).containsAll(expected);
            // the handled incident's events keep their order: OPENED before UPDATED before RESOLVED
            List<IncidentEvent.Type> provider = events.stream()
                    .filter(e -> e.incident().title().equals("provider timing out"))
                    .map(IncidentEvent::event).collect(Collectors.toList());
            assertThat(provider).containsExactly(IncidentEvent.Type.OPENED, IncidentEvent.Type.UPDATED,
                    IncidentEvent.Type.RESOLVED);
            assertThat(got.get(0).header("content-type")).startsWith("application/json");
        }
    }

    @Test
    void serverErrorsAreRetriedWithBackoffUntilAccepted() throws Exception {
        try (TestReceiver receiver = TestReceiver.started()
                .then(TestReceiver.Answer.status(500), TestReceiver.Answer.status(503), TestReceiver.Answer.status(502))
                .defaultStatus(202)) {
            WebhookSink webhook = WebhookSink.builder(receiver.url("/hook"))
                    .delivery(fast().circuitBreaker(10, Duration.ofMillis(100)).build()).build();
            try (IncidentSdk sdk = sdk(webhook)) {
                sdk.record(incident("database down"));
                await().atMost(5, TimeUnit.SECONDS).until(() -> webhook.deliveryStats().delivered() == 1);
                DeliveryStats stats = webhook.deliveryStats();
                assertThat(stats.retried()).isEqualTo(3);
                assertThat(stats.deadLettered()).isZero();
                assertThat(stats.dropped()).isZero();
            }
            List<TestReceiver.Received> got = receiver.received();
            assertThat(got).hasSize(4);
            assertThat(got.stream().map(TestReceiver.Received::text).distinct()).hasSize(1); // the same event each time
        }
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() throws Exception {
        try (TestReceiver receiver = TestReceiver.started()
                .then(new TestReceiver.Answer(429, "1", false))) {
            WebhookSink webhook = WebhookSink.builder(receiver.url("/hook")).delivery(fast().build()).build();
            try (IncidentSdk sdk = sdk(webhook)) {
                sdk.record(incident("rate limited"));
                await().atMost(5, TimeUnit.SECONDS).until(() -> webhook.deliveryStats().delivered() == 1);
            }
            List<TestReceiver.Received> got = receiver.received();
            assertThat(got).hasSize(2);
            long gapMillis = TimeUnit.NANOSECONDS.toMillis(got.get(1).atNanos() - got.get(0).atNanos());
            // the backoff alone would be 10 ms; the receiver asked for a second
            assertThat(gapMillis).isGreaterThanOrEqualTo(950);
        }
    }

    @Test
    void clientErrorIsNotRetriedGoesToTheDeadLetterFileAndIsReported() throws Exception {
        Path deadLetters = dir.resolve("dead.jsonl");
        try (TestReceiver receiver = TestReceiver.started().then(TestReceiver.Answer.status(400))) {
            WebhookSink webhook = WebhookSink.builder(receiver.url("/hook"))
                    .delivery(fast().spoolDirectory(dir.resolve("spool")).deadLetterFile(deadLetters).build()).build();
            InMemorySink memory = new InMemorySink(100);
            try (IncidentSdk sdk = sdk(webhook, memory)) {
                sdk.record(incident("refused one"));
                await().atMost(5, TimeUnit.SECONDS).until(() -> webhook.deliveryStats().deadLettered() == 1);
                sdk.record(incident("accepted one"));
                await().atMost(5, TimeUnit.SECONDS).until(() -> webhook.deliveryStats().delivered() >= 1);
                await().atMost(5, TimeUnit.SECONDS).until(() -> memory.events().stream()
                        .anyMatch(e -> e.incident().kind() == IncidentKind.SINK_DEGRADED));
                assertThat(webhook.deliveryStats().retried()).isZero();
                SinkStats stats = sdk.sinkStats().get(0);
                assertThat(stats.dropped()).isEqualTo(1);
            }
            // the SINK_DEGRADED incident that reports the refusal reaches the receiver too
            assertThat(titles(receiver.received())).startsWith("refused one")
                    .containsSubsequence("refused one", "accepted one")
                    .contains("Incident sink webhook is dropping events");
            List<String> lines = Files.readAllLines(deadLetters);
            assertThat(lines).hasSize(1);
            JsonNode line = JSON.readTree(lines.get(0));
            assertThat(line.get("status").asInt()).isEqualTo(400);
            assertThat(line.get("event").get("title").asText()).isEqualTo("refused one");
        }
    }

    @Test
    void aHangingReceiverDelaysNeitherTheApplicationNorOtherSinks() throws Exception {
        try (TestReceiver hanging = TestReceiver.started().hangAll();
             TestReceiver healthy = TestReceiver.started()) {
            WebhookSink stuck = WebhookSink.builder(hanging.url("/hook")).name("stuck")
                    .delivery(fast().requestTimeout(Duration.ofSeconds(20)).closeTimeout(Duration.ofMillis(300))
                            .spoolDirectory(dir.resolve("stuck")).build()).build();
            WebhookSink fine = WebhookSink.builder(healthy.url("/hook")).name("fine").delivery(fast().build()).build();
            InMemorySink memory = new InMemorySink(1000);
            long slowestNanos = 0;
            long closeNanos;
            IncidentSdk sdk = sdk(stuck, fine, memory);
            try {
                for (int i = 0; i < 200; i++) {
                    long start = System.nanoTime();
                    sdk.record(incident("incident " + i));
                    slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);
                }
                await().atMost(10, TimeUnit.SECONDS).until(() -> healthy.received().size() >= 200);
                await().atMost(5, TimeUnit.SECONDS).until(() -> memory.events().size() >= 200);
                // the first request hangs, the rest wait in the spool (each written there on the sink's thread)
                await().atMost(10, TimeUnit.SECONDS).until(() -> stuck.deliveryStats().accepted() == 200);
                assertThat(hanging.received()).hasSize(1);
            } finally {
                long closeStart = System.nanoTime();
                sdk.close();
                closeNanos = System.nanoTime() - closeStart;
            }
            // a record() that waited for the hanging request would take its 20 s request timeout: one second is far
            // below that and far above what scheduling and GC on a loaded 2-core machine add to a call
            assertThat(TimeUnit.NANOSECONDS.toMillis(slowestNanos)).as("slowest record() call, ms").isLessThan(1_000);
            // the stuck sink's close is bounded by its own close timeout (300 ms) plus a short grace
            assertThat(TimeUnit.NANOSECONDS.toMillis(closeNanos)).as("close, ms").isLessThan(3_000);
            assertThat(stuck.deliveryStats().pending()).isEqualTo(200); // left in the spool for the next start
        }
    }

    @Test
    void signedRequestsVerifyAndTamperedOrReplayedOnesAreRejected() throws Exception {
        try (TestReceiver receiver = TestReceiver.started()) {
            WebhookSink webhook = WebhookSink.builder(receiver.url("/hook")).secret(SECRET)
                    .header("Authorization", "Bearer very-secret-token").delivery(fast().build()).build();
            try (IncidentSdk sdk = sdk(webhook)) {
                sdk.record(incident("signed"));
                await().atMost(5, TimeUnit.SECONDS).until(() -> receiver.received().size() == 1);
            }
            TestReceiver.Received request = receiver.received().get(0);
            String header = request.header(WebhookSignature.HEADER);
            assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64}");
            assertThat(request.header("authorization")).isEqualTo("Bearer very-secret-token");

            WebhookSignature verifier = WebhookSignature.verifier(SECRET);
            assertThat(verifier.verify(header, request.body())).isEqualTo(WebhookSignature.Result.VALID);
            assertThat(verifier.verify(header, request.body())).isEqualTo(WebhookSignature.Result.REPLAYED);

            byte[] tampered = request.text().replace("signed", "signes").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(WebhookSignature.verifier(SECRET).verify(header, tampered))
                    .isEqualTo(WebhookSignature.Result.MISMATCH);
            assertThat(WebhookSignature.verifier("another-secret-of-16+").verify(header, request.body()))
                    .isEqualTo(WebhookSignature.Result.MISMATCH);
            Instant sent = Instant.ofEpochSecond(Long.parseLong(header.substring(2, header.indexOf(','))));
            assertThat(WebhookSignature.verifier(SECRET).verify(header, request.body(), sent.plus(Duration.ofMinutes(6))))
                    .isEqualTo(WebhookSignature.Result.EXPIRED);
            assertThat(verifier.verify(null, request.body())).isEqualTo(WebhookSignature.Result.MALFORMED);
            assertThat(verifier.verify("t=abc,v1=00", request.body())).isEqualTo(WebhookSignature.Result.MALFORMED);
            // a replay re-signed by an attacker without the secret cannot match
            String forged = "t=" + (sent.getEpochSecond() + 1) + header.substring(header.indexOf(','));
            assertThat(WebhookSignature.verifier(SECRET).verify(forged, request.body()))
                    .isEqualTo(WebhookSignature.Result.MISMATCH);
        }
    }

    @Test
    void cloudEventsStructuredModeCarriesTheEnvelope() throws Exception {
        try (TestReceiver receiver = TestReceiver.started()) {
            WebhookSink webhook = WebhookSink.builder(receiver.url("/ce")).format(WebhookSink.Format.CLOUD_EVENTS)
                    .delivery(fast().build()).build();
            try (IncidentSdk sdk = sdk(webhook)) {
                sdk.record(incident("as a cloud event"));
                await().atMost(5, TimeUnit.SECONDS).until(() -> receiver.received().size() == 1);
            }
            TestReceiver.Received request = receiver.received().get(0);
            assertThat(request.header("content-type")).startsWith("application/cloudevents+json");
            JsonNode ce = JSON.readTree(request.body());
            JsonNode data = ce.get("data");
            assertThat(ce.get("specversion").asText()).isEqualTo("1.0");
            assertThat(ce.get("id").asText()).isEqualTo(data.get("eventId").asText())
                    .isEqualTo(request.header(WebhookSink.EVENT_ID_HEADER));
            assertThat(ce.get("type").asText()).isEqualTo("io.incidentsdk.incident.opened");
            assertThat(ce.get("source").asText()).isEqualTo("urn:incident-sdk:service:checkout");
            assertThat(ce.get("subject").asText()).isEqualTo(data.get("fingerprint").asText());
            assertThat(ce.get("time").asText()).isEqualTo(data.get("eventTime").asText());
            assertThat(ce.get("datacontenttype").asText()).isEqualTo("application/json");
            assertThat(ce.get("dataschema").asText()).isEqualTo("urn:io.incidentsdk:incident-event:1");
            assertThat(IncidentJson.fromJson(data.toString()).incident().title()).isEqualTo("as a cloud event");
        }
    }

    @Test
    void eventsOlderThanTheAgeBoundAreDroppedCountedAndReported() throws Exception {
        try (TestReceiver receiver = TestReceiver.down()) {
            WebhookSink webhook = WebhookSink.builder(receiver.url("/hook"))
                    // long enough that a fresh event is delivered well within it on a loaded machine (a spool
                    // write with fsync can take hundreds of milliseconds there)
                    .delivery(fast().spoolDirectory(dir.resolve("spool")).spoolMaxAge(Duration.ofMillis(1500)).build())
                    .build();
            InMemorySink memory = new InMemorySink(100);
            try (IncidentSdk sdk = sdk(webhook, memory)) {
                sdk.record(incident("too old to matter"));
                await().atMost(10, TimeUnit.SECONDS).until(() -> webhook.deliveryStats().dropped() == 1);
                await().atMost(10, TimeUnit.SECONDS).until(() -> memory.events().stream()
                        .anyMatch(e -> e.incident().kind() == IncidentKind.SINK_DEGRADED
                                && e.incident().summary().contains("age bound")));
                receiver.start();
                sdk.record(incident("fresh"));
                await().atMost(10, TimeUnit.SECONDS).until(() -> titles(receiver.received()).contains("fresh"));
            }
            assertThat(titles(receiver.received())).doesNotContain("too old to matter");
        }
    }

    @Test
    void whenTheSpoolCannotBeWrittenDeliveryGoesOnFromMemoryAndItIsReported() throws Exception {
        Path spool = dir.resolve("spool");
        try (TestReceiver receiver = TestReceiver.started()) {
            WebhookSink webhook = WebhookSink.builder(receiver.url("/hook"))
                    .delivery(fast().spoolDirectory(spool).spoolMaxBytes(64 * 1024).build()).build();
            InMemorySink memory = new InMemorySink(1000);
            try (IncidentSdk sdk = sdk(webhook, memory)) {
                sdk.record(incident("before"));
                await().atMost(5, TimeUnit.SECONDS).until(() -> webhook.deliveryStats().delivered() == 1);
                // the disk goes away under the sink: the next segment cannot be created
                try (java.util.stream.Stream<Path> files = Files.walk(spool)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
                for (int i = 0; i < 60; i++) {
                    sdk.record(Incident.builder(IncidentKind.CUSTOM, "after " + i).summary("x".repeat(1500)).build());
                }
                await().atMost(10, TimeUnit.SECONDS).until(() -> titles(receiver.received()).stream()
                        .filter(t -> t.startsWith("after ")).count() == 60);
                await().atMost(5, TimeUnit.SECONDS).until(() -> memory.events().stream()
                        .anyMatch(e -> e.incident().kind() == IncidentKind.SINK_DEGRADED
                                && e.incident().summary().contains("spool not writable")));
            }
            assertThat(webhook.deliveryStats().dropped()).isZero();
        }
    }

    @Test
    void aSpoolDirectoryInUseElsewhereMeansDeliveryFromMemoryReported() throws Exception {
        Path spool = dir.resolve("spool");
        try (TestReceiver receiver = TestReceiver.started();
             io.incidentsdk.internal.delivery.Spool other = io.incidentsdk.internal.delivery.Spool.open(spool,
                     1 << 20, DeliveryOptions.Fsync.NEVER, 0)) {
            WebhookSink webhook = WebhookSink.builder(receiver.url("/hook"))
                    .delivery(fast().spoolDirectory(spool).build()).build();
            InMemorySink memory = new InMemorySink(100);
            try (IncidentSdk sdk = sdk(webhook, memory)) {
                sdk.record(incident("still delivered"));
                await().atMost(5, TimeUnit.SECONDS).until(() -> titles(receiver.received()).contains("still delivered"));
                await().atMost(5, TimeUnit.SECONDS).until(() -> memory.events().stream()
                        .anyMatch(e -> e.incident().kind() == IncidentKind.SINK_DEGRADED
                                && e.incident().summary().contains("spool directory not usable")));
                assertThat(webhook.deliveryStats().spooling()).isFalse();
                assertThat(other.pending()).isZero();
            }
        }
    }

    @Test
    void secretsNeverAppearInToStringAndBadSettingsAreRefused() {
        WebhookSink webhook = WebhookSink.builder(java.net.URI.create("https://hooks.example.com/T000/B000/XXXXsecretpath"))
                .secret(SECRET).header("Authorization", "Bearer very-secret-token").build();
        assertThat(webhook.toString()).doesNotContain(SECRET).doesNotContain("very-secret-token")
                .doesNotContain("XXXXsecretpath").contains("hooks.example.com").contains("Authorization");
        assertThat(WebhookSignature.verifier(SECRET).toString()).doesNotContain(SECRET);
        assertThatThrownBy(() -> WebhookSink.builder(java.net.URI.create("ftp://example.com/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url");
        assertThatThrownBy(() -> WebhookSink.builder(java.net.URI.create("https://user:pw@example.com/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("pw");
        assertThatThrownBy(() -> WebhookSink.builder(java.net.URI.create("https://example.com/x")).secret("short"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("short");
        assertThatThrownBy(() -> WebhookSink.builder(java.net.URI.create("https://example.com/x"))
                .header("Content-Type", "text/plain")).hasMessageContaining("set by the sink");
        assertThatThrownBy(() -> WebhookSink.builder(java.net.URI.create("https://example.com/x"))
                .header("X-Token", "line\r\nbreak-secret")).hasMessageNotContaining("break-secret");
    }

    @Test
    void withoutASdkTheSinkStillDeliversAndCloses() throws IOException {
        try (TestReceiver receiver = TestReceiver.started()) {
            WebhookSink webhook = WebhookSink.builder(receiver.url("/hook")).delivery(fast().build()).build();
            IncidentEvent event = new IncidentEvent(IncidentEvent.SCHEMA_VERSION,
                    io.incidentsdk.internal.Uuid7.at(System.currentTimeMillis()).toString(), IncidentEvent.Type.OPENED,
                    Instant.now(), incident("direct"));
            webhook.publish(event);
            await().atMost(5, TimeUnit.SECONDS).until(() -> receiver.received().size() == 1);
            webhook.close();
            assertThat(webhook.deliveryStats().delivered()).isEqualTo(1);
        }
    }
}
