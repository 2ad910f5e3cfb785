package io.incidentsdk.benchmarks;

import io.incidentsdk.benchmarks.transfer.TransferResult;
import io.incidentsdk.benchmarks.transfer.TransferVariant;
import io.incidentsdk.benchmarks.transfer.TransferWorkload;
import io.incidentsdk.jdbc.RetryPolicy;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cost of safety on a real database: concurrent money transfers between a few accounts on PostgreSQL
 * ({@link TransferWorkload}), variant A with the race condition (half the transfers lock the two rows in the
 * opposite order) and every transfer through {@code TransactionRunner}, variant B with the bug fixed (rows
 * locked in ascending id order, the same runner), and for reference variant C, the race without the runner.
 * Prints a Markdown report: transfers per second, the ratio A/B, retries per transfer, deadlocks, failed
 * transfers, latencies, incidents, and the invariant check.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.incidentsdk.benchmarks.TransferCostCheck} with
 * {@code INCIDENT_SDK_PG_URL}, {@code INCIDENT_SDK_PG_USER} and {@code INCIDENT_SDK_PG_PASSWORD} set (as
 * {@code scripts/test-databases.sh env} prints them). Settings (environment): {@code TRANSFER_THREADS}
 * (default 8), {@code TRANSFER_SECONDS} per variant (default 20), {@code TRANSFER_ACCOUNTS} (default 10),
 * {@code TRANSFER_WARMUP_SECONDS} (default 2, variant B, not reported), {@code TRANSFER_VARIANTS} (default
 * {@code A,B,C}). It drops and creates the tables {@code bench_transfer_account} and
 * {@code bench_transfer_ledger} and drops them at the end. Exit status 0 when the invariant held in every
 * variant and no transfer of a variant with the runner failed; 1 otherwise; 2 without a URL.
 *
 * @since 0.1.0
 */
public final class TransferCostCheck {

    private TransferCostCheck() {
    }

    /**
     * Runs the check.
     *
     * @param args ignored
     * @throws Exception when the database cannot be used
     */
    public static void main(String[] args) throws Exception {
        String url = System.getenv("INCIDENT_SDK_PG_URL");
        if (url == null || url.isBlank()) {
            System.err.println("TransferCostCheck: set INCIDENT_SDK_PG_URL, _USER and _PASSWORD "
                    + "(eval \"$(scripts/test-databases.sh env)\")");
            System.exit(2);
        }
        TransferWorkload workload = new TransferWorkload(url, env("INCIDENT_SDK_PG_USER", "app"),
                env("INCIDENT_SDK_PG_PASSWORD", "app"), Integer.parseInt(env("TRANSFER_THREADS", "8")),
                Integer.parseInt(env("TRANSFER_ACCOUNTS", "10")));
        List<TransferVariant> variants = new ArrayList<>();
        for (String label : env("TRANSFER_VARIANTS", "A,B,C").split(",")) {
            variants.add(TransferVariant.ofLabel(label));
        }
        Duration perVariant = Duration.ofMillis((long) (Double.parseDouble(env("TRANSFER_SECONDS", "20")) * 1000));
        Duration warmUp = Duration.ofMillis((long) (Double.parseDouble(env("TRANSFER_WARMUP_SECONDS", "2")) * 1000));
        boolean ok = run(workload, variants, perVariant, warmUp, System.out);
        System.exit(ok ? 0 : 1);
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    /**
     * Creates the tables, warms up, runs the variants, prints the report and drops the tables.
     *
     * @param workload   the workload
     * @param variants   the variants, in order
     * @param perVariant how long each variant runs
     * @param warmUp     how long variant B runs first, unreported (zero for none)
     * @param out        where to print the report
     * @return whether the invariant held everywhere and no transfer run by the runner failed
     * @throws SQLException         when the database cannot be used
     * @throws InterruptedException when interrupted
     */
    public static boolean run(TransferWorkload workload, List<TransferVariant> variants, Duration perVariant,
                              Duration warmUp, PrintStream out) throws SQLException, InterruptedException {
        workload.createTables();
        List<TransferResult> results = new ArrayList<>();
        try {
            if (!warmUp.isZero()) {
                workload.run(TransferVariant.ORDERED_LOCKS, warmUp);
            }
            for (TransferVariant variant : variants) {
                results.add(workload.run(variant, perVariant));
            }
        } finally {
            workload.dropTables();
        }
        String settings = String.format(Locale.ROOT, "PostgreSQL settings: deadlock_timeout=%s, fsync=%s, "
                        + "synchronous_commit=%s, default_transaction_isolation=%s, server_version=%s",
                workload.setting("deadlock_timeout"), workload.setting("fsync"), workload.setting("synchronous_commit"),
                workload.setting("default_transaction_isolation"), workload.setting("server_version"));
        out.print(report(results, perVariant, settings));
        for (TransferResult r : results) {
            String notes = workload.notes(r.variant());
            if (notes != null) {
                out.printf(Locale.ROOT, "%s: %s%n", r.variant().label(), notes);
            }
        }
        return passed(results);
    }

    /**
     * Whether the run passed: the invariant held in every variant, and a transfer through the runner failed
     * only after it had used every attempt of the default policy on deadlocks or serialization failures
     * (the retry bound doing its job: {@link #exhausted}).
     *
     * @param results the variants' results
     * @return {@code true} when it passed
     */
    public static boolean passed(List<TransferResult> results) {
        for (TransferResult r : results) {
            if (!r.invariantHolds() || (r.variant().runner() && r.failed() > 0 && !exhausted(r))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every failed transfer of a runner variant is accounted for by exhausted retries: each failed
     * with a deadlock or serialization failure, and the deadlocked attempts counted in the unit cover the
     * default policy's {@code maxAttempts} for each of them (a runner that did not retry would fail a
     * transfer on its first deadlock).
     */
    static boolean exhausted(TransferResult r) {
        for (String sqlState : r.failuresBySqlState().keySet()) {
            if (!"40P01".equals(sqlState) && !"40001".equals(sqlState)) {
                return false;
            }
        }
        return r.deadlocks() >= r.failed() * (long) RetryPolicy.defaults().maxAttempts();
    }

    /**
     * The Markdown report of a run.
     *
     * @param results    the variants' results
     * @param perVariant how long each variant ran
     * @param settings   a line describing the database settings
     * @return the report
     */
    public static String report(List<TransferResult> results, Duration perVariant, String settings) {
        StringBuilder md = new StringBuilder();
        TransferResult any = results.isEmpty() ? null : results.get(0);
        md.append(String.format(Locale.ROOT, "Transfers between %d accounts, %d worker threads (HikariCP pool of as "
                        + "many, watched), %.0f s per variant; default RetryPolicy (5 attempts, backoff 10 ms to 1 s "
                        + "with full jitter) with a default RetryBudget of its own per variant%n",
                any == null ? 0 : any.accounts(), any == null ? 0 : any.threads(), perVariant.toMillis() / 1000.0));
        md.append(settings).append("\n\n");
        md.append("| variant | transfers/s | transfers | attempts | retries per transfer | deadlocks | failed transfers "
                + "| p50 ms | p99 ms | max ms | invariant |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (TransferResult r : results) {
            md.append(String.format(Locale.ROOT, "| %s %s | %,.0f | %,d | %,d | %.3f | %,d | %,d%s | %.2f | %.2f | %.1f | %s |%n",
                    r.variant().label(), r.variant().description(), r.transfersPerSecond(), r.transfers(), r.attempts(),
                    r.retriesPerTransfer(), r.deadlocks(), r.failed(),
                    r.failuresBySqlState().isEmpty() ? "" : " " + r.failuresBySqlState(),
                    r.p50Nanos() / 1e6, r.p99Nanos() / 1e6, r.maxNanos() / 1e6, invariant(r)));
        }
        TransferResult a = find(results, TransferVariant.RACE_SAFE_RETRY);
        TransferResult b = find(results, TransferVariant.ORDERED_LOCKS);
        md.append('\n');
        if (a != null && b != null && b.transfersPerSecond() > 0) {
            md.append(String.format(Locale.ROOT, "throughput A/B: %.2f (the race condition with safe retry runs at "
                    + "%.0f %% of the fixed code)%n", a.transfersPerSecond() / b.transfersPerSecond(),
                    100 * a.transfersPerSecond() / b.transfersPerSecond()));
        }
        for (TransferVariant gated : new TransferVariant[] {TransferVariant.RACE_GATED, TransferVariant.RACE_GATED_DATABASE}) {
            TransferResult g = find(results, gated);
            if (g != null && b != null && b.transfersPerSecond() > 0) {
                md.append(String.format(Locale.ROOT, "throughput %s/B: %.2f (the race condition behind the lock-order "
                        + "gate runs at %.0f %% of the fixed code)%n", g.variant().label(),
                        g.transfersPerSecond() / b.transfersPerSecond(), 100 * g.transfersPerSecond() / b.transfersPerSecond()));
            }
        }
        for (TransferResult r : results) {
            md.append(String.format(Locale.ROOT, "%s: deadlock incident occurrences reported %,d; incidents %s; "
                            + "retries refused by the budget %,d%n", r.variant().label(), r.deadlockOccurrences(),
                    r.incidents().isEmpty() ? "none" : format(r.incidents()), r.budgetRefused()));
        }
        for (TransferResult r : results) {
            if (r.variant().runner() && r.failed() > 0 && exhausted(r)) {
                md.append(String.format(Locale.ROOT, "%s: %,d of %,d transfers deadlocked on all %d attempts of the "
                                + "default policy and reached the application (retry EXHAUSTED, an ERROR incident)%n",
                        r.variant().label(), r.failed(), r.transfers() + r.failed(),
                        RetryPolicy.defaults().maxAttempts()));
            }
        }
        md.append(passed(results) ? "result: PASSED (invariant held; no transfer through the runner failed except "
                + "after exhausting its attempts)\n" : "result: FAILED (see the invariant and failed columns)\n");
        return md.toString();
    }

    private static String invariant(TransferResult r) {
        if (r.invariantHolds()) {
            return String.format(Locale.ROOT, "holds (sum %,d, ledger rows = transfers)", r.balanceSum());
        }
        return String.format(Locale.ROOT, "BROKEN (sum %,d of %,d, ledger rows %,d, transfers %,d, %d accounts off)",
                r.balanceSum(), r.expectedSum(), r.ledgerRows(), r.transfers(), r.mismatchedAccounts());
    }

    private static String format(Map<String, Long> incidents) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Long> e : incidents.entrySet()) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(e.getKey()).append(" ×").append(String.format(Locale.ROOT, "%,d", e.getValue()));
        }
        return s.toString();
    }

    private static TransferResult find(List<TransferResult> results, TransferVariant variant) {
        for (TransferResult r : results) {
            if (r.variant() == variant) {
                return r;
            }
        }
        return null;
    }
}
