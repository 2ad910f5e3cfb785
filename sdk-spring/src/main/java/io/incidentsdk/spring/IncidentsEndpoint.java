package io.incidentsdk.spring;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentEvent;
import io.incidentsdk.IncidentJson;
import io.incidentsdk.Postmortem;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code incidents} Actuator endpoint: read-only, and, like every endpoint but {@code health}, not exposed
 * over HTTP unless the application exposes it ({@code management.endpoints.web.exposure.include=incidents}).
 *
 * <ul>
 *   <li>{@code GET /actuator/incidents}: the open incidents and the {@value #RECENT} most recently updated ones
 *       (open or resolved), each as a summary;</li>
 *   <li>{@code GET /actuator/incidents/{id}}: the latest event of one incident, as the JSON record the sinks
 *       receive;</li>
 *   <li>{@code GET /actuator/incidents/{id}/postmortem}: its postmortem, as Markdown.</li>
 * </ul>
 * It shows what this application reported since it started (at most 500 incidents). Records never contain
 * bind values, literals or credentials.
 *
 * @since 0.1.0
 */
@Endpoint(id = "incidents", defaultAccess = Access.READ_ONLY)
public class IncidentsEndpoint {

    /** How many recent incidents the summary lists. */
    public static final int RECENT = 50;

    private final RecentIncidents incidents;

    IncidentsEndpoint(RecentIncidents incidents) {
        this.incidents = incidents;
    }

    /**
     * The open and the recent incidents.
     *
     * @return {@code open} and {@code recent}, lists of summaries (id, kind, severity, title, occurrences,
     *         times, retry outcome), newest first
     */
    @ReadOperation
    public Map<String, Object> incidents() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("open", incidents.open().stream().map(IncidentsEndpoint::summary).toList());
        answer.put("recent", incidents.recent(RECENT).stream().map(IncidentsEndpoint::summary).toList());
        return answer;
    }

    /**
     * One incident, as the JSON record its latest event carried.
     *
     * @param id the incident id
     * @return the JSON record, or {@code null} (404) when this application knows no such incident
     */
    @ReadOperation(produces = "application/json")
    public String incident(@Selector String id) {
        IncidentEvent event = incidents.find(id);
        return event == null ? null : IncidentJson.toJson(event);
    }

    /**
     * The postmortem of one incident, as Markdown.
     *
     * @param id   the incident id
     * @param view {@code postmortem}
     * @return the Markdown document, or {@code null} (404) for an unknown incident or view
     */
    @ReadOperation(produces = "text/markdown")
    public String postmortem(@Selector String id, @Selector String view) {
        IncidentEvent event = "postmortem".equals(view) ? incidents.find(id) : null;
        return event == null ? null : Postmortem.render(event.incident());
    }

    private static Map<String, Object> summary(IncidentEvent event) {
        Incident incident = event.incident();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("incidentId", incident.incidentId());
        summary.put("kind", incident.kind().name());
        summary.put("severity", incident.severity().name());
        summary.put("title", incident.title());
        summary.put("occurrences", incident.occurrences());
        summary.put("firstSeen", String.valueOf(incident.firstSeen()));
        summary.put("lastSeen", String.valueOf(incident.lastSeen()));
        if (incident.resolvedAt() != null) {
            summary.put("resolvedAt", incident.resolvedAt().toString());
        }
        if (incident.retry() != null) {
            summary.put("retry", incident.retry().outcome().name());
        }
        summary.put("lastEvent", event.event().name());
        return summary;
    }
}
