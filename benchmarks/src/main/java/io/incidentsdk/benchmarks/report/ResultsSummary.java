package io.incidentsdk.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON results ({@code -rf json}) into Markdown tables: per JDBC path and backend the score with
 * its error, bytes allocated per operation ({@code -prof gc}), the difference to {@code raw} and the ratios
 * to {@code dsproxy_noop} and {@code p6spy_nolog}; the deadlock latency percentiles; the failure storm; the
 * sanitizer; the transaction runner's unit of work (success and one absorbed deadlock); the PostgreSQL
 * transfer workload's report; and any other benchmark generically.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.incidentsdk.benchmarks.report.ResultsSummary results.json
 * results.md [machine.txt [storm-heap.txt [notes.txt [transfer-cost.txt]]]]}; the optional text files (absent ones
 * are skipped) are included as they are; the notes are lines the benchmark JVMs printed (the exact deadlock
 * latency); the last is the output of {@code TransferCostCheck}.
 *
 * @since 0.1.0
 */
public final class ResultsSummary {

    private static final String PACKAGE = "io.incidentsdk.benchmarks.";
    private static final String PATHS = PACKAGE + "JdbcPathsBench.";
    private static final String LATENCY = PACKAGE + "DeadlockToOpenedLatency.";
    private static final String STORM = PACKAGE + "FailureStorm.";
    private static final String SANITIZER = PACKAGE + "SqlSanitizerBench.";
    private static final String RUNNER = PACKAGE + "TransactionRunnerBench.";
    private static final String RUNNER_RETRY = PACKAGE + "TransactionRunnerRetryBench.";
    private static final String THREADS = PACKAGE + "JdbcPathsThreadsBench.";
    private static final List<String> BACKENDS = List.of("stub", "h2", "pgjdbc");
    private static final List<String> THREAD_VARIANT_ORDER = List.of("raw", "incidentsdk", "incidentsdk_nospike",
            "handwritten", "handwritten_adder", "handwritten_atomic");
    private static final List<String> UNIT_PATH_ORDER = List.of("byHandRaw", "byHandWatched", "runner",
            "byHandUnderPool", "runnerUnderPool");
    private static final List<String> PATH_ORDER = List.of("pointSelect", "pointSelectMapped", "updateByPk",
            "borrowPrepareExecuteClose", "duplicateKeyInsert");
    private static final List<String> VARIANT_ORDER = List.of("raw", "incidentsdk", "incidentsdk_underpool",
            "handwritten", "dsproxy_noop", "p6spy_nolog");

    private ResultsSummary() {
    }

    /**
     * Writes the summary.
     *
     * @param args the JSON results, the Markdown file to write, optionally a machine description, the
     *             storm heap check's output and notes printed by the benchmark JVMs
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException(
                    "usage: ResultsSummary results.json results.md [machine.txt [storm-heap.txt [notes.txt [transfer.txt]]]]");
        }
        String machine = args.length > 2 ? readIfPresent(Path.of(args[2])) : null;
        String storm = args.length > 3 ? readIfPresent(Path.of(args[3])) : null;
        String notes = args.length > 4 ? readIfPresent(Path.of(args[4])) : null;
        String transfer = args.length > 5 ? readIfPresent(Path.of(args[5])) : null;
        String json = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        Files.writeString(Path.of(args[1]), summarize(json, machine, storm, notes, transfer), StandardCharsets.UTF_8);
    }

    private static String readIfPresent(Path path) throws IOException {
        return Files.isRegularFile(path) ? Files.readString(path, StandardCharsets.UTF_8) : null;
    }

    /** One benchmark result: name, mode, threads, parameters, primary score and allocation. */
    record Result(String benchmark, String mode, int threads, Map<String, String> params, double score, double error,
                  String unit, double bytesPerOp, Map<String, Double> percentiles, long samples) {

        String method() {
            return benchmark.substring(benchmark.lastIndexOf('.') + 1);
        }

        String param(String name) {
            return params.getOrDefault(name, "");
        }
    }

    /**
     * The Markdown summary of JMH's JSON results.
     *
     * @param json    JMH's JSON output
     * @param machine a description of the machine and run, or {@code null}
     * @param storm   the output of {@code StormHeapCheck}, or {@code null}
     * @param notes   lines the benchmark JVMs printed (the exact deadlock latency), or {@code null}
     * @return the Markdown text
     * @throws IOException when the JSON cannot be parsed
     */
    public static String summarize(String json, String machine, String storm, String notes) throws IOException {
        return summarize(json, machine, storm, notes, null);
    }

    /**
     * The Markdown summary of JMH's JSON results and the PostgreSQL transfer workload's report.
     *
     * @param json     JMH's JSON output
     * @param machine  a description of the machine and run, or {@code null}
     * @param storm    the output of {@code StormHeapCheck}, or {@code null}
     * @param notes    lines the benchmark JVMs printed (the exact deadlock latency), or {@code null}
     * @param transfer the output of {@code TransferCostCheck}, or {@code null}
     * @return the Markdown text
     * @throws IOException when the JSON cannot be parsed
     */
    public static String summarize(String json, String machine, String storm, String notes, String transfer)
            throws IOException {
        List<Result> results = parse(json);
        StringBuilder md = new StringBuilder("# Incident SDK benchmark results\n\n");
        if (machine != null && !machine.isBlank()) {
            md.append("## Machine and run\n\n```\n").append(machine.strip()).append("\n```\n\n");
        }
        List<Result> others = new ArrayList<>();
        List<Result> paths = new ArrayList<>();
        List<Result> latency = new ArrayList<>();
        List<Result> storms = new ArrayList<>();
        List<Result> sanitizer = new ArrayList<>();
        List<Result> units = new ArrayList<>();
        List<Result> retries = new ArrayList<>();
        List<Result> threads = new ArrayList<>();
        for (Result r : results) {
            if (r.benchmark().startsWith(THREADS)) {
                threads.add(r);
            } else if (r.benchmark().startsWith(PATHS)) {
                paths.add(r);
            } else if (r.benchmark().startsWith(LATENCY)) {
                latency.add(r);
            } else if (r.benchmark().startsWith(STORM)) {
                storms.add(r);
            } else if (r.benchmark().startsWith(SANITIZER)) {
                sanitizer.add(r);
            } else if (r.benchmark().startsWith(RUNNER)) {
                units.add(r);
            } else if (r.benchmark().startsWith(RUNNER_RETRY)) {
                retries.add(r);
            } else {
                others.add(r);
            }
        }
        for (String backend : BACKENDS) {
            List<Result> some = new ArrayList<>();
            for (Result r : paths) {
                if (r.param("backend").equals(backend)) {
                    some.add(r);
                }
            }
            if (!some.isEmpty()) {
                paths(md, backend, some);
            }
        }
        if (!threads.isEmpty()) {
            threads(md, threads);
        }
        if (!latency.isEmpty()) {
            latency(md, latency);
        }
        if (notes != null && !notes.isBlank()) {
            md.append("Printed by the latency benchmark's JVMs (exact latency, from the failing call to the sink's "
                    + "clock reading, measured iterations only):\n\n```\n").append(notes.strip()).append("\n```\n\n");
        }
        if (!storms.isEmpty()) {
            storm(md, storms);
        }
        if (storm != null && !storm.isBlank()) {
            md.append("## Failure storm: heap over a long run (StormHeapCheck)\n\n").append(storm.strip()).append("\n\n");
        }
        if (!sanitizer.isEmpty()) {
            sanitizer(md, sanitizer);
        }
        if (!units.isEmpty() || !retries.isEmpty()) {
            transactionRunner(md, units, retries);
        }
        if (transfer != null && !transfer.isBlank()) {
            md.append("## Transfer workload on PostgreSQL (TransferCostCheck)\n\n").append(transfer.strip()).append("\n\n");
        }
        if (!others.isEmpty()) {
            md.append("## Other benchmarks\n\n| benchmark | params | score ± error | B/op |\n|---|---|---:|---:|\n");
            for (Result r : others) {
                md.append("| ").append(r.benchmark().replace(PACKAGE, "")).append(" | ").append(r.params())
                        .append(" | ").append(num(r.score())).append(" ± ").append(num(r.error())).append(' ')
                        .append(r.unit()).append(" | ").append(num(r.bytesPerOp())).append(" |\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    static List<Result> parse(String json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        List<Result> results = new ArrayList<>();
        for (JsonNode node : root) {
            Map<String, String> params = new LinkedHashMap<>();
            JsonNode p = node.path("params");
            for (Map.Entry<String, JsonNode> e : p.properties()) {
                params.put(e.getKey(), e.getValue().asText());
            }
            JsonNode primary = node.path("primaryMetric");
            double bytes = Double.NaN;
            for (Map.Entry<String, JsonNode> e : node.path("secondaryMetrics").properties()) {
                if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                    bytes = number(e.getValue().path("score"));
                }
            }
            Map<String, Double> percentiles = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : primary.path("scorePercentiles").properties()) {
                percentiles.put(e.getKey(), number(e.getValue()));
            }
            long samples = 0;
            for (JsonNode fork : primary.path("rawDataHistogram")) {
                for (JsonNode iteration : fork) {
                    for (JsonNode bin : iteration) {
                        samples += bin.path(1).asLong();
                    }
                }
            }
            results.add(new Result(node.path("benchmark").asText(), node.path("mode").asText(),
                    node.path("threads").asInt(1), params,
                    number(primary.path("score")), number(primary.path("scoreError")),
                    primary.path("scoreUnit").asText(), bytes, percentiles, samples));
        }
        return results;
    }

    private static double number(JsonNode node) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        try {
            return Double.parseDouble(node.asText());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static void paths(StringBuilder md, String backend, List<Result> results) {
        Map<String, Map<String, Result>> byPath = new LinkedHashMap<>();
        for (String path : PATH_ORDER) {
            byPath.put(path, new LinkedHashMap<>());
        }
        for (Result r : results) {
            byPath.computeIfAbsent(r.method(), k -> new LinkedHashMap<>()).put(r.param("variant"), r);
        }
        md.append("## JDBC paths against ").append(switch (backend) {
            case "stub" -> "the do-nothing stub driver (wrapper cost made visible)";
            case "h2" -> "H2 in memory (real work)";
            default -> "PostgreSQL through pgjdbc (a round trip to a server on this machine per call)";
        }).append("\n\n");
        if (backend.equals("stub")) {
            md.append("The stub's own cost is a few ns on paths 1–2, so ratios to raw mean little there: read the "
                    + "Δ columns (the wrapper's cost per call).\n\n");
        }
        md.append("| path | variant | ns/op (score ± error) | B/op | Δ ns/op vs raw | Δ B/op vs raw | × dsproxy_noop "
                + "| × p6spy_nolog |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, Result>> path : byPath.entrySet()) {
            Map<String, Result> variants = path.getValue();
            Result raw = variants.get("raw");
            Result dsproxy = variants.get("dsproxy_noop");
            Result p6spy = variants.get("p6spy_nolog");
            for (String variant : ordered(variants)) {
                Result r = variants.get(variant);
                md.append("| ").append(path.getKey()).append(" | ").append(variant).append(" | ")
                        .append(num(r.score())).append(" ± ").append(num(r.error())).append(" | ")
                        .append(num(r.bytesPerOp())).append(" | ")
                        .append(raw == null || r == raw ? "—" : signed(r.score() - raw.score())).append(" | ")
                        .append(raw == null || r == raw ? "—" : signed(r.bytesPerOp() - raw.bytesPerOp())).append(" | ")
                        .append(dsproxy == null ? "—" : ratio(r.score(), dsproxy.score())).append(" | ")
                        .append(p6spy == null ? "—" : ratio(r.score(), p6spy.score())).append(" |\n");
            }
        }
        md.append("\n### Added cost per call (Δ vs raw) compared\n\n")
                .append("How many times more the peers add than incidentsdk (Δ ns/op and Δ B/op over raw; "
                        + "\"n/a\" where incidentsdk adds nothing measurable).\n\n")
                .append("| path | incidentsdk Δ ns | under the pool Δ ns | handwritten Δ ns | dsproxy_noop Δ ns "
                        + "| p6spy_nolog Δ ns | dsproxy ÷ incidentsdk (ns) | p6spy ÷ incidentsdk (ns) | incidentsdk Δ B "
                        + "| under the pool Δ B | handwritten Δ B | dsproxy_noop Δ B | p6spy_nolog Δ B |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, Result>> path : byPath.entrySet()) {
            Map<String, Result> v = path.getValue();
            Result raw = v.get("raw");
            if (raw == null || v.get("incidentsdk") == null) {
                continue;
            }
            double sdk = v.get("incidentsdk").score() - raw.score();
            md.append("| ").append(path.getKey()).append(" | ").append(delta(v, "incidentsdk", raw, false))
                    .append(" | ").append(delta(v, "incidentsdk_underpool", raw, false))
                    .append(" | ").append(delta(v, "handwritten", raw, false))
                    .append(" | ").append(delta(v, "dsproxy_noop", raw, false))
                    .append(" | ").append(delta(v, "p6spy_nolog", raw, false))
                    .append(" | ").append(peerRatio(v.get("dsproxy_noop"), raw, sdk))
                    .append(" | ").append(peerRatio(v.get("p6spy_nolog"), raw, sdk))
                    .append(" | ").append(delta(v, "incidentsdk", raw, true))
                    .append(" | ").append(delta(v, "incidentsdk_underpool", raw, true))
                    .append(" | ").append(delta(v, "handwritten", raw, true))
                    .append(" | ").append(delta(v, "dsproxy_noop", raw, true))
                    .append(" | ").append(delta(v, "p6spy_nolog", raw, true)).append(" |\n");
        }
        md.append('\n');
    }

    private static List<String> ordered(Map<String, Result> variants) {
        List<String> names = new ArrayList<>();
        for (String v : VARIANT_ORDER) {
            if (variants.containsKey(v)) {
                names.add(v);
            }
        }
        for (String v : variants.keySet()) {
            if (!names.contains(v)) {
                names.add(v);
            }
        }
        return names;
    }

    private static String delta(Map<String, Result> variants, String variant, Result raw, boolean bytes) {
        Result r = variants.get(variant);
        if (r == null) {
            return "—";
        }
        return signed(bytes ? r.bytesPerOp() - raw.bytesPerOp() : r.score() - raw.score());
    }

    private static String peerRatio(Result peer, Result raw, double sdkDelta) {
        if (peer == null) {
            return "—";
        }
        double peerDelta = peer.score() - raw.score();
        if (!(sdkDelta > 0)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.1f", peerDelta / sdkDelta);
    }

    private static void latency(StringBuilder md, List<Result> results) {
        md.append("## Deadlock → OPENED latency (SampleTime)\n\n")
                .append("| benchmark | samples | p50 | p90 | p99 | p99.9 | max | unit |\n|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (Result r : results) {
            String unit = r.unit().replace("/op", "");
            md.append("| ").append(r.method()).append(r.params().isEmpty() ? "" : " " + r.params()).append(" | ")
                    .append(r.samples()).append(" | ").append(num(r.percentiles().getOrDefault("50.0", Double.NaN)))
                    .append(" | ").append(num(r.percentiles().getOrDefault("90.0", Double.NaN)))
                    .append(" | ").append(num(r.percentiles().getOrDefault("99.0", Double.NaN)))
                    .append(" | ").append(num(r.percentiles().getOrDefault("99.9", Double.NaN)))
                    .append(" | ").append(num(r.percentiles().getOrDefault("100.0", Double.NaN)))
                    .append(" | ").append(unit).append(" |\n");
        }
        md.append('\n');
    }

    private static void storm(StringBuilder md, List<Result> results) {
        Map<String, Result> rawByFailure = new LinkedHashMap<>();
        for (Result r : results) {
            if (r.param("variant").equals("raw")) {
                rawByFailure.put(r.param("failure"), r);
            }
        }
        md.append("## Failure storm: one fingerprint, aggregated repeats (AverageTime)\n\n")
                .append("| failure | variant | ns per failed call (score ± error) | B/op | Δ ns vs raw | Δ B vs raw |\n")
                .append("|---|---|---:|---:|---:|---:|\n");
        for (Result r : results) {
            Result raw = rawByFailure.get(r.param("failure"));
            md.append("| ").append(r.param("failure")).append(" | ").append(r.param("variant")).append(" | ")
                    .append(num(r.score())).append(" ± ").append(num(r.error())).append(" | ")
                    .append(num(r.bytesPerOp())).append(" | ")
                    .append(raw == null || r == raw ? "—" : signed(r.score() - raw.score())).append(" | ")
                    .append(raw == null || r == raw ? "—" : signed(r.bytesPerOp() - raw.bytesPerOp())).append(" |\n");
        }
        md.append('\n');
    }

    private static void sanitizer(StringBuilder md, List<Result> results) {
        md.append("## SQL sanitizer\n\n| statement | score ± error | unit | B/op |\n|---|---:|---|---:|\n");
        for (Result r : results) {
            md.append("| ").append(r.param("statement")).append(" | ").append(num(r.score())).append(" ± ")
                    .append(num(r.error())).append(" | ").append(r.unit()).append(" | ").append(num(r.bytesPerOp()))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static void transactionRunner(StringBuilder md, List<Result> units, List<Result> retries) {
        Map<String, Map<String, Result>> byBackend = new LinkedHashMap<>();
        for (Result r : units) {
            byBackend.computeIfAbsent(r.param("backend"), k -> new LinkedHashMap<>()).put(r.param("path"), r);
        }
        md.append("## Transaction runner: one unit of work (two updates by primary key + commit, AverageTime)\n\n")
                .append("Each unit borrows a connection from a HikariCP pool of 4 and returns it. `byHandWatched` and "
                        + "`runner`: the watch in front of the pool; `byHandUnderPool` and `runnerUnderPool`: the watch "
                        + "under a pool of its own. Δ vs by hand = `TransactionRunner` over the same unit by hand with "
                        + "the same watch (what the runner adds).\n\n")
                .append("| backend | path | ns per unit (score ± error) | B per unit | Δ ns vs byHandRaw | Δ B vs byHandRaw "
                        + "| Δ ns vs by hand | Δ B vs by hand |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, Result>> backend : byBackend.entrySet()) {
            Map<String, Result> paths = backend.getValue();
            Result raw = paths.get("byHandRaw");
            for (String path : orderedUnits(paths)) {
                Result r = paths.get(path);
                Result watched = paths.get(path.endsWith("UnderPool") ? "byHandUnderPool" : "byHandWatched");
                md.append("| ").append(backend.getKey()).append(" | ").append(path).append(" | ")
                        .append(num(r.score())).append(" ± ").append(num(r.error())).append(" | ")
                        .append(num(r.bytesPerOp())).append(" | ")
                        .append(raw == null || r == raw ? "—" : signed(r.score() - raw.score())).append(" | ")
                        .append(raw == null || r == raw ? "—" : signed(r.bytesPerOp() - raw.bytesPerOp())).append(" | ")
                        .append(watched == null || r == watched || r == raw ? "—" : signed(r.score() - watched.score()))
                        .append(" | ")
                        .append(watched == null || r == watched || r == raw ? "—"
                                : signed(r.bytesPerOp() - watched.bytesPerOp())).append(" |\n");
            }
        }
        md.append('\n');
        if (retries.isEmpty()) {
            return;
        }
        Map<String, Result> retryByPath = new LinkedHashMap<>();
        for (Result r : retries) {
            retryByPath.put(r.param("path"), r);
        }
        Map<String, Result> stub = byBackend.getOrDefault("stub", Map.of());
        Result raw = retryByPath.get("byHandRaw");
        md.append("### One deadlock absorbed by a retry (stub driver, zero backoff)\n\n")
                .append("The first attempt of every unit fails with a new 40P01 from the driver, the second commits. "
                        + "\"+ one retry\" is the difference to the same path's unit without the failure (above).\n\n")
                .append("| path | ns per unit (score ± error) | B per unit | Δ ns vs byHandRaw | Δ B vs byHandRaw "
                        + "| + one retry, ns | + one retry, B |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (String path : orderedUnits(retryByPath)) {
            Result r = retryByPath.get(path);
            Result success = stub.get(path);
            md.append("| ").append(path).append(" | ").append(num(r.score())).append(" ± ").append(num(r.error()))
                    .append(" | ").append(num(r.bytesPerOp())).append(" | ")
                    .append(raw == null || r == raw ? "—" : signed(r.score() - raw.score())).append(" | ")
                    .append(raw == null || r == raw ? "—" : signed(r.bytesPerOp() - raw.bytesPerOp())).append(" | ")
                    .append(success == null ? "—" : signed(r.score() - success.score())).append(" | ")
                    .append(success == null ? "—" : signed(r.bytesPerOp() - success.bytesPerOp())).append(" |\n");
        }
        md.append('\n');
    }

    private static List<String> orderedUnits(Map<String, Result> paths) {
        List<String> names = new ArrayList<>();
        for (String p : UNIT_PATH_ORDER) {
            if (paths.containsKey(p)) {
                names.add(p);
            }
        }
        for (String p : paths.keySet()) {
            if (!names.contains(p)) {
                names.add(p);
            }
        }
        return names;
    }

    /** A number with about three significant digits, thousands separated. */
    static String num(double value) {
        if (Double.isNaN(value)) {
            return "—";
        }
        double abs = Math.abs(value);
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String signed(double value) {
        if (Double.isNaN(value)) {
            return "—";
        }
        return (value >= 0 ? "+" : "") + num(value);
    }

    private static String ratio(double value, double base) {
        if (Double.isNaN(value) || Double.isNaN(base) || base == 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.2f", value / base);
    }

    /**
     * The threads table: per success path and variant, the time per call of one thread at each thread count, and the
     * calls per microsecond of all threads together (flat per-call cost: it grows with the threads up to the cores,
     * then stays).
     */
    private static void threads(StringBuilder md, List<Result> results) {
        Map<String, Map<String, Map<Integer, Result>>> byPath = new LinkedHashMap<>();
        java.util.TreeSet<Integer> counts = new java.util.TreeSet<>();
        for (Result r : results) {
            String path = r.method().replaceAll("\\d+$", "");
            byPath.computeIfAbsent(path, k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.param("variant"), k -> new LinkedHashMap<>()).put(r.threads(), r);
            counts.add(r.threads());
        }
        md.append("## Success paths on many threads (JdbcPathsThreadsBench, stub driver)\n\n")
                .append("Each thread has its own connection on one shared data source. ns/op is the time of one call "
                        + "on one thread (with more threads than cores it includes waiting for a core); calls/µs is "
                        + "all threads together.\n\n| path | variant |");
        for (int t : counts) {
            md.append(' ').append(t).append(t == 1 ? " thread" : " threads").append(" ns/op |");
        }
        for (int t : counts) {
            md.append(' ').append(t).append(" calls/µs |");
        }
        md.append(" B/op |\n|---|---|");
        md.append("---:|".repeat(2 * counts.size() + 1)).append('\n');
        for (Map.Entry<String, Map<String, Map<Integer, Result>>> path : byPath.entrySet()) {
            List<String> variants = new ArrayList<>();
            for (String v : THREAD_VARIANT_ORDER) {
                if (path.getValue().containsKey(v)) {
                    variants.add(v);
                }
            }
            for (String v : path.getValue().keySet()) {
                if (!variants.contains(v)) {
                    variants.add(v);
                }
            }
            for (String variant : variants) {
                Map<Integer, Result> byThreads = path.getValue().get(variant);
                md.append("| ").append(path.getKey()).append(" | ").append(variant).append(" |");
                double bytes = Double.NaN;
                for (int t : counts) {
                    Result r = byThreads.get(t);
                    md.append(' ').append(r == null ? "—" : num(r.score()) + " ± " + num(r.error())).append(" |");
                    if (r != null && Double.isNaN(bytes)) {
                        bytes = r.bytesPerOp();
                    }
                }
                for (int t : counts) {
                    Result r = byThreads.get(t);
                    md.append(' ').append(r == null || !(r.score() > 0) ? "—"
                            : String.format(Locale.ROOT, "%.1f", t * 1_000.0 / r.score())).append(" |");
                }
                md.append(' ').append(num(bytes)).append(" |\n");
            }
        }
        md.append('\n');
    }
}
