package io.incidentsdk.kafka;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.ServiceInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.kafka.internal.FleetJson;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.nio.charset.StandardCharsets;

/**
 * One incident of a whole fleet: the events of one fingerprint from every instance, merged by
 * {@link IncidentFleetAggregator}. The value of the compacted fleet topic (key = fingerprint), as JSON.
 *
 * @param fleetIncidentId   unique id of this fleet incident (UUIDv7); a fingerprint that comes back after the
 *                          fleet incident was resolved starts a new one
 * @param fingerprint       the incidents' fingerprint, the same on every instance
 * @param kind              the kind, from the first event
 * @param title             the title, from the first event
 * @param severity          the worst severity any instance reported
 * @param status            open or resolved
 * @param change            what the latest change of this record was
 * @param version           the number of this record for this fleet incident: 1, 2, 3 ... without gaps
 * @param firstSeen         the earliest first occurrence on any instance
 * @param lastSeen          the latest occurrence on any instance
 * @param resolvedAt        when the fleet incident was resolved, {@code null} while open
 * @param occurrences       occurrences on all instances together, exact: the sum of each instance's latest counts
 * @param instancesAffected how many instances reported the incident
 * @param service           the service name, from the first event
 * @param environment       the environment, from the first event, may be {@code null}
 * @param instances         each instance's state, sorted by instance
 * @param updatedAt         when the aggregator wrote this record
 * @since 0.2.0
 */
public record FleetIncident(String fleetIncidentId, String fingerprint, IncidentKind kind, String title,
                            Severity severity, Status status, Change change, long version, Instant firstSeen,
                            Instant lastSeen, Instant resolvedAt, long occurrences, int instancesAffected,
                            String service, String environment, List<InstanceState> instances, Instant updatedAt) {

    /**
     * Copies the instance list.
     *
     * @param fleetIncidentId   unique id of this fleet incident
     * @param fingerprint       the incidents' fingerprint
     * @param kind              the kind
     * @param title             the title
     * @param severity          the worst severity
     * @param status            open or resolved
     * @param change            the latest change
     * @param version           the number of this record
     * @param firstSeen         the earliest first occurrence
     * @param lastSeen          the latest occurrence
     * @param resolvedAt        when resolved, or {@code null}
     * @param occurrences       occurrences on all instances
     * @param instancesAffected how many instances
     * @param service           the service name
     * @param environment       the environment, may be {@code null}
     * @param instances         each instance's state
     * @param updatedAt         when written
     */
    public FleetIncident {
        Objects.requireNonNull(fingerprint, "fingerprint must not be null");
        instances = instances == null ? List.of() : List.copyOf(instances);
    }

    /**
     * Whether the fleet incident is open or resolved.
     *
     * @since 0.2.0
     */
    public enum Status {
        /** At least one instance has it open. */
        OPEN,
        /** Every instance resolved it or went quiet. */
        RESOLVED
    }

    /**
     * What changed with a record. {@link IncidentFleetAggregator} forwards {@link #OPENED},
     * {@link #INSTANCE_JOINED}, {@link #SEVERITY_ROSE} and {@link #RESOLVED} to its sinks, not the rest.
     *
     * @since 0.2.0
     */
    public enum Change {
        /** The first event of the fleet incident. */
        OPENED,
        /** One more instance reports it. */
        INSTANCE_JOINED,
        /** The worst severity rose. */
        SEVERITY_ROSE,
        /** More occurrences (or a later last-seen time). */
        OCCURRENCES,
        /** One instance resolved it; others still have it open. */
        INSTANCE_RESOLVED,
        /** One instance sent nothing for the quiet time; others still have it open. */
        INSTANCE_QUIET,
        /** An instance that had resolved it or gone quiet reports it again. */
        INSTANCE_REOPENED,
        /** Every instance resolved it or went quiet. */
        RESOLVED
    }

    /**
     * Where one instance stands.
     *
     * @since 0.2.0
     */
    public enum InstanceStatus {
        /** Its latest incident of this fingerprint is open. */
        OPEN,
        /** Its latest incident of this fingerprint was resolved. */
        RESOLVED,
        /** It sent nothing for the aggregator's quiet time (it may have stopped). */
        QUIET
    }

    /**
     * One instance's part of a fleet incident.
     *
     * @param instance    the instance id ({@code service.instance} of its records)
     * @param status      open, resolved or quiet
     * @param incidentId  the instance's latest incident id for this fingerprint
     * @param occurrences its occurrences within this fleet incident (over all its incidents of the fingerprint)
     * @param severity    the worst severity it reported
     * @param firstSeen   its first occurrence
     * @param lastSeen    its latest occurrence
     * @param resolvedAt  when it resolved, {@code null} unless resolved
     * @since 0.2.0
     */
    public record InstanceState(String instance, InstanceStatus status, String incidentId, long occurrences,
                                Severity severity, Instant firstSeen, Instant lastSeen, Instant resolvedAt) {
    }

    /**
     * Reads a record of the fleet topic.
     *
     * @param json the record's value as text
     * @return the fleet incident
     * @throws IllegalArgumentException when it is not a fleet incident
     */
    public static FleetIncident fromJson(String json) {
        return FleetJson.readIncident(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The JSON form, as written to the fleet topic.
     *
     * @return JSON text
     */
    public String toJson() {
        return new String(FleetJson.write(this), StandardCharsets.UTF_8);
    }

    /**
     * The fleet incident as an incident event that any sink takes: the incident id is the fleet incident id,
     * the fingerprint is kept (so PagerDuty's {@code dedup_key} is the same), {@code occurrences} is the
     * fleet's total, the instance is {@code fleet}, and attributes {@code fleet.instancesAffected},
     * {@code fleet.instancesOpen} and {@code fleet.change} say how far it spread. The event id is derived from
     * the fleet incident id and the version, so the same record forwarded twice carries the same event id.
     *
     * @return the event: {@code OPENED} for the first record, {@code RESOLVED} once resolved, else
     *         {@code UPDATED}
     */
    public IncidentEvent toIncidentEvent() {
        long open = instances.stream().filter(i -> i.status() == InstanceStatus.OPEN).count();
        Incident incident = Incident.builder(kind, title)
                .incidentId(fleetIncidentId)
                .fingerprint(fingerprint)
                .severity(severity)
                .summary(kind + " on " + instancesAffected + (instancesAffected == 1 ? " instance" : " instances")
                        + " of " + service + " (" + occurrences + " occurrences"
                        + (status == Status.OPEN ? ", open on " + open + ")" : ", resolved everywhere)"))
                .firstSeen(firstSeen)
                .lastSeen(lastSeen)
                .resolvedAt(status == Status.RESOLVED ? resolvedAt : null)
                .occurrences(Math.max(1, occurrences))
                .service(new ServiceInfo(service, null, environment, "fleet"))
                .attribute("fleet.instancesAffected", Integer.toString(instancesAffected))
                .attribute("fleet.instancesOpen", Long.toString(open))
                .attribute("fleet.change", change.name())
                .build();
        IncidentEvent.Type type = status == Status.RESOLVED ? IncidentEvent.Type.RESOLVED
                : version == 1 ? IncidentEvent.Type.OPENED : IncidentEvent.Type.UPDATED;
        UUID id = UUID.nameUUIDFromBytes((fleetIncidentId + "#" + version).getBytes(StandardCharsets.UTF_8));
        return new IncidentEvent(IncidentEvent.SCHEMA_VERSION, id.toString(), type, updatedAt, incident);
    }
}
