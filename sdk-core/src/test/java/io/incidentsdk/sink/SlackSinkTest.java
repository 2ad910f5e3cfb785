package io.incidentsdk.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.OpenIncident;
import io.incidentsdk.Severity;
import io.incidentsdk.StatementInfo;
import io.incidentsdk.internal.Uuid7;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SlackSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void postsTitleSeverityStatementsAndHintAndOnlyEscalatingUpdates() throws Exception {
        try (TestReceiver receiver = TestReceiver.started()) {
            SlackSink slack = SlackSink.builder(receiver.url("/services/T000/B000/secret-token"))
                    .delivery(WebhookSinkTest.fast().build()).build();
            Incident deadlock = Incident.builder(IncidentKind.DEADLOCK, "Deadlock on UPDATE <account> & ledger")
                    .severity(Severity.ERROR)
                    .statement(new StatementInfo(StatementInfo.Role.VICTIM, "stmt:a",
                            "UPDATE account SET balance = balance - ? WHERE id = ?", "t1", "c1", null, null, List.of()))
                    .statement(new StatementInfo(StatementInfo.Role.BLOCKER, "stmt:b",
                            "UPDATE account SET balance = balance + ? WHERE id = ?", "t2", "c2", null, null, List.of()))
                    .hint("Update account rows in one order, for example by ascending id.")
                    .build();
            try (IncidentSdk sdk = IncidentSdk.builder().service("checkout", "1").environment("prod")
                    .housekeepingInterval(Duration.ofMillis(5)).updateInterval(Duration.ofMillis(1)).sink(slack).build()) {
                OpenIncident open = sdk.open(deadlock);
                await().atMost(5, TimeUnit.SECONDS).until(() -> receiver.received().size() == 1);
                open.note("a note is no reason to post again");
                open.resolve("fixed");
                await().atMost(5, TimeUnit.SECONDS).until(() -> receiver.received().size() == 2);
            }
            List<String> texts = new ArrayList<>();
            for (TestReceiver.Received r : receiver.received()) {
                texts.add(JSON.readTree(r.body()).get("text").asText());
            }
            assertThat(texts).hasSize(2);
            assertThat(texts.get(0))
                    .contains("*[ERROR] Deadlock on UPDATE &lt;account&gt; &amp; ledger*")
                    .contains("Opened · DEADLOCK")
                    .contains("checkout (prod)")
                    .contains("> victim: `UPDATE account SET balance = balance - ? WHERE id = ?`")
                    .contains("> blocker: `UPDATE account SET balance = balance + ? WHERE id = ?`")
                    .contains("Hint: Update account rows in one order");
            assertThat(texts.get(1)).startsWith(":white_check_mark:").contains("Resolved");
        }
    }

    @Test
    void sqlAndNamesWithFormattingCharactersRenderLiterallyAndABacktickCannotEndTheirCodeSpan() {
        Incident slow = Incident.builder(IncidentKind.CUSTOM, "Slow SELECT * FROM order_items")
                .severity(Severity.ERROR)
                .service(new io.incidentsdk.ServiceInfo("checkout_v2", "1", "prod~eu", null))
                .summary("Waits on *every* row of order_items & more")
                .statement(new StatementInfo(StatementInfo.Role.FAILED, "stmt:a",
                        "SELECT * FROM `order_items` WHERE note_text <> ? AND `a``b` = ?", "t1", "c1", null, null,
                        List.of()))
                .hint("Index order_items(customer_id) so that _every_ lookup is one row")
                .build();
        String text = SlackSink.text(new IncidentEvent(IncidentEvent.SCHEMA_VERSION, Uuid7.at(0).toString(),
                IncidentEvent.Type.OPENED, Instant.now(), slow));

        assertThat(text.split("\n")).contains(
                ":rotating_light: *[ERROR]* `Slow SELECT * FROM order_items`",
                "`Waits on *every* row of order_items &amp; more`",
                "> failed: `SELECT * FROM \u02CBorder_items\u02CB WHERE note_text &lt;&gt; ? AND \u02CBa\u02CB\u02CBb\u02CB = ?`",
                "Hint: `Index order_items(customer_id) so that _every_ lookup is one row`");
        assertThat(text).contains("`checkout_v2` (`prod~eu`)");
        for (String line : text.split("\n")) {
            String[] parts = line.split("`", -1);
            assertThat(parts.length % 2).as("code spans balanced in %s", line).isEqualTo(1);
            for (int i = 0; i < parts.length; i += 2) { // outside the code spans
                String outside = i == 0 ? parts[i].replace(":rotating_light: *[ERROR]*", "") : parts[i];
                assertThat(outside).as("formatting outside a code span in %s", line).doesNotContain("*", "_", "~");
            }
        }
    }

    @Test
    void textsAreBoundedAndTheWebhookPathNeverShows() {
        IncidentEvent huge = new IncidentEvent(IncidentEvent.SCHEMA_VERSION, Uuid7.at(0).toString(),
                IncidentEvent.Type.OPENED, Instant.now(), PagerDutySinkTest.hugeIncident());
        String text = SlackSink.text(huge);
        assertThat(text.length()).isLessThanOrEqualTo(SlackSink.TEXT_MAX);
        assertThat(text).contains("more");
        SlackSink slack = SlackSink.builder(URI.create("https://hooks.example.com/services/T000/B000/secret-token")).build();
        assertThat(slack.toString()).doesNotContain("secret-token").contains("hooks.example.com");
    }
}
