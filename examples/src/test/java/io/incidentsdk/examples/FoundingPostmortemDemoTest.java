package io.incidentsdk.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.RetryInfo;
import io.incidentsdk.Severity;
import io.incidentsdk.StatementInfo;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, in a short mode: the figures, the records and the postmortem it produces. */
class FoundingPostmortemDemoTest {

    @Test
    void theDemoShowsTheOutageThenNoFailureWithSafeRetryAndWritesValidRecordsAndAPostmortem(@TempDir Path out)
            throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        FoundingPostmortemDemo.Summary summary = FoundingPostmortemDemo.run(
                FoundingPostmortemDemo.Options.parse("--seconds", "1.5", "--out", out.toString()),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        String text = console.toString(StandardCharsets.UTF_8);

        // phase 1: users see failures; phase 2: none, and nothing is lost
        assertThat(summary.unprotected().failed()).isPositive();
        assertThat(summary.unprotected().failedShare()).isGreaterThan(0.05);
        assertThat(summary.safe().requests()).isPositive();
        assertThat(summary.safe().failed()).isZero();
        assertThat(summary.safe().retries()).isPositive();
        assertThat(summary.totalAfter()).isEqualTo(summary.expectedTotal());
        assertThat(summary.ledgerRows()).isEqualTo(summary.unprotected().requests() - summary.unprotected().failed()
                + summary.safe().requests());

        // the one-screen summary says so
        assertThat(text).contains("Phase 1", "Phase 2", "this is what users saw", "naming the statements",
                "0 failed of " + summary.safe().requests() + " transfers", "Balances consistent",
                out.resolve("incidents.jsonl").toAbsolutePath().toString(),
                out.resolve("postmortem.md").toAbsolutePath().toString());

        // phase 1: a deadlock naming both statements, and the error spike
        Incident deadlock = FoundingPostmortemDemo.bestDeadlock(summary.phaseOne()).orElseThrow();
        assertThat(deadlock.statements()).extracting(StatementInfo::role)
                .containsExactly(StatementInfo.Role.VICTIM, StatementInfo.Role.BLOCKER);
        assertThat(deadlock.statements()).allSatisfy(s -> assertThat(s.sql()).startsWith("UPDATE demo_account SET balance"));
        assertThat(summary.phaseOne()).anySatisfy(i -> assertThat(i.kind()).isEqualTo(IncidentKind.ERROR_SPIKE));
        // phase 2: users see no failure, so no error spike; the absorbed deadlocks are still reported, as warnings
        assertThat(summary.phaseTwo()).noneMatch(i -> i.kind() == IncidentKind.ERROR_SPIKE);
        assertThat(summary.phaseTwo()).filteredOn(i -> i.kind() == IncidentKind.DEADLOCK).isNotEmpty()
                .allSatisfy(i -> {
                    assertThat(i.severity()).isEqualTo(Severity.WARNING);
                    assertThat(i.retry().outcome()).isEqualTo(RetryInfo.Outcome.SUCCEEDED);
                });

        // every line of the JSON Lines file is a valid record
        Schema schema;
        try (InputStream in = IncidentJson.openSchema()) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
        List<String> lines = Files.readAllLines(summary.incidentsFile(), StandardCharsets.UTF_8);
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            assertThat(schema.validate(line, InputFormat.JSON)).as(line).isEmpty();
        }
        List<IncidentEvent> events = FoundingPostmortemDemo.readEvents(summary.incidentsFile());
        assertThat(events).hasSameSizeAs(lines);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.incident().kind()).isEqualTo(IncidentKind.DEADLOCK);
            assertThat(e.incident().statements()).hasSize(2);
        });

        // the postmortem has the sections of a real one, from the recorded data
        String postmortem = Files.readString(summary.postmortemFile(), StandardCharsets.UTF_8);
        assertThat(postmortem).startsWith("# Postmortem: Error spike on accounts")
                .contains("## Issue Summary", "## Timeline", "## Root Cause and Resolution",
                        "## Corrective and Preventative Measures", "## Misleading Paths", "## Escalation")
                .contains("UPDATE demo_account SET balance = balance - ? WHERE id = ?")
                .contains("not slow queries")
                .contains("**The lock cycle:**");
        // and as one self-contained page with the chart and the lock cycle
        String html = Files.readString(summary.reportFile(), StandardCharsets.UTF_8);
        assertThat(summary.reportFile()).isEqualTo(out.resolve("postmortem.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg id=\"error-rate-chart\"")
                .contains("<svg class=\"lock-cycle\"").doesNotContain("<script", "http:", "https:");
        assertThat(text).contains(out.resolve("postmortem.html").toAbsolutePath().toString());
    }

    @Test
    void badOptionsAreRejectedWithTheUsage() {
        assertThatIllegalArgumentException().isThrownBy(() -> FoundingPostmortemDemo.Options.parse("--bogus", "1"))
                .withMessageContaining("usage");
        assertThatIllegalArgumentException().isThrownBy(() -> FoundingPostmortemDemo.Options.parse("--seconds"))
                .withMessageContaining("missing value");
        assertThatIllegalArgumentException().isThrownBy(() -> FoundingPostmortemDemo.Options.parse("--workers", "1"))
                .withMessageContaining("--workers");
        // the usage says the defaults the demo runs with
        assertThat(FoundingPostmortemDemo.Options.usage()).contains("[--seconds 4]", "[--workers 2]");
        assertThat(FoundingPostmortemDemo.Options.parse().workers()).isEqualTo(2);
        assertThat(FoundingPostmortemDemo.Options.parse().phase()).isEqualTo(java.time.Duration.ofSeconds(4));
        assertThat(FoundingPostmortemDemo.Options.parse("--password", "secret").toString()).doesNotContain("secret");
    }
}
