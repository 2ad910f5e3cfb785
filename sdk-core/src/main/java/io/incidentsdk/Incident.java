package io.incidentsdk;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.incidentsdk.internal.Limits;
import io.incidentsdk.internal.Text;
import io.incidentsdk.internal.Uuid7;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An incident: the aggregated, deduplicated unit that sinks receive, identified by its
 * {@link #fingerprint()}. Immutable; every string is cleaned to a single line and bounded, and every
 * collection is copied and bounded when the record is created, so a record is always safe to log and to
 * serialize. Build one with {@link #builder(IncidentKind, String)}.
 *
 * <p>The fields are those of the wire contract (DESIGN section 3); see the JSON Schema
 * {@code incident-event.schema.json} shipped in this jar.
 *
 * @param incidentId  unique id of this incident (UUIDv7)
 * @param fingerprint deduplication key, at most 255 characters, stable across restarts and instances
 * @param kind        what kind of trouble
 * @param severity    how urgent
 * @param title       a short human title (at most 130 characters), never containing data values
 * @param summary     a longer human description, may be {@code null}
 * @param firstSeen   when the first occurrence was seen
 * @param lastSeen    when the latest occurrence was seen
 * @param resolvedAt  when the incident was resolved, {@code null} while open
 * @param occurrences how many signals the incident aggregates (at least 1)
 * @param suppressed  how many signals were not recorded in detail (for example beyond a bound)
 * @param service     the reporting service
 * @param database    the database, may be {@code null}
 * @param error       the error, may be {@code null}
 * @param statements  the statements involved, possibly empty
 * @param retry       what retrying did, may be {@code null}
 * @param impact      the impact on traffic, may be {@code null}
 * @param hints       short advice, possibly empty
 * @param timeline    what happened when, possibly empty
 * @param trace       the trace context, may be {@code null}
 * @param attributes  user key/values, possibly empty
 * @param series      calls and failures over time (bounded), may be {@code null}; error spikes record one, and
 *                    so do the deadlocks of a watched data source whose spike window is on
 * @since 0.1.0
 */
public record Incident(String incidentId, String fingerprint, IncidentKind kind, Severity severity, String title,
                       String summary, Instant firstSeen, Instant lastSeen, Instant resolvedAt, long occurrences,
                       long suppressed, ServiceInfo service, DatabaseInfo database, ErrorInfo error,
                       List<StatementInfo> statements, RetryInfo retry, Impact impact, List<String> hints,
                       List<TimelineEntry> timeline, TraceInfo trace, Map<String, String> attributes,
                       TimeSeries series) {

    /**
     * Validates, cleans and bounds every field.
     *
     * @param incidentId  unique id of this incident (UUIDv7)
     * @param fingerprint deduplication key, at most 255 characters, stable across restarts and instances
     * @param kind        what kind of trouble
     * @param severity    how urgent
     * @param title       a short human title (at most 130 characters), never containing data values
     * @param summary     a longer human description, may be {@code null}
     * @param firstSeen   when the first occurrence was seen
     * @param lastSeen    when the latest occurrence was seen
     * @param resolvedAt  when the incident was resolved, {@code null} while open
     * @param occurrences how many signals the incident aggregates (at least 1)
     * @param suppressed  how many signals were not recorded in detail (for example beyond a bound)
     * @param service     the reporting service
     * @param database    the database, may be {@code null}
     * @param error       the error, may be {@code null}
     * @param statements  the statements involved, possibly empty
     * @param retry       what retrying did, may be {@code null}
     * @param impact      the impact on traffic, may be {@code null}
     * @param hints       short advice, possibly empty
     * @param timeline    what happened when, possibly empty
     * @param trace       the trace context, may be {@code null}
     * @param attributes  user key/values, possibly empty
     * @param series      calls and failures over time, may be {@code null}
     */
    public Incident {
        incidentId = Text.requireId(incidentId, Limits.ID, "incidentId");
        fingerprint = Fingerprint.normalize(Objects.requireNonNull(fingerprint, "fingerprint must not be null"));
        Objects.requireNonNull(kind, "kind must not be null");
        Objects.requireNonNull(severity, "severity must not be null");
        title = Text.requireField(Text.Field.TITLE, title, "title");
        summary = Text.field(Text.Field.SUMMARY, summary);
        Objects.requireNonNull(firstSeen, "firstSeen must not be null");
        Objects.requireNonNull(lastSeen, "lastSeen must not be null");
        Objects.requireNonNull(service, "service must not be null");
        if (occurrences < 1) {
            throw new IllegalArgumentException("occurrences must be >= 1, was " + occurrences);
        }
        if (suppressed < 0) {
            throw new IllegalArgumentException("suppressed must be >= 0, was " + suppressed);
        }
        statements = Records.copy(statements, Limits.STATEMENTS);
        hints = Records.boundedList(hints, Limits.HINTS, Text.Field.DETAIL);
        timeline = Records.boundedTimeline(timeline);
        attributes = Records.boundedAttributes(attributes);
    }

    /**
     * An incident without a time series (the constructor of version 0.1.0).
     *
     * @param incidentId  unique id of this incident (UUIDv7)
     * @param fingerprint deduplication key, at most 255 characters, stable across restarts and instances
     * @param kind        what kind of trouble
     * @param severity    how urgent
     * @param title       a short human title (at most 130 characters), never containing data values
     * @param summary     a longer human description, may be {@code null}
     * @param firstSeen   when the first occurrence was seen
     * @param lastSeen    when the latest occurrence was seen
     * @param resolvedAt  when the incident was resolved, {@code null} while open
     * @param occurrences how many signals the incident aggregates (at least 1)
     * @param suppressed  how many signals were not recorded in detail (for example beyond a bound)
     * @param service     the reporting service
     * @param database    the database, may be {@code null}
     * @param error       the error, may be {@code null}
     * @param statements  the statements involved, possibly empty
     * @param retry       what retrying did, may be {@code null}
     * @param impact      the impact on traffic, may be {@code null}
     * @param hints       short advice, possibly empty
     * @param timeline    what happened when, possibly empty
     * @param trace       the trace context, may be {@code null}
     * @param attributes  user key/values, possibly empty
     */
    public Incident(String incidentId, String fingerprint, IncidentKind kind, Severity severity, String title,
                    String summary, Instant firstSeen, Instant lastSeen, Instant resolvedAt, long occurrences,
                    long suppressed, ServiceInfo service, DatabaseInfo database, ErrorInfo error,
                    List<StatementInfo> statements, RetryInfo retry, Impact impact, List<String> hints,
                    List<TimelineEntry> timeline, TraceInfo trace, Map<String, String> attributes) {
        this(incidentId, fingerprint, kind, severity, title, summary, firstSeen, lastSeen, resolvedAt, occurrences,
                suppressed, service, database, error, statements, retry, impact, hints, timeline, trace, attributes,
                null);
    }

    /**
     * Starts building an incident.
     *
     * @param kind  what kind of trouble, not {@code null}
     * @param title a short human title, not {@code null}; longer titles are cut to 130 characters
     * @return a builder with the kind's default severity
     */
    public static Builder builder(IncidentKind kind, String title) {
        return new Builder(Objects.requireNonNull(kind, "kind must not be null"),
                Objects.requireNonNull(title, "title must not be null"));
    }

    /**
     * A builder pre-filled with every field of this incident.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(kind, title);
        b.incidentId = incidentId;
        b.fingerprint = fingerprint;
        b.severity = severity;
        b.summary = summary;
        b.firstSeen = firstSeen;
        b.lastSeen = lastSeen;
        b.resolvedAt = resolvedAt;
        b.occurrences = occurrences;
        b.suppressed = suppressed;
        b.service = service;
        b.database = database;
        b.error = error;
        b.statements.addAll(statements);
        b.retry = retry;
        b.impact = impact;
        b.hints.addAll(hints);
        b.timeline.addAll(timeline);
        b.trace = trace;
        b.attributes.putAll(attributes);
        b.series = series;
        return b;
    }

    /**
     * Whether the incident is resolved.
     *
     * @return {@code true} when {@link #resolvedAt()} is set
     */
    @JsonIgnore
    public boolean isResolved() {
        return resolvedAt != null;
    }

    /**
     * Builds {@link Incident}s. Not thread-safe. Fields not set get defaults: a new UUIDv7 id, a
     * fingerprint from the kind and title ({@link Fingerprint#of}), the kind's default severity, the
     * current time for {@code firstSeen}/{@code lastSeen}, one occurrence and {@link ServiceInfo#unknown()}.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private IncidentKind kind;
        private String title;
        private String incidentId;
        private String fingerprint;
        private Severity severity;
        private String summary;
        private Instant firstSeen;
        private Instant lastSeen;
        private Instant resolvedAt;
        private long occurrences = 1;
        private long suppressed;
        private ServiceInfo service;
        private DatabaseInfo database;
        private ErrorInfo error;
        private final List<StatementInfo> statements = new ArrayList<>();
        private RetryInfo retry;
        private Impact impact;
        private final List<String> hints = new ArrayList<>();
        private final List<TimelineEntry> timeline = new ArrayList<>();
        private TraceInfo trace;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private TimeSeries series;

        private Builder(IncidentKind kind, String title) {
            this.kind = kind;
            this.title = title;
        }

        /**
         * Sets the kind.
         *
         * @param kind not {@code null}
         * @return this builder
         */
        public Builder kind(IncidentKind kind) {
            this.kind = Objects.requireNonNull(kind, "kind must not be null");
            return this;
        }

        /**
         * Sets the title.
         *
         * @param title not {@code null}
         * @return this builder
         */
        public Builder title(String title) {
            this.title = Objects.requireNonNull(title, "title must not be null");
            return this;
        }

        /**
         * Sets the incident id (normally generated).
         *
         * @param incidentId not {@code null}
         * @return this builder
         */
        public Builder incidentId(String incidentId) {
            this.incidentId = Objects.requireNonNull(incidentId, "incidentId must not be null");
            return this;
        }

        /**
         * Sets the fingerprint; see {@link Fingerprint}.
         *
         * @param fingerprint not {@code null}
         * @return this builder
         */
        public Builder fingerprint(String fingerprint) {
            this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint must not be null");
            return this;
        }

        /**
         * Sets the severity.
         *
         * @param severity not {@code null}
         * @return this builder
         */
        public Builder severity(Severity severity) {
            this.severity = Objects.requireNonNull(severity, "severity must not be null");
            return this;
        }

        /**
         * Sets the summary.
         *
         * @param summary may be {@code null}
         * @return this builder
         */
        public Builder summary(String summary) {
            this.summary = summary;
            return this;
        }

        /**
         * Sets when the incident was first seen.
         *
         * @param firstSeen not {@code null}
         * @return this builder
         */
        public Builder firstSeen(Instant firstSeen) {
            this.firstSeen = Objects.requireNonNull(firstSeen, "firstSeen must not be null");
            return this;
        }

        /**
         * Sets when the incident was last seen.
         *
         * @param lastSeen not {@code null}
         * @return this builder
         */
        public Builder lastSeen(Instant lastSeen) {
            this.lastSeen = Objects.requireNonNull(lastSeen, "lastSeen must not be null");
            return this;
        }

        /**
         * Sets when the incident was resolved.
         *
         * @param resolvedAt {@code null} while open
         * @return this builder
         */
        public Builder resolvedAt(Instant resolvedAt) {
            this.resolvedAt = resolvedAt;
            return this;
        }

        /**
         * Sets the number of occurrences.
         *
         * @param occurrences at least 1
         * @return this builder
         */
        public Builder occurrences(long occurrences) {
            this.occurrences = occurrences;
            return this;
        }

        /**
         * Sets the number of suppressed signals.
         *
         * @param suppressed at least 0
         * @return this builder
         */
        public Builder suppressed(long suppressed) {
            this.suppressed = suppressed;
            return this;
        }

        /**
         * Sets the reporting service.
         *
         * @param service not {@code null}
         * @return this builder
         */
        public Builder service(ServiceInfo service) {
            this.service = Objects.requireNonNull(service, "service must not be null");
            return this;
        }

        /**
         * Sets the database.
         *
         * @param database may be {@code null}
         * @return this builder
         */
        public Builder database(DatabaseInfo database) {
            this.database = database;
            return this;
        }

        /**
         * Sets the error.
         *
         * @param error may be {@code null}
         * @return this builder
         */
        public Builder error(ErrorInfo error) {
            this.error = error;
            return this;
        }

        /**
         * Adds a statement.
         *
         * @param statement not {@code null}
         * @return this builder
         */
        public Builder statement(StatementInfo statement) {
            statements.add(Objects.requireNonNull(statement, "statement must not be null"));
            return this;
        }

        /**
         * Replaces the statements.
         *
         * @param statements not {@code null}
         * @return this builder
         */
        public Builder statements(List<StatementInfo> statements) {
            Objects.requireNonNull(statements, "statements must not be null");
            this.statements.clear();
            statements.forEach(this::statement);
            return this;
        }

        /**
         * Sets what retrying did.
         *
         * @param retry may be {@code null}
         * @return this builder
         */
        public Builder retry(RetryInfo retry) {
            this.retry = retry;
            return this;
        }

        /**
         * Sets the impact.
         *
         * @param impact may be {@code null}
         * @return this builder
         */
        public Builder impact(Impact impact) {
            this.impact = impact;
            return this;
        }

        /**
         * Adds a hint.
         *
         * @param hint not {@code null}
         * @return this builder
         */
        public Builder hint(String hint) {
            hints.add(Objects.requireNonNull(hint, "hint must not be null"));
            return this;
        }

        /**
         * Adds a timeline entry.
         *
         * @param entry not {@code null}
         * @return this builder
         */
        public Builder timeline(TimelineEntry entry) {
            timeline.add(Objects.requireNonNull(entry, "entry must not be null"));
            return this;
        }

        /**
         * Replaces the timeline.
         *
         * @param entries not {@code null}
         * @return this builder
         */
        public Builder timeline(List<TimelineEntry> entries) {
            Objects.requireNonNull(entries, "entries must not be null");
            timeline.clear();
            entries.forEach(this::timeline);
            return this;
        }

        /**
         * Sets the trace context.
         *
         * @param trace may be {@code null}
         * @return this builder
         */
        public Builder trace(TraceInfo trace) {
            this.trace = trace;
            return this;
        }

        /**
         * Adds a user attribute (at most 32 are kept).
         *
         * @param key   not {@code null}
         * @param value not {@code null}
         * @return this builder
         */
        public Builder attribute(String key, String value) {
            attributes.put(Objects.requireNonNull(key, "key must not be null"),
                    Objects.requireNonNull(value, "value must not be null"));
            return this;
        }

        /**
         * Sets the calls and failures over time.
         *
         * @param series may be {@code null}
         * @return this builder
         */
        public Builder series(TimeSeries series) {
            this.series = series;
            return this;
        }

        /**
         * Builds the incident.
         *
         * @return a new immutable incident
         */
        public Incident build() {
            Instant now = Instant.now();
            Instant first = firstSeen != null ? firstSeen : (lastSeen != null ? lastSeen : now);
            Instant last = lastSeen != null ? lastSeen : first;
            return new Incident(
                    incidentId != null ? incidentId : Uuid7.at(first.toEpochMilli()).toString(),
                    fingerprint != null ? fingerprint : Fingerprint.of(kind, title),
                    kind,
                    severity != null ? severity : kind.defaultSeverity(),
                    title, summary, first, last, resolvedAt, occurrences, suppressed,
                    service != null ? service : ServiceInfo.unknown(),
                    database, error, statements, retry, impact, hints, timeline, trace, attributes, series);
        }
    }
}
