package io.incidentsdk.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.Postmortem;
import io.incidentsdk.TimeSeries;
import io.incidentsdk.TimelineEntry;
import io.incidentsdk.jdbc.testing.Database;
import io.incidentsdk.jdbc.testing.DeadlockOutcome;
import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.RealFailures;
import io.incidentsdk.jdbc.testing.TestDatabases;
import io.incidentsdk.sink.InMemorySink;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A deadlock that never became an error spike, the most common incident, still has its picture: its record keeps
 * the data source's units of work and failures per bucket around and during it (from the spike window), every
 * event carrying the series as it is then, and the HTML postmortem draws the chart for it. Real databases, two
 * ordinary transactions updating two rows in opposite order.
 */
@ExtendWith(RealDatabases.class)
class DeadlockTimeSeriesTest {

    private static final String DEBIT = "UPDATE acct SET balance = balance - ? WHERE id = ?";
    private static final String CREDIT = "UPDATE acct SET balance = balance + ? WHERE id = ?";

    @Test
    void aDeadlockIncidentKeepsTheUnitsOfWorkAndFailuresAroundAndDuringItAndItsReportDrawsThem(TestDatabases dbs,
            @TempDir Path dir) throws Exception {
        TestClock clock = new TestClock();
        InMemorySink memory = new InMemorySink(10_000);
        DataSource raw = dbs.freshH2();
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE acct (id INT PRIMARY KEY, balance INT)");
            s.execute("INSERT INTO acct VALUES (1, 100), (2, 100)");
        }
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (IncidentSdk sdk = IncidentSdk.builder().service("ledger", "1").clock(clock).sink(memory)
                .updateInterval(Duration.ofMillis(1)).housekeepingInterval(Duration.ofMillis(10))
                .quietPeriod(Duration.ofSeconds(30)).build()) {
            DataSource ds = JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder().dataSourceName("ledger")
                    .spikeWindow(Duration.ofSeconds(10), 10).spikeMinimumCalls(10_000).build());
            Instant t0 = clock.instant();

            traffic(ds, clock, 5); // 30 units of work over 5 s
            Instant firstDeadlock = clock.instant();
            race(ds, threads); // 2 units: the survivor's, and the victim's that failed
            Incident opened = awaitDeadlock(memory, IncidentEvent.Type.OPENED, i -> true);
            TimeSeries atOpening = opened.series();
            assertThat(atOpening).as("the first event carries the series").isNotNull();
            assertThat(atOpening.counting()).isEqualTo("units of work");
            assertThat(atOpening.bucket()).isEqualTo(Duration.ofSeconds(1));
            assertThat(atOpening.start()).isEqualTo(t0);
            assertThat(atOpening.end()).isAfter(firstDeadlock);
            assertThat(atOpening.totalFailures()).isEqualTo(1);
            // the traffic and the victim's unit; the survivor's too once it committed
            assertThat(atOpening.totalCalls()).isBetween(31L, 32L);

            traffic(ds, clock, 3);
            Instant secondDeadlock = clock.instant();
            race(ds, threads); // the same cycle again: an UPDATED event of the same incident
            clock.advance(Duration.ofMillis(1));
            Incident updated = awaitDeadlock(memory, IncidentEvent.Type.UPDATED,
                    i -> i.series() != null && i.series().totalFailures() == 2);
            assertThat(updated.incidentId()).isEqualTo(opened.incidentId());
            assertThat(updated.series().start()).isEqualTo(t0);
            assertThat(updated.series().totalCalls()).isBetween(51L, 52L);

            traffic(ds, clock, 2);
            clock.advance(Duration.ofSeconds(31)); // quiet for the quiet period: it resolves
            Incident resolved = awaitDeadlock(memory, IncidentEvent.Type.RESOLVED, i -> true);

            TimeSeries series = resolved.series();
            assertThat(resolved.incidentId()).isEqualTo(opened.incidentId());
            assertThat(series.start()).isEqualTo(t0);
            assertThat(series.bucket()).as("not folded").isEqualTo(Duration.ofSeconds(1));
            assertThat(series.end()).as("until it ended").isAfterOrEqualTo(resolved.resolvedAt());
            assertThat(series.totalCalls()).as("every unit of work: 60 of the traffic, 2 per race").isEqualTo(64);
            assertThat(series.totalFailures()).isEqualTo(2);
            assertThat(series.failures().get(index(series, firstDeadlock))).isEqualTo(1);
            assertThat(series.failures().get(index(series, secondDeadlock))).isEqualTo(1);
            for (int i = 0; i < series.calls().size(); i++) {
                assertThat(series.failures().get(i)).as("failures of bucket %d", i)
                        .isLessThanOrEqualTo(series.calls().get(i));
            }
            assertThat(memory.events()).as("a deadlock only: no spike")
                    .noneMatch(e -> e.incident().kind() == IncidentKind.ERROR_SPIKE);

            String html = Postmortem.renderHtml(resolved);
            assertThat(html).contains("<svg id=\"error-rate-chart\"", "<path class=\"rate\"",
                            "<svg class=\"lock-cycle\"", ">resolved</text>")
                    .doesNotContain("No time series");
            assertThat(html.split("<rect class=\"calls\"", -1)).hasSize(series.calls().size() + 2); // and the legend
            inChromium(html, dir);
        } finally {
            threads.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Database.class, names = {"POSTGRESQL", "MARIADB"})
    void onADatabaseServerTheDeadlocksRecordHasItsSeriesAndItsReportRendersTheChartInChromium(Database database,
            TestDatabases dbs, @TempDir Path dir) throws Exception {
        InMemorySink memory = new InMemorySink(10_000);
        try (IncidentSdk sdk = IncidentSdk.builder().service("ledger", "1").sink(memory)
                .updateInterval(Duration.ofMillis(10)).housekeepingInterval(Duration.ofMillis(10))
                .quietPeriod(Duration.ofMillis(300)).build()) {
            DataSource ds = JdbcIncidents.watch(dbs.dataSource(database), sdk, JdbcWatchOptions.builder()
                    .dataSourceName("ledger-" + database.name().toLowerCase()).spikeMinimumCalls(10_000).build());
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                for (int i = 0; i < 20; i++) {
                    s.executeQuery("SELECT 1").close(); // 20 units of work before it
                }
            }

            DeadlockOutcome outcome = RealFailures.on(ds, database).deadlock();
            assertThat(outcome.failedSides()).isEqualTo(1);
            Incident resolved = awaitDeadlock(memory, IncidentEvent.Type.RESOLVED, i -> true);

            TimeSeries series = resolved.series();
            assertThat(series).isNotNull();
            assertThat(series.counting()).isEqualTo("units of work");
            assertThat(series.totalFailures()).as("the victim's transaction").isEqualTo(1);
            assertThat(series.totalCalls()).isGreaterThanOrEqualTo(22);
            Instant firstFailure = resolved.timeline().stream()
                    .filter(e -> TimelineEntry.FIRST_FAILURE.equals(e.type())).findFirst().orElseThrow().at();
            assertThat(firstFailure).isBetween(series.start(), series.end());
            // counted a moment before the timeline's first failure was taken: in its bucket, or the one before
            int at = index(series, firstFailure);
            assertThat(series.failures().get(at) + (at > 0 ? series.failures().get(at - 1) : 0L)).isEqualTo(1);

            String html = Postmortem.renderHtml(resolved);
            assertThat(html).contains("<svg id=\"error-rate-chart\"", ">first failure</text>", "<svg class=\"lock-cycle\"")
                    .doesNotContain("No time series");
            inChromium(html, dir);
        }
    }

    @Test
    void withoutASpikeWindowADeadlockHasNoSeriesAndItsReportSaysSoInOneLine(TestDatabases dbs) throws Exception {
        InMemorySink memory = new InMemorySink(10_000);
        DataSource raw = dbs.freshH2();
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE acct (id INT PRIMARY KEY, balance INT)");
            s.execute("INSERT INTO acct VALUES (1, 100), (2, 100)");
        }
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (IncidentSdk sdk = IncidentSdk.builder().service("ledger", "1").sink(memory)
                .updateInterval(Duration.ofMillis(10)).build()) {
            DataSource ds = JdbcIncidents.watch(raw, sdk, JdbcWatchOptions.builder().dataSourceName("ledger")
                    .spikeDetection(false).build());
            race(ds, threads);
            Incident deadlock = awaitDeadlock(memory, IncidentEvent.Type.OPENED, i -> true);

            assertThat(deadlock.series()).isNull();
            String html = Postmortem.renderHtml(deadlock);
            assertThat(html).doesNotContain("id=\"error-rate-chart\"").contains("<svg class=\"lock-cycle\"");
            assertThat(html.lines().filter(l -> l.contains("No time series"))).singleElement().asString()
                    .contains("this incident", "no error-rate chart");
        } finally {
            threads.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ the application's code

    /** A second of ordinary traffic per step: 6 auto-commit reads (6 units of work), then the clock moves on. */
    private static void traffic(DataSource ds, TestClock clock, int seconds) throws SQLException {
        for (int second = 0; second < seconds; second++) {
            try (Connection c = ds.getConnection();
                 PreparedStatement read = c.prepareStatement("SELECT balance FROM acct WHERE id = ?")) {
                for (int i = 0; i < 6; i++) {
                    read.setInt(1, 1 + i % 2);
                    read.executeQuery().close();
                }
            }
            clock.advance(Duration.ofSeconds(1));
        }
    }

    /** A payment (debit 1, credit 2) against a refund written the other way round: one of them deadlocks. */
    private static void race(DataSource ds, ExecutorService threads) throws Exception {
        CyclicBarrier firstLocks = new CyclicBarrier(2);
        Future<Boolean> payment = threads.submit(() -> transfer(ds, DEBIT, 1, CREDIT, 2, firstLocks));
        Future<Boolean> refund = threads.submit(() -> transfer(ds, CREDIT, 2, DEBIT, 1, firstLocks));
        boolean paid = payment.get(30, TimeUnit.SECONDS);
        boolean refunded = refund.get(30, TimeUnit.SECONDS);
        assertThat(paid ^ refunded).as("exactly one side failed").isTrue();
    }

    /** An ordinary transaction of two updates, then commit; rolled back on failure. Whether it committed. */
    private static boolean transfer(DataSource ds, String first, int firstId, String second, int secondId,
                                    CyclicBarrier firstLocks) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                update(c, first, firstId);
                try {
                    firstLocks.await(10, TimeUnit.SECONDS);
                } catch (BrokenBarrierException | TimeoutException e) {
                    // the other side failed early: no deadlock this time
                }
                update(c, second, secondId);
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                return false;
            }
        }
    }

    private static void update(Connection c, String sql, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, 1);
            ps.setInt(2, id);
            ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------ checks

    private static Incident awaitDeadlock(InMemorySink memory, IncidentEvent.Type type, Predicate<Incident> matching) {
        await().atMost(Duration.ofSeconds(20)).until(() -> memory.events().stream()
                .anyMatch(e -> e.event() == type && e.incident().kind() == IncidentKind.DEADLOCK
                        && matching.test(e.incident())));
        return memory.events().stream().filter(e -> e.event() == type && e.incident().kind() == IncidentKind.DEADLOCK)
                .map(IncidentEvent::incident).filter(matching).reduce((a, b) -> b).orElseThrow();
    }

    /** The bucket of the series that holds {@code at}. */
    private static int index(TimeSeries series, Instant at) {
        return (int) (Duration.between(series.start(), at).toMillis() / series.bucket().toMillis());
    }

    /**
     * The page in headless Chromium (Debian's package): it loads offline without a console message or a blocked
     * resource, and its DOM has the chart with a bar per bucket and the lock cycle.
     */
    private static void inChromium(String html, Path dir) throws IOException, InterruptedException {
        Path page = dir.resolve("postmortem.html");
        Files.writeString(page, html, StandardCharsets.UTF_8);
        Path profile = Files.createDirectories(dir.resolve("profile"));
        List<String> command = new ArrayList<>(List.of(chromium().toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--dump-dom", page.toUri().toString()));
        Path out = dir.resolve("chromium.out");
        Path err = dir.resolve("chromium.err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("headless Chromium did not finish within 60 s");
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("Chromium's exit code; stderr:%n%s", stderr).isZero();
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(dom).contains("<svg id=\"error-rate-chart\"", "<rect class=\"failures\"",
                "<svg class=\"lock-cycle\" id=\"lock-cycle-1\"");
        assertThat(stderr.lines().filter(l -> l.contains("CONSOLE") || l.contains("Refused to")
                || l.contains("ERR_FILE_NOT_FOUND") || l.contains("Uncaught"))).as("Chromium's console").isEmpty();
    }

    /** Chromium's executable: {@code INCIDENT_SDK_CHROMIUM}, else the first of the usual names on the path. */
    private static Path chromium() {
        String configured = System.getenv("INCIDENT_SDK_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return fail("Chromium was not found: install it (Debian/Ubuntu: apt-get install --no-install-recommends "
                + "chromium) or set INCIDENT_SDK_CHROMIUM to its executable");
    }
}
