package io.incidentsdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML postmortem in a real browser: headless Chromium (Debian's {@code chromium} package) loads the file
 * offline, runs into no error (no console message, no blocked resource), and its DOM has the chart and the
 * lock-cycle diagram with their parts; a screenshot is taken as well. Never skipped: without Chromium it fails
 * and says what to install ({@code .ci/run} installs it as root).
 */
class PostmortemHtmlInChromiumTest {

    /** Chromium's executable: {@code INCIDENT_SDK_CHROMIUM}, else the first of the usual names on the path. */
    static Path chromium() {
        String configured = System.getenv("INCIDENT_SDK_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return fail("Chromium was not found: install it (Debian/Ubuntu: apt-get install --no-install-recommends "
                + "chromium) or set INCIDENT_SDK_CHROMIUM to its executable; .ci/run installs it when run as root");
    }

    /** Runs headless Chromium on the file with the given extra arguments; returns stdout and stderr. */
    static String[] run(Path profile, List<String> extra, Path file) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium().toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
        command.addAll(extra);
        command.add(file.toUri().toString());
        Path stdout = Files.createTempFile(profile.getParent(), "chromium", ".out");
        Path stderr = Files.createTempFile(profile.getParent(), "chromium", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("headless Chromium did not finish within 60 s: " + command);
        }
        assertThat(process.exitValue()).as("Chromium's exit code; stderr:%n%s",
                Files.readString(stderr, StandardCharsets.UTF_8)).isZero();
        return new String[] {Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8)};
    }

    @Test
    void theReportRendersInHeadlessChromiumWithoutErrorsWithItsChartAndLockCycle(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("postmortem.html");
        Files.writeString(report, Postmortem.renderHtml(ReportFixtures.outage("<b>&</b>")), StandardCharsets.UTF_8);
        Path profile = Files.createDirectories(dir.resolve("profile"));

        String[] dom = run(profile, List.of("--dump-dom"), report);

        // the DOM after loading: the chart with its 40 bars, the rate line and the marked moments; the cycle
        assertThat(dom[0]).contains("<svg id=\"error-rate-chart\"", "<path class=\"rate\"",
                "<line class=\"moment\"", "<svg class=\"lock-cycle\" id=\"lock-cycle-1\"", "<g class=\"tx victim\">",
                "marker-end=\"url(#arrow-1)\"", "T1 waits in UPDATE accounts SET balance = balance + ? WHERE id = ?");
        assertThat(dom[0].split("<rect class=\"calls\"", -1)).hasSize(42);
        assertThat(dom[0]).contains("&lt;b&gt;&amp;&lt;/b&gt;").doesNotContain("<b>&amp;</b>");
        // no console message, no uncaught error, no resource blocked or missing
        List<String> problems = dom[1].lines()
                .filter(l -> l.contains("CONSOLE") || l.contains("Refused to") || l.contains("ERR_FILE_NOT_FOUND")
                        || l.contains("Uncaught"))
                .toList();
        assertThat(problems).as("Chromium's console").isEmpty();

        Path png = dir.resolve("postmortem.png");
        run(profile, List.of("--screenshot=" + png, "--window-size=1100,1400", "--hide-scrollbars"), report);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).as("screenshot size").isGreaterThan(20_000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }
}
