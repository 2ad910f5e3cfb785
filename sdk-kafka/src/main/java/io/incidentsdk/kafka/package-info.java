/**
 * Fleet scale through Kafka: {@link io.incidentsdk.kafka.KafkaSink} produces every incident event of an
 * instance to a topic, and {@link io.incidentsdk.kafka.IncidentFleetAggregator} (Kafka Streams, exactly once)
 * merges one fingerprint's events from every instance into one {@link io.incidentsdk.kafka.FleetIncident} on a
 * compacted topic, and can forward it to other sinks so that a fleet-wide incident is paged once.
 *
 * @since 0.2.0
 */
package io.incidentsdk.kafka;
