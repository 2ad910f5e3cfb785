package io.incidentsdk;

/**
 * What happened to the events handed to one sink.
 *
 * @param sink      the sink's name
 * @param delivered events the sink accepted
 * @param failed    delivery attempts that threw (an event retried twice and then delivered counts 2 here)
 * @param dropped   events given up: the sink's queue was full, every retry failed, or closing timed out
 * @param queued    events waiting for the sink right now
 * @since 0.1.0
 */
public record SinkStats(String sink, long delivered, long failed, long dropped, int queued) {
}
