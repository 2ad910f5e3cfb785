package io.incidentsdk.examples;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.OpenIncident;
import io.incidentsdk.Severity;
import io.incidentsdk.sink.JsonLinesFileSink;
import io.incidentsdk.sink.LoggingSink;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Records incidents programmatically and shows them in the console (SLF4J) and in a JSON Lines file.
 *
 * <p>Run it with {@code mvn -q -DskipTests -pl examples -am package exec:java}. The first argument, when
 * given, is the output directory (default {@code examples/target/incident-sdk-example}).
 */
public final class RecordIncidentExample {

    private RecordIncidentExample() {
    }

    /**
     * Runs the example.
     *
     * @param args optional output directory
     * @throws IOException when the output file cannot be written or read
     */
    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path directory = args.length > 0 ? Path.of(args[0]) : defaultDirectory();
        List<IncidentEvent> events = run(directory);
        Path file = directory.resolve("incidents.jsonl");
        out.println();
        out.println("Incident SDK example: " + events.size() + " events written to " + file.toAbsolutePath());
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.println("  " + line);
        }
    }

    /**
     * Records the example incidents into {@code directory/incidents.jsonl} (replacing an older file) and
     * returns what the file holds.
     *
     * @param directory the output directory
     * @return the events read back from the file
     * @throws IOException when the file cannot be written or read
     */
    public static List<IncidentEvent> run(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve("incidents.jsonl");
        Files.deleteIfExists(file);
        try (IncidentSdk incidents = IncidentSdk.builder()
                .service("checkout", "1.4.2").environment("example")
                .sink(LoggingSink.create())
                .sink(JsonLinesFileSink.toFile(file))
                .build()) {

            // An incident the application handles in its own code: open it, keep notes, resolve it.
            try (OpenIncident provider = incidents.open(IncidentKind.CUSTOM, "Payment provider timing out")) {
                provider.note("acknowledged by the on-call engineer");
                provider.severity(Severity.CRITICAL).note("escalated to the payments team");
                provider.resolve("provider recovered; payments flowing again");
            }

            // A one-off record, for example from a scheduled job.
            incidents.record(Incident.builder(IncidentKind.CUSTOM, "Nightly ledger export failed")
                    .severity(Severity.WARNING)
                    .summary("export job exited with status 3; it will run again in one hour")
                    .hint("check free space on the export volume")
                    .attribute("job", "ledger-export")
                    .build());
        }
        return JsonLinesFileSink.read(file);
    }

    private static Path defaultDirectory() {
        Path examples = Files.isDirectory(Path.of("examples")) ? Path.of("examples") : Path.of(".");
        return examples.resolve("target").resolve("incident-sdk-example");
    }
}
