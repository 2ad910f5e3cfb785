package io.incidentsdk.internal.postmortem;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.Postmortem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hint of a deadlock's cause and the postmortem's measure say the same thing. */
class DeadlockCausesTest {

    @Test
    void thePostmortemNamesTheMeasureOfTheRecordedCause() {
        for (DeadlockCauses.Cause cause : DeadlockCauses.Cause.values()) {
            Incident incident = Incident.builder(IncidentKind.DEADLOCK, "Deadlock on UPDATE account")
                    .fingerprint("f-" + cause).attribute(DeadlockCauses.ATTRIBUTE, cause.name())
                    .hint(DeadlockCauses.hint(cause, List.of("account", "ledger"), 2)).build();
            assertThat(DeadlockCauses.of(incident)).isEqualTo(cause);
            assertThat(Postmortem.render(incident)).as(cause.name()).contains(DeadlockCauses.measure(cause));
        }
    }

    @Test
    void eachCauseHasItsOwnAdvice() {
        assertThat(DeadlockCauses.hint(DeadlockCauses.Cause.OPPOSITE_ORDER, List.of("account", "ledger"), 2))
                .contains("Lock account before ledger");
        assertThat(DeadlockCauses.hint(DeadlockCauses.Cause.RING, List.of("account"), 3)).contains("3 transactions");
        assertThat(DeadlockCauses.hint(DeadlockCauses.Cause.FK_LOCK_UPGRADE, List.of("order_line", "orders"), 2))
                .contains("in orders").contains("Lock the parent first");
        assertThat(DeadlockCauses.hint(DeadlockCauses.Cause.GAP_LOCKS, List.of("slot"), 2)).contains("READ COMMITTED");
        assertThat(DeadlockCauses.hint(DeadlockCauses.Cause.SHARED_TO_EXCLUSIVE, List.of("stock"), 2))
                .contains("SELECT ... FOR UPDATE");
        Incident without = Incident.builder(IncidentKind.DEADLOCK, "Deadlock").fingerprint("f").build();
        assertThat(DeadlockCauses.of(without)).isNull();
    }
}
