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
