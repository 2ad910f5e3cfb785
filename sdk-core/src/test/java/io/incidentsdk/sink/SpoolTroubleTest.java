package io.incidentsdk.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.Severity;
import io.incidentsdk.internal.Uuid7;
import io.incidentsdk.internal.delivery.Spool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool under trouble that a running application meets: a restart in the same JVM while a send hangs, an
 * interrupted close, a spool that cannot be read or opened for a while. Real files, real HTTP.
 */
class SpoolTroubleTest {

    @TempDir
    Path dir;

    private static IncidentSdk sdk(Duration closeTimeout, IncidentSink... sinks) {
        IncidentSdk.Builder b = IncidentSdk.builder().service("checkout", "1.4.2").environment("test")
                .housekeepingInterval(Duration.ofMillis(5)).updateInterval(Duration.ofMillis(1))
                .closeTimeout(closeTimeout);
        for (IncidentSink sink : sinks) {
            b.sink(sink);
        }
        return b.build();
    }

    private static Incident incident(String title) {
        return Incident.builder(IncidentKind.CUSTOM, title).severity(Severity.ERROR).build();
    }

    private static List<String> titles(List<TestReceiver.Received> received) {
        return received.stream().map(r -> IncidentJson.fromJson(r.text()).incident().title())
                .collect(Collectors.toList());
    }

    private static boolean reported(InMemorySink memory, String condition) {
        return memory.events().stream().anyMatch(e -> e.incident().kind() == IncidentKind.SINK_DEGRADED
                && e.incident().summary() != null && e.incident().summary().contains(condition));
    }

    private static List<Path> segments(Path spool) throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void theSdksCloseReleasesTheSpoolWithinItsOwnTimeoutSoARestartInTheSameJvmDeliversWhatWasLeft()
            throws Exception {
        Path spool = dir.resolve("spool");
        List<String> expected = new ArrayList<>();
        try (TestReceiver hanging = TestReceiver.started().hangAll(); TestReceiver up = TestReceiver.started()) {
            // the delivery may go on for 30 s on close and a request may hang for 30 s; the SDK allows 1 s
            WebhookSink first = WebhookSink.builder(hanging.url("/hook"))
                    .delivery(WebhookSinkTest.fast().spoolDirectory(spool).requestTimeout(Duration.ofSeconds(30))
                            .closeTimeout(Duration.ofSeconds(30)).build())
                    .build();
            IncidentSdk sdk = sdk(Duration.ofSeconds(1), first);
            for (int i = 0; i < 3; i++) {
                sdk.record(incident("before the restart " + i));
                expected.add("before the restart " + i);
            }
            await().atMost(10, TimeUnit.SECONDS).until(() -> first.deliveryStats().accepted() == 3
                    && !hanging.received().isEmpty());

            long start = System.nanoTime();
            sdk.close();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(tookMillis).isLessThan(2_000); // the SDK's 1 s, not the delivery's 30 s
            assertThat(first.deliveryStats().pending()).isEqualTo(3);
            // the application starts again in the same JVM, on the same spool, at once
            WebhookSink second = WebhookSink.builder(up.url("/hook"))
                    .delivery(WebhookSinkTest.fast().spoolDirectory(spool).build()).build();
            try (IncidentSdk again = sdk(Duration.ofSeconds(3), second)) {
                assertThat(again.sinkStats()).hasSize(1);
                await().atMost(5, TimeUnit.SECONDS).until(() -> second.deliveryStats().spooling());
                await().atMost(10, TimeUnit.SECONDS).until(() -> titles(up.received()).containsAll(expected));
                await().atMost(5, TimeUnit.SECONDS).until(() -> second.deliveryStats().pending() == 0);
            }
        }
    }

    @Test
    void anInterruptedCloseStopsAtOnceClosesTheSpoolCleanlyAndKeepsTheInterrupt() throws Exception {
        Path spool = dir.resolve("spool");
        try (TestReceiver receiver = TestReceiver.down()) {
            WebhookSink webhook = WebhookSink.builder(receiver.url("/hook"))
                    .delivery(WebhookSinkTest.fast().spoolDirectory(spool).fsync(DeliveryOptions.Fsync.BATCHED)
                            .fsyncInterval(Duration.ofMinutes(1)).closeTimeout(Duration.ofSeconds(30)).build())
                    .build();
            for (int i = 0; i < 3; i++) {
                webhook.publish(new IncidentEvent(IncidentEvent.SCHEMA_VERSION,
                        Uuid7.at(System.currentTimeMillis()).toString(), IncidentEvent.Type.OPENED, Instant.now(),
                        incident("spooled " + i)));
            }
            assertThat(webhook.deliveryStats().pending()).isEqualTo(3);

            long start = System.nanoTime();
            boolean interruptKept;
            Thread.currentThread().interrupt();
            try {
                webhook.close();
            } finally {
                interruptKept = Thread.interrupted();
            }
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(interruptKept).isTrue();
            assertThat(tookMillis).isLessThan(5_000); // not the 30 s close timeout: the caller has no time left
            try (Spool reopened = Spool.open(spool, DeliveryOptions.defaults().spoolMaxBytes(),
                    DeliveryOptions.Fsync.EVERY_EVENT, 0)) {
                assertThat(reopened.recovery().pending()).isEqualTo(3);
                assertThat(reopened.recovery().quarantinedSegments()).isZero();
            }
        }
    }

    @Test
    void aSpoolReadErrorIsReportedDeliveryGoesOnFromMemoryAndTheSpoolIsReadAgainOnceItCanBe() throws Exception {
        Path spool = dir.resolve("spool");
        Path aside = dir.resolve("aside.seg");
        try (TestReceiver receiver = TestReceiver.started().defaultStatus(503)) {
            // 64 KB bound: 16 KB segments; each event is about 1.3 KB
            WebhookSink webhook = WebhookSink.builder(receiver.url("/hook"))
                    .delivery(WebhookSinkTest.fast().spoolDirectory(spool).spoolMaxBytes(64 * 1024)
                            .circuitBreaker(1_000, Duration.ofMillis(10)).build())
                    .build();
            InMemorySink memory = new InMemorySink(1_000);
            List<String> spooled = new ArrayList<>();
            try (IncidentSdk sdk = sdk(Duration.ofSeconds(3), webhook, memory)) {
                await().atMost(5, TimeUnit.SECONDS).until(() -> webhook.deliveryStats().spooling());
                for (int i = 0; segments(spool).size() < 3 && i < 40; i++) {
                    sdk.record(Incident.builder(IncidentKind.CUSTOM, "spooled " + i).severity(Severity.ERROR)
                            .summary("s".repeat(1_000)).build());
                    spooled.add("spooled " + i);
                    int accepted = spooled.size();
                    await().atMost(5, TimeUnit.SECONDS).until(() -> webhook.deliveryStats().accepted() == accepted);
                }
                assertThat(segments(spool)).hasSizeGreaterThanOrEqualTo(3);

                // a file-system fault under the running sink: the second segment is not readable (it is a
                // directory now); the first one is being read already
                Path second = segments(spool).get(1);
                Files.move(second, aside);
                Files.createDirectory(second);
                receiver.defaultStatus(200);

                await().atMost(10, TimeUnit.SECONDS).until(() -> reported(memory, "reading the spool failed"));
                assertThat(webhook.deliveryStats().spooling()).isFalse();
                for (int i = 0; i < 3; i++) {
                    sdk.record(incident("while the spool is unreadable " + i));
                }
                await().atMost(10, TimeUnit.SECONDS).until(() -> titles(receiver.received()).stream()
                        .filter(t -> t.startsWith("while the spool is unreadable")).count() == 3);

                // the fault goes away: the spool is read again, and spooling resumes
                Files.delete(second);
                Files.move(aside, second);
                await().atMost(10, TimeUnit.SECONDS).until(() -> titles(receiver.received()).containsAll(spooled));
                await().atMost(10, TimeUnit.SECONDS).until(() -> webhook.deliveryStats().pending() == 0
                        && webhook.deliveryStats().spooling());
                sdk.record(incident("after the fault"));
                await().atMost(10, TimeUnit.SECONDS).until(() -> titles(receiver.received())
                        .contains("after the fault"));
            }
            assertThat(webhook.deliveryStats().dropped()).isZero();
        }
    }

    @Test
    void aSpoolDirectoryThatCannotBeOpenedIsTriedAgainUntilItCanBe() throws Exception {
        Path spool = dir.resolve("spool");
        Files.writeString(spool, "a file where the spool directory should be");
        try (TestReceiver receiver = TestReceiver.started()) {
            WebhookSink webhook = WebhookSink.builder(receiver.url("/hook"))
                    .delivery(WebhookSinkTest.fast().spoolDirectory(spool).build()).build();
            InMemorySink memory = new InMemorySink(100);
            try (IncidentSdk sdk = sdk(Duration.ofSeconds(3), webhook, memory)) {
                sdk.record(incident("from memory"));
                await().atMost(10, TimeUnit.SECONDS).until(() -> titles(receiver.received()).contains("from memory"));
                await().atMost(10, TimeUnit.SECONDS).until(() -> reported(memory, "spool directory not usable"));
                assertThat(webhook.deliveryStats().spooling()).isFalse();

                Files.delete(spool);

                await().atMost(10, TimeUnit.SECONDS).until(() -> webhook.deliveryStats().spooling());
                assertThat(spool.resolve("spool.lock")).exists();
                sdk.record(incident("spooled again"));
                await().atMost(10, TimeUnit.SECONDS).until(() -> titles(receiver.received())
                        .contains("spooled again"));
            }
        }
    }
}
