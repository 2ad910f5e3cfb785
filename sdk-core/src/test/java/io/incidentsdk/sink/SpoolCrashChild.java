package io.incidentsdk.sink;

import static org.awaitility.Awaitility.await;

import io.incidentsdk.Incident;
import io.incidentsdk.IncidentKind;
import io.incidentsdk.IncidentSdk;
import io.incidentsdk.Severity;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The application of {@link SpoolCrashTest}, run in a JVM of its own.
 *
 * <p>{@code record <spool> <url> <fsync> <n>}: records {@code n} incidents while the receiver is down, waits
 * (bounded, polling the sink's counters) until the sink has accepted every one of them into its spool, and prints
 * {@code ACCEPTED n}: from then on they survive a kill of the process under every fsync policy (an append that
 * returned is in the operating system's page cache; the policy decides only what survives a power failure, which
 * a test cannot cause). Then it keeps recording ({@code late-i}, printing {@code RECORDED i} every 100), as fast
 * as it can, until it is killed. {@code replay <spool> <url> <fsync>}: starts on the same spool, waits until
 * nothing is pending, prints {@code DRAINED}, closes.
 */
public final class SpoolCrashChild {

    private SpoolCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        String mode = args[0];
        WebhookSink webhook = WebhookSink.builder(URI.create(args[2]))
                .delivery(DeliveryOptions.builder()
                        .spoolDirectory(Path.of(args[1]))
                        .fsync(DeliveryOptions.Fsync.valueOf(args[3]))
                        .connectTimeout(Duration.ofMillis(500))
                        .requestTimeout(Duration.ofSeconds(2))
                        .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                        .circuitBreaker(3, Duration.ofMillis(50))
                        .build())
                .build();
        IncidentSdk sdk = IncidentSdk.builder().service("crash-test", "1").sink(webhook)
                .housekeepingInterval(Duration.ofMillis(5)).build();
        if (mode.equals("record")) {
            int n = Integer.parseInt(args[4]);
            for (int i = 0; i < n; i++) {
                sdk.record(Incident.builder(IncidentKind.CUSTOM, "spooled-" + i).severity(Severity.ERROR).build());
            }
            // the pipeline hands the events to the sink on threads of its own: wait until the sink has them all
            // in its spool (not in memory)
            await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(2)).until(() -> {
                DeliveryStats stats = webhook.deliveryStats();
                return stats.accepted() == n && stats.pending() == n && stats.spooling();
            });
            out.println("ACCEPTED " + webhook.deliveryStats().accepted());
            // the application goes on working until the kill
            for (int i = 0; ; i++) {
                sdk.record(Incident.builder(IncidentKind.CUSTOM, "late-" + i).severity(Severity.WARNING).build());
                if (i % 100 == 0) {
                    out.println("RECORDED " + i);
                }
            }
        }
        // the sink starts (and opens its spool) on the SDK's thread: first see it working, then wait for the end
        await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(5)).until(() ->
                webhook.deliveryStats().delivered() > 0 || webhook.deliveryStats().pending() > 0);
        await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(5)).until(() ->
                webhook.deliveryStats().pending() == 0);
        out.println("DRAINED " + webhook.deliveryStats().delivered());
        sdk.close();
    }
}
