/**
 * Internals of the Kafka module: the producer settings and sender of the sink, the merge of events into fleet
 * incidents, their JSON form, the Streams processor and the forwarder. Not API: may change at any time.
 */
package io.incidentsdk.kafka.internal;
