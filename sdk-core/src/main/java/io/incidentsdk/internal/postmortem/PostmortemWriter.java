package io.incidentsdk.internal.postmortem;

import static io.incidentsdk.internal.postmortem.HumanFormat.count;
import static io.incidentsdk.internal.postmortem.HumanFormat.duration;
import static io.incidentsdk.internal.postmortem.HumanFormat.percent;
import static io.incidentsdk.internal.postmortem.HumanFormat.time;
import static io.incidentsdk.internal.postmortem.Markdown.code;
import static io.incidentsdk.internal.postmortem.Markdown.present;
import static io.incidentsdk.internal.postmortem.Markdown.text;

import io.incidentsdk.DatabaseInfo;
import io.incidentsdk.ErrorInfo;
import io.incidentsdk.Impact;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.RetryInfo;
import io.incidentsdk.ServiceInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.StatementInfo;
import io.incidentsdk.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes the postmortem of one or more related incidents; the layout is documented on
 * {@code io.incidentsdk.Postmortem}. Every user-controlled string goes through {@link Markdown}; every fact
 * comes from the records; the output depends only on the records, not on their order in the input, the
 * clock, the default locale or the default time zone.
 */
public final class PostmortemWriter {

    private static final Comparator<Incident> MAIN_FIRST = Comparator
            .comparing((Incident i) -> i.kind() == IncidentKind.ERROR_SPIKE ? 0 : 1)
            .thenComparing(Incident::severity, Comparator.reverseOrder())
            .thenComparing(Incident::firstSeen)
            .thenComparing(Incident::incidentId);

    private static final Comparator<Incident> RELATED_ORDER = Comparator
            .comparing(Incident::firstSeen)
            .thenComparing(Incident::severity, Comparator.reverseOrder())
            .thenComparing(Incident::kind)
            .thenComparing(Incident::incidentId);

    /** Of two snapshots of the same incident, the later one is the greater. */
    private static final Comparator<Incident> SNAPSHOT_AGE = Comparator
            .comparing(Incident::isResolved)
            .thenComparing(Incident::lastSeen)
            .thenComparingLong(Incident::occurrences)
            .thenComparingInt(i -> i.timeline().size());

    private final List<Incident> incidents;
    private final Incident main;
    private final Map<Incident, Integer> numbers = new IdentityHashMap<>();
    private final StringBuilder out = new StringBuilder(8_192);
    /** The sanitized SQL of every statement of the records, by statement fingerprint: names for fingerprints. */
    private final Map<String, String> sqlByFingerprint = new LinkedHashMap<>();
    /** The incident whose impact the Issue Summary gives (its section does not repeat it). */
    private Incident summarized;

    private PostmortemWriter(List<Incident> incidents) {
        this.incidents = incidents;
        this.main = incidents.get(0);
        for (int i = 0; i < incidents.size(); i++) {
            numbers.put(incidents.get(i), i + 1);
            for (StatementInfo statement : incidents.get(i).statements()) {
                if (present(statement.fingerprint()) && present(statement.sql())) {
                    sqlByFingerprint.putIfAbsent(statement.fingerprint(), statement.sql());
                }
            }
        }
    }

    /**
     * The related incidents in the document's order (the main one first), one snapshot each.
     *
     * @param related one or more incidents, none {@code null}
     * @return the ordered incidents
     */
    static List<Incident> ordered(List<Incident> related) {
        Objects.requireNonNull(related, "incidents must not be null");
        if (related.isEmpty()) {
            throw new IllegalArgumentException("incidents must not be empty");
        }
        Map<String, Incident> latest = new LinkedHashMap<>();
        for (int i = 0; i < related.size(); i++) {
            Incident incident = Objects.requireNonNull(related.get(i), "incidents[" + i + "] must not be null");
            latest.merge(incident.incidentId(), incident, (a, b) -> SNAPSHOT_AGE.compare(b, a) > 0 ? b : a);
        }
        List<Incident> distinct = new ArrayList<>(latest.values());
        Incident main = distinct.stream().min(MAIN_FIRST).orElseThrow();
        List<Incident> ordered = new ArrayList<>(distinct.size());
        ordered.add(main);
        distinct.stream().filter(i -> i != main).sorted(RELATED_ORDER).forEach(ordered::add);
        return ordered;
    }

    /** The SQL of every statement of the records by fingerprint (for the HTML report's diagram). */
    static Map<String, String> sqlByFingerprint(List<Incident> incidents) {
        return new PostmortemWriter(incidents).sqlByFingerprint;
    }

    /** When the incidents' first failure happened: the earliest first-failure entry or first sighting. */
    static Instant start(List<Incident> incidents) {
        Instant start = incidents.stream().map(Incident::firstSeen).min(Comparator.naturalOrder()).orElseThrow();
        for (Incident incident : incidents) {
            for (TimelineEntry entry : incident.timeline()) {
                if (TimelineEntry.FIRST_FAILURE.equals(entry.type()) && entry.at().isBefore(start)) {
                    start = entry.at();
                }
            }
        }
        return start;
    }

    /** The incident whose time series covers the most, or {@code null} when none has one. */
    static Incident withSeries(List<Incident> incidents) {
        Incident best = null;
        for (Incident incident : incidents) {
            if (incident.series() != null && (best == null
                    || incident.series().totalCalls() > best.series().totalCalls())) {
                best = incident;
            }
        }
        return best;
    }

    /**
     * Renders the postmortem of related incidents.
     *
     * @param related one or more incidents, none {@code null}; snapshots of the same incident (same
     *                {@code incidentId}) count once, the latest of them
     * @return the Markdown document, ending with one newline
     */
    public static String render(List<Incident> related) {
        return new PostmortemWriter(ordered(related)).write();
    }

    private String write() {
        String title = present(main.title()) ? text(main.title()) : "untitled " + code(main.kind().name()) + " incident";
        heading(1, "Postmortem: " + title);
        paragraph(provenance());
        issueSummary();
        timeline();
        rootCause();
        measures();
        misleadingPaths();
        escalation();
        return out.toString();
    }

    private String provenance() {
        if (incidents.size() == 1) {
            return "Written from the incident record " + code(main.incidentId()) + ".";
        }
        List<String> ids = new ArrayList<>();
        for (Incident incident : incidents) {
            ids.add("incident " + number(incident) + " " + code(incident.incidentId()));
        }
        return "Written from " + incidents.size() + " incident records: " + String.join(", ", ids) + ".";
    }

    // ------------------------------------------------------------------ Issue Summary

    private void issueSummary() {
        heading(2, "Issue Summary");
        List<String> items = new ArrayList<>();
        Instant start = start(incidents);
        items.add(item("Start", time(start) + " (the first failure)"));
        List<Incident> open = incidents.stream().filter(i -> !i.isResolved()).toList();
        if (open.isEmpty()) {
            Instant end = incidents.stream().map(Incident::resolvedAt).max(Comparator.naturalOrder()).orElseThrow();
            items.add(item("End", time(end)));
            items.add(item("Duration", duration(Duration.between(start, end))));
        } else {
            Instant last = lastSignal();
            String which = incidents.size() > 1 ? " (" + refs(open) + " still open)" : "";
            items.add(item("End", "ongoing, unresolved at the time of writing" + which));
            items.add(item("Duration", "at least " + duration(Duration.between(start, last))
                    + ", until the last recorded signal at " + time(last)));
        }
        Incident measured = main.impact() != null ? main
                : incidents.stream().filter(i -> i.impact() != null).findFirst().orElse(null);
        Incident series = withSeries(incidents);
        if (series != null) {
            io.incidentsdk.TimeSeries points = series.series();
            long calls = points.totalCalls();
            long failures = points.totalFailures();
            String counting = text(points.counting());
            items.add(item("Share affected over the whole incident", calls == 0 ? "no " + counting + " were counted"
                    : percent((double) failures / calls) + " of " + counting + " failed (" + failures + " of " + calls
                    + " from " + time(points.start()) + " to " + time(points.end()) + of(series) + ")"));
        }
        if (measured == null && series == null) {
            items.add(item("Share affected", "not measured (no impact was recorded)"));
        } else if (measured != null) {
            summarized = measured;
            Impact impact = measured.impact();
            String window = impact.window() == null ? "recorded window" : duration(impact.window()) + " window";
            items.add(item(series != null ? "Worst window" : "Share affected in the worst window",
                    percent(impact.failureRate()) + " failed (" + impact.failures() + " of " + impact.calls()
                    + " in the worst " + window + of(measured) + ")"));
            if (!impact.failuresByCategory().isEmpty()) {
                items.add(item("Failures by category", categories(impact)));
            }
        }
        TimelineEntry peak = null;
        Incident peakOf = null;
        for (Incident incident : incidents) {
            for (TimelineEntry entry : incident.timeline()) {
                if (TimelineEntry.PEAK.equals(entry.type()) && (peak == null || entry.at().isAfter(peak.at()))) {
                    peak = entry;
                    peakOf = incident;
                }
            }
        }
        if (peak != null) {
            items.add(item("Peak", time(peak.at()) + ref(peakOf) + detail(peak)));
        }
        items.add(item("Incidents", kindsAndCounts()));
        Severity highest = incidents.stream().map(Incident::severity).reduce(Severity.INFO, Severity::atLeast);
        items.add(item("Severity", highest.name() + (incidents.size() > 1 ? " (the highest of the incidents)" : "")));
        Set<String> services = new LinkedHashSet<>();
        incidents.forEach(i -> services.add(service(i.service())));
        items.add(item("Service", String.join("; ", services)));
        Set<String> databases = new LinkedHashSet<>();
        incidents.stream().map(Incident::database).filter(Objects::nonNull).map(PostmortemWriter::database)
                .filter(s -> !s.isEmpty()).forEach(databases::add);
        items.add(item("Database", databases.isEmpty() ? "not recorded" : String.join("; ", databases)));
        if (present(main.summary())) {
            items.add(item("Summary", text(main.summary())));
        }
        list(items);
    }

    private String kindsAndCounts() {
        Map<IncidentKind, long[]> byKind = new LinkedHashMap<>();
        for (Incident incident : incidents) {
            long[] counts = byKind.computeIfAbsent(incident.kind(), k -> new long[3]);
            counts[0]++;
            counts[1] += incident.occurrences();
            counts[2] += incident.suppressed();
        }
        List<String> parts = new ArrayList<>();
        byKind.forEach((kind, counts) -> parts.add(code(kind.name()) + ": "
                + count(counts[0], "incident", "incidents") + ", " + count(counts[1], "occurrence", "occurrences")
                + (counts[2] > 0 ? " (" + counts[2] + " more not recorded in detail)" : "")));
        return String.join("; ", parts);
    }

    private static String service(ServiceInfo service) {
        StringBuilder s = new StringBuilder(text(service.name()));
        if (present(service.version())) {
            s.append(' ').append(text(service.version()));
        }
        List<String> details = new ArrayList<>();
        if (present(service.environment())) {
            details.add("environment " + text(service.environment()));
        }
        if (present(service.instance())) {
            details.add("instance " + text(service.instance()));
        }
        if (!details.isEmpty()) {
            s.append(" (").append(String.join(", ", details)).append(')');
        }
        return s.toString();
    }

    private static String database(DatabaseInfo database) {
        List<String> parts = new ArrayList<>();
        if (present(database.system())) {
            parts.add(text(database.system()));
        }
        String product = ((present(database.product()) ? database.product() : "") + " "
                + (present(database.version()) ? database.version() : "")).strip();
        if (!product.isEmpty()) {
            parts.add("(" + text(product) + ")");
        }
        String head = String.join(" ", parts);
        if (present(database.dataSource())) {
            return (head.isEmpty() ? "" : head + ", ") + "data source " + text(database.dataSource());
        }
        return head;
    }

    private static String categories(Impact impact) {
        long total = totalFailures(impact);
        List<String> parts = new ArrayList<>();
        impact.failuresByCategory().forEach((category, n) -> parts.add(code(category) + " "
                + (total > 0 ? percent((double) n / total) + " (" + n + ")" : String.valueOf(n))));
        return String.join(", ", parts);
    }

    private static long totalFailures(Impact impact) {
        if (impact.failures() > 0) {
            return impact.failures();
        }
        return impact.failuresByCategory().values().stream().mapToLong(Long::longValue).sum();
    }

    private Instant lastSignal() {
        Instant last = main.lastSeen();
        for (Incident incident : incidents) {
            last = later(last, incident.lastSeen());
            if (incident.resolvedAt() != null) {
                last = later(last, incident.resolvedAt());
            }
            for (TimelineEntry entry : incident.timeline()) {
                last = later(last, entry.at());
            }
        }
        return last;
    }

    private static Instant later(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
    }

    // ------------------------------------------------------------------ Timeline

    private record Row(Instant at, int incident, int index, Incident source, TimelineEntry entry) {
    }

    /** The prefix of the notes the SDK writes about a deadlock's latest occurrence (not an escalation). */
    private static final String LATEST_OCCURRENCE = "latest occurrence:";

    private static boolean isLatestOccurrence(TimelineEntry entry) {
        return TimelineEntry.NOTE.equals(entry.type()) && entry.detail() != null
                && entry.detail().startsWith(LATEST_OCCURRENCE);
    }

    /**
     * The timeline entries of the incidents, sorted; of the SDK's "latest occurrence" notes of an incident only
     * the latest (they describe the same cycle again and again), and none when only application notes are asked.
     */
    private List<Row> rows(String onlyType) {
        List<Row> rows = new ArrayList<>();
        for (Incident incident : incidents) {
            List<TimelineEntry> timeline = incident.timeline();
            int latest = -1;
            for (int i = 0; i < timeline.size(); i++) {
                if (isLatestOccurrence(timeline.get(i))
                        && (latest < 0 || !timeline.get(i).at().isBefore(timeline.get(latest).at()))) {
                    latest = i;
                }
            }
            for (int i = 0; i < timeline.size(); i++) {
                TimelineEntry entry = timeline.get(i);
                if (isLatestOccurrence(entry) && (onlyType != null || i != latest)) {
                    continue;
                }
                if (onlyType == null || onlyType.equals(entry.type())) {
                    rows.add(new Row(entry.at(), number(incident), i, incident, entry));
                }
            }
        }
        rows.sort(Comparator.comparing(Row::at).thenComparingInt(Row::incident).thenComparingInt(Row::index));
        return rows;
    }

    private void timeline() {
        heading(2, "Timeline");
        List<Row> rows = rows(null);
        if (rows.isEmpty()) {
            paragraph("No timeline entries were recorded.");
            return;
        }
        List<String> items = new ArrayList<>();
        boolean firstFailure = false;
        for (Row row : rows) {
            TimelineEntry entry = row.entry();
            if (TimelineEntry.FIRST_FAILURE.equals(entry.type())) {
                if (firstFailure) {
                    continue; // the incidents' first failure is the earliest; later ones are in their records
                }
                firstFailure = true;
            }
            items.add(time(row.at()) + " — " + code(row.source().kind().name()) + ref(row.source()) + ", "
                    + text(Causes.timelineType(entry.type())) + detail(entry));
        }
        list(items);
    }

    // ------------------------------------------------------------------ Root Cause and Resolution

    private void rootCause() {
        heading(2, "Root Cause and Resolution");
        for (Incident incident : incidents) {
            String prefix = incidents.size() > 1 ? "Incident " + number(incident) + ", " : "";
            heading(3, prefix + code(incident.kind().name()) + ": "
                    + (present(incident.title()) ? text(incident.title()) : "untitled"));
            paragraph(Causes.meaning(incident.kind()));
            List<String> facts = facts(incident);
            List<String> outcome = new ArrayList<>();
            outcome.add(item("Resolution", resolution(incident)));
            if (incident.retry() != null) {
                outcome.add(item("Retry", retry(incident)));
            } else if (incident.kind() != IncidentKind.ERROR_SPIKE) {
                outcome.add(item("Retry", "not recorded"));
            }
            if (incident.statements().isEmpty()) {
                facts.addAll(outcome); // one list: two lists with only a blank line between would merge anyway
                list(facts);
            } else {
                list(facts);
                statements(incident);
                lockCycle(incident);
                list(outcome);
            }
        }
    }

    private List<String> facts(Incident incident) {
        List<String> items = new ArrayList<>();
        ErrorInfo error = incident.error();
        boolean spike = incident.kind() == IncidentKind.ERROR_SPIKE;
        if (error != null) {
            items.add(item("Error", error(error)));
            if (present(error.message())) {
                items.add(item("Message", text(error.message())));
            }
        } else if (!spike) {
            items.add(item("Error", "not recorded"));
        }
        if (error != null || !spike) {
            items.add(item("Rolled back", rolledBack(error)));
        }
        items.add(item("Occurrences", incident.occurrences() + ", first seen " + time(incident.firstSeen())
                + ", last seen " + time(incident.lastSeen())
                + (incident.suppressed() > 0 ? "; " + incident.suppressed() + " more not recorded in detail" : "")));
        if (present(incident.summary())) {
            items.add(item("Recorded summary", text(incident.summary())));
        }
        Impact impact = incident.impact();
        if (impact != null && incident != summarized) {
            items.add(item("Impact", percent(impact.failureRate()) + " failed (" + impact.failures() + " of "
                    + impact.calls() + " in the worst " + (impact.window() == null ? "recorded window"
                    : duration(impact.window()) + " window") + ")"));
            if (!impact.failuresByCategory().isEmpty()) {
                items.add(item("Failures by category", categories(impact)));
            }
        }
        if (impact != null) {
            if (!impact.topFingerprints().isEmpty()) {
                List<String> top = new ArrayList<>();
                int unnamed = 0;
                for (String fingerprint : impact.topFingerprints()) {
                    String sql = sqlByFingerprint.get(fingerprint);
                    if (sql == null) {
                        unnamed++;
                        continue;
                    }
                    List<Incident> with = incidentsWithStatement(fingerprint, incident);
                    top.add(code(sql) + (with.isEmpty() ? "" : ", a statement of " + refs(with)));
                }
                if (unnamed > 0) {
                    top.add(count(unnamed, "statement", "statements") + " whose SQL these records do not carry");
                }
                items.add(item("Most failing statements", String.join("; ", top)));
            }
            if (spike) {
                List<Incident> drivers = drivers(incident);
                if (!drivers.isEmpty()) {
                    items.add(item("Driven by", refs(drivers)));
                }
            }
        }
        if (incident.trace() != null && (incident.trace().traceId() != null || incident.trace().spanId() != null)) {
            items.add(item("Trace", "trace " + orNotRecorded(incident.trace().traceId()) + ", span "
                    + orNotRecorded(incident.trace().spanId())));
        }
        if (!incident.attributes().isEmpty()) {
            List<String> pairs = new ArrayList<>();
            incident.attributes().forEach((k, v) -> pairs.add(code(k) + " = " + text(v)));
            items.add(item("Attributes", String.join("; ", pairs)));
        }
        if (incident.statements().isEmpty() && !spike) {
            items.add(item("Statements", "not recorded"));
        }
        return items;
    }

    private static String error(ErrorInfo error) {
        List<String> parts = new ArrayList<>();
        if (present(error.category())) {
            parts.add("category " + code(error.category()));
        }
        if (present(error.sqlState())) {
            parts.add("SQLState " + code(error.sqlState()));
        }
        if (error.vendorCode() != null) {
            parts.add("vendor code " + code(String.valueOf(error.vendorCode())));
        }
        if (present(error.exceptionClass())) {
            parts.add("exception " + code(error.exceptionClass()));
        }
        return parts.isEmpty() ? "not recorded" : String.join(", ", parts);
    }

    private static String rolledBack(ErrorInfo error) {
        if (error == null || error.transactionRolledBack() == null) {
            return "not recorded";
        }
        return error.transactionRolledBack()
                ? "the whole transaction: its earlier statements were undone as well"
                : "only the failing statement, not the whole transaction";
    }

    private void statements(Incident incident) {
        List<StatementInfo> ordered = new ArrayList<>();
        for (StatementInfo.Role role : StatementInfo.Role.values()) {
            incident.statements().stream().filter(s -> s.role() == role).forEach(ordered::add);
        }
        for (StatementInfo statement : ordered) {
            statement(statement);
        }
        boolean hasBlocker = ordered.stream().anyMatch(s -> s.role() == StatementInfo.Role.BLOCKER);
        if (incident.kind() == IncidentKind.DEADLOCK && !ordered.isEmpty() && !hasBlocker) {
            paragraph("**Blocker statement:** not recorded; the other transaction of the cycle was not identified.");
        }
    }

    private void lockCycle(Incident incident) {
        LockCycle cycle = LockCycle.of(incident, sqlByFingerprint);
        if (cycle == null) {
            return;
        }
        List<LockCycle.Transaction> txs = cycle.transactions();
        String order = txs.size() > 2 ? ", in the order the database reported it" : "";
        paragraph("**The lock cycle" + order + ":**");
        list(lockCycleLines(cycle));
        if (cycle.reported() > txs.size()) {
            paragraph("The database named " + cycle.reported() + " transactions in the cycle; "
                    + (cycle.reported() - txs.size()) + " of them could not be matched to a connection of this "
                    + "process.");
        }
    }

    /** One line per transaction of a cycle, then how the database broke it. */
    static List<String> lockCycleLines(LockCycle cycle) {
        List<LockCycle.Transaction> txs = cycle.transactions();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < txs.size(); i++) {
            LockCycle.Transaction t = txs.get(i);
            LockCycle.Transaction holder = txs.get(cycle.waitsFor(i));
            StringBuilder line = new StringBuilder("**").append(t.name()).append("**");
            List<String> who = new ArrayList<>();
            if (t.victim()) {
                who.add("the victim");
            }
            if (present(t.thread())) {
                who.add("thread " + code(t.thread()));
            }
            if (present(t.callSite())) {
                who.add(code(t.callSite()));
            }
            if (!who.isEmpty()) {
                line.append(" (").append(String.join(", ", who)).append(')');
            }
            List<String> ran = new ArrayList<>();
            for (String sql : t.earlier()) {
                String remark = cycle.remark(sql).strip();
                ran.add(code(sql) + (remark.isEmpty() ? "" : " " + text(remark)));
            }
            if (t.unnamed() > 0) {
                ran.add(count(t.unnamed(), "statement", "statements") + " whose SQL the record does not carry");
            }
            if (!ran.isEmpty()) {
                line.append(" ran ").append(String.join(", then ", ran)).append(", then");
            }
            line.append(" waited in ").append(present(t.waitingSql()) ? code(t.waitingSql()) : "a statement not recorded")
                    .append(" for ").append(text(cycle.lockHeldBy(holder.name()))).append('.');
            lines.add(line.toString());
        }
        lines.add("The database broke the cycle by rolling back " + txs.get(0).name() + ", the victim; "
                + (txs.size() == 2 ? txs.get(1).name() + " went on" : "the others went on") + ".");
        return lines;
    }

    private void statement(StatementInfo statement) {
        String label = switch (statement.role()) {
            case VICTIM -> "Victim statement";
            case BLOCKER -> "Blocker statement";
            case FAILED -> "Failed statement";
        };
        List<String> details = new ArrayList<>();
        if (present(statement.connectionId())) {
            details.add("connection " + code(statement.connectionId()));
        }
        if (present(statement.backendId())) {
            details.add("database session " + code(statement.backendId()));
        }
        if (statement.transactionAgeMillis() != null) {
            details.add("transaction open for " + HumanFormat.millis(statement.transactionAgeMillis()));
        }
        paragraph("**" + label + "**, thread " + orNotRecorded(statement.thread())
                + (present(statement.callSite()) ? ", called from " + code(statement.callSite()) : "")
                + (details.isEmpty() ? "" : " (" + String.join(", ", details) + ")") + ":");
        if (present(statement.sql())) {
            block();
            out.append(Markdown.codeBlock("sql", statement.sql())).append('\n');
        } else {
            paragraph("SQL: not recorded.");
        }
        List<String> fingerprints = statement.transactionStatements();
        List<String> carried = statement.transactionSql();
        boolean aligned = carried.size() <= fingerprints.size();
        if (fingerprints.stream().noneMatch(Markdown::present)) {
            paragraph("Earlier statements of its transaction: none recorded.");
        } else {
            List<String> spans = new ArrayList<>();
            int unnamed = 0;
            for (int k = 0; k < fingerprints.size(); k++) {
                String fingerprint = fingerprints.get(k);
                if (!present(fingerprint)) {
                    continue;
                }
                String sql = aligned && k < carried.size() ? carried.get(k) : sqlByFingerprint.get(fingerprint);
                if (sql == null) {
                    unnamed++;
                } else {
                    spans.add(code(sql));
                }
            }
            if (unnamed > 0) {
                spans.add(count(unnamed, "statement", "statements") + " whose SQL the record does not carry");
            }
            paragraph("Earlier statements of its transaction, in order: " + String.join(", then ", spans)
                    + ", then this statement.");
        }
    }

    private String resolution(Incident incident) {
        if (!incident.isResolved()) {
            return "not resolved at the time of writing; last seen " + time(incident.lastSeen());
        }
        TimelineEntry resolved = null;
        for (TimelineEntry entry : incident.timeline()) {
            if (TimelineEntry.RESOLVED.equals(entry.type()) && (resolved == null || !entry.at().isBefore(resolved.at()))) {
                resolved = entry;
            }
        }
        String detail = resolved != null && present(resolved.detail()) ? ": " + text(resolved.detail()) : "";
        return "resolved at " + time(incident.resolvedAt()) + detail;
    }

    private static String retry(Incident incident) {
        RetryInfo retry = incident.retry();
        String attempts = count(retry.attempts(), "attempt", "attempts");
        return switch (retry.outcome()) {
            case SUCCEEDED -> {
                String plural = Causes.plural(Causes.failureOf(incident));
                long n = incident.occurrences();
                String noun = n == 1 ? plural.substring(0, plural.length() - 1) + " was" : plural + " were";
                yield n + " " + noun + " absorbed by safe retry; users saw none (the latest recorded retry succeeded "
                        + "after " + attempts + ")";
            }
            case EXHAUSTED -> "retrying did not help: the latest recorded unit of work still failed after " + attempts
                    + ", so the failure reached the application";
            case NOT_RETRIED -> "not retried: " + (present(retry.reason()) ? text(retry.reason()) : "no reason recorded")
                    + "; the failure reached the application";
        };
    }

    private List<Incident> incidentsWithStatement(String fingerprint, Incident except) {
        List<Incident> with = new ArrayList<>();
        for (Incident incident : incidents) {
            if (incident != except
                    && incident.statements().stream().anyMatch(s -> fingerprint.equals(s.fingerprint()))) {
                with.add(incident);
            }
        }
        return with;
    }

    /** The incidents whose failures a spike counted: same category, or one of its most failing statements. */
    private List<Incident> drivers(Incident spike) {
        Impact impact = spike.impact();
        List<Incident> drivers = new ArrayList<>();
        for (Incident incident : incidents) {
            if (incident == spike || incident.kind() == IncidentKind.ERROR_SPIKE) {
                continue;
            }
            IncidentKind failure = Causes.failureOf(incident);
            boolean sameCategory = failure != null && impact.failuresByCategory().keySet().stream()
                    .anyMatch(c -> Causes.failureKind(c) == failure);
            boolean sameStatement = incident.statements().stream()
                    .anyMatch(s -> s.fingerprint() != null && impact.topFingerprints().contains(s.fingerprint()));
            if (sameCategory || sameStatement) {
                drivers.add(incident);
            }
        }
        return drivers;
    }

    // ------------------------------------------------------------------ Corrective and Preventative Measures

    private void measures() {
        heading(2, "Corrective and Preventative Measures");
        Set<String> derived = new LinkedHashSet<>();
        List<Incident> causesFirst = new ArrayList<>(incidents);
        causesFirst.sort(Comparator.comparing((Incident i) -> i.kind() == IncidentKind.ERROR_SPIKE)); // stable
        for (Incident incident : causesFirst) {
            derived.addAll(Causes.measures(incident.kind()));
            IncidentKind failure = Causes.failureOf(incident);
            if (failure != null && failure != incident.kind()) {
                derived.addAll(Causes.measures(failure));
            }
            if (failure == IncidentKind.DEADLOCK) {
                DeadlockCauses.Cause cause = DeadlockCauses.of(incident);
                if (cause != null) {
                    derived.add(DeadlockCauses.measure(cause));
                }
                derived.add(concurrencyTest(incident));
            }
        }
        Map<String, String> hints = new LinkedHashMap<>();
        for (Incident incident : incidents) {
            for (String hint : incident.hints()) {
                if (present(hint)) {
                    hints.putIfAbsent(Markdown.singleLine(hint).replaceAll("\\s+", " ").toLowerCase(Locale.ROOT),
                            text(hint));
                }
            }
        }
        if (derived.isEmpty() && hints.isEmpty()) {
            paragraph("None recorded.");
            return;
        }
        if (!derived.isEmpty()) {
            paragraph("From the failure categories:");
            list(new ArrayList<>(derived));
        }
        if (!hints.isEmpty()) {
            paragraph("Hints recorded with the incidents:");
            list(new ArrayList<>(hints.values()));
        }
    }

    private static String concurrencyTest(Incident incident) {
        // the code paths by name: the application code that ran each transaction's statement of the cycle, else
        // the statement itself; each once, in one order whichever side was the victim
        Set<String> paths = new java.util.TreeSet<>();
        int transactions = 0;
        for (StatementInfo s : incident.statements()) {
            if (s.role() == StatementInfo.Role.FAILED) {
                continue;
            }
            transactions++;
            if (present(s.callSite())) {
                paths.add(code(callSiteMethod(s.callSite())));
            } else if (present(s.sql())) {
                paths.add("the code that runs " + code(s.sql()));
            }
        }
        String threads = transactions > 2 ? transactions + " threads" : "two threads";
        if (paths.isEmpty()) {
            return "Add a test that runs the code paths of the lock cycle concurrently from " + threads
                    + " and asserts the invariant of the data they change.";
        }
        if (paths.size() == 1) {
            return "Add a test that runs " + paths.iterator().next() + " concurrently from " + threads
                    + " on the same rows (the cycle formed between runs of this one code path, with the rows in "
                    + "different orders) and asserts the invariant of the data it changes.";
        }
        return "Add a test that runs " + String.join(" and ", paths) + " concurrently on the same rows and asserts "
                + "the invariant of the data they change.";
    }

    /** {@code TransferService.debit} of {@code TransferService.debit(TransferService.java:42)}. */
    private static String callSiteMethod(String callSite) {
        int paren = callSite.indexOf('(');
        return paren > 0 ? callSite.substring(0, paren) : callSite;
    }

    // ------------------------------------------------------------------ Misleading Paths

    private void misleadingPaths() {
        heading(2, "Misleading Paths");
        boolean cycle = false;
        boolean lockWait = false;
        for (Incident incident : incidents) {
            IncidentKind failure = Causes.failureOf(incident);
            cycle |= failure == IncidentKind.DEADLOCK;
            lockWait |= failure == IncidentKind.LOCK_TIMEOUT;
            if (incident.kind() == IncidentKind.ERROR_SPIKE && incident.impact() != null) {
                for (Map.Entry<String, Long> e : incident.impact().failuresByCategory().entrySet()) {
                    IncidentKind category = Causes.failureKind(e.getKey());
                    cycle |= category == IncidentKind.DEADLOCK && e.getValue() > 0;
                    lockWait |= category == IncidentKind.LOCK_TIMEOUT && e.getValue() > 0;
                }
            }
        }
        List<String> items = new ArrayList<>();
        String plans = ", not slow queries: tuning query plans would not have helped.";
        if (cycle && lockWait) {
            items.add("These were lock waits and a lock cycle" + plans);
        } else if (cycle) {
            items.add("These were lock waits in a lock cycle (deadlocks)" + plans);
        } else if (lockWait) {
            items.add("These were lock waits" + plans);
        }
        for (Incident incident : incidents) {
            if (incident.kind() != IncidentKind.ERROR_SPIKE || incident.impact() == null) {
                continue;
            }
            Impact impact = incident.impact();
            long total = totalFailures(impact);
            Map.Entry<String, Long> top = null;
            for (Map.Entry<String, Long> e : impact.failuresByCategory().entrySet()) {
                if (top == null || e.getValue() > top.getValue()) {
                    top = e;
                }
            }
            if (top != null && total > 0 && (double) top.getValue() / total > 0.5) {
                items.add("The error spike" + ref(incident) + " was a symptom: "
                        + percent(Math.min(1.0, (double) top.getValue() / total)) + " of the failures were "
                        + code(top.getKey()) + ".");
            }
        }
        if (items.isEmpty()) {
            paragraph("None recorded.");
        } else {
            list(items);
        }
    }

    // ------------------------------------------------------------------ Escalation

    private void escalation() {
        heading(2, "Escalation");
        List<Row> notes = rows(TimelineEntry.NOTE);
        if (notes.isEmpty()) {
            paragraph("No escalation notes were recorded.");
            return;
        }
        List<String> items = new ArrayList<>();
        for (Row row : notes) {
            String on = incidents.size() > 1
                    ? " (" + code(row.source().kind().name()) + ", incident " + row.incident() + ")" : "";
            items.add(time(row.at()) + on + ": "
                    + (present(row.entry().detail()) ? text(row.entry().detail()) : "empty note"));
        }
        list(items);
    }

    // ------------------------------------------------------------------ Markdown blocks

    private int number(Incident incident) {
        return numbers.get(incident);
    }

    /** {@code " (incident N)"} when the document covers several incidents, else nothing. */
    private String ref(Incident incident) {
        return incidents.size() > 1 ? " (incident " + number(incident) + ")" : "";
    }

    /** {@code " of incident N"} when the document covers several incidents, else nothing. */
    private String of(Incident incident) {
        return incidents.size() > 1 ? " of incident " + number(incident) : "";
    }

    private String refs(List<Incident> list) {
        List<String> names = new ArrayList<>();
        for (Incident incident : list) {
            names.add("incident " + number(incident) + " (" + code(incident.kind().name()) + ")");
        }
        return String.join(", ", names);
    }

    /**
     * {@code ": detail"}, without the entry type's own words when the detail repeats them ({@code "peak: 31%"} of a
     * peak reads {@code ": 31%"}), or nothing without a detail.
     */
    private static String detail(TimelineEntry entry) {
        if (!present(entry.detail())) {
            return "";
        }
        String detail = Markdown.singleLine(entry.detail());
        String words = Causes.timelineType(entry.type()) + ":";
        if (detail.regionMatches(true, 0, words, 0, words.length())) {
            detail = detail.substring(words.length()).strip();
        }
        return detail.isEmpty() ? "" : ": " + text(detail);
    }

    private static String orNotRecorded(String value) {
        return present(value) ? code(value) : "not recorded";
    }

    private static String item(String label, String value) {
        return "**" + label + ":** " + value;
    }

    private void block() {
        int n = out.length();
        if (n > 0 && !(n >= 2 && out.charAt(n - 1) == '\n' && out.charAt(n - 2) == '\n')) {
            out.append('\n');
        }
    }

    private void heading(int level, String text) {
        block();
        out.append("#".repeat(level)).append(' ').append(text).append('\n');
    }

    private void paragraph(String text) {
        block();
        out.append(text).append('\n');
    }

    private void list(List<String> items) {
        // no empty and no repeated lines: a line that says nothing new is left out
        Set<String> distinct = new LinkedHashSet<>();
        for (String item : items) {
            if (item != null && !item.isBlank()) {
                distinct.add(item);
            }
        }
        if (distinct.isEmpty()) {
            return;
        }
        block();
        for (String item : distinct) {
            out.append("- ").append(item).append('\n');
        }
    }
}
