package io.incidentsdk.spring;

import io.incidentsdk.IncidentSdk;
import io.incidentsdk.Severity;
import io.incidentsdk.SinkStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code incidents} health contributor: open incidents by severity and what each sink delivered, failed,
 * dropped and holds queued. It is {@code UP} whatever the incidents are (an incident is a report, not a reason
 * to restart or to take the instance out of the load balancer; it is also not part of the liveness and
 * readiness groups), unless {@code incident.health.down-on-critical=true} and a {@code CRITICAL} incident is
 * open: then it is {@code DOWN}.
 */
final class IncidentsHealthIndicator extends AbstractHealthIndicator {

    private final IncidentSdk sdk;
    private final RecentIncidents incidents;
    private final boolean downOnCritical;

    IncidentsHealthIndicator(IncidentSdk sdk, RecentIncidents incidents, boolean downOnCritical) {
        super("Incident SDK health check failed");
        this.sdk = sdk;
        this.incidents = incidents;
        this.downOnCritical = downOnCritical;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<Severity, Integer> open = incidents.openBySeverity();
        if (downOnCritical && open.get(Severity.CRITICAL) > 0) {
            builder.down();
        } else {
            builder.up();
        }
        builder.withDetail("open", open);
        List<Map<String, Object>> sinks = sdk.sinkStats().stream().map(IncidentsHealthIndicator::sink).toList();
        builder.withDetail("sinks", sinks);
        builder.withDetail("queued", sdk.queueSize());
        if (sdk.overflowSignals() > 0) {
            builder.withDetail("overflowSignals", sdk.overflowSignals());
        }
    }

    private static Map<String, Object> sink(SinkStats stats) {
        Map<String, Object> sink = new LinkedHashMap<>();
        sink.put("name", stats.sink());
        sink.put("delivered", stats.delivered());
        sink.put("failed", stats.failed());
        sink.put("dropped", stats.dropped());
        sink.put("queued", stats.queued());
        return sink;
    }
}
