package io.incidentsdk.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Fixtures;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.sink.DeliveryOptions;
import io.incidentsdk.sink.SinkReporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery loop outlives failures of its own: a sender that throws an {@code Error}, an event the loop fails
 * on every time; and the quarantine's bound is reported. The sender here is a test double of the SPI (the HTTP
 * one is tested against a real receiver in the sink tests).
 */
class SpooledDeliveryTest {

    @TempDir
    Path dir;

    /** Collects what the delivery reports, as the SDK's reporter would. */
    private static final class Reports implements SinkReporter {
        final Queue<String> conditions = new ConcurrentLinkedQueue<>();
        final Queue<String> drops = new ConcurrentLinkedQueue<>();

        @Override
        public void dropped(long events, String reason) {
            drops.add(events + " " + reason);
        }

        @Override
        public void degraded(String condition) {
            conditions.add(condition);
        }
    }

    private static DeliveryOptions.Builder fast() {
        return DeliveryOptions.builder().backoff(Duration.ofMillis(1), Duration.ofMillis(20))
                .circuitBreaker(100, Duration.ofMillis(10)).closeTimeout(Duration.ofSeconds(1));
    }

    @Test
    void whenTheDeliveryLoopDiesItIsReportedAndStartsAgainWithoutLosingTheEvent() {
        AtomicInteger calls = new AtomicInteger();
        Queue<String> delivered = new ConcurrentLinkedQueue<>();
        SpooledDelivery delivery = new SpooledDelivery("flaky", fast().spoolDirectory(dir.resolve("spool")).build(),
                events -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new AssertionError("a bug in the sender"); // an Error: nothing of ours catches it
                    }
                    delivered.add(events.get(0).incident().title());
                    return List.of(SpooledDelivery.Outcome.delivered("ok"));
                });
        Reports reports = new Reports();
        delivery.reportTo(reports);
        try {
            delivery.offer(Fixtures.opened("first"));

            await().atMost(10, TimeUnit.SECONDS).until(() -> delivered.contains("first"));
            assertThat(reports.conditions).anySatisfy(c -> assertThat(c)
                    .contains("the delivery loop failed (AssertionError)"));
            delivery.offer(Fixtures.opened("second"));
            await().atMost(10, TimeUnit.SECONDS).until(() -> delivered.contains("second"));
            assertThat(delivered).containsExactly("first", "second");
            assertThat(delivery.stats().delivered()).isEqualTo(2);
            assertThat(delivery.stats().pending()).isZero();
            assertThat(reports.drops).isEmpty();
        } finally {
            delivery.close();
        }
    }

    @Test
    void anEventTheLoopFailsOnAgainAndAgainIsDeadLetteredSoTheOthersGetThrough() throws Exception {
        Path deadLetters = dir.resolve("dead-letters.jsonl");
        Queue<String> delivered = new ConcurrentLinkedQueue<>();
        SpooledDelivery delivery = new SpooledDelivery("poisoned", fast().spoolDirectory(dir.resolve("spool"))
                .deadLetterFile(deadLetters).build(), events -> {
                    IncidentEvent event = events.get(0);
                    if (event.incident().title().equals("poison")) {
                        throw new StackOverflowError();
                    }
                    delivered.add(event.incident().title());
                    return List.of(SpooledDelivery.Outcome.delivered("ok"));
                });
        Reports reports = new Reports();
        delivery.reportTo(reports);
        IncidentEvent poison = Fixtures.opened("poison");
        try {
            delivery.offer(poison);
            delivery.offer(Fixtures.opened("after the poison"));

            await().atMost(10, TimeUnit.SECONDS).until(() -> delivered.contains("after the poison"));
            assertThat(delivery.stats().deadLettered()).isEqualTo(1);
            assertThat(reports.drops).singleElement().satisfies(d -> assertThat(d)
                    .contains("the delivery failed " + SpooledDelivery.MAX_LOOP_FAILURES_PER_EVENT + " times on it"));
            assertThat(Files.readString(deadLetters, StandardCharsets.UTF_8)).contains(poison.eventId());
            assertThat(delivered).containsExactly("after the poison");
        } finally {
            delivery.close();
        }
    }

    @Test
    void underBatchedFsyncTheSpoolIsForcedWithinTheIntervalWhileTheReceiverIsDown() {
        SpooledDelivery delivery = new SpooledDelivery("down", fast().spoolDirectory(dir.resolve("spool"))
                .fsync(DeliveryOptions.Fsync.BATCHED).fsyncInterval(Duration.ofSeconds(1))
                .backoff(Duration.ofSeconds(20), Duration.ofSeconds(20)).build(),
                events -> List.of(SpooledDelivery.Outcome.retry("connection refused")));
        delivery.reportTo(new Reports());
        try {
            delivery.offer(Fixtures.opened("first"));
            delivery.offer(Fixtures.opened("second"));
            assertThat(delivery.spoolUnsynced()).isTrue(); // appended within the first interval: not forced yet

            // no further append and no idle moment: the delivery thread is pausing between attempts
            await().atMost(5, TimeUnit.SECONDS).until(() -> !delivery.spoolUnsynced());
            assertThat(delivery.stats().pending()).isEqualTo(2);
        } finally {
            delivery.close();
        }
    }

    @Test
    void theQuarantineBoundIsReportedWhenOldDamagedTailsAreRemoved() throws Exception {
        Path spool = dir.resolve("spool");
        Path quarantine = Files.createDirectories(spool.resolve("quarantine"));
        int files = Spool.QUARANTINE_MAX_FILES + 4;
        for (int i = 0; i < files; i++) {
            Path tail = quarantine.resolve(String.format("%020d-at-0.damaged", i + 1));
            Files.write(tail, new byte[100]);
            Files.setLastModifiedTime(tail, FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        SpooledDelivery delivery = new SpooledDelivery("bounded", fast().spoolDirectory(spool).build(),
                events -> List.of(SpooledDelivery.Outcome.delivered("ok")));
        Reports reports = new Reports();
        delivery.reportTo(reports);
        try {
            assertThat(reports.conditions).anySatisfy(c -> assertThat(c)
                    .contains("quarantine/ over its bound: the 4 oldest damaged tails (400 bytes) removed"));
            try (Stream<Path> left = Files.list(quarantine)) {
                assertThat(left.count()).isEqualTo(Spool.QUARANTINE_MAX_FILES);
            }
        } finally {
            delivery.close();
        }
    }
}
