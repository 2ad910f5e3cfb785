package io.incidentsdk.jdbc.forensics;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentsdk.jdbc.testing.RealDatabases;
import io.incidentsdk.jdbc.testing.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forensics scenario suite on real PostgreSQL, MariaDB (with and without PROCESS) and H2: every scenario a
 * few times per database in CI ({@code -Dforensics.runs=20} for the measured table of BENCHMARKS.md); the
 * table is written to {@code target/forensics-scenarios.md}.
 */
@ExtendWith(RealDatabases.class)
class DeadlockForensicsScenariosTest {

    private static final Logger LOG = LoggerFactory.getLogger(DeadlockForensicsScenariosTest.class);

    @Test
    void everyScenarioNamesItsParticipantsAndMakesOneIncidentPerRace(TestDatabases dbs) throws IOException {
        int runs = Integer.getInteger("forensics.runs", 3);
        List<ForensicsScenarioTable.Cell> cells = ForensicsScenarioTable.measure(new DeadlockScenarios(dbs), runs);
        String table = ForensicsScenarioTable.markdown(cells);
        Path out = Path.of("target", "forensics-scenarios.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table, StandardCharsets.UTF_8);
        LOG.info("Deadlock forensics scenarios ({} runs each):\n{}", runs, table);

        for (ForensicsScenarioTable.Cell c : cells) {
            String cell = c.scenario.label + " on " + c.target.label();
            assertThat(c.errors).as(cell).isEmpty();
            assertThat(c.deadlocked).as(cell + ": races that deadlocked").isPositive();
            assertThat(c.racesWithOneIncident).as(cell + ": exactly one incident per race").isEqualTo(c.deadlocked);
            assertThat(c.identitiesPerCycle()).as(cell + ": one identity over all runs").isEqualTo(1);
            assertThat(c.victimSqlRight).as(cell + ": the victim's statement").isEqualTo(c.deadlocked);
            assertThat(c.callSiteRight).as(cell + ": the victim's call site").isEqualTo(c.deadlocked);
            // naming depends on timing (a thread descheduled between the deadlock and the look): the rates are
            // measured over many runs (BENCHMARKS.md); a run allows one miss in ten (one in CI's few races), and
            // no participant named wrongly outside the storm
            int misses = Math.max(1, c.inProcessOthers / 10);
            assertThat(c.namedRight).as(cell + ": participants named with the right statement")
                    .isGreaterThanOrEqualTo(c.inProcessOthers - misses);
            assertThat(c.namedWrong).as(cell + ": participants named wrongly")
                    .isLessThanOrEqualTo(c.scenario == DeadlockScenarios.Scenario.TRANSFER_POOL ? misses : 0);
        }
    }
}
