package io.incidentsdk.sink;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.internal.delivery.EscalationFilter;
import io.incidentsdk.internal.delivery.HttpDelivery;

/**
 * What the remote sinks share: the delivery machinery, the filter of events worth sending, and the plumbing
 * of {@link ReportingSink}. Package-private: users see {@link WebhookSink}, {@link PagerDutySink} and
 * {@link SlackSink}.
 */
abstract class HttpSink implements ReportingSink {

    private final String name;
    private final EscalationFilter escalations;
    private final HttpDelivery delivery;

    /**
     * @param name           the sink's name
     * @param delivery       the delivery options
     * @param onlyEscalation {@code true} to send UPDATED events only when the severity rose
     */
    HttpSink(String name, DeliveryOptions delivery, boolean onlyEscalation) {
        this.name = name;
        this.escalations = onlyEscalation ? new EscalationFilter() : null;
        this.delivery = new HttpDelivery(name, delivery, this::request);
    }

    /** Builds the request of one attempt; {@code null} when there is nothing to send. */
    abstract java.net.http.HttpRequest request(IncidentEvent event, java.net.http.HttpRequest.Builder request,
                                               long nowMillis);

    /**
     * Accepts the event into the spool (or memory) and returns; the sink's own thread sends it.
     *
     * @param event the event
     */
    @Override
    public final void publish(IncidentEvent event) {
        if (escalations == null || escalations.accept(event)) {
            delivery.offer(event);
        }
    }

    @Override
    public final void reportTo(SinkReporter reporter) {
        delivery.reportTo(reporter);
    }

    /**
     * Sends what is pending within the delivery close timeout (and, when the SDK closes the sink, within the
     * SDK's close timeout); the rest stays in the spool, which is released when this returns.
     */
    @Override
    public final void close() {
        delivery.close();
    }

    /**
     * What the sink did with the events it accepted.
     *
     * @return a snapshot
     */
    public final DeliveryStats deliveryStats() {
        return delivery.stats();
    }

    @Override
    public final String name() {
        return name;
    }

    /** {@code value} cut to {@code max} characters with an ellipsis, never splitting a surrogate pair. */
    static String shorten(String value, int max) {
        if (value.length() <= max) {
            return value;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end) + "\u2026";
    }
}
