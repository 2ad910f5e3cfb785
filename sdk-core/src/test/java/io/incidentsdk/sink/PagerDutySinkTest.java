package io.incidentsdk.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentsdk.DatabaseInfo;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.OpenIncident;
import io.incidentsdk.ServiceInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.StatementInfo;
import io.incidentsdk.TimelineEntry;
import io.incidentsdk.internal.Uuid7;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PagerDutySinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTING_KEY = "R0UT1NGKEY0000000000000000000000";

    private static IncidentSdk sdk(IncidentSink sink) {
        return IncidentSdk.builder().service("checkout", "1.4.2").environment("prod").instance("host-1/42")
                .housekeepingInterval(Duration.ofMillis(5)).updateInterval(Duration.ofMillis(1))
                .closeTimeout(Duration.ofSeconds(3)).sink(sink).build();
    }

    private static List<JsonNode> bodies(TestReceiver receiver) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (TestReceiver.Received r : receiver.received()) {
            out.add(JSON.readTree(r.body()));
        }
        return out;
    }

    @Test
    void anIncidentTriggersReTriggersOnlyWhenItsSeverityRisesAndResolves() throws Exception {
        try (TestReceiver receiver = TestReceiver.started().defaultStatus(202)) {
            PagerDutySink pagerDuty = PagerDutySink.builder(ROUTING_KEY).endpoint(receiver.url("/v2/enqueue"))
                    .postmortemUrl("https://incidents.example.com/postmortems/{incidentId}")
                    .delivery(WebhookSinkTest.fast().build()).build();
            Incident deadlock = Incident.builder(IncidentKind.DEADLOCK, "Deadlock on UPDATE account")
                    .severity(Severity.WARNING).summary("Two transactions updated account rows in opposite order.")
                    .database(new DatabaseInfo("postgresql", "PostgreSQL", "17.2", "ordersDataSource", null))
                    .build();
            try (IncidentSdk sdk = sdk(pagerDuty)) {
                OpenIncident open = sdk.open(deadlock);
                await().atMost(5, TimeUnit.SECONDS).until(() -> receiver.received().size() == 1);
                open.note("looking into it"); // an UPDATED event of the same severity: no page
                open.severity(Severity.CRITICAL);
                await().atMost(5, TimeUnit.SECONDS).until(() -> receiver.received().size() == 2);
                open.resolve("fixed the lock order");
                await().atMost(5, TimeUnit.SECONDS).until(() -> receiver.received().size() == 3);
            }
            List<JsonNode> sent = bodies(receiver);
            assertThat(sent).extracting(b -> b.get("event_action").asText()).containsExactly("trigger", "trigger", "resolve");
            assertThat(sent).allSatisfy(b -> {
                assertThat(b.get("routing_key").asText()).isEqualTo(ROUTING_KEY);
                assertThat(b.get("dedup_key").asText()).isEqualTo(deadlock.fingerprint());
            });
            JsonNode first = sent.get(0).get("payload");
            assertThat(first.get("summary").asText())
                    .isEqualTo("DEADLOCK: Deadlock on UPDATE account - Two transactions updated account rows in opposite order.");
            assertThat(first.get("source").asText()).isEqualTo("checkout/host-1/42");
            assertThat(first.get("severity").asText()).isEqualTo("warning");
            assertThat(Instant.parse(first.get("timestamp").asText())).isNotNull();
            assertThat(first.get("component").asText()).isEqualTo("ordersDataSource");
            assertThat(first.get("group").asText()).isEqualTo("checkout");
            assertThat(first.get("class").asText()).isEqualTo("DEADLOCK");
            assertThat(first.get("custom_details").get("title").asText()).isEqualTo("Deadlock on UPDATE account");
            assertThat(first.get("custom_details").get("event").asText()).isEqualTo("OPENED");
            String incidentId = first.get("custom_details").get("incidentId").asText();
            assertThat(sent.get(0).get("links").get(0).get("href").asText())
                    .isEqualTo("https://incidents.example.com/postmortems/" + incidentId);
            assertThat(sent.get(0).get("client").asText()).isEqualTo("Incident SDK");
            assertThat(sent.get(1).get("payload").get("severity").asText()).isEqualTo("critical");
            assertThat(sent.get(2).has("payload")).isFalse();
        }
    }

    @Test
    void rateLimitsAreRetriedAndABadRequestIsDeadLetteredNotRetried() throws Exception {
        try (TestReceiver receiver = TestReceiver.started()
                .then(new TestReceiver.Answer(429, "0", false), TestReceiver.Answer.status(202),
                        TestReceiver.Answer.status(400))
                .defaultStatus(202)) {
            PagerDutySink pagerDuty = PagerDutySink.builder(ROUTING_KEY).endpoint(receiver.url("/v2/enqueue"))
                    .delivery(WebhookSinkTest.fast().build()).build();
            try (IncidentSdk sdk = sdk(pagerDuty)) {
                sdk.record(Incident.builder(IncidentKind.CUSTOM, "first").build());
                await().atMost(5, TimeUnit.SECONDS).until(() -> pagerDuty.deliveryStats().delivered() == 1);
                sdk.record(Incident.builder(IncidentKind.CUSTOM, "second").build());
                await().atMost(5, TimeUnit.SECONDS).until(() -> pagerDuty.deliveryStats().deadLettered() == 1);
            }
            DeliveryStats stats = pagerDuty.deliveryStats();
            assertThat(stats.retried()).isEqualTo(1);
            List<String> summaries = bodies(receiver).stream().filter(b -> b.has("payload"))
                    .map(b -> b.get("payload").get("summary").asText()).collect(Collectors.toList());
            assertThat(summaries.subList(0, 3)).containsExactly("CUSTOM: first", "CUSTOM: first", "CUSTOM: second");
        }
    }

    @Test
    void payloadsStayWithinTheDocumentedFieldLimits() throws Exception {
        PagerDutySink pagerDuty = PagerDutySink.builder(ROUTING_KEY).build();
        IncidentEvent huge = event(hugeIncident());
        JsonNode body = JSON.readTree(pagerDuty.body(huge));
        assertThat(pagerDuty.body(huge).getBytes(StandardCharsets.UTF_8).length).isLessThan(512 * 1024);
        assertThat(body.get("dedup_key").asText().length()).isLessThanOrEqualTo(PagerDutySink.DEDUP_KEY_MAX);
        assertThat(body.get("payload").get("summary").asText().length()).isLessThanOrEqualTo(PagerDutySink.SUMMARY_MAX);
        assertThat(body.get("payload").get("summary").asText()).endsWith("\u2026");
        JsonNode details = body.get("payload").get("custom_details");
        assertThat(details.toString().getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(PagerDutySink.CUSTOM_DETAILS_MAX);
        assertThat(details.get("truncated").asText()).contains("exceeded");
        assertThat(details.get("eventId").asText()).isEqualTo(huge.eventId());
        assertThat(body.get("payload").get("source").asText().length()).isLessThanOrEqualTo(255);

        // a record that fits is sent whole
        IncidentEvent small = event(Incident.builder(IncidentKind.CUSTOM, "small").build());
        JsonNode whole = JSON.readTree(pagerDuty.body(small)).get("payload").get("custom_details");
        assertThat(whole.has("truncated")).isFalse();
        assertThat(whole.has("timeline")).isTrue();
    }

    @Test
    void theRoutingKeyNeverShowsAndBadSettingsAreRefused() {
        PagerDutySink pagerDuty = PagerDutySink.builder(ROUTING_KEY).build();
        assertThat(pagerDuty.toString()).doesNotContain(ROUTING_KEY).contains("events.pagerduty.com");
        assertThatThrownBy(() -> PagerDutySink.builder(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PagerDutySink.builder("key with\nnewline-secret"))
                .hasMessageNotContaining("newline-secret");
        assertThatThrownBy(() -> PagerDutySink.builder(ROUTING_KEY).postmortemUrl("not a url {incidentId}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PagerDutySink.builder(ROUTING_KEY).endpoint(URI.create("file:///tmp/x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static IncidentEvent event(Incident incident) {
        long now = System.currentTimeMillis();
        Incident withService = incident.toBuilder()
                .service(new ServiceInfo("s".repeat(300), "1", "prod", "i".repeat(300))).build();
        return new IncidentEvent(IncidentEvent.SCHEMA_VERSION, Uuid7.at(now).toString(), IncidentEvent.Type.OPENED,
                Instant.ofEpochMilli(now), withService);
    }

    /** Every bounded field of a record at its bound. */
    static Incident hugeIncident() {
        Incident.Builder b = Incident.builder(IncidentKind.DEADLOCK, "T".repeat(500))
                .fingerprint("f".repeat(1000))
                .summary("S".repeat(5000))
                .severity(Severity.CRITICAL);
        List<String> earlier = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            earlier.add("stmt:" + "x".repeat(300) + i);
        }
        for (int i = 0; i < 20; i++) {
            b.statement(new StatementInfo(StatementInfo.Role.FAILED, "stmt:" + i,
                    "UPDATE account SET balance = ? WHERE id = ? -- " + "y".repeat(5000), "thread-" + i, "conn-" + i,
                    "backend-" + i, 10L, earlier));
        }
        for (int i = 0; i < 200; i++) {
            b.timeline(new TimelineEntry(Instant.now(), TimelineEntry.NOTE, "note " + i + " " + "z".repeat(600)));
        }
        for (int i = 0; i < 12; i++) {
            b.hint("hint " + i + " " + "h".repeat(600));
        }
        return b.build();
    }
}
