package io.incidentsdk.internal;

import io.incidentsdk.ServiceInfo;
import java.time.Clock;
import java.time.Duration;

/**
 * The validated settings of an {@link IncidentPipeline}.
 *
 * @param service            the reporting service
 * @param clock              the time source of every record
 * @param updateInterval     at most one UPDATED event per incident per interval
 * @param quietPeriod        an incident without new occurrences for this long is resolved
 * @param queueCapacity      capacity of the queue from application threads to the pipeline thread
 * @param sinkQueueCapacity  capacity of each sink's queue
 * @param maxOpenIncidents   open incidents kept at once; signals for new fingerprints beyond are counted only
 * @param housekeeping       how often the pipeline thread looks for due updates and quiet incidents
 * @param sinkAttempts       delivery attempts per event and sink
 * @param sinkRetryBackoff   pause before the second attempt
 * @param closeTimeout       how long {@code close()} waits for queued events to be delivered
 */
public record PipelineSettings(ServiceInfo service, Clock clock, Duration updateInterval, Duration quietPeriod,
                               int queueCapacity, int sinkQueueCapacity, int maxOpenIncidents,
                               Duration housekeeping, int sinkAttempts, Duration sinkRetryBackoff,
                               Duration closeTimeout) {
}
