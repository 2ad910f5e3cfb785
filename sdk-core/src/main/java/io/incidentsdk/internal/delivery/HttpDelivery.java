package io.incidentsdk.internal.delivery;

import io.incidentsdk.IncidentEvent;
import io.incidentsdk.sink.DeliveryOptions;
import io.incidentsdk.sink.DeliveryStats;
import io.incidentsdk.sink.SinkReporter;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The delivery of the HTTP sinks: a {@link SpooledDelivery} whose sender POSTs one event at a time with the
 * JDK {@link HttpClient}.
 *
 * <p>Outcomes of one attempt: {@code 2xx} delivered; a connection error, a timeout, {@code 408}, {@code 429} or
 * {@code 5xx} is retried (honouring {@code Retry-After}); any other status is final: the event is
 * dead-lettered. Backoff, circuit breaker, spool and close are {@link SpooledDelivery}'s.
 */
public final class HttpDelivery {

    /** Builds the request for one event: the sink's part of the work. */
    @FunctionalInterface
    public interface RequestFactory {
        /**
         * Builds the request.
         *
         * @param event     the event
         * @param request   a builder with the request timeout set
         * @param nowMillis the wall-clock time of this attempt (signatures are made per attempt)
         * @return the request, or {@code null} when there is nothing to send for this event
         */
        HttpRequest create(IncidentEvent event, HttpRequest.Builder request, long nowMillis);
    }

    private final SpooledDelivery delivery;

    /**
     * Creates the machinery; nothing starts before {@link #start()} or the first {@link #offer}.
     *
     * @param name    the sink's name (thread name, logs)
     * @param options the options
     * @param factory builds each request
     */
    public HttpDelivery(String name, DeliveryOptions options, RequestFactory factory) {
        this.delivery = new SpooledDelivery(name, options, new HttpSender(options, factory));
    }

    /**
     * Sets where drops and conditions are reported, and starts (replaying the spool).
     *
     * @param reporter the reporter
     */
    public void reportTo(SinkReporter reporter) {
        delivery.reportTo(reporter);
    }

    /** Opens the spool (replaying what an earlier run left) and starts the sending thread; idempotent. */
    public void start() {
        delivery.start();
    }

    /**
     * Accepts an event: appends it to the spool, or queues it in memory. Never waits for the network.
     *
     * @param event the event
     * @return {@code false} when it was dropped (counted and reported)
     */
    public boolean offer(IncidentEvent event) {
        return delivery.offer(event);
    }

    /**
     * A snapshot of the counters.
     *
     * @return the stats
     */
    public DeliveryStats stats() {
        return delivery.stats();
    }

    /** Sends what it can within the close timeout, then stops; see {@link SpooledDelivery#close()}. */
    public void close() {
        delivery.close();
    }

    /**
     * Whether {@link #close()} finished.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return delivery.isClosed();
    }

    /** One request per event. */
    private static final class HttpSender implements SpooledDelivery.Sender {
        private final DeliveryOptions options;
        private final RequestFactory factory;
        private final HttpClient client;

        HttpSender(DeliveryOptions options, RequestFactory factory) {
            this.options = options;
            this.factory = factory;
            this.client = HttpClient.newBuilder()
                    .connectTimeout(options.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
        }

        @Override
        public List<SpooledDelivery.Outcome> send(List<IncidentEvent> events) throws InterruptedException {
            return List.of(attempt(events.get(0)));
        }

        private SpooledDelivery.Outcome attempt(IncidentEvent event) throws InterruptedException {
            HttpRequest request;
            try {
                request = factory.create(event, HttpRequest.newBuilder().timeout(options.requestTimeout())
                        .header("User-Agent", "incident-sdk"), System.currentTimeMillis());
            } catch (RuntimeException e) {
                return SpooledDelivery.Outcome.refused("request could not be built (" + e.getClass().getSimpleName()
                        + ")");
            }
            if (request == null) {
                return SpooledDelivery.Outcome.delivered("nothing to send");
            }
            CompletableFuture<HttpResponse<Void>> response = client.sendAsync(request,
                    HttpResponse.BodyHandlers.discarding());
            long waitNanos = options.requestTimeout().toNanos() + options.connectTimeout().toNanos();
            try {
                return classify(response.get(waitNanos, TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                response.cancel(true);
                return SpooledDelivery.Outcome.retry("no answer within the request timeout");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (cause instanceof IOException) {
                    return SpooledDelivery.Outcome.retry(cause.getClass().getSimpleName());
                }
                return SpooledDelivery.Outcome.refused("request failed (" + cause.getClass().getSimpleName() + ")");
            } catch (InterruptedException e) {
                response.cancel(true);
                throw e;
            }
        }
    }

    static SpooledDelivery.Outcome classify(HttpResponse<?> answer) {
        int status = answer.statusCode();
        if (status >= 200 && status < 300) {
            return new SpooledDelivery.Outcome(SpooledDelivery.Kind.DELIVERED, status, 0, "HTTP " + status);
        }
        if (status == 408 || status == 429 || status >= 500) {
            long retryAfter = RetryAfter.parseMillis(answer.headers().firstValue("Retry-After").orElse(null),
                    System.currentTimeMillis());
            return new SpooledDelivery.Outcome(SpooledDelivery.Kind.RETRY, status, retryAfter, "HTTP " + status);
        }
        return new SpooledDelivery.Outcome(SpooledDelivery.Kind.REFUSED, status, 0, "HTTP " + status);
    }
}
