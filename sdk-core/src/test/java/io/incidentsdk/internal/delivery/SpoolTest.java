package io.incidentsdk.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.incidentsdk.sink.DeliveryOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    private static final long MB = 1024 * 1024;

    @TempDir
    Path dir;

    private Spool open() throws IOException {
        return open(64 * MB);
    }

    private Spool open(long maxBytes) throws IOException {
        return Spool.open(dir, maxBytes, DeliveryOptions.Fsync.EVERY_EVENT, 0);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads and acknowledges everything pending. */
    private static List<String> drain(Spool spool) throws IOException {
        List<String> out = new ArrayList<>();
        Spool.Entry entry;
        while ((entry = spool.peek()) != null) {
            out.add(new String(entry.payload(), StandardCharsets.UTF_8));
            spool.ack(entry);
        }
        return out;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void peekingSeveralReadsAheadAcrossSegmentsAndAcknowledgingThemInOrderEmptiesTheSpool() throws IOException {
        // 64 KB bound: segments of 16 KB, so 300 records of ~120 bytes span several segments
        try (Spool spool = open(64 * 1024)) {
            for (int i = 0; i < 300; i++) {
                spool.append(bytes("event-" + i + "-" + "x".repeat(100)), 1000 + i);
            }
            assertThat(segments()).hasSizeGreaterThan(1);
            List<String> seen = new ArrayList<>();
            while (true) {
                List<Spool.Entry> batch = spool.peek(128, 1024 * 1024);
                if (batch.isEmpty()) {
                    break;
                }
                assertThat(spool.peek(128, 1024 * 1024)).extracting(Spool.Entry::offset)
                        .isEqualTo(batch.stream().map(Spool.Entry::offset).toList()); // peeking does not consume
                for (Spool.Entry entry : batch) {
                    seen.add(new String(entry.payload(), StandardCharsets.UTF_8).split("-x")[0]);
                    spool.ack(entry);
                }
            }
            assertThat(seen).hasSize(300);
            for (int i = 0; i < 300; i++) {
                assertThat(seen.get(i)).isEqualTo("event-" + i);
            }
            assertThat(spool.pending()).isZero();
        }
    }

    @Test
    void recordsComeBackInOrderAndAcknowledgedOnesAreNotReplayedAfterReopening() throws IOException {
        try (Spool spool = open()) {
            for (int i = 0; i < 5; i++) {
                spool.append(bytes("event-" + i), 1000 + i);
            }
            Spool.Entry first = spool.peek();
            assertThat(first.writtenAtMillis()).isEqualTo(1000);
            assertThat(spool.peek().offset()).isEqualTo(first.offset()); // peek does not consume
            spool.ack(first);
            spool.ack(spool.peek());
            assertThat(spool.pending()).isEqualTo(3);
        }
        try (Spool spool = open()) {
            assertThat(spool.recovery().pending()).isEqualTo(3);
            spool.append(bytes("event-5"), 2000);
            assertThat(drain(spool)).containsExactly("event-2", "event-3", "event-4", "event-5");
            assertThat(spool.pending()).isZero();
        }
        try (Spool spool = open()) {
            assertThat(spool.recovery().pending()).isZero();
            assertThat(spool.peek()).isNull();
        }
    }

    @Test
    void aTruncatedTailIsQuarantinedAndTheRecordsBeforeItSurvive() throws IOException {
        try (Spool spool = open()) {
            for (int i = 0; i < 3; i++) {
                spool.append(bytes("event-" + i), 1000);
            }
        }
        Path segment = segments().get(0);
        long size = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3); // a process killed in the middle of the last append
        }
        try (Spool spool = open()) {
            assertThat(spool.recovery().quarantinedSegments()).isEqualTo(1);
            assertThat(spool.recovery().pending()).isEqualTo(2);
            assertThat(drain(spool)).containsExactly("event-0", "event-1");
        }
        try (Stream<Path> quarantined = Files.list(dir.resolve("quarantine"))) {
            assertThat(quarantined.count()).isEqualTo(1);
        }
    }

    @Test
    void aCorruptRecordIsQuarantinedWithTheRestOfItsSegmentNeverFatal() throws IOException {
        long secondAt;
        try (Spool spool = open()) {
            spool.append(bytes("event-0"), 1000);
            secondAt = spool.bytes();
            spool.append(bytes("event-1"), 1000);
            spool.append(bytes("event-2"), 1000);
        }
        Path segment = segments().get(0);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'X'}), secondAt + Spool.HEADER + 2); // a flipped byte in a payload
        }
        try (Spool spool = open()) {
            assertThat(spool.recovery().quarantinedSegments()).isEqualTo(1);
            assertThat(spool.recovery().quarantinedBytes()).isGreaterThan(0);
            assertThat(drain(spool)).containsExactly("event-0");
            spool.append(bytes("after"), 1000);
            assertThat(drain(spool)).containsExactly("after");
        }
    }

    @Test
    void aDamagedCursorReplaysEverythingRatherThanLoseAnything() throws IOException {
        try (Spool spool = open()) {
            spool.append(bytes("a"), 1);
            spool.append(bytes("b"), 1);
            spool.ack(spool.peek());
        }
        Files.write(dir.resolve("cursor"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20});
        try (Spool spool = open()) {
            assertThat(drain(spool)).containsExactly("a", "b"); // "a" again: a duplicate, as documented
        }
    }

    @Test
    void whenTheByteBoundIsReachedTheOldestSegmentIsDroppedAndCounted() throws IOException {
        byte[] payload = new byte[1000];
        long dropped = 0;
        int appended = 0;
        try (Spool spool = open(64 * 1024)) { // segments of 16 KB
            for (int i = 0; i < 200; i++) {
                dropped += spool.append(payload, i);
                appended++;
                assertThat(spool.bytes()).isLessThanOrEqualTo(64 * 1024);
            }
            assertThat(dropped).isGreaterThan(0);
            assertThat(spool.pending() + dropped).isEqualTo(appended);
            // what is left is the newest, still in order
            List<Long> times = new ArrayList<>();
            Spool.Entry entry;
            while ((entry = spool.peek()) != null) {
                times.add(entry.writtenAtMillis());
                spool.ack(entry);
            }
            assertThat(times).isSorted().endsWith(199L).hasSize((int) (appended - dropped));
        }
        assertThat(segments()).hasSize(1); // finished segments are deleted
    }

    @Test
    void segmentsRollAndFinishedOnesAreDeleted() throws IOException {
        byte[] payload = new byte[4000];
        try (Spool spool = open(64 * 1024)) {
            for (int i = 0; i < 12; i++) {
                spool.append(payload, i);
            }
            assertThat(segments().size()).isGreaterThan(2);
            drain(spool);
            assertThat(segments()).hasSize(1);
        }
        try (Spool spool = open(64 * 1024)) {
            assertThat(spool.recovery().pending()).isZero();
        }
    }

    @Test
    void oneDirectoryServesOneSpoolAtATime() throws IOException {
        try (Spool spool = open()) {
            assertThatThrownBy(this::open).isInstanceOf(Spool.SpoolLockedException.class);
            spool.append(bytes("x"), 1);
        }
        try (Spool spool = open()) {
            assertThat(drain(spool)).containsExactly("x");
        }
    }

    @Test
    void batchedFsyncForcesWithinTheInterval() throws IOException {
        try (Spool spool = Spool.open(dir, 64 * MB, DeliveryOptions.Fsync.BATCHED, 0)) {
            spool.append(bytes("x"), 1);
            assertThat(spool.unsynced()).isFalse(); // an interval of 0 forces at once
        }
        try (Spool spool = Spool.open(dir, 64 * MB, DeliveryOptions.Fsync.BATCHED, Long.MAX_VALUE / 2)) {
            spool.append(bytes("y"), 1);
            assertThat(spool.unsynced()).isTrue();
        }
        try (Spool spool = open()) {
            assertThat(drain(spool)).containsExactly("x", "y"); // close forced what was pending
        }
    }

    @Test
    void closingFromAnInterruptedThreadClosesEveryFileAndKeepsTheInterrupt() throws IOException {
        Spool spool = Spool.open(dir, 64 * MB, DeliveryOptions.Fsync.BATCHED, Long.MAX_VALUE / 2);
        for (int i = 0; i < 3; i++) {
            spool.append(bytes("event-" + i), 1000 + i);
        }
        spool.ack(spool.peek());
        assertThat(spool.unsynced()).isTrue(); // close has a force to do

        boolean interruptKept;
        Thread.currentThread().interrupt();
        try {
            spool.close(); // a file channel used by an interrupted thread would close itself and fail
        } finally {
            interruptKept = Thread.interrupted();
        }

        assertThat(interruptKept).isTrue();
        try (Spool reopened = open()) {
            assertThat(reopened.recovery().pending()).isEqualTo(2);
            assertThat(drain(reopened)).containsExactly("event-1", "event-2");
        }
    }

    @Test
    void aSegmentThatCannotBeReadFailsThePeekUntilTheFaultIsGoneThenReadsOn() throws IOException {
        try (Spool spool = open(64 * 1024)) {
            for (int i = 0; i < 300; i++) {
                spool.append(bytes("event-" + i + "-" + "x".repeat(100)), 1000 + i);
            }
            List<Path> segments = segments();
            assertThat(segments).hasSizeGreaterThan(2);
            Path second = segments.get(1);
            Path aside = dir.resolveSibling(dir.getFileName() + "-aside.seg");
            Files.move(second, aside);
            Files.createDirectory(second); // not readable as a segment
            int read = 0;
            try {
                while (true) {
                    Spool.Entry entry = spool.peek();
                    spool.ack(entry);
                    read++;
                }
            } catch (IOException expected) {
                // the fault
            }
            assertThatThrownBy(spool::peek).isInstanceOf(IOException.class); // still there: no state changed
            Files.delete(second);
            Files.move(aside, second);

            List<String> rest = drain(spool);
            assertThat(read + rest.size()).isEqualTo(300);
            assertThat(rest.get(0)).startsWith("event-" + read + "-");
            assertThat(spool.pending()).isZero();
        }
    }

    @Test
    void theQuarantineKeepsItsBoundByRemovingTheOldestDamagedTailsFirst() throws IOException {
        try (Spool spool = open(64 * 1024)) {
            for (int i = 0; i < 3; i++) {
                spool.append(bytes("event-" + i), 1000);
            }
        }
        Path segment = segments().get(0);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(segment) - 3); // a new damaged tail to quarantine
        }
        Path quarantine = Files.createDirectories(dir.resolve("quarantine"));
        // 64 KB spool: the quarantine keeps 16 KB; 6 old tails of 4 KB, the oldest first by modification time
        List<Path> old = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Path tail = quarantine.resolve(String.format("%020d-at-0.damaged", 100 - i)); // names sort the other way
            Files.write(tail, new byte[4096]);
            Files.setLastModifiedTime(tail, java.nio.file.attribute.FileTime.fromMillis(1_000_000L * (i + 1)));
            old.add(tail);
        }
        Path notOurs = Files.writeString(quarantine.resolve("notes.txt"), "kept: not a damaged tail");

        try (Spool spool = open(64 * 1024)) {
            Spool.Recovery recovery = spool.recovery();
            assertThat(recovery.quarantinedSegments()).isEqualTo(1);
            // 6 x 4 KB + the new tail > 16 KB: the three oldest go
            assertThat(recovery.quarantineRemovedFiles()).isEqualTo(3);
            assertThat(recovery.quarantineRemovedBytes()).isEqualTo(3 * 4096);
        }
        assertThat(old.subList(0, 3)).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(old.subList(3, 6)).allSatisfy(p -> assertThat(p).exists());
        assertThat(notOurs).exists();
        try (Stream<Path> damaged = Files.list(quarantine)) {
            assertThat(damaged.filter(p -> p.toString().endsWith(".damaged")).count()).isEqualTo(4);
        }

        // and by count: many small tails over the reopenings of a crash-looping process
        for (int i = 0; i < 2 * Spool.QUARANTINE_MAX_FILES; i++) {
            Files.write(quarantine.resolve(String.format("%020d-at-1.damaged", 1000 + i)), new byte[10]);
        }
        try (Spool spool = open(64 * 1024)) {
            assertThat(spool.recovery().quarantineRemovedFiles()).isEqualTo(4 + 2 * Spool.QUARANTINE_MAX_FILES
                    - Spool.QUARANTINE_MAX_FILES);
        }
        try (Stream<Path> damaged = Files.list(quarantine)) {
            assertThat(damaged.filter(p -> p.toString().endsWith(".damaged")).count())
                    .isEqualTo(Spool.QUARANTINE_MAX_FILES);
        }
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertThat(RetryAfter.parseMillis("3", 0)).isEqualTo(3000);
        assertThat(RetryAfter.parseMillis(" 0 ", 0)).isZero();
        assertThat(RetryAfter.parseMillis(null, 0)).isZero();
        assertThat(RetryAfter.parseMillis("soon", 0)).isZero();
        long now = java.time.Instant.parse("2026-12-03T10:00:00Z").toEpochMilli();
        assertThat(RetryAfter.parseMillis("Thu, 03 Dec 2026 10:00:30 GMT", now)).isEqualTo(30_000);
        assertThat(RetryAfter.parseMillis("Thu, 03 Dec 2026 09:00:00 GMT", now)).isZero();
        assertThat(RetryAfter.parseMillis("99999999999999", 0)).isGreaterThan(3_600_000);
    }
}
