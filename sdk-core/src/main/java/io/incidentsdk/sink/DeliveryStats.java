package io.incidentsdk.sink;

/**
 * What a remote sink did with the events it accepted (a snapshot).
 *
 * @param sink         the sink's name
 * @param accepted     events accepted (spooled, or queued in memory)
 * @param delivered    events the receiver acknowledged with a {@code 2xx} answer
 * @param retried      attempts that failed and were (or will be) retried
 * @param deadLettered events the receiver refused (a {@code 4xx} other than 408 and 429), written to the
 *                     dead-letter file
 * @param dropped      events given up: the spool's byte or age bound, a full memory queue, damage found in
 *                     the spool, or events only in memory when the sink closed
 * @param pending      events waiting to be sent (in the spool and in memory)
 * @param spoolBytes   the size of the spool on disk, 0 without a spool
 * @param circuitOpen  whether the circuit breaker holds sending back right now
 * @param spooling     whether events go to the disk spool right now ({@code false} without a spool, or while
 *                     it cannot be written and events wait in memory)
 * @since 0.2.0
 */
public record DeliveryStats(String sink, long accepted, long delivered, long retried, long deadLettered,
                            long dropped, long pending, long spoolBytes, boolean circuitOpen, boolean spooling) {
}
