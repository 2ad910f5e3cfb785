package io.incidentsdk;

import io.incidentsdk.internal.postmortem.HtmlReport;
import io.incidentsdk.internal.postmortem.PostmortemWriter;
import java.util.List;
import java.util.Objects;

/**
 * Writes the postmortem of an incident as Markdown, or as a self-contained HTML page with pictures
 * ({@link #renderHtml(List)}), from the recorded data only: the document the team would otherwise assemble by
 * hand from logs and dashboards.
 *
 * <pre>{@code
 * String markdown = Postmortem.render(List.of(spike, deadlock, otherDeadlock));
 * Files.writeString(Path.of("postmortem.md"), markdown);
 * }</pre>
 *
 * <p>The document has an H1 title, {@code # Postmortem: <title of the main incident>}, then these H2
 * sections, always all of them and in this order:
 * <ol>
 *   <li>{@code ## Issue Summary}: start (the true first failure: the earliest {@code first-failure} entry or
 *       {@code firstSeen}), end (latest {@code resolvedAt}, or "ongoing, unresolved at the time of writing"),
 *       duration ({@code 2 h 30 min}, {@code 45 s}), the share affected over the whole incident from the recorded
 *       {@link Incident#series() time series}, the worst window and the failures by category from the
 *       {@code impact} ("not measured" without either),
 *       the peak, the kinds with their incident and occurrence counts, the highest severity, the service and
 *       the database;</li>
 *   <li>{@code ## Timeline}: every timeline entry of every incident, merged and sorted by time (UTC,
 *       ISO-8601 to the second or millisecond), with the incident kind and the entry type in words; one first
 *       failure (the earliest), and of the SDK's "latest occurrence" notes of a deadlock only the latest;</li>
 *   <li>{@code ## Root Cause and Resolution}: one H3 per incident with what its kind means, the error
 *       (category, SQLState, vendor code, message), what the database rolled back, the statements (victim,
 *       blocker, failed) with their sanitized SQL in fenced code blocks, threads, call sites and their
 *       transactions' earlier statements in order (by their SQL where a statement of the records has it, never
 *       by fingerprint), for a deadlock the lock cycle in order ("T1 ran ..., then waited in ... for a row lock
 *       T2 held"), then the resolution and what retrying did ("N deadlocks were absorbed by safe retry; users
 *       saw none");</li>
 *   <li>{@code ## Corrective and Preventative Measures}: the measures that follow from the failure
 *       categories, then the recorded hints, deduplicated;</li>
 *   <li>{@code ## Misleading Paths}: what looked like the cause but was not, derived from the data (lock
 *       waits and lock cycles are not slow queries; a spike driven mostly by one category is a symptom), or
 *       "None recorded.";</li>
 *   <li>{@code ## Escalation}: the {@link TimelineEntry#NOTE note} entries in time order (not the SDK's
 *       "latest occurrence" notes), or "No escalation notes were recorded.".</li>
 * </ol>
 * A missing optional field (database, error, statements, retry, impact) reads "not recorded" or "not
 * measured"; nothing is invented. No line is empty, and no list repeats a line.
 *
 * <p>Guarantees: the output is deterministic (the same records give the same text, whatever their order in
 * the list, the clock, the default locale or time zone); every string taken from a record (titles,
 * summaries, notes, hints, SQL, attributes, ids) is escaped so that it cannot create a heading, list item,
 * block quote, table row, link, image, HTML tag or code span of its own: Markdown punctuation is
 * backslash-escaped, {@code <}, {@code >} and {@code &} become entities, and SQL is put in fenced code blocks
 * whose fence is longer than any backtick run inside.
 *
 * @since 0.1.0
 */
public final class Postmortem {

    private Postmortem() {
    }

    /**
     * Renders the postmortem of one incident.
     *
     * @param incident the incident, not {@code null}
     * @return the Markdown document, ending with a newline
     * @throws NullPointerException when {@code incident} is {@code null}
     */
    public static String render(Incident incident) {
        Objects.requireNonNull(incident, "incident must not be null");
        return PostmortemWriter.render(List.of(incident));
    }

    /**
     * Renders one postmortem of related incidents, for example an {@link IncidentKind#ERROR_SPIKE} and the
     * {@link IncidentKind#DEADLOCK} incidents that drove it. The main incident, whose title is the title of
     * the document, is the error spike if there is one, otherwise the most severe, then the earliest.
     * Several snapshots of the same incident (same {@link Incident#incidentId()}, for example from its
     * OPENED and RESOLVED events) count once: the latest of them is used.
     *
     * @param related the incidents, at least one, none {@code null}
     * @return the Markdown document, ending with a newline
     * @throws NullPointerException     when the list or an element is {@code null}
     * @throws IllegalArgumentException when the list is empty
     */
    public static String render(List<Incident> related) {
        return PostmortemWriter.render(related);
    }

    /**
     * Renders the postmortem of one incident as a self-contained HTML page; see {@link #renderHtml(List)}.
     *
     * @param incident the incident, not {@code null}
     * @return the HTML document
     * @throws NullPointerException when {@code incident} is {@code null}
     */
    public static String renderHtml(Incident incident) {
        Objects.requireNonNull(incident, "incident must not be null");
        return HtmlReport.render(List.of(incident));
    }

    /**
     * Renders the postmortem of related incidents (chosen and ordered as by {@link #render(List)}) as one
     * self-contained HTML page that works offline: no script, no external resource (its Content Security Policy
     * allows none), every text from a record HTML-escaped. After the Issue Summary it shows the error rate over
     * time, an inline SVG chart of the calls and failures per bucket drawn from the incidents' recorded
     * {@link Incident#series() time series} (an error spike's, or a deadlock's: the calls and failures of its data
     * source around and during it) with the first failure, the spike's opening, its peak and the resolution
     * marked (without a series it says in one line that none was recorded), and each lock cycle of the deadlock
     * incidents as an inline SVG diagram: the transactions as nodes (the victim marked), "waits for" arrows
     * labelled with the statement each waited in, and the cycle spelled out in order below it. Then come the
     * sections of the Markdown document, with the same text.
     *
     * <pre>{@code
     * Files.writeString(Path.of("postmortem.html"), Postmortem.renderHtml(List.of(spike, deadlock)));
     * }</pre>
     *
     * @param related the incidents, at least one, none {@code null}
     * @return the HTML document
     * @throws NullPointerException     when the list or an element is {@code null}
     * @throws IllegalArgumentException when the list is empty
     */
    public static String renderHtml(List<Incident> related) {
        return HtmlReport.render(related);
    }
}
