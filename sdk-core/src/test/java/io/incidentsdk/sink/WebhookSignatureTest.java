package io.incidentsdk.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The receiver's side of the webhook signature: replays are refused even when many requests arrive. */
class WebhookSignatureTest {

    private static final String SECRET = "receiver-secret-0123456789";

    private static byte[] body(int i) {
        return ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aReplayWithinTheToleranceIsRefusedAfterManyOtherRequestsAndAFullCheckRefusesRatherThanForgets() {
        Instant now = Instant.parse("2026-12-03T10:00:00Z");
        long t = now.getEpochSecond();
        WebhookSignature verifier = WebhookSignature.verifier(SECRET, Duration.ofMinutes(5));
        String first = WebhookSignature.sign(SECRET, t, body(-1));
        assertThat(verifier.verify(first, body(-1), now)).isEqualTo(WebhookSignature.Result.VALID);
        int accepted = 0;
        WebhookSignature.Result last = null;
        for (int i = 0; i < 100_000; i++) {
            last = verifier.verify(WebhookSignature.sign(SECRET, t, body(i)), body(i), now);
            if (last == WebhookSignature.Result.VALID) {
                accepted++;
            }
        }
        assertThat(accepted).as("the check keeps 100,000 fresh signatures").isEqualTo(99_999);
        assertThat(last).as("then it refuses what it cannot check").isEqualTo(WebhookSignature.Result.UNVERIFIABLE);

        assertThat(verifier.verify(first, body(-1), now.plusSeconds(10))).as("the first request replayed 10 s later")
                .isEqualTo(WebhookSignature.Result.REPLAYED);

        // once the remembered signatures are past the tolerance they are forgotten and new requests pass again
        Instant later = now.plus(Duration.ofMinutes(6));
        byte[] fresh = body(1_000_000);
        assertThat(verifier.verify(WebhookSignature.sign(SECRET, later.getEpochSecond(), fresh), fresh, later))
                .isEqualTo(WebhookSignature.Result.VALID);
    }
}
