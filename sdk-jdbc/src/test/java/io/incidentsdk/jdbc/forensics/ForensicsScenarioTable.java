package io.incidentsdk.jdbc.forensics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The benchmark-style check of issue 11: runs every scenario a number of times on every database and tabulates
 * what the incidents said against what happened. Not a timed test: the figures are rates over runs.
 */
final class ForensicsScenarioTable {

    /** The tally of one scenario on one database. */
    static final class Cell {
        final DeadlockScenarios.Scenario scenario;
        final DeadlockScenarios.Target target;
        int runs;
        int deadlocked;
        int databaseNamed;
        int inProcessOthers;
        int namedRight;
        int namedWrong;
        int victimSqlRight;
        int callSiteRight;
        int racesWithOneIncident;
        int maxIncidents;
        final java.util.Map<String, Set<String>> fingerprints = new java.util.LinkedHashMap<>();
        final Set<String> causes = new LinkedHashSet<>();
        final Set<String> namings = new LinkedHashSet<>();
        final Set<String> notes = new LinkedHashSet<>();
        final List<String> errors = new ArrayList<>();

        Cell(DeadlockScenarios.Scenario scenario, DeadlockScenarios.Target target) {
            this.scenario = scenario;
            this.target = target;
        }

        void add(DeadlockScenarios.Outcome o) {
            runs++;
            if (!o.deadlocked()) {
                return;
            }
            deadlocked++;
            databaseNamed += o.databaseNamed();
            inProcessOthers += o.inProcessOthers();
            namedRight += o.namedRight();
            namedWrong += o.namedWrong();
            victimSqlRight += o.victimSqlRight() ? 1 : 0;
            callSiteRight += o.callSiteRight() ? 1 : 0;
            racesWithOneIncident += o.incidents() == 1 ? 1 : 0;
            maxIncidents = Math.max(maxIncidents, o.incidents());
            if (o.fingerprint() != null) {
                // the storm's first incident may be a pair or a ring (different cycles): count per kind
                String kind = scenario == DeadlockScenarios.Scenario.TRANSFER_POOL ? "n=" + o.databaseNamed() : "";
                fingerprints.computeIfAbsent(kind, k -> new LinkedHashSet<>()).add(o.fingerprint());
            }
            if (o.cause() != null) {
                causes.add(o.cause());
            }
            if (o.naming() != null) {
                namings.add(o.naming());
            }
            if (o.note() != null && notes.size() < 3) {
                notes.add(o.note());
            }
        }

        /** Distinct fingerprints over the runs, per kind of cycle (the most of any kind): 1 when stable. */
        int identitiesPerCycle() {
            return fingerprints.values().stream().mapToInt(Set::size).max().orElse(0);
        }

        double namedRate() {
            return inProcessOthers == 0 ? 0.0 : 100.0 * namedRight / inProcessOthers;
        }
    }

    private ForensicsScenarioTable() {
    }

    /** Runs every scenario {@code runs} times on every database it deadlocks on. */
    static List<Cell> measure(DeadlockScenarios scenarios, int runs) {
        List<Cell> cells = new ArrayList<>();
        // -Dforensics.only=TRANSFER_POOL/H2,TWO_WAY narrows a measuring run (the CI run takes every cell)
        String only = System.getProperty("forensics.only", "");
        for (DeadlockScenarios.Scenario scenario : DeadlockScenarios.Scenario.values()) {
            for (DeadlockScenarios.Target target : DeadlockScenarios.Target.values()) {
                if (!scenario.deadlocksOn(target) || (!only.isEmpty() && !only.contains(scenario + "/" + target)
                        && !only.contains(scenario + ",") && !only.endsWith(scenario.name()))) {
                    continue;
                }
                Cell cell = new Cell(scenario, target);
                for (int i = 0; i < runs; i++) {
                    try {
                        cell.add(scenarios.run(scenario, target));
                    } catch (Exception e) {
                        cell.runs++;
                        cell.errors.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
                cells.add(cell);
            }
        }
        return cells;
    }

    /** The table, in Markdown. */
    static String markdown(List<Cell> cells) {
        StringBuilder out = new StringBuilder();
        out.append("| scenario | database | runs (deadlocked) | participants the database named | in-process "
                + "others | we named, right statement | named wrongly | right victim SQL | right call site | "
                + "incidents per race | fingerprints over runs | cause | naming |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Cell c : cells) {
            int d = Math.max(1, c.deadlocked);
            out.append(String.format(Locale.ROOT, "| %s | %s | %d (%d) | %s | %d | %d (%.0f%%) | %d | %d/%d | %d/%d | "
                            + "%s | %d | %s | %s |%n",
                    c.scenario.label, c.target.label(), c.runs, c.deadlocked,
                    c.databaseNamed == 0 ? "none" : String.format(Locale.ROOT, "%.1f per race",
                            (double) c.databaseNamed / d),
                    c.inProcessOthers, c.namedRight, c.namedRate(), c.namedWrong, c.victimSqlRight, c.deadlocked,
                    c.callSiteRight, c.deadlocked,
                    c.racesWithOneIncident == c.deadlocked ? "1 in every race"
                            : c.racesWithOneIncident + "/" + c.deadlocked + " races one (max " + c.maxIncidents + ")",
                    c.identitiesPerCycle(), String.join(", ", c.causes), String.join(", ", c.namings)));
        }
        for (Cell c : cells) {
            if (!c.errors.isEmpty() || !c.notes.isEmpty()) {
                out.append("\n- ").append(c.scenario.label).append(" on ").append(c.target.label()).append(": ");
                if (!c.notes.isEmpty()) {
                    out.append("notes: ").append(String.join(" / ", c.notes)).append(' ');
                }
                if (!c.errors.isEmpty()) {
                    out.append("errors: ").append(c.errors.size()).append(" (").append(c.errors.get(0)).append(')');
                }
            }
        }
        return out.append('\n').toString();
    }
}
