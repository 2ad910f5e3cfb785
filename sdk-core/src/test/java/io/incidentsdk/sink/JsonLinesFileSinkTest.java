package io.incidentsdk.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentsdk.Fixtures;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.SinkStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonLinesFileSinkTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final Path DEV_FULL = Path.of("/dev/full");

    @TempDir
    Path dir;

    @Test
    void eachEventIsAppendedAsOneLineAndExistingContentIsKept() throws Exception {
        Path file = dir.resolve("incidents.jsonl");
        IncidentEvent earlier = Fixtures.opened("written by an earlier run");
        Files.writeString(file, IncidentJson.toJson(earlier) + "\n");
        JsonLinesFileSink sink = JsonLinesFileSink.toFile(file);

        sink.publish(Fixtures.opened("first"));
        sink.publish(Fixtures.event(IncidentEvent.Type.UPDATED, Fixtures.fullIncident()));
        sink.close();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3).allSatisfy(line -> assertThat(PLAIN.readTree(line).isObject()).isTrue());
        assertThat(lines.get(0)).isEqualTo(IncidentJson.toJson(earlier));
        assertThat(Files.readString(file)).endsWith("}\n").doesNotContain("\n\n");
        assertThat(JsonLinesFileSink.read(file)).extracting(e -> e.incident().title())
                .containsExactly("written by an earlier run", "first", "Deadlock on UPDATE account");
    }

    @Test
    void theDirectoryIsCreatedWhenMissing() throws Exception {
        Path file = dir.resolve("a/b/incidents.jsonl");
        JsonLinesFileSink sink = JsonLinesFileSink.builder(file).build();

        sink.publish(Fixtures.opened("x"));
        sink.close();

        assertThat(sink.file()).isEqualTo(file);
        assertThat(JsonLinesFileSink.read(file)).hasSize(1);
    }

    @Test
    void readReturnsWhatWasPublishedEqualToTheOriginal() throws Exception {
        Path file = dir.resolve("incidents.jsonl");
        JsonLinesFileSink sink = JsonLinesFileSink.toFile(file);
        List<IncidentEvent> published = List.of(
                Fixtures.event(IncidentEvent.Type.OPENED, Fixtures.fullIncident()),
                Fixtures.event(IncidentEvent.Type.UPDATED, Fixtures.fullIncident()),
                Fixtures.event(IncidentEvent.Type.RESOLVED, Fixtures.minimalIncident()));

        for (IncidentEvent event : published) {
            sink.publish(event);
        }
        sink.close();

        assertThat(JsonLinesFileSink.read(file)).containsExactlyElementsOf(published);
    }

    @Test
    void sizeRotationShiftsFilesKeepsAtMostMaxFilesAndOnlyWholeLines() throws Exception {
        Path file = dir.resolve("incidents.jsonl");
        int lineLength = line(numbered(0)).length;
        long maxFileSize = Math.max(1024, lineLength * 5L / 2);
        JsonLinesFileSink sink = JsonLinesFileSink.builder(file).maxFileSize(maxFileSize).maxFiles(3).build();

        for (int i = 1; i <= 20; i++) {
            sink.publish(numbered(i));
        }
        sink.close();

        assertThat(sibling(file, 1)).exists();
        assertThat(sibling(file, 2)).exists();
        assertThat(sibling(file, 3)).exists();
        assertThat(sibling(file, 4)).doesNotExist();
        List<Integer> numbers = new ArrayList<>();
        for (Path part : List.of(sibling(file, 3), sibling(file, 2), sibling(file, 1), file)) {
            assertThat(Files.size(part)).as("size of %s", part).isLessThanOrEqualTo(maxFileSize);
            assertOnlyWholeValidLines(part);
            JsonLinesFileSink.read(part).forEach(e -> numbers.add(number(e)));
        }
        // the kept files hold the latest events, oldest file first, without a gap
        assertThat(numbers).endsWith(20).hasSizeGreaterThanOrEqualTo(7);
        for (int i = 1; i < numbers.size(); i++) {
            assertThat(numbers.get(i)).isEqualTo(numbers.get(i - 1) + 1);
        }
    }

    @Test
    void withMaxFilesZeroRotationKeepsOnlyTheCurrentFile() throws Exception {
        Path file = dir.resolve("incidents.jsonl");
        JsonLinesFileSink sink = JsonLinesFileSink.builder(file).maxFileSize(1024).maxFiles(0).build();

        for (int i = 1; i <= 5; i++) {
            sink.publish(numbered(i));
        }
        sink.close();

        assertThat(sibling(file, 1)).doesNotExist();
        assertThat(JsonLinesFileSink.read(file)).extracting(JsonLinesFileSinkTest::number).endsWith(5);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aLineLongerThanTheMaximumSizeIsStillWrittenWholeInAFileOfItsOwn() throws Exception {
        Path file = dir.resolve("incidents.jsonl");
        JsonLinesFileSink sink = JsonLinesFileSink.builder(file).maxFileSize(1024).maxFiles(5).build();
        IncidentEvent big = Fixtures.event(IncidentEvent.Type.OPENED, Fixtures.fullIncident());
        assertThat(line(big).length).isGreaterThan(1024);

        sink.publish(big);
        sink.publish(big);
        sink.close();

        assertThat(JsonLinesFileSink.read(file)).containsExactly(big);
        assertThat(JsonLinesFileSink.read(sibling(file, 1))).containsExactly(big);
    }

    @Test
    void fsyncOnEveryEventWritesEveryEvent() throws Exception {
        Path file = dir.resolve("incidents.jsonl");
        JsonLinesFileSink sink = JsonLinesFileSink.builder(file).fsync(JsonLinesFileSink.Fsync.EVERY_EVENT).build();

        for (int i = 1; i <= 3; i++) {
            sink.publish(numbered(i));
            assertThat(JsonLinesFileSink.read(file)).hasSize(i);
        }
        sink.close();

        assertThat(JsonLinesFileSink.read(file)).extracting(JsonLinesFileSinkTest::number).containsExactly(1, 2, 3);
    }

    @Test
    void aHalfWrittenLastLineFromACrashIsContinuedOnAFreshLineAndSkippedWhenReading() throws Exception {
        Path file = dir.resolve("incidents.jsonl");
        String beforeCrash = IncidentJson.toJson(Fixtures.opened("before the crash"));
        String torn = IncidentJson.toJson(Fixtures.opened("torn by the crash"));
        String halfLine = torn.substring(0, torn.length() / 2);
        Files.writeString(file, beforeCrash + "\n" + halfLine);
        JsonLinesFileSink sink = JsonLinesFileSink.toFile(file);

        sink.publish(Fixtures.opened("after the crash 1"));
        sink.publish(Fixtures.opened("after the crash 2"));
        sink.close();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo(beforeCrash);
        assertThat(lines.get(1)).isEqualTo(halfLine);
        assertThat(JsonLinesFileSink.read(file)).extracting(e -> e.incident().title())
                .containsExactly("before the crash", "after the crash 1", "after the crash 2");
    }

    @Test
    void readSkipsGarbageBlankLinesAndInvalidUtf8() throws Exception {
        Path file = dir.resolve("incidents.jsonl");
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(line(Fixtures.opened("one")));
        content.writeBytes("\n   \n".getBytes(StandardCharsets.UTF_8));
        content.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, '\n'});
        content.writeBytes("{\"schemaVersion\":1}\nnot json\n".getBytes(StandardCharsets.UTF_8));
        content.writeBytes(line(Fixtures.opened("two")));
        Files.write(file, content.toByteArray());

        assertThat(JsonLinesFileSink.read(file)).extracting(e -> e.incident().title()).containsExactly("one", "two");
    }

    @Test
    void readingAMissingFileThrows() {
        assertThatThrownBy(() -> JsonLinesFileSink.read(dir.resolve("missing.jsonl")))
                .isInstanceOf(NoSuchFileException.class);
        assertThatNullPointerException().isThrownBy(() -> JsonLinesFileSink.read(null)).withMessageContaining("file");
    }

    @Test
    void theSinkReopensTheFileAfterClose() throws Exception {
        Path file = dir.resolve("incidents.jsonl");
        JsonLinesFileSink sink = JsonLinesFileSink.toFile(file);
        sink.close();

        sink.publish(numbered(1));
        sink.close();
        sink.publish(numbered(2));
        sink.close();
        sink.close();

        assertThat(JsonLinesFileSink.read(file)).extracting(JsonLinesFileSinkTest::number).containsExactly(1, 2);
        assertThat(sink.name()).isEqualTo("file");
    }

    @Test
    void concurrentPublishersNeverInterleaveLines() throws Exception {
        Path file = dir.resolve("incidents.jsonl");
        JsonLinesFileSink sink = JsonLinesFileSink.builder(file).maxFileSize(4096).maxFiles(1000).build();
        int threads = 4;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 1; i <= perThread; i++) {
                        sink.publish(numbered(base + i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        sink.close();

        Set<Integer> numbers = new HashSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path part : files.toList()) {
                assertOnlyWholeValidLines(part);
                JsonLinesFileSink.read(part).forEach(e -> assertThat(numbers.add(number(e))).isTrue());
            }
        }
        assertThat(numbers).hasSize(threads * perThread);
    }

    @Test
    void aFullDiskMakesPublishThrowEveryTime() {
        JsonLinesFileSink sink = JsonLinesFileSink.toFile(DEV_FULL);

        assertThatThrownBy(() -> sink.publish(numbered(1))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> sink.publish(numbered(2))).isInstanceOf(IOException.class);
    }

    @Test
    void aFullDiskNeitherReachesTheApplicationNorStopsAnotherSink() {
        InMemorySink memory = new InMemorySink(100);
        Incident incident = Fixtures.fullIncident();
        try (IncidentSdk sdk = IncidentSdk.builder()
                .sink(JsonLinesFileSink.toFile(DEV_FULL))
                .sink(memory)
                .sinkRetries(1, Duration.ZERO)
                .housekeepingInterval(Duration.ofMillis(10))
                .build()) {

            sdk.record(incident);
            sdk.record(Incident.builder(IncidentKind.LOCK_TIMEOUT, "Lock wait timeout on ledger").build());

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(memory.events()).extracting(e -> e.incident().fingerprint())
                        .contains(incident.fingerprint());
                SinkStats file = stats(sdk, "file");
                assertThat(file.delivered()).isZero();
                assertThat(file.failed()).isGreaterThanOrEqualTo(2);
                assertThat(file.dropped()).isGreaterThanOrEqualTo(2);
            });
            SinkStats inMemory = stats(sdk, "memory");
            assertThat(inMemory.delivered()).isGreaterThanOrEqualTo(2);
            assertThat(inMemory.failed()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSettings")
    void theBuilderRejectsBadValuesNamingTheField(String field, Class<? extends Throwable> type, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(type).hasMessageContaining(field);
    }

    static Stream<Arguments> badSettings() {
        JsonLinesFileSink.Builder b = JsonLinesFileSink.builder(Path.of("x.jsonl"));
        return Stream.of(
                Arguments.of("file", NullPointerException.class, (ThrowingCallable) () -> JsonLinesFileSink.builder(null)),
                Arguments.of("file", NullPointerException.class, (ThrowingCallable) () -> JsonLinesFileSink.toFile(null)),
                Arguments.of("maxFileSize", IllegalArgumentException.class, (ThrowingCallable) () -> b.maxFileSize(1023)),
                Arguments.of("maxFileSize", IllegalArgumentException.class,
                        (ThrowingCallable) () -> b.maxFileSize((1L << 40) + 1)),
                Arguments.of("maxFiles", IllegalArgumentException.class, (ThrowingCallable) () -> b.maxFiles(-1)),
                Arguments.of("maxFiles", IllegalArgumentException.class, (ThrowingCallable) () -> b.maxFiles(1001)),
                Arguments.of("fsync", NullPointerException.class, (ThrowingCallable) () -> b.fsync(null)));
    }

    @Test
    void theBuilderAcceptsTheBounds() {
        JsonLinesFileSink.Builder b = JsonLinesFileSink.builder(dir.resolve("x.jsonl"));

        assertThat(b.maxFileSize(1024).maxFileSize(1L << 40).maxFiles(0).maxFiles(1000)
                .fsync(JsonLinesFileSink.Fsync.NEVER).build()).isNotNull();
        assertThatIllegalArgumentException().isThrownBy(() -> b.maxFileSize(0));
    }

    private static SinkStats stats(IncidentSdk sdk, String name) {
        return sdk.sinkStats().stream().filter(s -> s.sink().equals(name)).findFirst().orElseThrow();
    }

    private static IncidentEvent numbered(int n) {
        return Fixtures.event(IncidentEvent.Type.OPENED, Incident.builder(IncidentKind.CUSTOM, "event " + n)
                .firstSeen(Fixtures.T0).summary("padding ".repeat(40)).build());
    }

    private static int number(IncidentEvent event) {
        return Integer.parseInt(event.incident().title().substring("event ".length()));
    }

    private static byte[] line(IncidentEvent event) {
        return (IncidentJson.toJson(event) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static Path sibling(Path file, int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    private static void assertOnlyWholeValidLines(Path file) throws IOException {
        String content = Files.readString(file);
        assertThat(content).as("%s ends with a whole line", file).endsWith("\n");
        for (String line : content.split("\n")) {
            assertThat(IncidentJson.fromJson(line)).isNotNull();
        }
    }
}
