package io.incidentsdk.kafka.internal;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.Severity;
import io.incidentsdk.internal.Uuid7;
import io.incidentsdk.kafka.FleetIncident;
import io.incidentsdk.kafka.FleetIncident.Change;
import io.incidentsdk.kafka.FleetIncident.InstanceState;
import io.incidentsdk.kafka.FleetIncident.InstanceStatus;
import io.incidentsdk.kafka.FleetIncident.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The merge of instances' incident events into fleet incidents: a pure function of the stored state, one
 * event and the aggregator's clock, so that replaying an event (after a restart, or an event the sink sent
 * twice) changes nothing. Counts: each instance's incidents report running totals, so the merge keeps the
 * highest count per (instance, incident id) and sums those; it never adds deltas.
 */
public final class FleetMerge {

    /** Incident ids kept per instance; older ones are folded into one number. */
    public static final int INCIDENTS_PER_INSTANCE = 16;

    private final int maxInstances;
    private final long quietMillis;

    /**
     * Creates the merge.
     *
     * @param maxInstances the most instances tracked per fleet incident
     * @param quietMillis  how long an instance may send nothing before it counts as quiet
     */
    public FleetMerge(int maxInstances, long quietMillis) {
        this.maxInstances = maxInstances;
        this.quietMillis = quietMillis;
    }

    /**
     * The state after one event, and whether the fleet incident changed (a record to write).
     *
     * @param state the new state, {@code null} when there is none
     * @param emit  whether {@code state.incident()} is a new record for the fleet topic
     */
    public record Result(FleetState state, boolean emit) {
    }

    /**
     * Merges one event.
     *
     * @param state     the stored state, or {@code null}
     * @param event     the event
     * @param nowMillis the aggregator's clock
     * @return the result
     */
    public Result apply(FleetState state, IncidentEvent event, long nowMillis) {
        Incident in = event.incident();
        String instance = instanceOf(in);
        boolean resolves = event.event() == IncidentEvent.Type.RESOLVED;
        if (state != null && state.incident().status() == Status.RESOLVED) {
            FleetState.Book known = state.books().get(instance);
            if (resolves || (known != null && known.counts().containsKey(in.incidentId()))) {
                return new Result(state, false); // late or repeated news of a fleet incident that is over
            }
            state = null; // the fingerprint is back: a new fleet incident
        }
        if (state == null) {
            if (resolves) {
                return new Result(null, false);
            }
            FleetIncident fresh = new FleetIncident(Uuid7.at(nowMillis).toString(), in.fingerprint(), in.kind(),
                    in.title(), in.severity(), Status.OPEN, Change.OPENED, 0, in.firstSeen(), in.lastSeen(), null, 0,
                    0, in.service().name(), in.service().environment(), List.of(), Instant.ofEpochMilli(nowMillis));
            state = new FleetState(fresh, Map.of(), 0);
        }
        Map<String, FleetState.Book> books = new TreeMap<>(state.books());
        Map<String, InstanceState> instances = new TreeMap<>();
        for (InstanceState s : state.incident().instances()) {
            instances.put(s.instance(), s);
        }
        FleetState.Book book = books.get(instance);
        if (book == null && books.size() >= maxInstances) {
            return new Result(new FleetState(state.incident(), state.books(), state.overflow() + 1), false);
        }
        InstanceState before = instances.get(instance);
        Map<String, Long> counts = new TreeMap<>(book == null ? Map.of() : book.counts());
        long folded = book == null ? 0 : book.folded();
        counts.merge(in.incidentId(), in.occurrences(), Math::max);
        while (counts.size() > INCIDENTS_PER_INSTANCE) {
            // UUIDv7 ids sort by time: the oldest incident is folded
            String oldest = counts.keySet().iterator().next();
            folded += counts.remove(oldest);
        }
        books.put(instance, new FleetState.Book(counts, folded, nowMillis));

        String latest = before == null ? null : before.incidentId();
        InstanceStatus status;
        Instant resolvedAt;
        String incidentId;
        if (latest == null || in.incidentId().compareTo(latest) > 0) {
            incidentId = in.incidentId();
            status = resolves ? InstanceStatus.RESOLVED : InstanceStatus.OPEN;
            resolvedAt = resolves ? resolvedAt(in, event) : null;
        } else if (in.incidentId().equals(latest)) {
            incidentId = latest;
            if (before.status() == InstanceStatus.RESOLVED || resolves) {
                status = InstanceStatus.RESOLVED; // a resolved incident stays resolved
                resolvedAt = before.resolvedAt() != null ? before.resolvedAt() : resolvedAt(in, event);
            } else {
                status = InstanceStatus.OPEN; // a quiet instance that speaks again is open
                resolvedAt = null;
            }
        } else {
            incidentId = latest; // news of an older incident of this instance: its count only
            status = before.status();
            resolvedAt = before.resolvedAt();
        }
        Severity severity = before == null ? in.severity() : before.severity().atLeast(in.severity());
        Instant firstSeen = before == null ? in.firstSeen() : min(before.firstSeen(), in.firstSeen());
        Instant lastSeen = before == null ? in.lastSeen() : max(before.lastSeen(), in.lastSeen());
        long total = books.get(instance).total();
        instances.put(instance, new InstanceState(instance, status, incidentId, total, severity, firstSeen, lastSeen,
                resolvedAt));
        return rebuild(state, books, instances, nowMillis);
    }

    /**
     * Marks instances that sent nothing for the quiet time as quiet; resolves the fleet incident when nobody
     * has it open any more.
     *
     * @param state     the stored state
     * @param nowMillis the aggregator's clock
     * @return the result ({@code emit} when something changed)
     */
    public Result sweep(FleetState state, long nowMillis) {
        if (state.incident().status() == Status.RESOLVED) {
            return new Result(state, false);
        }
        Map<String, InstanceState> instances = new TreeMap<>();
        boolean changed = false;
        for (InstanceState s : state.incident().instances()) {
            FleetState.Book book = state.books().get(s.instance());
            if (s.status() == InstanceStatus.OPEN && book != null && nowMillis - book.lastHeardMillis() > quietMillis) {
                s = new InstanceState(s.instance(), InstanceStatus.QUIET, s.incidentId(), s.occurrences(), s.severity(),
                        s.firstSeen(), s.lastSeen(), null);
                changed = true;
            }
            instances.put(s.instance(), s);
        }
        if (!changed) {
            return new Result(state, false);
        }
        return rebuild(state, new TreeMap<>(state.books()), instances, nowMillis);
    }

    private Result rebuild(FleetState state, Map<String, FleetState.Book> books, Map<String, InstanceState> instances,
                           long nowMillis) {
        FleetIncident old = state.incident();
        long occurrences = 0;
        Severity severity = null;
        Instant firstSeen = null;
        Instant lastSeen = null;
        Instant lastResolved = null;
        boolean open = false;
        for (InstanceState s : instances.values()) {
            occurrences += s.occurrences();
            severity = severity == null ? s.severity() : severity.atLeast(s.severity());
            firstSeen = firstSeen == null ? s.firstSeen() : min(firstSeen, s.firstSeen());
            lastSeen = lastSeen == null ? s.lastSeen() : max(lastSeen, s.lastSeen());
            open |= s.status() == InstanceStatus.OPEN;
            if (s.resolvedAt() != null) {
                lastResolved = lastResolved == null ? s.resolvedAt() : max(lastResolved, s.resolvedAt());
            }
        }
        Status status = open ? Status.OPEN : Status.RESOLVED;
        Instant resolvedAt = open ? null : lastResolved != null ? max(lastResolved, lastSeen) : Instant.ofEpochMilli(nowMillis);
        List<InstanceState> list = new ArrayList<>(instances.values());
        Change change = change(old, status, severity, list, occurrences, lastSeen);
        if (change == null) {
            return new Result(new FleetState(old, books, state.overflow()), false);
        }
        FleetIncident next = new FleetIncident(old.fleetIncidentId(), old.fingerprint(), old.kind(), old.title(), severity,
                status, change, old.version() + 1, firstSeen, lastSeen, resolvedAt, occurrences, list.size(),
                old.service(), old.environment(), list, Instant.ofEpochMilli(nowMillis));
        return new Result(new FleetState(next, books, state.overflow()), true);
    }

    /** What changed from the record last written; {@code null} when nothing did. */
    private static Change change(FleetIncident old, Status status, Severity severity, List<InstanceState> instances,
                                 long occurrences, Instant lastSeen) {
        if (old.version() == 0) {
            return Change.OPENED;
        }
        if (status == Status.RESOLVED) {
            return Change.RESOLVED;
        }
        if (instances.size() > old.instances().size()) {
            return Change.INSTANCE_JOINED;
        }
        if (severity.ordinal() > old.severity().ordinal()) {
            return Change.SEVERITY_ROSE;
        }
        Map<String, InstanceStatus> before = new TreeMap<>();
        old.instances().forEach(s -> before.put(s.instance(), s.status()));
        Change statusChange = null;
        for (InstanceState s : instances) {
            InstanceStatus was = before.get(s.instance());
            if (was != s.status()) {
                statusChange = s.status() == InstanceStatus.RESOLVED ? Change.INSTANCE_RESOLVED
                        : s.status() == InstanceStatus.QUIET ? Change.INSTANCE_QUIET : Change.INSTANCE_REOPENED;
            }
        }
        if (statusChange != null) {
            return statusChange;
        }
        if (occurrences != old.occurrences() || !Objects.equals(lastSeen, old.lastSeen())
                || !old.instances().equals(instances)) {
            return Change.OCCURRENCES;
        }
        return null;
    }

    private static String instanceOf(Incident incident) {
        String instance = incident.service().instance();
        return instance == null || instance.isEmpty() ? "unknown" : instance;
    }

    private static Instant resolvedAt(Incident incident, IncidentEvent event) {
        return incident.resolvedAt() != null ? incident.resolvedAt() : event.eventTime();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
