package io.incidentsdk;

import static io.incidentsdk.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.incidentsdk.internal.Limits;
import io.incidentsdk.internal.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IncidentModelTest {

    @Test
    void aBuilderWithOnlyKindAndTitleFillsSafeDefaults() {
        Instant before = Instant.now();

        Incident incident = Incident.builder(IncidentKind.COMMIT_OUTCOME_UNKNOWN, "Commit outcome unknown").build();

        assertThat(UUID.fromString(incident.incidentId()).version()).isEqualTo(7);
        assertThat(incident.fingerprint())
                .isEqualTo(Fingerprint.of(IncidentKind.COMMIT_OUTCOME_UNKNOWN, "Commit outcome unknown"));
        assertThat(incident.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(incident.firstSeen()).isAfterOrEqualTo(before.minusMillis(1)).isEqualTo(incident.lastSeen());
        assertThat(incident.resolvedAt()).isNull();
        assertThat(incident.isResolved()).isFalse();
        assertThat(incident.occurrences()).isEqualTo(1);
        assertThat(incident.suppressed()).isZero();
        assertThat(incident.service()).isEqualTo(ServiceInfo.unknown());
        assertThat(incident.statements()).isEmpty();
        assertThat(incident.hints()).isEmpty();
        assertThat(incident.timeline()).isEmpty();
        assertThat(incident.attributes()).isEmpty();
        assertThat(incident.database()).isNull();
        assertThat(incident.error()).isNull();
        assertThat(incident.retry()).isNull();
        assertThat(incident.impact()).isNull();
        assertThat(incident.trace()).isNull();
    }

    @Test
    void everyKindHasADefaultSeverity() {
        assertThat(IncidentKind.DEADLOCK.defaultSeverity()).isEqualTo(Severity.ERROR);
        assertThat(IncidentKind.COMMIT_OUTCOME_UNKNOWN.defaultSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(IncidentKind.SINK_DEGRADED.defaultSeverity()).isEqualTo(Severity.WARNING);
        assertThat(IncidentKind.values()).allSatisfy(kind -> assertThat(kind.defaultSeverity()).isNotNull());
    }

    @Test
    void atLeastReturnsTheHigherSeverity() {
        assertThat(Severity.WARNING.atLeast(Severity.ERROR)).isEqualTo(Severity.ERROR);
        assertThat(Severity.CRITICAL.atLeast(Severity.INFO)).isEqualTo(Severity.CRITICAL);
        assertThat(Severity.ERROR.atLeast(Severity.ERROR)).isEqualTo(Severity.ERROR);
    }

    @Test
    void onlyFirstSeenGivenMakesLastSeenEqualAndViceVersa() {
        assertThat(Incident.builder(IncidentKind.CUSTOM, "t").firstSeen(T0).build().lastSeen()).isEqualTo(T0);
        assertThat(Incident.builder(IncidentKind.CUSTOM, "t").lastSeen(T0).build().firstSeen()).isEqualTo(T0);
    }

    @Test
    void toBuilderReproducesTheIncident() {
        Incident full = Fixtures.fullIncident();

        assertThat(full.toBuilder().build()).isEqualTo(full);
        assertThat(full.toBuilder().kind(IncidentKind.LOCK_TIMEOUT).title("other").build())
                .satisfies(changed -> {
                    assertThat(changed.kind()).isEqualTo(IncidentKind.LOCK_TIMEOUT);
                    assertThat(changed.title()).isEqualTo("other");
                    assertThat(changed.fingerprint()).isEqualTo(full.fingerprint());
                });
    }

    @Test
    void aTenMegabyteTitleIsCutTo130Characters() {
        Incident incident = Incident.builder(IncidentKind.CUSTOM, "t".repeat(10 * 1024 * 1024)).build();

        assertThat(incident.title()).hasSize(Limits.TITLE).endsWith(Text.TRUNCATION_MARKER);
        assertThat(incident.fingerprint()).hasSizeLessThanOrEqualTo(Limits.FINGERPRINT);
    }

    @Test
    void everyStringFieldIsCleanedAndBounded() {
        String hostile = "a\nb\u001b[31mc\u2028d\u0000" + "x".repeat(20_000);

        Incident incident = Incident.builder(IncidentKind.CUSTOM, hostile)
                .incidentId(hostile)
                .fingerprint(hostile)
                .summary(hostile)
                .service(new ServiceInfo(hostile, hostile, hostile, hostile))
                .database(new DatabaseInfo(hostile, hostile, hostile, hostile, hostile))
                .error(new ErrorInfo(hostile, hostile, 1, hostile, hostile, null))
                .statement(new StatementInfo(StatementInfo.Role.FAILED, hostile, hostile, hostile, hostile, hostile,
                        1L, List.of(hostile)))
                .retry(new RetryInfo(1, RetryInfo.Outcome.NOT_RETRIED, hostile))
                .impact(new Impact(Duration.ofSeconds(1), 1, 1, 1.0, Map.of(hostile, 1L), List.of(hostile)))
                .hint(hostile)
                .timeline(new TimelineEntry(T0, hostile, hostile))
                .trace(new TraceInfo(hostile, hostile))
                .attribute(hostile, hostile)
                .build();

        assertThat(incident.title()).startsWith("a bc dxx").hasSize(Limits.TITLE);
        assertThat(incident.incidentId()).hasSize(Limits.ID);
        assertThat(incident.fingerprint()).startsWith("custom:");
        assertThat(incident.summary()).hasSize(Limits.SUMMARY);
        assertThat(incident.service().name()).hasSize(Limits.SHORT);
        // not a URL of any grammar: nothing of it may enter the record (stricter since issue 12)
        assertThat(incident.database().url()).isEqualTo("***");
        assertThat(new DatabaseInfo(null, null, null, null, "jdbc:h2:mem:" + "x".repeat(10_000)).url())
                .isEqualTo("jdbc:h2:***");
        assertThat(incident.error().message()).hasSize(Limits.MESSAGE);
        StatementInfo statement = incident.statements().get(0);
        assertThat(statement.sql()).hasSize(Limits.SQL);
        assertThat(statement.fingerprint()).hasSize(Limits.FINGERPRINT);
        assertThat(statement.connectionId()).hasSize(Limits.ID);
        assertThat(statement.transactionStatements().get(0)).hasSize(Limits.FINGERPRINT);
        assertThat(incident.retry().reason()).hasSize(Limits.DETAIL);
        assertThat(incident.impact().failuresByCategory().keySet()).allSatisfy(k -> assertThat(k).hasSize(Limits.SHORT));
        assertThat(incident.hints().get(0)).hasSize(Limits.DETAIL);
        assertThat(incident.timeline().get(0).type()).hasSize(Limits.ID);
        assertThat(incident.timeline().get(0).detail()).hasSize(Limits.DETAIL);
        assertThat(incident.trace().traceId()).hasSize(Limits.ID);
        assertThat(incident.attributes()).allSatisfy((key, value) -> {
            assertThat(key).hasSize(Limits.ATTRIBUTE_KEY);
            assertThat(value).hasSize(Limits.SHORT);
        });
        assertThat(List.of(incident.title(), incident.summary(), incident.database().url(), statement.sql(),
                incident.hints().get(0), incident.timeline().get(0).detail()))
                .allSatisfy(s -> assertThat(s).doesNotContain("\n", "\u001b", "\u2028", "\u0000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullsWhereNotAllowed")
    void aNullWhereNotAllowedIsRejectedNamingTheParameter(String parameter, ThrowingCallable call) {
        assertThatNullPointerException().isThrownBy(call).withMessageContaining(parameter);
    }

    static Stream<Arguments> nullsWhereNotAllowed() {
        Incident.Builder b = Incident.builder(IncidentKind.CUSTOM, "t");
        Incident full = Fixtures.fullIncident();
        return Stream.of(
                Arguments.of("kind", (ThrowingCallable) () -> Incident.builder(null, "t")),
                Arguments.of("title", (ThrowingCallable) () -> Incident.builder(IncidentKind.CUSTOM, null)),
                Arguments.of("kind", (ThrowingCallable) () -> b.kind(null)),
                Arguments.of("title", (ThrowingCallable) () -> b.title(null)),
                Arguments.of("incidentId", (ThrowingCallable) () -> b.incidentId(null)),
                Arguments.of("fingerprint", (ThrowingCallable) () -> b.fingerprint(null)),
                Arguments.of("severity", (ThrowingCallable) () -> b.severity(null)),
                Arguments.of("firstSeen", (ThrowingCallable) () -> b.firstSeen(null)),
                Arguments.of("lastSeen", (ThrowingCallable) () -> b.lastSeen(null)),
                Arguments.of("service", (ThrowingCallable) () -> b.service(null)),
                Arguments.of("statement", (ThrowingCallable) () -> b.statement(null)),
                Arguments.of("statements", (ThrowingCallable) () -> b.statements(null)),
                Arguments.of("hint", (ThrowingCallable) () -> b.hint(null)),
                Arguments.of("entry", (ThrowingCallable) () -> b.timeline((TimelineEntry) null)),
                Arguments.of("entries", (ThrowingCallable) () -> b.timeline((List<TimelineEntry>) null)),
                Arguments.of("key", (ThrowingCallable) () -> b.attribute(null, "v")),
                Arguments.of("value", (ThrowingCallable) () -> b.attribute("k", null)),
                Arguments.of("incidentId", (ThrowingCallable) () -> new Incident(null, "fp", IncidentKind.CUSTOM,
                        Severity.ERROR, "t", null, T0, T0, null, 1, 0, ServiceInfo.unknown(), null, null, null,
                        null, null, null, null, null, null)),
                Arguments.of("fingerprint", (ThrowingCallable) () -> new Incident("id", null, IncidentKind.CUSTOM,
                        Severity.ERROR, "t", null, T0, T0, null, 1, 0, ServiceInfo.unknown(), null, null, null,
                        null, null, null, null, null, null)),
                Arguments.of("service", (ThrowingCallable) () -> new Incident("id", "fp", IncidentKind.CUSTOM,
                        Severity.ERROR, "t", null, T0, T0, null, 1, 0, null, null, null, null,
                        null, null, null, null, null, null)),
                Arguments.of("name", (ThrowingCallable) () -> new ServiceInfo(null, "1.0", "prod", "h/1")),
                Arguments.of("at", (ThrowingCallable) () -> new TimelineEntry(null, TimelineEntry.NOTE, "d")),
                Arguments.of("type", (ThrowingCallable) () -> new TimelineEntry(T0, null, "d")),
                Arguments.of("role", (ThrowingCallable) () -> new StatementInfo(null, "fp", "SELECT 1", null, null,
                        null, null, null)),
                Arguments.of("outcome", (ThrowingCallable) () -> new RetryInfo(1, null, null)),
                Arguments.of("eventId", (ThrowingCallable) () -> new IncidentEvent(1, null,
                        IncidentEvent.Type.OPENED, T0, full)),
                Arguments.of("eventTime", (ThrowingCallable) () -> new IncidentEvent(1, "e",
                        IncidentEvent.Type.OPENED, null, full)),
                Arguments.of("incident", (ThrowingCallable) () -> new IncidentEvent(1, "e",
                        IncidentEvent.Type.OPENED, T0, null)));
    }

    @Test
    void aNullIsFineWhereItIsAllowed() {
        Incident incident = Incident.builder(IncidentKind.CUSTOM, "t")
                .summary(null).database(null).error(null).retry(null).impact(null).trace(null).resolvedAt(null)
                .statements(List.of())
                .build();

        assertThat(incident.summary()).isNull();
        assertThat(new DatabaseInfo(null, null, null, null, null).url()).isNull();
        assertThat(new ErrorInfo(null, null, null, null, null, null).transactionRolledBack()).isNull();
        assertThat(new TraceInfo(null, null).traceId()).isNull();
        assertThat(new TimelineEntry(T0, TimelineEntry.NOTE, null).detail()).isNull();
        assertThat(new ServiceInfo("svc", null, null, null).version()).isNull();
        assertThat(new StatementInfo(StatementInfo.Role.VICTIM, null, null, null, null, null, null, null)
                .transactionStatements()).isEmpty();
        assertThat(new Impact(null, 0, 0, 0.0, null, null).topFingerprints()).isEmpty();
    }

    @Test
    void aRequiredIdentifierThatIsBlankAfterCleaningIsRejectedNamingIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Incident.builder(IncidentKind.CUSTOM, "t").incidentId(" \n\u001b[0m ").build())
                .withMessageContaining("incidentId");
        assertThatIllegalArgumentException().isThrownBy(() -> new TimelineEntry(T0, "\t", null))
                .withMessageContaining("type");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new IncidentEvent(1, "", IncidentEvent.Type.OPENED, T0, Fixtures.minimalIncident()))
                .withMessageContaining("eventId");
    }

    @Test
    void anOptionalIdentifierThatIsBlankAfterCleaningBecomesNull() {
        StatementInfo statement = new StatementInfo(StatementInfo.Role.FAILED, null, null, null, "", " \n ", null,
                null);
        TraceInfo trace = new TraceInfo("\u0000", "");

        assertThat(statement.connectionId()).isNull();
        assertThat(statement.backendId()).isNull();
        assertThat(trace.traceId()).isNull();
        assertThat(trace.spanId()).isNull();
        assertThat(new TraceInfo(" 4bf9\n ", "00f0").traceId()).isEqualTo("4bf9");
    }

    @Test
    void invalidNumbersAreRejectedNamingTheField() {
        Incident.Builder b = Incident.builder(IncidentKind.CUSTOM, "t");

        assertThatIllegalArgumentException().isThrownBy(() -> b.occurrences(0).build())
                .withMessageContaining("occurrences");
        assertThatIllegalArgumentException().isThrownBy(() -> b.occurrences(1).suppressed(-1).build())
                .withMessageContaining("suppressed");
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryInfo(-1, RetryInfo.Outcome.EXHAUSTED, null))
                .withMessageContaining("attempts");
        assertThatIllegalArgumentException().isThrownBy(() -> new Impact(null, -1, 0, 0.0, null, null))
                .withMessageContaining("calls");
        assertThatIllegalArgumentException().isThrownBy(() -> new Impact(null, 1, 1, 1.5, null, null))
                .withMessageContaining("failureRate");
        assertThatIllegalArgumentException().isThrownBy(() -> new Impact(null, 1, 1, Double.NaN, null, null))
                .withMessageContaining("failureRate");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new IncidentEvent(0, "e", IncidentEvent.Type.OPENED, T0, Fixtures.minimalIncident()))
                .withMessageContaining("schemaVersion");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new StatementInfo(StatementInfo.Role.VICTIM, null, null, null, null, null, -1L, null))
                .withMessageContaining("transactionAgeMillis");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Impact(null, 1, 1, 1.0, Map.of("DEADLOCK", -1L), null))
                .withMessageContaining("failuresByCategory");
    }

    @Test
    void atMost16StatementsAreKeptTheFirstOnes() {
        Incident.Builder b = Incident.builder(IncidentKind.DEADLOCK, "t");
        for (int i = 0; i < 20; i++) {
            b.statement(new StatementInfo(StatementInfo.Role.FAILED, "stmt:" + i, null, null, null, null, null, null));
        }

        Incident incident = b.build();

        assertThat(incident.statements()).hasSize(Limits.STATEMENTS)
                .extracting(StatementInfo::fingerprint).startsWith("stmt:0").endsWith("stmt:15");
    }

    @Test
    void atMost10HintsAreKept() {
        Incident.Builder b = Incident.builder(IncidentKind.DEADLOCK, "t");
        IntStream.range(0, 15).forEach(i -> b.hint("hint " + i));

        assertThat(b.build().hints()).hasSize(Limits.HINTS).startsWith("hint 0").endsWith("hint 9");
    }

    @Test
    void theTimelineKeepsTheFirst20AndTheLatestEntriesUpTo100() {
        List<TimelineEntry> entries = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            entries.add(new TimelineEntry(T0.plusSeconds(i), TimelineEntry.NOTE, "entry " + i));
        }

        List<TimelineEntry> timeline = Incident.builder(IncidentKind.ERROR_SPIKE, "t").timeline(entries).build()
                .timeline();

        assertThat(timeline).hasSize(Limits.TIMELINE);
        assertThat(timeline.subList(0, Limits.TIMELINE_HEAD)).extracting(TimelineEntry::detail)
                .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "entry " + i).toList());
        assertThat(timeline.subList(Limits.TIMELINE_HEAD, Limits.TIMELINE)).extracting(TimelineEntry::detail)
                .containsExactlyElementsOf(IntStream.range(70, 150).mapToObj(i -> "entry " + i).toList());
    }

    @Test
    void aTimelineWithinTheBoundIsKeptWhole() {
        List<TimelineEntry> entries = new ArrayList<>();
        for (int i = 0; i < Limits.TIMELINE; i++) {
            entries.add(new TimelineEntry(T0.plusSeconds(i), TimelineEntry.NOTE, "entry " + i));
        }

        assertThat(Incident.builder(IncidentKind.ERROR_SPIKE, "t").timeline(entries).build().timeline())
                .containsExactlyElementsOf(entries);
    }

    @Test
    void atMost32AttributesAreKeptInInsertionOrder() {
        Incident.Builder b = Incident.builder(IncidentKind.CUSTOM, "t");
        IntStream.range(0, 40).forEach(i -> b.attribute("key" + i, "value" + i));

        Map<String, String> attributes = b.build().attributes();

        assertThat(attributes).hasSize(Limits.ATTRIBUTES).containsEntry("key0", "value0")
                .containsEntry("key31", "value31").doesNotContainKey("key32");
        assertThat(attributes.keySet()).first().isEqualTo("key0");
    }

    @Test
    void nestedCollectionsAreBoundedToo() {
        List<String> many = IntStream.range(0, 50).mapToObj(i -> "fp" + i).toList();
        Map<String, Long> categories = new LinkedHashMap<>();
        IntStream.range(0, 50).forEach(i -> categories.put("category" + i, (long) i));

        StatementInfo statement = new StatementInfo(StatementInfo.Role.VICTIM, "fp", null, null, null, null, null, many);
        Impact impact = new Impact(Duration.ofMinutes(1), 100, 50, 0.5, categories, many);

        assertThat(statement.transactionStatements()).hasSize(Limits.TRANSACTION_STATEMENTS).startsWith("fp0");
        assertThat(impact.topFingerprints()).hasSize(Limits.IMPACT_ENTRIES).startsWith("fp0");
        assertThat(impact.failuresByCategory()).hasSize(Limits.IMPACT_ENTRIES).containsEntry("category0", 0L);
    }

    @Test
    void nullElementsOfCollectionsAreDropped() {
        List<String> withNull = new ArrayList<>();
        withNull.add("fp1");
        withNull.add(null);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("k", null);
        attributes.put(null, "v");
        attributes.put("ok", "yes");
        List<TimelineEntry> timeline = new ArrayList<>();
        timeline.add(null);
        timeline.add(new TimelineEntry(T0, TimelineEntry.NOTE, null));
        List<StatementInfo> statements = new ArrayList<>();
        statements.add(null);

        Incident incident = new Incident("id", "fp", IncidentKind.CUSTOM, Severity.ERROR, "t", null, T0, T0, null,
                1, 0, ServiceInfo.unknown(), null, null, statements, null, null, withNull, timeline, null, attributes);

        assertThat(incident.hints()).containsExactly("fp1");
        assertThat(incident.attributes()).containsExactly(Map.entry("ok", "yes"));
        assertThat(incident.timeline()).hasSize(1);
        assertThat(incident.statements()).isEmpty();
    }

    @Test
    void recordsAreImmutableAndIndependentOfTheCallersCollections() {
        List<String> transactionStatements = new ArrayList<>(List.of("fp1"));
        StatementInfo statement = new StatementInfo(StatementInfo.Role.VICTIM, "fp", null, null, null, null, null,
                transactionStatements);
        transactionStatements.add("fp2");
        Incident incident = Fixtures.fullIncident();

        assertThat(statement.transactionStatements()).containsExactly("fp1");
        assertThatThrownBy(() -> incident.hints().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> incident.statements().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> incident.timeline().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> incident.attributes().put("k", "v")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> statement.transactionStatements().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("urlsWithCredentials")
    void theDatabaseUrlNeverCarriesCredentials(String url, String secret, List<String> kept) {
        DatabaseInfo database = new DatabaseInfo("db", null, null, null, url);

        assertThat(database.url()).doesNotContain(secret).contains(kept);
    }

    static Stream<Arguments> urlsWithCredentials() {
        return Stream.of(
                Arguments.of("jdbc:postgresql://u:secret@h/db?password=secret&sslmode=require", "secret",
                        List.of("jdbc:postgresql://h/db", "sslmode=require")),
                Arguments.of("jdbc:sqlserver://h;user=sa;password=secret", "secret",
                        List.of("jdbc:sqlserver://h")),
                Arguments.of("jdbc:mysql://h/db?user=root&password=secret", "secret", List.of("jdbc:mysql://h/db")),
                Arguments.of("jdbc:oracle:thin:scott/tiger@h:1521/x", "tiger", List.of("jdbc:oracle:thin:@h:1521/x")),
                Arguments.of("jdbc:h2:mem:x;PASSWORD=secret", "secret", List.of("jdbc:h2:mem:x")));
    }
}
