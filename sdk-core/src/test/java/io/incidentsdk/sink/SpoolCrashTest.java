package io.incidentsdk.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.IncidentKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The spool survives {@code SIGKILL}: a JVM records events while the receiver is down, says when the SDK has
 * accepted every one of them into its spool ({@code ACCEPTED n}), keeps recording and is killed in the middle of
 * it; a new JVM on the same spool delivers every one of the {@code n} events, each once (the receiver never
 * acknowledged anything before the kill, so there is nothing to duplicate). No sleeps: the parent acts on the
 * child's lines.
 */
class SpoolCrashTest {

    private static final int SPOOLED = 30;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = DeliveryOptions.Fsync.class, names = {"EVERY_EVENT", "BATCHED"})
    void everyEventAcceptedBeforeAKillArrivesAfterTheRestart(DeliveryOptions.Fsync fsync) throws Exception {
        Path spool = dir.resolve("spool");
        try (TestReceiver receiver = TestReceiver.down()) {
            String url = receiver.url("/hook").toString();

            Process first = child("record", spool.toString(), url, fsync.name(), Integer.toString(SPOOLED));
            BlockingQueue<String> lines = lines(first);
            String accepted = lines.poll(30, TimeUnit.SECONDS);
            assertThat(accepted).isEqualTo("ACCEPTED " + SPOOLED);
            // the application keeps recording ("late-i") and is killed in the middle of it
            String recorded = lines.poll(30, TimeUnit.SECONDS);
            assertThat(recorded).startsWith("RECORDED ");
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).isEqualTo(137);
            assertThat(receiver.received()).isEmpty();

            receiver.start();
            Process second = child("replay", spool.toString(), url, fsync.name());
            BlockingQueue<String> replayLines = lines(second);
            String drained = replayLines.poll(30, TimeUnit.SECONDS);
            assertThat(drained).startsWith("DRAINED");
            assertThat(second.waitFor(10, TimeUnit.SECONDS)).isTrue();

            List<IncidentEvent> events = receiver.received().stream().map(r -> IncidentJson.fromJson(r.text()))
                    .collect(Collectors.toList());
            // the application's incidents (the SDK may add its own SINK_DEGRADED report of a flooded queue)
            List<String> titles = events.stream().filter(e -> e.incident().kind() == IncidentKind.CUSTOM)
                    .map(e -> e.incident().title()).collect(Collectors.toList());
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < SPOOLED; i++) {
                expected.add("spooled-" + i);
            }
            // every event accepted before the kill arrives
            assertThat(titles.subList(0, SPOOLED)).containsExactlyInAnyOrderElementsOf(expected);
            // none lost, none twice
            assertThat(events.stream().map(IncidentEvent::eventId).distinct().count()).isEqualTo(events.size());
            // the later events are separate incidents, each recorded once: which of them reached the spool before
            // the kill is timing (the pipeline hands events to the sink on its own thread), and the order between
            // different incidents is not promised; each arrives at most once and only if it was recorded
            List<Integer> late = titles.stream().filter(t -> t.startsWith("late-"))
                    .map(t -> Integer.parseInt(t.substring(5))).collect(Collectors.toList());
            assertThat(late).doesNotHaveDuplicates().allSatisfy(i -> assertThat(i).isNotNegative());
            assertThat(titles).hasSize(SPOOLED + late.size());
        }
    }

    private static Process child(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SpoolCrashChild.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static BlockingQueue<String> lines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("ACCEPTED") || line.startsWith("DRAINED") || line.startsWith("RECORDED")) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // the process was killed
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }
}
