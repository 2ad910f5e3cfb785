package io.incidentsdk.internal.postmortem;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.TimelineEntry;
import java.util.List;
import java.util.Locale;

/**
 * What each kind of incident means and what fixes it: the fixed text of a postmortem, chosen by the
 * incident's kind and, where the kind only says that something failed (retry exhausted, custom), by the
 * recorded error category.
 */
final class Causes {

    /** Kinds whose name is also a failure category of the classifier. */
    private static final List<IncidentKind> FAILURE_KINDS = List.of(IncidentKind.DEADLOCK,
            IncidentKind.SERIALIZATION_FAILURE, IncidentKind.LOCK_TIMEOUT, IncidentKind.QUERY_TIMEOUT,
            IncidentKind.CONNECTION_FAILURE);

    private Causes() {
    }

    /**
     * The failure behind an incident: its kind when the kind is a failure category, otherwise the
     * recorded error category when that names one (a retry that ran out because of deadlocks has the
     * cause {@code DEADLOCK}), otherwise {@code null}.
     */
    static IncidentKind failureOf(Incident incident) {
        if (FAILURE_KINDS.contains(incident.kind())) {
            return incident.kind();
        }
        return incident.error() == null ? null : failureKind(incident.error().category());
    }

    /** The failure kind named by a category string, or {@code null}. */
    static IncidentKind failureKind(String category) {
        if (category == null) {
            return null;
        }
        String name = category.strip().toUpperCase(Locale.ROOT);
        for (IncidentKind kind : FAILURE_KINDS) {
            if (kind.name().equals(name)) {
                return kind;
            }
        }
        return null;
    }

    /** One or two sentences that say what an incident of this kind is. */
    static String meaning(IncidentKind kind) {
        return switch (kind) {
            case DEADLOCK -> "The database found a lock cycle: two or more transactions each held a lock that "
                    + "another one waited for, and the database rolled back one of them, the victim, to break "
                    + "the cycle.";
            case SERIALIZATION_FAILURE -> "A transaction conflicted with a concurrent one under snapshot or "
                    + "serializable isolation, and the database aborted it.";
            case LOCK_TIMEOUT -> "A statement waited longer than the lock timeout for a lock held by another "
                    + "transaction: it was blocked, not slow.";
            case QUERY_TIMEOUT -> "A statement ran into its time limit or was cancelled.";
            case CONNECTION_FAILURE -> "The connection to the database was refused, lost or closed by the server.";
            case COMMIT_OUTCOME_UNKNOWN -> "The connection broke during commit: whether the transaction was "
                    + "committed is unknown.";
            case RETRY_EXHAUSTED -> "A unit of work failed even after all allowed retries.";
            case RETRY_BUDGET_EXHAUSTED -> "Retries were refused because the process-wide retry budget was spent.";
            case ERROR_SPIKE -> "The share of failing calls crossed the error-spike threshold. A spike is a "
                    + "symptom: the failure categories say what failed.";
            case SINK_DEGRADED -> "A sink could not deliver incident events and some had to be dropped.";
            case LOCK_ORDER_RISK -> "Two code paths take row locks in opposite orders, or one takes them in an "
                    + "order that depends on its data: run concurrently on the same rows they can deadlock. Found "
                    + "before any deadlock happened.";
            case CUSTOM -> "Recorded by the application; the recorded summary and error say what happened.";
        };
    }

    /** What the failures of a kind are called in a sentence ("deadlocks were absorbed by safe retry"). */
    static String plural(IncidentKind failure) {
        if (failure == null) {
            return "failures";
        }
        return switch (failure) {
            case DEADLOCK -> "deadlocks";
            case SERIALIZATION_FAILURE -> "serialization failures";
            case LOCK_TIMEOUT -> "lock timeouts";
            case QUERY_TIMEOUT -> "query timeouts";
            case CONNECTION_FAILURE -> "connection failures";
            default -> "failures";
        };
    }

    /** Corrective and preventative measures that follow from a kind, most important first. */
    static List<String> measures(IncidentKind kind) {
        return switch (kind) {
            case DEADLOCK -> List.of(
                    "Take locks in one order in every code path that touches the same rows, for example update "
                            + "rows by ascending primary key.",
                    "Keep transactions short: no remote calls, user waits or batch loops while locks are held.",
                    "Retry whole transactions with the SDK's `TransactionRunner` (`@RetryableTransaction` in Spring), "
                            + "never a single statement: each attempt must be a new transaction.");
            case SERIALIZATION_FAILURE -> List.of(
                    "Retry whole transactions with the SDK's `TransactionRunner` (`@RetryableTransaction` in Spring): "
                            + "serialization failures are expected under snapshot or serializable isolation.",
                    "Reduce contention on hot rows, or use a lower isolation level where the logic allows it.");
            case LOCK_TIMEOUT -> List.of(
                    "Find the transaction that holds the lock (long transactions, sessions idle in transaction) "
                            + "and shorten it.",
                    "Roll back the whole transaction before retrying it; some databases undo only the statement.",
                    "Alert on lock waits separately from slow queries.");
            case QUERY_TIMEOUT -> List.of(
                    "Before tuning, check whether the statement was slow (its plan) or blocked (the lock it "
                            + "waited for).",
                    "Set statement timeouts that match the caller's deadline.");
            case CONNECTION_FAILURE -> List.of(
                    "Check the database, the network and the pool (validation, maximum lifetime, limits).",
                    "Verify the outcome of a commit that was in flight when a connection broke before retrying it.");
            case COMMIT_OUTCOME_UNKNOWN -> List.of(
                    "Check whether the transaction was committed before running it again.",
                    "Make such units of work idempotent (an idempotency key) so that their outcome can be "
                            + "checked and they can be repeated safely.");
            case RETRY_EXHAUSTED -> List.of(
                    "Fix the conflict that made every attempt fail: more attempts do not fix a persistent conflict.");
            case RETRY_BUDGET_EXHAUSTED -> List.of(
                    "Fix the failure that used up the retry budget before raising the budget.");
            case ERROR_SPIKE -> List.of(
                    "Alert on failure categories, not only on the error rate: the category tells a deadlock from "
                            + "a slow query.");
            case SINK_DEGRADED -> List.of(
                    "Check the sink's destination and its spool bounds so that incident events are not dropped.");
            case LOCK_ORDER_RISK -> List.of(
                    "Take the locks in the order the incident names in every code path: tables in one order, the "
                            + "rows of one table by ascending key (sort the keys before the first statement).",
                    "Until it is fixed, retry whole transactions with the SDK's `TransactionRunner`; its opt-in "
                            + "lock-order gate keeps the throughput of such units.");
            case CUSTOM -> List.of();
        };
    }

    /** How a timeline entry type reads in a sentence; unknown types are returned as they are. */
    static String timelineType(String type) {
        return switch (type) {
            case TimelineEntry.FIRST_FAILURE -> "first failure";
            case TimelineEntry.DETECTED -> "detected";
            case TimelineEntry.RETRY_ABSORBED -> "retries absorbed";
            case TimelineEntry.SPIKE_OPENED -> "spike opened";
            case TimelineEntry.PEAK -> "peak";
            case TimelineEntry.NOTE -> "note";
            case TimelineEntry.SEVERITY_CHANGED -> "severity changed";
            case TimelineEntry.RESOLVED -> "resolved";
            default -> type;
        };
    }
}
