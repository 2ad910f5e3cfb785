package io.incidentsdk.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.Postmortem;
import io.incidentsdk.StatementInfo;
import io.incidentsdk.jdbc.JdbcIncidents;
import io.incidentsdk.jdbc.JdbcWatchOptions;
import io.incidentsdk.jdbc.RetryBudget;
import io.incidentsdk.jdbc.RetryPolicy;
import io.incidentsdk.jdbc.TransactionRunner;
import io.incidentsdk.sink.InMemorySink;
import io.incidentsdk.sink.JsonLinesFileSink;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * The founding postmortem, replayed. A transfer service with a race condition (two code paths that lock
 * the same rows in opposite order) runs under concurrent load twice:
 * <ol>
 *   <li>with Incident SDK watching but nothing retrying: requests fail, and the SDK detects and classifies
 *       the deadlocks (naming both statements) and the error spike within milliseconds;</li>
 *   <li>with safe retry: no request fails, the balances stay consistent, and the deadlocks are still
 *       reported, as {@code WARNING} incidents, so the bug gets fixed.</li>
 * </ol>
 * It writes {@code incidents.jsonl}, {@code postmortem.md} and {@code postmortem.html} (the same postmortem as
 * one self-contained page with the error-rate chart and the lock-cycle diagram) to the output directory it prints.
 *
 * <pre>
 * mvn -q -DskipTests -pl examples -am package exec:java
 * ... exec:java -Dexec.args="--jdbc-url jdbc:postgresql://localhost:5432/app --user app --password app"
 * </pre>
 * Options: {@code --jdbc-url} (default: embedded H2), {@code --user}, {@code --password},
 * {@code --seconds} per phase (default 4), {@code --workers} (default 2), {@code --out} directory.
 */
public final class FoundingPostmortemDemo {

    private FoundingPostmortemDemo() {
    }

    /**
     * The demo's settings.
     *
     * @param jdbcUrl  the database, H2 in memory by default
     * @param user     the user
     * @param password the password (never printed)
     * @param phase    how long each phase runs
     * @param workers  concurrent workers
     * @param out      the output directory
     */
    public record Options(String jdbcUrl, String user, String password, Duration phase, int workers, Path out) {

        /**
         * Reads the command line.
         *
         * @param args the arguments
         * @return the options
         * @throws IllegalArgumentException for an unknown or incomplete option, with a usage line
         */
        public static Options parse(String... args) {
            String url = "jdbc:h2:mem:incident-sdk-demo;DB_CLOSE_DELAY=-1";
            String user = "sa";
            String password = "";
            Duration phase = Duration.ofSeconds(4);
            int workers = 2;
            Path out = Path.of("target", "incident-sdk-demo");
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + name + "\n" + usage());
                }
                String value = args[++i];
                switch (name) {
                    case "--jdbc-url" -> url = value;
                    case "--user" -> user = value;
                    case "--password" -> password = value;
                    case "--seconds" -> phase = Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
                    case "--workers" -> workers = Integer.parseInt(value);
                    case "--out" -> out = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name + "\n" + usage());
                }
            }
            if (phase.toMillis() < 200 || workers < 2 || workers > 64) {
                throw new IllegalArgumentException("--seconds must be at least 0.2 and --workers 2 to 64\n" + usage());
            }
            return new Options(url, user, password, phase, workers, out);
        }

        static String usage() {
            return "usage: FoundingPostmortemDemo [--jdbc-url URL --user U --password P] [--seconds 4] [--workers 2] "
                    + "[--out DIR]";
        }

        @Override
        public String toString() {
            return "Options[jdbcUrl=" + jdbcUrl + ", user=" + user + ", phase=" + phase + ", workers=" + workers
                    + ", out=" + out + "]";
        }
    }

    /**
     * What one phase did.
     *
     * @param requests      transfers attempted
     * @param failed        transfers that failed (what users saw)
     * @param retries       extra attempts made by safe retry
     * @param detectionNanos from the first failure reaching the application to the SDK's OPENED deadlock
     *                       event; negative when the event came first; {@code null} without a deadlock
     */
    public record Phase(long requests, long failed, long retries, Long detectionNanos) {

        /**
         * Failed share.
         *
         * @return failed / requests
         */
        public double failedShare() {
            return requests == 0 ? 0 : (double) failed / requests;
        }
    }

    /**
     * What the demo did.
     *
     * @param database       the database product
     * @param unprotected    phase 1
     * @param safe           phase 2
     * @param expectedTotal  the sum of balances at the start
     * @param totalAfter     the sum of balances at the end
     * @param ledgerRows     ledger rows at the end
     * @param phaseOne       the incidents of phase 1 (latest state of each)
     * @param phaseTwo       the incidents of phase 2 (latest state of each)
     * @param incidentsFile  the JSON Lines file
     * @param postmortemFile the postmortem
     * @param reportFile     the postmortem as a self-contained HTML page
     */
    public record Summary(String database, Phase unprotected, Phase safe, long expectedTotal, long totalAfter,
                          long ledgerRows, List<Incident> phaseOne, List<Incident> phaseTwo, Path incidentsFile,
                          Path postmortemFile, Path reportFile) {
    }

    /**
     * Runs the demo and prints its summary.
     *
     * @param args see the class comment
     * @throws Exception when the database cannot be used
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            System.exit(2);
            return;
        }
        run(options, out);
    }

    /**
     * Runs both phases, writes the files and prints progress and a summary to {@code out}.
     *
     * @param options the settings
     * @param out     where to print
     * @return what happened
     * @throws Exception when the database cannot be used
     */
    public static Summary run(Options options, PrintStream out) throws Exception {
        Files.createDirectories(options.out());
        Path incidentsFile = options.out().resolve("incidents.jsonl");
        Path postmortemFile = options.out().resolve("postmortem.md");
        Path reportFile = options.out().resolve("postmortem.html");
        Files.deleteIfExists(incidentsFile);
        try (HikariDataSource pool = pool(options)) {
            TransferService.createTables(pool);
            String database = product(pool);
            out.println();
            out.println("Incident SDK demo: the founding postmortem, replayed");
            out.printf(Locale.ROOT, "  database %s, %d workers, %.1f s per phase, output in %s%n", database,
                    options.workers(), options.phase().toMillis() / 1000.0, options.out().toAbsolutePath());
            AtomicLong ids = new AtomicLong();

            out.println();
            out.println("Phase 1: the SDK watches, nothing retries (the outage)");
            InMemorySink phaseOneMemory = new InMemorySink(100_000);
            Phase unprotected;
            try (IncidentSdk sdk = sdk(phaseOneMemory, incidentsFile)) {
                DataSource ds = JdbcIncidents.watch(pool, sdk, watchOptions());
                DetectionClock detection = new DetectionClock();
                sdk.onEvent(detection::onEvent);
                unprotected = runPhase(options, out, phaseOneMemory, (c, t) -> withoutRetry(ds, t), ids, detection);
                awaitResolution(phaseOneMemory, Duration.ofSeconds(8));
            }
            List<Incident> phaseOne = latest(phaseOneMemory);
            reportPhaseOne(out, unprotected, phaseOne);

            out.println();
            out.println("Phase 2: the same race condition, with safe retry");
            InMemorySink phaseTwoMemory = new InMemorySink(100_000);
            Phase safe;
            try (IncidentSdk sdk = sdk(phaseTwoMemory, incidentsFile)) {
                DataSource ds = JdbcIncidents.watch(pool, sdk, watchOptions());
                TransactionRunner runner = TransactionRunner.on(ds, RetryPolicy.builder().maxAttempts(30)
                        .backoff(Duration.ofMillis(1), Duration.ofMillis(20)).maxTotalTime(Duration.ofSeconds(30))
                        .budget(RetryBudget.builder().ratio(1).minRetriesPerSecond(1000).maxTokens(10_000).build())
                        .build());
                safe = runPhase(options, out, phaseTwoMemory, (attempts, t) -> runner.run(c -> {
                    attempts.increment();
                    t.run(c);
                }), ids, null);
            }
            List<Incident> phaseTwo = latest(phaseTwoMemory);
            long expected = TransferService.ACCOUNTS * TransferService.INITIAL_BALANCE;
            long total = TransferService.totalBalance(pool);
            long ledger = TransferService.ledgerRows(pool);
            reportPhaseTwo(out, safe, phaseTwo, expected, total);

            List<Incident> postmortem = phaseOne.isEmpty()
                    ? List.of(Incident.builder(IncidentKind.CUSTOM, "No incident was recorded").build()) : phaseOne;
            Files.writeString(postmortemFile, Postmortem.render(postmortem), StandardCharsets.UTF_8);
            Files.writeString(reportFile, Postmortem.renderHtml(postmortem), StandardCharsets.UTF_8);
            long events;
            try (java.util.stream.Stream<String> lines = Files.lines(incidentsFile)) {
                events = lines.count();
            }
            out.println();
            out.printf(Locale.ROOT, "Files:%n  %s  (%d incident events, one JSON object per line)%n  %s%n  %s  (the same "
                    + "postmortem with the error-rate chart and the lock cycle; open it in a browser)%n",
                    incidentsFile.toAbsolutePath(), events, postmortemFile.toAbsolutePath(), reportFile.toAbsolutePath());
            return new Summary(database, unprotected, safe, expected, total, ledger, phaseOne, phaseTwo, incidentsFile,
                    postmortemFile, reportFile);
        }
    }

    private static HikariDataSource pool(Options options) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(options.jdbcUrl());
        config.setUsername(options.user());
        config.setPassword(options.password());
        config.setMaximumPoolSize(options.workers() + 2);
        config.setPoolName("demo");
        return new HikariDataSource(config);
    }

    private static String product(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
        }
    }

    private static IncidentSdk sdk(InMemorySink memory, Path file) {
        return IncidentSdk.builder()
                .service("transfers", "1.0.0").environment("demo")
                .sink(memory)
                .sink(JsonLinesFileSink.toFile(file))
                .updateInterval(Duration.ofMillis(500))
                .quietPeriod(Duration.ofSeconds(1))
                .housekeepingInterval(Duration.ofMillis(50))
                .build();
    }

    private static JdbcWatchOptions watchOptions() {
        return JdbcWatchOptions.builder().dataSourceName("accounts")
                .spikeWindow(Duration.ofSeconds(2), 10)
                // the window counts transfers (units of work): a spike at 10% of them failing
                .spikeThresholds(0.10, 0.05)
                .spikeMinimumCalls(10)
                .spikeCoolDown(Duration.ofSeconds(1))
                .innoDbStatus(true, Duration.ZERO)
                .build();
    }

    /** One transfer, as a unit that runs on a connection. */
    @FunctionalInterface
    private interface TransferUnit {
        void run(Connection connection) throws SQLException;
    }

    /** How a phase runs one transfer. */
    @FunctionalInterface
    private interface Runner {
        void run(LongAdder attempts, TransferUnit transfer) throws SQLException;
    }

    private static void withoutRetry(DataSource ds, TransferUnit transfer) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                transfer.run(c);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Measures the time from the first failure seen by a worker to the first OPENED deadlock event. */
    private static final class DetectionClock {
        private final AtomicLong firstFailure = new AtomicLong();
        private final AtomicLong firstOpened = new AtomicLong();

        void failure() {
            firstFailure.compareAndSet(0, System.nanoTime());
        }

        void onEvent(IncidentEvent event) {
            if (event.event() == IncidentEvent.Type.OPENED && event.incident().kind() == IncidentKind.DEADLOCK) {
                firstOpened.compareAndSet(0, System.nanoTime());
            }
        }

        Long nanos() {
            long failure = firstFailure.get();
            long opened = firstOpened.get();
            return failure == 0 || opened == 0 ? null : opened - failure;
        }
    }

    private static Phase runPhase(Options options, PrintStream out, InMemorySink memory, Runner runner, AtomicLong ids,
                                  DetectionClock detection) throws Exception {
        LongAdder requests = new LongAdder();
        LongAdder failed = new LongAdder();
        LongAdder attempts = new LongAdder();
        long start = System.nanoTime();
        long deadline = start + options.phase().toNanos();
        ExecutorService workers = Executors.newFixedThreadPool(options.workers(), r -> {
            Thread t = new Thread(r, "worker-" + r.hashCode() % 1000);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < options.workers(); w++) {
                done.add(workers.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (System.nanoTime() - deadline < 0) {
                        int from = 1 + random.nextInt(TransferService.ACCOUNTS);
                        int to = 1 + (from + random.nextInt(TransferService.ACCOUNTS - 1)) % TransferService.ACCOUNTS;
                        long amount = 1 + random.nextInt(500);
                        long id = ids.incrementAndGet();
                        boolean racy = random.nextBoolean();
                        requests.increment();
                        try {
                            runner.run(attempts, c -> {
                                if (racy) {
                                    TransferService.settle(c, id, from, to, amount);
                                } else {
                                    TransferService.transfer(c, id, from, to, amount);
                                }
                            });
                        } catch (SQLException e) {
                            failed.increment();
                            if (detection != null) {
                                detection.failure();
                            }
                        }
                    }
                    return null;
                }));
            }
            while (!allDone(done)) {
                TimeUnit.MILLISECONDS.sleep(Math.max(50, Math.min(1000, options.phase().toMillis() / 4)));
                long n = requests.sum();
                out.printf(Locale.ROOT, "  %5.1f s  transfers %7d  failed %5.1f%%  open incidents: %s%n",
                        (System.nanoTime() - start) / 1e9, n, n == 0 ? 0.0 : 100.0 * failed.sum() / n, kinds(memory));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            workers.shutdownNow();
        }
        long retries = Math.max(0, attempts.sum() - requests.sum() + failed.sum());
        return new Phase(requests.sum(), failed.sum(), attempts.sum() == 0 ? 0 : retries,
                detection == null ? null : detection.nanos());
    }

    private static boolean allDone(List<Future<?>> futures) {
        return futures.stream().allMatch(Future::isDone);
    }

    private static String kinds(InMemorySink memory) {
        Map<IncidentKind, long[]> byKind = new java.util.TreeMap<>();
        for (Incident i : memory.incidents().values()) {
            if (!i.isResolved()) {
                long[] counts = byKind.computeIfAbsent(i.kind(), k -> new long[2]);
                counts[0]++;
                counts[1] += i.occurrences();
            }
        }
        if (byKind.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        byKind.forEach((kind, counts) -> parts.add(kind + " (" + counts[0] + (counts[0] == 1 ? " incident, " : " incidents, ")
                + counts[1] + " occurrences)"));
        return String.join(", ", parts);
    }

    private static void awaitResolution(InMemorySink memory, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!memory.incidents().isEmpty() && memory.incidents().values().stream().allMatch(Incident::isResolved)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static List<Incident> latest(InMemorySink memory) {
        return new ArrayList<>(memory.incidents().values());
    }

    private static void reportPhaseOne(PrintStream out, Phase phase, List<Incident> incidents) {
        out.printf(Locale.ROOT, "  -> %.1f%% of %d transfers failed: this is what users saw.%n",
                100 * phase.failedShare(), phase.requests());
        Optional<Incident> deadlock = bestDeadlock(incidents);
        if (deadlock.isPresent()) {
            Long nanos = phase.detectionNanos();
            String when = nanos == null ? "" : nanos <= 0
                    ? " before the failing call had even returned to the application"
                    : String.format(Locale.ROOT, " %.1f ms after the first failure reached the application", nanos / 1e6);
            out.printf(Locale.ROOT, "  -> The SDK classified it as DEADLOCK%s (%d occurrences), naming the statements:%n",
                    when, totalOccurrences(incidents, IncidentKind.DEADLOCK));
            for (StatementInfo s : deadlock.get().statements()) {
                out.printf(Locale.ROOT, "       %-7s %s   (thread %s)%n", s.role().name().toLowerCase(Locale.ROOT),
                        s.sql(), s.thread());
            }
            deadlock.get().hints().stream().findFirst().ifPresent(h -> out.println("     hint: " + h));
        } else {
            out.println("  -> No deadlock happened in this run: run it longer (--seconds) or with more workers.");
        }
        incidents.stream().filter(i -> i.kind() == IncidentKind.ERROR_SPIKE).findFirst().ifPresent(spike ->
                out.println("  -> ERROR_SPIKE: " + spike.summary()));
    }

    /** The deadlock incident that names the most statements (with their SQL), then the most frequent. */
    static Optional<Incident> bestDeadlock(List<Incident> incidents) {
        return incidents.stream().filter(i -> i.kind() == IncidentKind.DEADLOCK)
                .max(Comparator.comparingLong((Incident i) -> i.statements().stream().filter(s -> s.sql() != null).count())
                        .thenComparingLong(Incident::occurrences));
    }

    private static long totalOccurrences(List<Incident> incidents, IncidentKind kind) {
        return incidents.stream().filter(i -> i.kind() == kind).mapToLong(Incident::occurrences).sum();
    }

    private static void reportPhaseTwo(PrintStream out, Phase phase, List<Incident> incidents, long expected,
                                       long total) {
        out.printf(Locale.ROOT, "  -> %d failed of %d transfers; %d deadlocks absorbed by retrying whole transactions.%n",
                phase.failed(), phase.requests(), phase.retries());
        out.printf(Locale.ROOT, "  -> Balances %s: sum %,d, expected %,d.%n", total == expected ? "consistent" : "WRONG",
                total, expected);
        long warnings = incidents.stream().filter(i -> i.kind() == IncidentKind.DEADLOCK
                && i.severity() == io.incidentsdk.Severity.WARNING).count();
        out.printf(Locale.ROOT, "  -> Still reported: %d DEADLOCK incident(s) as WARNING with retry outcome SUCCEEDED, "
                + "so the race condition gets fixed.%n", warnings);
    }

    /**
     * Reads a written incidents file (for tools and tests).
     *
     * @param file the file
     * @return its events
     * @throws IOException when it cannot be read
     */
    static List<IncidentEvent> readEvents(Path file) throws IOException {
        return JsonLinesFileSink.read(file);
    }
}
