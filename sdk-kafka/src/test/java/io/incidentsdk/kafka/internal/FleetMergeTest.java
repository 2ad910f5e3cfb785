package io.incidentsdk.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.ServiceInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.internal.Uuid7;
import io.incidentsdk.kafka.FleetIncident;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FleetMergeTest {

    private final FleetMerge merge = new FleetMerge(100, 60_000);
    private long now = 1_000_000;

    @Test
    void repeatedAndLateEventsNeverChangeTheCountsOnlyNewerCountsDo() {
        String a = id(1);
        FleetState state = apply(null, event("node-1", a, 1, IncidentEvent.Type.OPENED));
        state = apply(state, event("node-1", a, 5, IncidentEvent.Type.UPDATED));
        FleetMerge.Result again = merge.apply(state, event("node-1", a, 5, IncidentEvent.Type.UPDATED), now);
        assertThat(again.emit()).isFalse();
        FleetMerge.Result late = merge.apply(state, event("node-1", a, 3, IncidentEvent.Type.UPDATED), now);
        assertThat(late.emit()).isFalse();
        assertThat(late.state().incident().occurrences()).isEqualTo(5);
    }

    @Test
    void anInstancesLaterIncidentOfTheSameFingerprintAddsToItsCount() {
        FleetState state = apply(null, event("node-1", id(1), 4, IncidentEvent.Type.OPENED));
        state = apply(state, event("node-2", id(2), 2, IncidentEvent.Type.OPENED));
        state = apply(state, event("node-1", id(1), 4, IncidentEvent.Type.RESOLVED));
        assertThat(state.incident().status()).isEqualTo(FleetIncident.Status.OPEN); // node-2 still has it
        state = apply(state, event("node-1", id(3), 3, IncidentEvent.Type.OPENED));
        assertThat(state.incident().occurrences()).isEqualTo(4 + 3 + 2);
        assertThat(state.incident().instances().get(0).status()).isEqualTo(FleetIncident.InstanceStatus.OPEN);
        assertThat(state.incident().instances().get(0).incidentId()).isEqualTo(id(3));
    }

    @Test
    void anyOrderAndAnyRepetitionOfTheSameEventsGivesTheSameTotals() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<IncidentEvent> events = new ArrayList<>();
        long expected = 0;
        for (int instance = 0; instance < 8; instance++) {
            for (int incident = 0; incident < 3; incident++) {
                int count = 1 + random.nextInt(50);
                String id = id(instance * 10 + incident);
                for (int c = 1; c <= count; c += 1 + random.nextInt(5)) {
                    events.add(event("node-" + instance, id, c, IncidentEvent.Type.UPDATED));
                }
                events.add(event("node-" + instance, id, count, IncidentEvent.Type.UPDATED));
                expected += count;
            }
        }
        List<IncidentEvent> replayed = new ArrayList<>(events);
        replayed.addAll(events.subList(0, events.size() / 2)); // a replay of half of them
        Collections.shuffle(replayed, random);
        FleetState state = null;
        for (IncidentEvent e : replayed) {
            state = merge.apply(state, e, now).state();
        }
        assertThat(state.incident().occurrences()).as("seed " + seed).isEqualTo(expected);
        assertThat(state.incident().instancesAffected()).isEqualTo(8);
    }

    @Test
    void nineteenOfTwentyResolvedStaysOpenAndAQuietLastInstanceResolvesIt() {
        FleetState state = null;
        for (int i = 0; i < 20; i++) {
            state = apply(state, event("node-" + i, id(i), 2, IncidentEvent.Type.OPENED));
        }
        for (int i = 0; i < 19; i++) {
            state = apply(state, event("node-" + i, id(i), 2, IncidentEvent.Type.RESOLVED));
        }
        assertThat(state.incident().status()).isEqualTo(FleetIncident.Status.OPEN);
        assertThat(state.incident().change()).isEqualTo(FleetIncident.Change.INSTANCE_RESOLVED);
        assertThat(merge.sweep(state, now + 59_000).emit()).isFalse();
        FleetMerge.Result quiet = merge.sweep(state, now + 61_000);
        assertThat(quiet.emit()).isTrue();
        assertThat(quiet.state().incident().status()).isEqualTo(FleetIncident.Status.RESOLVED);
        assertThat(quiet.state().incident().occurrences()).isEqualTo(40);
        // after that, late news of the same incidents change nothing; the fingerprint coming back is a new one
        assertThat(merge.apply(quiet.state(), event("node-19", id(19), 2, IncidentEvent.Type.UPDATED), now).emit())
                .isFalse();
        FleetMerge.Result back = merge.apply(quiet.state(), event("node-3", id(99), 1, IncidentEvent.Type.OPENED), now);
        assertThat(back.state().incident().fleetIncidentId()).isNotEqualTo(quiet.state().incident().fleetIncidentId());
        assertThat(back.state().incident().version()).isEqualTo(1);
        assertThat(back.state().incident().occurrences()).isEqualTo(1);
    }

    @Test
    void theStateAndTheRecordSurviveTheirJsonForm() {
        FleetState state = apply(null, event("node-1", id(1), 3, IncidentEvent.Type.OPENED));
        FleetState read = FleetJson.readState(FleetJson.write(state));
        assertThat(read).isEqualTo(state);
        assertThat(FleetIncident.fromJson(state.incident().toJson())).isEqualTo(state.incident());
    }

    private FleetState apply(FleetState state, IncidentEvent event) {
        FleetMerge.Result result = merge.apply(state, event, now);
        assertThat(result.emit()).isTrue();
        return result.state();
    }

    private static final java.util.Map<Integer, String> IDS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The n-th incident id (UUIDv7: later n sort later), the same on every call. */
    private static String id(int n) {
        return IDS.computeIfAbsent(n, k -> Uuid7.at(1_700_000_000_000L + k).toString());
    }

    private static IncidentEvent event(String instance, String incidentId, long occurrences, IncidentEvent.Type type) {
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        Incident incident = Incident.builder(IncidentKind.DEADLOCK, "Deadlock").fingerprint("fp").incidentId(incidentId)
                .severity(Severity.WARNING).occurrences(occurrences).firstSeen(t).lastSeen(t.plusSeconds(occurrences))
                .resolvedAt(type == IncidentEvent.Type.RESOLVED ? t.plusSeconds(occurrences + 1) : null)
                .service(new ServiceInfo("checkout", null, null, instance)).build();
        return new IncidentEvent(1, Uuid7.at(t.toEpochMilli()).toString(), type, t, incident);
    }
}
